/**
 * Size caps for tool outputs. Each is someone else's file, read whole and parsed in memory: past
 * its cap it is reported (`TOOL_TOO_LARGE`) and not parsed, so a multi-gigabyte "log" can neither
 * exhaust memory nor be cut short by V8's string limit and half-read. Reports that list every
 * file of a large deposit (Siegfried, DROID, ExifTool) get generous caps; a ClamAV log or a
 * Brunnhilde report stays small even for big runs.
 */
import type { ProblemSink } from './problems.js';

const MiB = 1024 * 1024;

/** `sf -yaml` / `sf -csv` output (also Brunnhilde's siegfried.csv): 256 MiB. */
export const SIEGFRIED_MAX_BYTES = 256 * MiB;
/** DROID CSV export: 256 MiB. */
export const DROID_CSV_MAX_BYTES = 256 * MiB;
/** ExifTool text or JSON output: 256 MiB. */
export const EXIFTOOL_MAX_BYTES = 256 * MiB;
/** A ClamAV log (infected-only logs are small; `clamscan` with OK lines is a line per file): 64 MiB. */
export const CLAMAV_LOG_MAX_BYTES = 64 * MiB;
/** Brunnhilde's report.html (read for its provenance only): 16 MiB. */
export const BRUNNHILDE_REPORT_MAX_BYTES = 16 * MiB;
/** The most a caller ever needs to read of one tool output (the largest cap above). */
export const TOOL_OUTPUT_MAX_BYTES = Math.max(
  SIEGFRIED_MAX_BYTES,
  DROID_CSV_MAX_BYTES,
  EXIFTOOL_MAX_BYTES,
  CLAMAV_LOG_MAX_BYTES,
  BRUNNHILDE_REPORT_MAX_BYTES,
);

/**
 * True (and a TOOL_TOO_LARGE problem reported) when `size` bytes exceed `cap`: the caller then
 * parses nothing.
 */
export function overCap(size: number, cap: number, report: ProblemSink): boolean {
  if (size <= cap) return false;
  report(
    'TOOL_TOO_LARGE',
    `${size} bytes is more than the ${cap} bytes read of this kind of output; not read`,
  );
  return true;
}

/** Length of a reader's input in bytes (UTF-16 code units × 2 bound for text). */
export function inputSize(input: unknown): number {
  if (input instanceof Uint8Array) return input.length;
  if (typeof input === 'string') return input.length;
  return 0;
}
