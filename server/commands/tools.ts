/**
 * `strongroom tools <deposit-folder> [--json]`: read the tool outputs under the folder's
 * `metadata/` (or `data/metadata/` for a BagIt layout) and print the per-file metadata they give,
 * keyed by deposit-relative path. With `--json`, one object
 * `{ files: { [path]: Metadata[] }, reports, summaries, problems }`.
 *
 * Exit codes: 0 when the folder was read (whatever the tools say — problems and viruses are
 * printed, not turned into a verdict), 2 for bad usage or an unreadable folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Metadata } from '../../lib/formats/model.js';
import { metadataLocation } from '../../lib/formats/tools/classify.js';
import { readToolOutputs, type ToolOutputsResult } from '../../lib/formats/tools/index.js';
import { parseArgs } from './args.js';
import { type Command, EXIT } from './io.js';

const USAGE = 'usage: strongroom tools <deposit-folder> [--json]\n';

/** Run the `tools` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json'] });
  if (!args.ok || args.positionals.length !== 1) {
    io.stderr.write(`${args.ok ? '' : `strongroom tools: ${args.error}\n`}${USAGE}`);
    return EXIT.USAGE;
  }
  const json = args.flags.has('--json');
  const folder = args.positionals[0]!;
  let depositPaths: string[];
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a directory');
    depositPaths = listFiles(folder);
  } catch (err) {
    io.stderr.write(`strongroom tools: cannot read ${folder}: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  // Only files under a metadata folder can be tool outputs: read just those.
  const outputs = depositPaths
    .filter((p) => metadataLocation(p) !== null)
    .map((p) => ({ path: p, bytes: readFileSync(join(folder, ...p.split('/'))) }));
  const result = readToolOutputs(outputs, depositPaths);
  io.stdout.write(json ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(result));
  return EXIT.OK;
};

/** Every regular file below `root`, as sorted `/`-separated relative paths (symlinks not followed). */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
      if (e.isDirectory()) walk(join(dir, e.name), rel);
      else if (e.isFile()) out.push(rel);
    }
  };
  walk(root, '');
  return out.sort();
}

function toJson(r: ToolOutputsResult): object {
  const files: Record<string, Metadata[]> = {};
  for (const p of [...r.byPath.keys()].sort()) files[p] = r.byPath.get(p)!;
  return { files, reports: r.reports, summaries: r.summaries, problems: r.problems };
}

function toText(r: ToolOutputsResult): string {
  const lines: string[] = [];
  for (const p of [...r.byPath.keys()].sort()) {
    lines.push(p);
    for (const m of r.byPath.get(p)!) lines.push(`  ${describe(m)}`);
  }
  if (r.byPath.size === 0) lines.push('(no per-file metadata found)');
  for (const rep of r.reports)
    lines.push(`report: ${rep.path} (${rep.source}${rep.scope ? `, scanned ${rep.scope}` : ''})`);
  for (const s of r.summaries)
    lines.push(`read: ${s.origin} (${s.tool}${s.source !== s.tool ? ` via ${s.source}` : ''})`);
  for (const pr of r.problems)
    lines.push(
      `${pr.severity} ${pr.code}${pr.path ? ` ${pr.path}` : ''}${pr.line ? `:${pr.line}` : ''}: ${pr.message}`,
    );
  return `${lines.join('\n')}\n`;
}

function describe(m: Metadata): string {
  switch (m.type) {
    case 'FileFormatMetadata': {
      const fmt = m.pronomKey ?? 'UNKNOWN';
      const more = m.matches && m.matches.length > 1 ? ` (+${m.matches.length - 1} other matches)` : '';
      const warn = m.warning ? ` [${m.warning}]` : '';
      return `format  ${m.source}: ${fmt} ${m.formatName ?? ''}${m.contentType ? ` (${m.contentType})` : ''}${more}${warn}`;
    }
    case 'VirusScanMetadata':
      return `virus   ${m.source}: ${m.hasVirus ? `FOUND ${m.virusesFound.join(', ')}` : 'clean'}${m.inferred ? ' (not listed in an infected-only log)' : ''}`;
    case 'ExifMetadata':
      return `exif    ${m.source}: ${Object.keys(m.tags).length} tags`;
    case 'DigestMetadata':
      return `digest  ${m.source}: ${m.digest}`;
    default:
      return `report  ${m.source}: ${m.path}`;
  }
}
