/**
 * Problem codes the METS reader reports (stable; the message is for people).
 *
 * | code                        | meaning |
 * | --------------------------- | ------- |
 * | `NOT_METS`                  | the document holds no METS element; nothing was read |
 * | `MULTIPLE_METS_DOCUMENTS`   | a wrapper (EPrints `<mets-objects>`) held several METS documents; all were read into one model |
 * | `DIGEST_LENGTH_MISMATCH`    | the algorithm label and the hex length disagree; the value is kept under the algorithm its length implies |
 * | `DIGEST_INVALID`            | a digest is not hex, or its length fits no known algorithm; dropped |
 * | `DIGEST_CONFLICT`           | two different values for one algorithm; the first (PREMIS fixity before mets:file CHECKSUM) is kept |
 * | `SIZE_INVALID`              | a size that is not a non-negative integer; dropped |
 * | `SIZE_CONFLICT`             | PREMIS size and mets:file SIZE differ; the PREMIS value is kept |
 * | `MISSING_LOCATION`          | a mets:file without a usable FLocat href; skipped |
 * | `NOT_RELATIVE_PATH`         | an href that is a URL of another scheme (http:, urn:); kept as written |
 * | `UNSAFE_PATH`               | an href, or a directory path built from a LABEL or PREMIS name, that is not a safe relative path (`..`, absolute, `file:///`, a host, a drive letter, backslashes, NUL or control characters, too long or too deep); the file or directory is left out and the path is never used |
 * | `STRUCTURE_TOO_DEEP`        | structMap divs nested deeper than the reader follows; the deeper divs are not read (reported once) |
 * | `BAD_PERCENT_ENCODING`      | an href whose %XX escapes are not UTF-8; kept undecoded |
 * | `DUPLICATE_PATH`            | two mets:file elements with the same path; the first is kept |
 * | `DUPLICATE_ID`              | an ID used twice; the first element keeps it |
 * | `UNRESOLVED_REFERENCE`      | a FILEID / ADMID / DMDID that names no element |
 */

import type { MetsProblem } from './model.js';

/** The stable problem codes. */
export type MetsProblemCode =
  | 'NOT_METS'
  | 'MULTIPLE_METS_DOCUMENTS'
  | 'DIGEST_LENGTH_MISMATCH'
  | 'DIGEST_INVALID'
  | 'DIGEST_CONFLICT'
  | 'SIZE_INVALID'
  | 'SIZE_CONFLICT'
  | 'MISSING_LOCATION'
  | 'NOT_RELATIVE_PATH'
  | 'UNSAFE_PATH'
  | 'STRUCTURE_TOO_DEEP'
  | 'BAD_PERCENT_ENCODING'
  | 'DUPLICATE_PATH'
  | 'DUPLICATE_ID'
  | 'UNRESOLVED_REFERENCE';

/**
 * A position in the source, packed into one number (line × 2^20 + column, both 1-based) so the
 * records kept for a 100,000-file METS carry no position objects.
 */
export type SourcePosition = number;

const COLUMN_SPAN = 2 ** 20;

/** Pack a 1-based line and column. Columns beyond 2^20 − 1 are clamped. */
export function packPosition(line: number, column: number): SourcePosition {
  return line * COLUMN_SPAN + Math.min(Math.max(column, 1), COLUMN_SPAN - 1);
}

/**
 * Problems that leave an item out, or make what the METS says about it untrustworthy: errors.
 * The rest are warnings (the value was repaired, or only a cross-reference is loose).
 */
const ERROR_CODES: ReadonlySet<MetsProblemCode> = new Set<MetsProblemCode>([
  'NOT_METS',
  'UNSAFE_PATH',
  'MISSING_LOCATION',
  'DIGEST_CONFLICT',
  'SIZE_CONFLICT',
  'DUPLICATE_PATH',
]);

/** Build a problem, leaving out unknown fields so the JSON stays small. */
export function problem(
  code: MetsProblemCode,
  message: string,
  path?: string | null,
  at?: SourcePosition | null,
): MetsProblem {
  const p: MetsProblem = { code, severity: ERROR_CODES.has(code) ? 'error' : 'warning', message };
  if (path !== undefined && path !== null) p.path = path;
  if (at) {
    p.line = Math.floor(at / COLUMN_SPAN);
    p.column = at % COLUMN_SPAN;
  }
  return p;
}
