/**
 * Turning an infected-only ClamAV log into a verdict for every file it scanned.
 *
 * Decision: when a log lists only infected files (`clamscan -i`, always the case for Brunnhilde),
 * every other file the scan covered is clean. The scope of the scan is, in order of preference:
 * 1. the files of the same tool run's Siegfried CSV (Brunnhilde scans one directory with both);
 * 2. the deposit files under the directory the run reports it scanned (Brunnhilde's "Input source");
 * 3. otherwise the deposit's content: every file not under `metadata/`/`data/metadata/`, and in a
 *    BagIt layout (a root `bagit.txt`) only files under `data/`.
 * Inferred verdicts carry `inferred: true` and `raw: null`; when the scope's size differs from
 * the summary's `Scanned files` a TOOL_INCONSISTENT warning says so.
 */
import type { VirusScanMetadata } from '../model.js';
import { type ClamAvSummary, scanTimestamp } from './clamav.js';
import { metadataLocation } from './classify.js';

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
