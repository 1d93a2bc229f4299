/**
 * One error taxonomy for the whole engine. Every error a caller can act on is a subclass of
 * {@link StrongroomError} with a stable string `code`; the HTTP layer (later) maps codes to
 * statuses through one table, and the CLI maps them to exit codes. Messages are for people,
 * codes are for programs: never branch on a message.
 *
 * Pure module: no I/O, usable from core, storage adapters, formats and the server alike.
 */

/** Stable error codes. Adding a code is fine; renaming one is a breaking change. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PRECONDITION_FAILED'
  | 'PRECONDITION_REQUIRED'
  | 'CONFLICT'
  | 'GONE'
  | 'INVALID_INPUT'
  | 'INVALID_OBJECT'
  | 'FIXITY_MISMATCH'
  | 'LOCKED'
  | 'UNSUPPORTED'
  | 'PATH_ESCAPE'
  | 'MALFORMED'
  | 'TOO_LARGE'
  | 'UNPROCESSABLE'
  | 'ACCESS_DENIED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'IO';

/** Optional context carried by every error: what was being done, to which key, and why. */
export interface ErrorDetails {
  /** The operation that failed, e.g. `read`, `list`, `parseInventory`. */
  operation?: string;
  /** The storage key, logical path or location the error is about. */
  key?: string;
  /** The underlying error (vendor SDK error, fs error, ...). */
  cause?: unknown;
}

/**
 * Base class of every Strongroom error. `code` is stable; `operation` and `key` say where.
 * Serialises to JSON as `{ code, message, operation?, key? }` (never the cause's stack).
 */
export class StrongroomError extends Error {
  readonly code: ErrorCode;
  readonly operation?: string;
  readonly key?: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    if (details.operation !== undefined) this.operation = details.operation;
    if (details.key !== undefined) this.key = details.key;
  }

  /** `{ code, message, operation?, key? }`: what JSON.stringify writes (never the cause). */
  toJSON(): { code: ErrorCode; message: string; operation?: string; key?: string } {
    const out: { code: ErrorCode; message: string; operation?: string; key?: string } = {
      code: this.code,
      message: this.message,
    };
    if (this.operation !== undefined) out.operation = this.operation;
    if (this.key !== undefined) out.key = this.key;
    return out;
  }
}

/** A key, object, version or resource does not exist. */
export class NotFoundError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('NOT_FOUND', message, details);
  }
}

/** A conditional create found the key already present. */
export class AlreadyExistsError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('ALREADY_EXISTS', message, details);
  }
}

/** A conditional write's precondition (ETag, digest) did not hold. */
export class PreconditionFailedError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('PRECONDITION_FAILED', message, details);
  }
}

/**
 * A change that must be conditional came without its condition (HTTP 428): e.g. a METS edit
 * without `If-Match`, which would overwrite whatever someone else wrote since.
 */
export class PreconditionRequiredError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('PRECONDITION_REQUIRED', message, details);
  }
}

/** The caller's view is out of date (another writer got there first) or the request clashes with state. */
export class ConflictError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('CONFLICT', message, details);
  }
}

/** The resource existed and was deleted (a tombstone). */
export class GoneError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('GONE', message, details);
  }
}

/** The caller sent something we cannot accept (bad argument, bad version label, bad URI). */
export class InvalidInputError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('INVALID_INPUT', message, details);
  }
}

/** Stored data is not a usable OCFL object (e.g. an unparseable inventory). */
export class InvalidObjectError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('INVALID_OBJECT', message, details);
  }
}

/** Bytes did not match the digest they were supposed to have. */
export class FixityMismatchError extends StrongroomError {
  readonly expected: string;
  readonly actual: string;
  constructor(message: string, expected: string, actual: string, details?: ErrorDetails) {
    super('FIXITY_MISMATCH', message, details);
    this.expected = expected;
    this.actual = actual;
  }
}

/** Someone else holds the lock on this object or deposit. */
export class LockedError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('LOCKED', message, details);
  }
}

/** The backend or this build cannot do what was asked (e.g. write on a read-only store). */
export class UnsupportedError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('UNSUPPORTED', message, details);
  }
}

/** A path would resolve outside the root it must stay under. */
export class PathEscapeError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('PATH_ESCAPE', message, details);
  }
}

/** A document (XML, JSON, text manifest) could not be parsed. `line`/`column` are 1-based when known. */
export class MalformedError extends StrongroomError {
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, details?: ErrorDetails & { line?: number; column?: number }) {
    super('MALFORMED', message, details);
    if (details?.line !== undefined) this.line = details.line;
    if (details?.column !== undefined) this.column = details.column;
  }
}

/**
 * Something is bigger than this reader accepts (a sidecar, a declaration, an inventory past the
 * parser's limit, an inflated zip member past its cap). `limit` is the cap in bytes.
 */
export class TooLargeError extends StrongroomError {
  readonly limit: number;
  constructor(message: string, limit: number, details?: ErrorDetails) {
    super('TOO_LARGE', message, details);
    this.limit = limit;
  }
}

/** One item a request cannot be applied to, and why. */
export interface ItemProblem {
  /** The path (or other name) of the offending item. */
  path: string;
  message: string;
}

/**
 * A well-formed request that cannot be applied as a whole: each offending item is listed in
 * `problems` (adding what exists, patching what is missing, deleting a non-empty container…).
 */
export class UnprocessableError extends StrongroomError {
  readonly problems: ItemProblem[];
  constructor(message: string, problems: ItemProblem[], details?: ErrorDetails) {
    super('UNPROCESSABLE', message, details);
    this.problems = problems;
  }

  override toJSON() {
    return { ...super.toJSON(), problems: this.problems };
  }
}

/** The storage refused us: bad credentials, no permission (S3 403, EACCES). Retrying will not help. */
export class AccessDeniedError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('ACCESS_DENIED', message, details);
  }
}

/** The caller did not prove who it is (no, expired or bad credentials). */
export class UnauthorizedError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('UNAUTHORIZED', message, details);
  }
}

/** The caller is known but its roles do not allow this. */
export class ForbiddenError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('FORBIDDEN', message, details);
  }
}

/** Any other failure of the underlying storage or network; retrying may help. */
export class IoError extends StrongroomError {
  constructor(message: string, details?: ErrorDetails) {
    super('IO', message, details);
  }
}

/** True when `err` is a Strongroom error with the given code. */
export function hasCode(err: unknown, code: ErrorCode): boolean {
  return err instanceof StrongroomError && err.code === code;
}
