/**
 * ExifTool text-output reader: the default `exiftool <files>` listing (`Tag Name   : value`),
 * short names (`-s`: `TagName : value`) and grouped output (`-G`/`-G1`, with or without `-a`:
 * `[Group]   Tag Name : value`). Several files are separated by `======== <path>` headers; the
 * run ends with counts such as `    2 image files read` / `    1 directories scanned`.
 *
 * Tags are keyed by their printed name, prefixed `Group:` when grouped (`EXIF:Make`), as ExifTool
 * itself names grouped tags. With `-a` a name can repeat: the first value keeps the plain key,
 * later ones get ` (2)`, ` (3)`… so nothing is dropped. The value is everything after the first
 * `: ` that follows the name (values often contain colons: dates `2020:01:01 10:00:00`).
 *
 * A single-file listing has no header: its path is `Directory` + `/` + `File Name` when those
 * tags are present (else the `fallbackPath` option). ExifTool does not print when it ran, so
 * `timestamp` is null. `exiftool -j` (JSON) output is read too (readExifToolJson).
 */

import { quoteForMessage } from '../../core/paths.js';
import type { ExifMetadata } from '../model.js';
import { EXIFTOOL_MAX_BYTES, inputSize, overCap } from './limits.js';
import { type ProblemSink, problemSink, type ToolProblem } from './problems.js';
import type { ToolFileRecord } from './siegfried.js';
import { decodeToolText, splitLines } from './text.js';

/** What an ExifTool listing contains. */
export interface ExifToolReport {
  files: ToolFileRecord<ExifMetadata>[];
  /** `ExifTool Version Number` of the first file, when printed. */
  version: string | null;
  /** Trailing counts, e.g. `{ "image files read": 2, "directories scanned": 1 }`. */
  counts: Record<string, number>;
  problems: ToolProblem[];
}

/** Options for {@link readExifToolText}. */
export interface ExifToolReadOptions {
  /** `source` of the records; default "ExifTool". */
  source?: string;
  /** Deposit-relative path of the output (records' `origin`, problems' `path`). */
  origin?: string;
  /** Path to use for a header-less single-file listing without File Name/Directory tags. */
  fallbackPath?: string;
}

const HEADER = /^={8} (.*)$/;
const COUNT = /^\s+(\d+) ((?:image )?files? .*|directories? .*|output files? .*)$/;
/** Longest line read; ExifTool prints long binary values as a placeholder, so longer is junk. */
const MAX_LINE = 65536;

/**
 * `[Group]   Tag Name : value` → [group, name, value], or null. By hand: the equivalent pattern
 * (a lazy name before `\s*:`) backtracks quadratically on long lines without a colon.
 */
function parseTagLine(line: string): [string | undefined, string, string] | null {
  let rest = line;
  let group: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close > 0 && /\s/.test(rest[close + 1] ?? '')) {
      group = rest.slice(1, close);
      rest = rest.slice(close + 1).trimStart();
    }
  }
  const colon = rest.indexOf(':');
  if (colon < 0) return null;
  const name = rest.slice(0, colon).trim();
  if (name === '' || /^\s/.test(rest)) return null;
  const value = rest.slice(colon + 1);
  return [group, name, value.startsWith(' ') ? value.slice(1) : value];
}

/** True when the text looks like ExifTool output (version line, `========` headers or grouped tags). */
export function looksLikeExifTool(text: string): boolean {
  const head = text.replace(/^\uFEFF/, '').slice(0, 4000);
  return /^(\[ExifTool\]\s+)?ExifTool ?Version ?Number\s*:/m.test(head) || /^={8} \S/.test(head);
}

/** Read ExifTool text output. Never throws. */
export function readExifToolText(
  input: Uint8Array | string,
  options: ExifToolReadOptions = {},
): ExifToolReport {
  const problems: ToolProblem[] = [];
  const report = problemSink(problems, options.origin);
  if (overCap(inputSize(input), EXIFTOOL_MAX_BYTES, report))
    return { files: [], version: null, counts: Object.create(null), problems };
  const lines = splitLines(decodeToolText(input, problems, options.origin).text);
  const blocks: Block[] = [];
  // Null prototypes: tag names and count labels such as `constructor` are ordinary keys.
  const counts: Record<string, number> = Object.create(null);
  for (const [n, line] of lines.entries()) {
    if (line.length > MAX_LINE) {
      report('TOOL_SYNTAX', `line longer than ${MAX_LINE} characters; skipped`, n + 1);
      continue;
    }
    const h = HEADER.exec(line);
    const c = h === null ? COUNT.exec(line) : null;
    const t = h === null && c === null ? parseTagLine(line) : null;
    if (h !== null) blocks.push({ header: h[1]!, tags: Object.create(null) });
    else if (c !== null) counts[c[2]!.trim()] = Number(c[1]);
    else if (line.trim() === '') continue;
    else if (t === null) report('TOOL_SYNTAX', `unrecognised line: ${quoteForMessage(line, 120)}`, n + 1);
    else {
      if (blocks.length === 0) blocks.push({ header: null, tags: Object.create(null) });
      addTag(blocks[blocks.length - 1]!.tags, t[0] === undefined ? t[1] : `${t[0]}:${t[1]}`, t[2]);
    }
  }
  const files = blocks.map((b) => toRecord(b, options, report)).filter((f) => f !== null);
  const version =
    blocks.length === 0 ? null : findTag(blocks[0]!.tags, ['ExifTool Version Number', 'ExifToolVersion']);
  return { files, version, counts, problems };
}

