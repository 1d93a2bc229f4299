/**
 * Reading every tool output of a deposit into per-file metadata records keyed by deposit path.
 *
 * Input: the deposit's tool-output files (path + bytes; the caller reads them, this module does
 * no I/O) and the deposit's full file list. Files are recognised under `metadata/` or
 * `data/metadata/` (see classify.ts); each tool run's paths are resolved to deposit paths with
 * one resolver (see paths.ts and run.ts). Records for files the tool saw but the deposit lacks
 * are still keyed by the deposit path they would have (the combiner reports them as `presence`
 * mismatches); paths that cannot be placed at all are reported as TOOL_UNRESOLVED_PATH.
 *
 * Sources: "Siegfried" for Siegfried outputs, "Brunnhilde" for everything read from a Brunnhilde
 * folder (its siegfried.csv and its ClamAV log, as the spec labels "Siegfried via Brunnhilde"),
 * "ClamAV" for other ClamAV logs, "ExifTool" for ExifTool listings. Infected-only ClamAV logs
 * yield inferred clean verdicts for the rest of the scan's scope (see virus-scope.ts).
 */
import type { Metadata } from '../model.js';
import { type ClassifiedOutput, classifyToolOutput, metadataLocation } from './classify.js';
import {
  BRUNNHILDE_REPORT_MAX_BYTES,
  CLAMAV_LOG_MAX_BYTES,
  DROID_CSV_MAX_BYTES,
  EXIFTOOL_MAX_BYTES,
  overCap,
  SIEGFRIED_MAX_BYTES,
} from './limits.js';
import { indexDepositPaths } from './paths.js';
import { problemSink } from './problems.js';
import type { ToolOutputFile, ToolOutputsResult, ToolSpecialEntry } from './result.js';
import { type RunMember, readRun } from './run.js';
import { decodeToolText } from './text.js';

export type { BrunnhildeProvenance } from './brunnhilde.js';
export type { ClamAvSummary } from './clamav.js';
export {
  BRUNNHILDE_REPORT_MAX_BYTES,
  CLAMAV_LOG_MAX_BYTES,
  DROID_CSV_MAX_BYTES,
  EXIFTOOL_MAX_BYTES,
  SIEGFRIED_MAX_BYTES,
  TOOL_OUTPUT_MAX_BYTES,
} from './limits.js';
export type { ToolProblem } from './problems.js';
export type {
  BrunnhildeRunSummary,
  ClamAvRunSummary,
  ExifToolRunSummary,
  ScanScopeKind,
  SiegfriedRunSummary,
  ToolOutputFile,
  ToolOutputsResult,
  ToolRunSummary,
  ToolSpecialEntry,
} from './result.js';
export type { SiegfriedIdentifier, SiegfriedRun } from './siegfried.js';

/** Options of {@link readToolOutputs}. */
export interface ReadToolOutputsOptions {
  /** Deposit entries that are not regular files; those under a metadata folder are reported. */
  specialEntries?: readonly ToolSpecialEntry[];
}

/**
 * Read all tool outputs among `files` (others are ignored) for a deposit whose files are
 * `depositPaths`. Records of one file are ordered by type (format, digest, virus, EXIF), then by
 * the output they came from. Outputs past their size cap (limits.ts) are reported
 * (TOOL_TOO_LARGE), not read; special entries under metadata/ are reported (TOOL_SPECIAL_ENTRY).
 * Never throws: unreadable parts become `problems`.
 */
export function readToolOutputs(
  files: readonly ToolOutputFile[],
  depositPaths: readonly string[],
  options: ReadToolOutputsOptions = {},
): ToolOutputsResult {
  const result: ToolOutputsResult = {
    byPath: new Map(),
    reports: [],
    summaries: [],
    problems: [],
    outputs: [],
  };
  const runs = new Map<string, RunMember[]>();
  for (const e of options.specialEntries ?? []) {
    if (metadataLocation(e.path) === null) continue;
    problemSink(result.problems, e.path)('TOOL_SPECIAL_ENTRY', `${SPECIAL_TEXT[e.type]}; not read`);
  }
  const given = Array.isArray(files) ? files : [];
  const usable = given.filter((f) => typeof f?.path === 'string' && f.bytes instanceof Uint8Array);
  if (usable.length !== given.length)
    problemSink(result.problems)(
      'TOOL_SYNTAX',
      `${given.length - usable.length} entries without a path and bytes; skipped`,
    );
  for (const f of usable.sort((a, b) => compare(a.path, b.path))) {
    const c = classifyToolOutput(f.path, () => decodeToolText(f.bytes.subarray(0, 8192)).text);
    if (c === 'unrecognised')
      problemSink(result.problems, f.path)('TOOL_UNRECOGNISED', 'not a tool output we can read');
    if (c === null || c === 'unrecognised') continue;
    if (overCap(f.size ?? f.bytes.length, capFor(c), problemSink(result.problems, f.path))) continue;
    runs.set(c.group, [...(runs.get(c.group) ?? []), { c, bytes: f.bytes }]);
    result.outputs.push(f.path);
  }
  const index = indexDepositPaths(
    (Array.isArray(depositPaths) ? depositPaths : []).filter((p) => typeof p === 'string'),
  );
  for (const members of runs.values()) readRun(members, index, [...index.files], result);
  for (const list of result.byPath.values()) list.sort(byKindThenOrigin);
  return result;
}

const SPECIAL_TEXT: Record<ToolSpecialEntry['type'], string> = {
  fifo: 'a FIFO, not a file',
  socket: 'a socket, not a file',
  'char-device': 'a character device, not a file',
  'block-device': 'a block device, not a file',
  unknown: 'neither a file nor a directory',
  'undecodable-name': 'a name that is not valid UTF-8',
};

/** The size cap of one kind of output (limits.ts). */
function capFor(c: ClassifiedOutput): number {
  switch (c.kind) {
    case 'clamav':
    case 'brunnhilde-viruscheck':
      return CLAMAV_LOG_MAX_BYTES;
    case 'exiftool':
    case 'exiftool-json':
      return EXIFTOOL_MAX_BYTES;
    case 'droid-csv':
      return DROID_CSV_MAX_BYTES;
    case 'brunnhilde-report':
      return BRUNNHILDE_REPORT_MAX_BYTES;
    default:
      return SIEGFRIED_MAX_BYTES;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const KIND_ORDER = [
  'FileFormatMetadata',
  'DigestMetadata',
  'VirusScanMetadata',
  'ExifMetadata',
  'ToolOutput',
];

/**
 * The order of one file's records in {@link readToolOutputs}' result: by type (format, digest,
 * virus, EXIF, report), then by the output they came from. For callers that merge results.
 */
export function byKindThenOrigin(a: Metadata, b: Metadata): number {
  return KIND_ORDER.indexOf(a.type) - KIND_ORDER.indexOf(b.type) || compare(a.origin ?? '', b.origin ?? '');
}
