/**
 * Translating S3 SDK errors into our taxonomy. Decisions use the error `name` and the HTTP
 * status only: Ceph RGW sends empty messages (the SDK then names the error "UnknownError"), so
 * the status is the reliable signal.
 */
import { IoError, NotFoundError, PreconditionFailedError, StrongroomError } from '../../core/errors.js';

/** HTTP status of an SDK error, when it got that far. */
export function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/** The S3 error code (`NoSuchKey`, `PreconditionFailed`, ...) the SDK put in `name`. */
export function nameOf(err: unknown): string | undefined {
  return (err as { name?: unknown } | null)?.name as string | undefined;
}

/** True for an abort raised by our signal (the SDK and streams use the name AbortError). */
export function isAbort(err: unknown): boolean {
  return nameOf(err) === 'AbortError';
}

/** A missing object (404 NoSuchKey, or HeadObject's bodiless 404 "NotFound"). Not a missing bucket. */
export function isNotFound(err: unknown): boolean {
  const name = nameOf(err);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404;
}

/** A failed condition: 412, or 409 ConditionalRequestConflict (a concurrent conditional write). */
export function isPreconditionFailed(err: unknown): boolean {
  const name = nameOf(err);
  if (name === 'PreconditionFailed' || name === 'ConditionalRequestConflict') return true;
  return statusOf(err) === 412;
}

/**
 * Map an SDK failure to NotFoundError (missing object), PreconditionFailedError (412/409
 * conditional conflict) or IoError (anything else, with the HTTP status in the message). Our own
 * errors and aborts pass through unchanged.
 */
export function s3Error(err: unknown, operation: string, key: string): unknown {
  if (err instanceof StrongroomError || isAbort(err)) return err;
  if (isNotFound(err)) return new NotFoundError(`no object at ${key}`, { operation, key, cause: err });
  if (isPreconditionFailed(err)) {
    return new PreconditionFailedError(`precondition failed for ${key}`, { operation, key, cause: err });
  }
  const status = statusOf(err);
  const what = `${nameOf(err) ?? 'Error'}${status !== undefined ? ` (HTTP ${status})` : ''}`;
  return new IoError(`S3 ${operation} ${key} failed: ${what}`, { operation, key, cause: err });
}