/** One file's listing: its `========` header path (null for a header-less single file) and tags. */
interface Block {
  header: string | null;
  tags: Record<string, string>;
}

function addTag(tags: Record<string, string>, key: string, value: string): void {
  if (!Object.hasOwn(tags, key)) {
    tags[key] = value;
    return;
  }
  let i = 2;
  while (Object.hasOwn(tags, `${key} (${i})`)) i++;
  tags[`${key} (${i})`] = value;
}

/** A tag's value by any of its printed names, grouped or not. */
function findTag(tags: Record<string, string>, names: string[]): string | null {
  for (const [k, v] of Object.entries(tags)) {
    const bare = k.includes(':') ? k.slice(k.indexOf(':') + 1) : k;
    if (names.includes(bare)) return v;
  }
  return null;
}

function toRecord(
  block: Block,
  options: ExifToolReadOptions,
  report: ProblemSink,
): ToolFileRecord<ExifMetadata> | null {
  const toolPath = block.header ?? pathFromTags(block.tags) ?? options.fallbackPath ?? null;
  if (toolPath === null) {
    report('TOOL_SYNTAX', 'a file listing without a path (no header, no File Name tag)');
    return null;
  }
  const source = options.source ?? 'ExifTool';
  return {
    toolPath,
    record: {
      type: 'ExifMetadata',
      source,
      timestamp: null,
      origin: options.origin ?? null,
      tags: block.tags,
    },
  };
}

/** `Directory/File Name` of a header-less listing, or null without a File Name. */
function pathFromTags(tags: Record<string, string>): string | null {
  const name = findTag(tags, ['File Name', 'FileName']);
  const dir = findTag(tags, ['Directory']);
  if (name === null) return null;
  return dir === null || dir === '.' ? name : `${dir.replace(/[\\/]+$/, '')}/${name}`;
}

/** True when the text looks like `exiftool -j` output: a JSON array of objects with `SourceFile`. */
export function looksLikeExifToolJson(text: string): boolean {
  return /^\s*\[\s*\{\s*"SourceFile"\s*:/.test(text.replace(/^\uFEFF/, '').slice(0, 200));
}

/**
 * Read `exiftool -j` (JSON) output: an array of objects, each with `SourceFile` (the path) and
 * tags keyed by name (`Group:Name` with `-G`). Values that are not strings are kept as their JSON
 * text (numbers as printed). Never throws: unparseable JSON is a TOOL_SYNTAX problem.
 */
export function readExifToolJson(
  input: Uint8Array | string,
  options: ExifToolReadOptions = {},
): ExifToolReport {
  const problems: ToolProblem[] = [];
  const report = problemSink(problems, options.origin);
  if (overCap(inputSize(input), EXIFTOOL_MAX_BYTES, report))
    return { files: [], version: null, counts: Object.create(null), problems };
  let items: unknown;
  try {
    items = JSON.parse(decodeToolText(input, problems, options.origin).text);
  } catch {
    // JSON.parse's own message quotes the input: say only that it is not JSON.
    report('TOOL_SYNTAX', 'not valid JSON');
    return { files: [], version: null, counts: Object.create(null), problems };
  }
  if (!Array.isArray(items)) report('TOOL_SYNTAX', 'not a JSON array of files');
  const files: ToolFileRecord<ExifMetadata>[] = [];
  for (const item of Array.isArray(items) ? items : []) {
    if (item === null || typeof item !== 'object' || typeof item.SourceFile !== 'string') {
      report('TOOL_SYNTAX', 'an entry without SourceFile');
      continue;
    }
    const tags: Record<string, string> = Object.create(null);
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      if (k !== 'SourceFile') tags[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    const source = options.source ?? 'ExifTool';
    files.push({
      toolPath: item.SourceFile,
      record: { type: 'ExifMetadata', source, timestamp: null, origin: options.origin ?? null, tags },
    });
  }
  const version =
    files.length === 0
      ? null
      : findTag(files[0]!.record.tags, ['ExifToolVersion', 'ExifTool Version Number']);
  return { files, version, counts: Object.create(null), problems };
}
