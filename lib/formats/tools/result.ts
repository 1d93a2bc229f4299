/**
 * The shapes readToolOutputs returns. Kept apart so the per-run reader (run.ts) and the entry
 * point (index.ts) share them without importing each other.
 */
import type { Metadata, ToolOutput } from '../model.js';
import type { BrunnhildeProvenance } from './brunnhilde.js';
import type { ClamAvSummary } from './clamav.js';
import type { ToolProblem } from './problems.js';
import type { SiegfriedRun } from './siegfried.js';

/** One deposit file handed to readToolOutputs. */
export interface ToolOutputFile {
  /** Deposit-relative path (no leading slash). */
  path: string;
  bytes: Uint8Array;
  /**
   * The file's size when `bytes` holds less than all of it (a caller that read at most
   * `TOOL_OUTPUT_MAX_BYTES`, or only the start): the output is then reported as too large
   * rather than half-read. Default `bytes.length`.
   */
  size?: number;
}

/**
 * A deposit entry that is not a regular file (as storage lists it: FIFO, socket, device, or a
 * name that is not valid UTF-8). Never read; reported when it sits where tool outputs live.
 */
export interface ToolSpecialEntry {
  path: string;
  type: 'fifo' | 'socket' | 'char-device' | 'block-device' | 'unknown' | 'undecodable-name';
}

/** How the clean files of an infected-only ClamAV log were found (see virus-scope.ts). */
export type ScanScopeKind = 'tool-run' | 'input-source' | 'deposit';

/** What a Siegfried output said about its run. */
export interface SiegfriedRunSummary {
  tool: 'Siegfried';
  source: string;
  origin: string;
  syntax: 'yaml' | 'csv';
  run: SiegfriedRun;
  files: number;
}

/** What a ClamAV log said about its run. */
export interface ClamAvRunSummary {
  tool: 'ClamAV';
  source: string;
  origin: string;
  /** The SCAN SUMMARY block, null when the log has none. */
  summary: ClamAvSummary | null;
  /** Deposit paths of infected files (the printed path when it could not be placed). */
  infected: string[];
  /** Files ClamAV could not scan (path as printed). */
  errors: { toolPath: string; message: string }[];
  /** For infected-only logs: where the clean files came from and how many verdicts were inferred. */
  inferredClean: { scope: ScanScopeKind; files: number } | null;
}

/** What an ExifTool listing said about its run. */
export interface ExifToolRunSummary {
  tool: 'ExifTool';
  source: string;
  origin: string;
  version: string | null;
  counts: Record<string, number>;
  files: number;
}

/** What a Brunnhilde report said about its run; `scope` is the scanned deposit directory. */
export interface BrunnhildeRunSummary {
  tool: 'Brunnhilde';
  source: string;
  origin: string;
  provenance: BrunnhildeProvenance;
  scope: string | null;
}

/** What one tool output told us about the run as a whole. */
export type ToolRunSummary =
  | SiegfriedRunSummary
  | ClamAvRunSummary
  | ExifToolRunSummary
  | BrunnhildeRunSummary;

/** Everything read from a deposit's tool outputs. */
export interface ToolOutputsResult {
  /** Deposit path → records from every tool that reported on it. */
  byPath: Map<string, Metadata[]>;
  /** Whole-output attachments (Brunnhilde's report.html). */
  reports: ToolOutput[];
  summaries: ToolRunSummary[];
  problems: ToolProblem[];
  /** Deposit paths of the files that were read as tool outputs. */
  outputs: string[];
}

/** Append a record to a path's list. */
export function addRecord(byPath: Map<string, Metadata[]>, path: string, record: Metadata): void {
  const list = byPath.get(path);
  if (list === undefined) byPath.set(path, [record]);
  else list.push(record);
}
