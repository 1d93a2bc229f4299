/**
 * Turning an infected-only ClamAV log into a verdict for every file it scanned.
 *
 * Decision: when a log lists only infected files (`clamscan -i`, always the case for Brunnhilde),
 * every other file the scan covered is clean. The scope of the scan is, in order of preference:
 * 1. `tool-run`: the files of the same tool run's Siegfried CSV (Brunnhilde scans one directory
 *    with both tools);
 * 2. `input-source`: the deposit files under the directory the run reports it scanned
 *    (Brunnhilde's "Input source");
 * 3. `deposit`: every deposit file not under `metadata/`/`data/metadata/`, and in a BagIt layout
 *    (a root `bagit.txt`) only files under `data/`.
 * Inferred verdicts carry `inferred: true` and `raw: null`; when the scope's size differs from
 * the summary's `Scanned files` a TOOL_INCONSISTENT warning says so.
 */
import type { VirusScanMetadata } from '../model.js';
import { type ClamAvSummary, scanTimestamp } from './clamav.js';
import { metadataLocation } from './classify.js';
import type { ProblemSink } from './problems.js';
import type { ScanScopeKind } from './result.js';

/** What is known about where a scan ran. */
export interface ScanScopeInputs {
  /** Deposit paths of the files the same run identified (Brunnhilde's siegfried.csv), or null. */
  runFiles: string[] | null;
  /** Deposit directory the run says it scanned, or null. */
  scannedDirectory: string | null;
  depositPaths: readonly string[];
}

/** The deposit files a scan with no better scope information covered (rule 3 above). */
export function defaultScanScope(depositPaths: readonly string[]): string[] {
  const bag = depositPaths.includes('bagit.txt');
  return depositPaths.filter((p) => metadataLocation(p) === null && (!bag || p.startsWith('data/')));
}

/** Deposit files at or below `directory` ('' = everything). */
export function filesUnder(depositPaths: readonly string[], directory: string): string[] {
  if (directory === '') return [...depositPaths];
  return depositPaths.filter((p) => p.startsWith(`${directory}/`));
}

/** The scan's scope by the rules above. */
export function scanScope(inputs: ScanScopeInputs): { kind: ScanScopeKind; files: string[] } {
  if (inputs.runFiles !== null) return { kind: 'tool-run', files: [...new Set(inputs.runFiles)] };
  if (inputs.scannedDirectory !== null) {
    return { kind: 'input-source', files: filesUnder(inputs.depositPaths, inputs.scannedDirectory) };
  }
  return { kind: 'deposit', files: defaultScanScope(inputs.depositPaths) };
}

/**
 * Clean verdicts for the files in scope that the log did not list (`listed`). Reports a
 * TOOL_INCONSISTENT warning through `report` when the scope's size differs from `Scanned files`.
 */
export function inferCleanVerdicts(
  summary: ClamAvSummary,
  inputs: ScanScopeInputs,
  listed: ReadonlySet<string>,
  label: { source: string; origin: string },
  report: ProblemSink,
): { scope: ScanScopeKind; records: [string, VirusScanMetadata][] } {
  const scope = scanScope(inputs);
  const records: [string, VirusScanMetadata][] = scope.files
    .filter((p) => !listed.has(p))
    .map((p) => [p, inferredCleanVerdict(summary, label.source, label.origin)]);
  if (summary.scannedFiles !== null && summary.scannedFiles !== scope.files.length) {
    report(
      'TOOL_INCONSISTENT',
      `log says ${summary.scannedFiles} files were scanned; ${scope.files.length} file(s) in the inferred scope (${scope.kind})`,
    );
  }
  return { scope: scope.kind, records };
}

/** A clean, inferred verdict for a file an infected-only log did not list. */
export function inferredCleanVerdict(
  summary: ClamAvSummary,
  source: string,
  origin: string,
): VirusScanMetadata {
  return {
    type: 'VirusScanMetadata',
    source,
    timestamp: scanTimestamp(summary),
    origin,
    hasVirus: false,
    virusesFound: [],
    engineVersion: summary.engineVersion,
    knownViruses: summary.knownViruses,
    raw: null,
    inferred: true,
  };
}
