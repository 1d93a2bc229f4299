/**
 * The one table from error codes to what a caller sees: the HTTP status the server answers with
 * and the exit code the CLI ends with. Both front ends use it, so the same failure means the same
 * thing everywhere.
 *
 * CLI exit codes (documented in the README):
 *
 * | exit | meaning |
 * | --- | --- |
 * | 0 | success; for `validate`, valid (warnings allowed) |
 * | 1 | invalid: what was examined is invalid or unusable (a negative verdict) |
 * | 2 | usage: bad arguments or options |
 * | 3 | not found: the location, object, version or file does not exist (or is deleted) |
 * | 4 | failure: the work could not be done (storage or network error, access denied, too large, unsupported, a bug) |
 * | 5 | conflict: someone else changed or holds it (stale version, lock, already exists) |
 *
 * Pure module.
 */
import { type ErrorCode, StrongroomError } from './errors.js';

/** CLI exit codes, see the module doc. */
export const EXIT = { OK: 0, INVALID: 1, USAGE: 2, NOT_FOUND: 3, FAILURE: 4, CONFLICT: 5 } as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What one error code means to an HTTP client and to a shell script. */
export interface ErrorMapping {
  /** HTTP status the server answers with. */
  status: number;
  /** CLI exit code. */
  exit: ExitCode;
}

/**
 * Code → status and exit code. `INTERNAL` is not an {@link ErrorCode}: it stands for anything that
 * is not a StrongroomError (a bug), which the server answers with 500 and never explains.
 */
export const ERROR_TABLE: Readonly<Record<ErrorCode | 'INTERNAL', ErrorMapping>> = Object.freeze({
  INVALID_INPUT: { status: 400, exit: EXIT.USAGE },
  UNAUTHORIZED: { status: 401, exit: EXIT.FAILURE },
  FORBIDDEN: { status: 403, exit: EXIT.FAILURE },
  NOT_FOUND: { status: 404, exit: EXIT.NOT_FOUND },
  GONE: { status: 410, exit: EXIT.NOT_FOUND },
  ALREADY_EXISTS: { status: 409, exit: EXIT.CONFLICT },
  CONFLICT: { status: 409, exit: EXIT.CONFLICT },
  LOCKED: { status: 409, exit: EXIT.CONFLICT },
  PRECONDITION_FAILED: { status: 412, exit: EXIT.CONFLICT },
  PRECONDITION_REQUIRED: { status: 428, exit: EXIT.USAGE },
  TOO_LARGE: { status: 413, exit: EXIT.FAILURE },
  INVALID_OBJECT: { status: 422, exit: EXIT.INVALID },
  MALFORMED: { status: 422, exit: EXIT.INVALID },
  PATH_ESCAPE: { status: 422, exit: EXIT.INVALID },
  FIXITY_MISMATCH: { status: 422, exit: EXIT.INVALID },
  UNPROCESSABLE: { status: 422, exit: EXIT.INVALID },
  UNSUPPORTED: { status: 501, exit: EXIT.FAILURE },
  ACCESS_DENIED: { status: 502, exit: EXIT.FAILURE },
  IO: { status: 503, exit: EXIT.FAILURE },
  INTERNAL: { status: 500, exit: EXIT.FAILURE },
});

/** The mapping for any thrown value (a non-Strongroom error maps as `INTERNAL`). */
export function errorMapping(err: unknown): ErrorMapping {
  return ERROR_TABLE[err instanceof StrongroomError ? err.code : 'INTERNAL'];
}

/** The CLI exit code for a thrown value. */
export function exitCodeFor(err: unknown): ExitCode {
  return errorMapping(err).exit;
}

/** The HTTP status for a thrown value. */
export function httpStatusFor(err: unknown): number {
  return errorMapping(err).status;
}
