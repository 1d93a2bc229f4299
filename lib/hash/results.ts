/**
 * Shared bookkeeping of digestFiles(): result records, error translation and cumulative
 * progress. Kept apart so the pool path and the streaming path report identically.
 */
import { AccessDeniedError, IoError, NotFoundError, StrongroomError } from '../core/errors.js';
import { quoteForMessage, truncateForMessage } from '../core/paths.js';
import type { FileDigestResult } from './digest-files.js';
import { assertSupported } from './digesters.js';

/** Errno-like codes meaning "there is no file at this key" (as the fs store reports them). */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'NOT_FILE']);

/** A failed result for `key` carrying `error`. */
export function failedResult(key: string, error: StrongroomError): FileDigestResult {
  return { key, size: 0, digests: {}, error };
}

/** Translate a worker's coded failure into our taxonomy (operation `digest`). */
export function workerError(key: string, code: string, message: string): StrongroomError {
  const cause = Object.assign(new Error(message), { code });
  const details = { operation: 'digest', key, cause };
  const shown = truncateForMessage(key);
  if (MISSING.has(code)) return new NotFoundError(`no file at ${shown}`, details);
  if (code === 'EACCES' || code === 'EPERM') {
    return new AccessDeniedError(`cannot digest ${shown}: permission denied (${code})`, details);
  }
  return new IoError(`cannot digest ${shown}: ${code}`, details);
}

/**
 * The error for `key` when its hashing failed with `err`: a failed hashing worker (see
 * HashPool, operation `hashWorker`) becomes an IoError naming the file; our other errors pass
 * through; anything else becomes an IoError about `key` carrying `err` as its cause.
 */
export function asStrongroomError(key: string, err: unknown): StrongroomError {
  if (err instanceof StrongroomError && err.operation !== HASH_WORKER_OPERATION) return err;
  const why = err instanceof Error ? truncateForMessage(err.message, 160) : 'unknown failure';
  return new IoError(`cannot digest ${quoteForMessage(key)}: ${why}`, {
    operation: 'digest',
    key,
    cause: err,
  });
}

/** `operation` of the IoError a HashPool rejects with when a worker thread fails. */
export const HASH_WORKER_OPERATION = 'hashWorker';

/** The UnsupportedError for a request naming an algorithm we cannot compute, else undefined. */
export function unsupportedError(key: string, algorithms: string[]): StrongroomError | undefined {
  try {
    assertSupported(algorithms, key);
    return undefined;
  } catch (err) {
    return err as StrongroomError;
  }
}

/** Cumulative files/bytes finished, reported through the caller's callback. */
export class ProgressCounter {
  files = 0;
  bytes = 0;
  readonly #report: ((p: { files: number; bytes: number }) => void) | undefined;

  constructor(report?: (p: { files: number; bytes: number }) => void) {
    this.#report = report;
  }

  /** Count finished files (failed ones add 0 bytes) and report once. */
  add(files: number, bytes: number): void {
    if (files === 0) return;
    this.files += files;
    this.bytes += bytes;
    this.#report?.({ files: this.files, bytes: this.bytes });
  }
}

/** The error to reject with once `signal` has fired. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
