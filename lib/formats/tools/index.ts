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
import { classifyToolOutput } from './classify.js';
import { indexDepositPaths } from './paths.js';
import { problemSink } from './problems.js';
import type { ToolOutputFile, ToolOutputsResult } from './result.js';
import { type RunMember, readRun } from './run.js';
import { decodeToolText } from './text.js';

export type { BrunnhildeProvenance } from './brunnhilde.js';
export type { ClamAvSummary } from './clamav.js';
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
} from './result.js';
export type { SiegfriedIdentifier, SiegfriedRun } from './siegfried.js';

/**
 * Read all tool outputs among `files` (others are ignored) for a deposit whose files are
 * `depositPaths`. Records of one file are ordered by type (format, digest, virus, EXIF), then by
 * the output they came from. Never throws: unreadable parts become `problems`.
 */
export function readToolOutputs(
  files: readonly ToolOutputFile[],
  depositPaths: readonly string[],
): ToolOutputsResult {
  const result: ToolOutputsResult = {
    byPath: new Map(),
    reports: [],
    summaries: [],
    problems: [],
    outputs: [],
  };
  const runs = new Map<string, RunMember[]>();
  for (const f of [...files].sort((a, b) => compare(a.path, b.path))) {
    const c = classifyToolOutput(f.path, () => decodeToolText(f.bytes.subarray(0, 8192)).text);
    if (c === 'unrecognised')
      problemSink(result.problems, f.path)('TOOL_UNRECOGNISED', 'not a tool output we can read');
    if (c === null || c === 'unrecognised') continue;
    runs.set(c.group, [...(runs.get(c.group) ?? []), { c, bytes: f.bytes }]);
    result.outputs.push(f.path);
  }
  const index = indexDepositPaths(depositPaths);
  for (const members of runs.values()) readRun(members, index, depositPaths, result);
  for (const list of result.byPath.values()) list.sort(byKindThenOrigin);
  return result;
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

function byKindThenOrigin(a: Metadata, b: Metadata): number {
  return KIND_ORDER.indexOf(a.type) - KIND_ORDER.indexOf(b.type) || compare(a.origin ?? '', b.origin ?? '');
}
