/**
 * One shape for every finding a reader or validator reports, whatever it read: OCFL validation
 * (`E0xx`/`W0xx` codes), BagIt (`missing-file`, …), METS (`UNSAFE_PATH`, …) and tool outputs
 * (`TOOL_SYNTAX`, …). Codes are stable strings, messages are for people; the CLI's `--json` and
 * the HTTP API carry findings as they are.
 *
 * Pure module.
 */

/** How bad a finding is: an `error` makes the thing invalid or an item unusable; a `warning` does not. */
export type FindingSeverity = 'error' | 'warning';

/** A finding. Format-specific shapes extend it (a BagIt issue adds the tag `file`, METS a position). */
export interface Finding {
  /** Stable code of the kind of finding. */
  code: string;
  severity: FindingSeverity;
  message: string;
  /** The path the finding is about (object-, bag-, METS- or deposit-relative), when there is one. */
  path?: string;
  /** 1-based position in the file read, when known. */
  line?: number;
  column?: number;
}
