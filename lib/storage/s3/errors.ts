/**
 * Translating S3 SDK errors into our taxonomy. Decisions use the error `name` and the HTTP
 * status only: Ceph RGW sends empty messages (the SDK then names the error "UnknownError"), and
 * answers to HEAD requests have no body at all, so the status is the reliable signal.
 *
 * What a caller can act on is kept apart: a refusal (403, bad key id, bad signature) is
 * AccessDeniedError, a missing bucket is NotFoundError naming the bucket, a missing object is
 * NotFoundError, a failed condition PreconditionFailedError; a server or network failure is
 * IoError, whose message carries the network cause (`connect ECONNREFUSED 127.0.0.1:9`) and the
 * endpoint, because "UnknownError" alone tells nobody what to fix.
 */
import {
  AccessDeniedError,
  IoError,
  NotFoundError,
  PreconditionFailedError,
  StrongroomError,
} from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';

/** Which server and bucket an error came from, for messages. */
export interface S3Target {
  bucket: string;
  /** Endpoint URL; absent for AWS. */
  endpoint?: string;
}

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

/** The bucket does not exist (only answers with a body can say so; HEAD gives a bare 404). */
export function isMissingBucket(err: unknown): boolean {
  return nameOf(err) === 'NoSuchBucket';
}

/** A missing object (404 NoSuchKey, or HeadObject's bodiless 404 "NotFound"). Not a missing bucket. */
export function isNotFound(err: unknown): boolean {
  if (isMissingBucket(err)) return false;
  const name = nameOf(err);
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404;
}

/** A failed condition: 412, or 409 ConditionalRequestConflict (a concurrent conditional write). */
export function isPreconditionFailed(err: unknown): boolean {
  const name = nameOf(err);
  if (name === 'PreconditionFailed' || name === 'ConditionalRequestConflict') return true;
  return statusOf(err) === 412;
}

const REFUSALS = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AllAccessDisabled',
  'AccountProblem',
  'ExpiredToken',
  'InvalidToken',
  'Forbidden',
]);

/** The server refused our credentials or permissions (403, or a refusal code with another status). */
export function isAccessDenied(err: unknown): boolean {
  return statusOf(err) === 403 || REFUSALS.has(nameOf(err) ?? '');
}

/** `endpoint` or "AWS S3", for messages. */
export function serverName(target: S3Target): string {
  return target.endpoint ?? 'AWS S3';
}

/** The NotFoundError for a bucket that is not there. */
export function missingBucket(
  target: S3Target,
  operation: string,
  key: string,
  cause?: unknown,
): NotFoundError {
  const bucket = truncateForMessage(target.bucket, 80);
  return new NotFoundError(`no bucket ${bucket} at ${serverName(target)}`, { operation, key, cause });
}

/**
 * The network-level reason a request never got an HTTP answer (`connect ECONNREFUSED
 * 127.0.0.1:9`, `getaddrinfo ENOTFOUND host`), or undefined when the server answered.
 */
export function networkCause(err: unknown): string | undefined {
  if (statusOf(err) !== undefined) return undefined;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown } | null;
  // Node's happy-eyeballs connect reports an AggregateError whose own message is empty.
  const inner = Array.isArray(e?.errors) && e.errors.length > 0 ? (e.errors[0] as typeof e) : undefined;
  const message = [e?.message, inner?.message].find((m) => typeof m === 'string' && m !== '') as
    | string
    | undefined;
  const code = [e?.code, inner?.code].find((c) => typeof c === 'string' && /^E[A-Z_]+$/.test(c)) as
    | string
    | undefined;
  // Only a socket-level errno makes it a network failure (a configuration error has none).
  if (code === undefined) return undefined;
  if (message === undefined || message.includes(code)) return message ?? code;
  return `${code}: ${message}`;
}

/**
 * Map an SDK failure to AccessDeniedError, NotFoundError (missing bucket or object),
 * PreconditionFailedError (412/409 conditional conflict) or IoError (anything else: the network
 * cause or the S3 error name and HTTP status, and the endpoint, in the message). Our own errors
 * and aborts pass through unchanged.
 */
export function s3Error(err: unknown, operation: string, key: string, target: S3Target): unknown {
  if (err instanceof StrongroomError || isAbort(err)) return err;
  const shown = key === '' ? '(store root)' : truncateForMessage(key);
  const details = { operation, key, cause: err };
  if (isMissingBucket(err)) return missingBucket(target, operation, key, err);
  if (isAccessDenied(err)) {
    const status = statusOf(err);
    const what = `${nameOf(err) ?? 'refused'}${status !== undefined ? ` (HTTP ${status})` : ''}`;
    return new AccessDeniedError(
      `S3 ${operation} ${shown} in bucket ${truncateForMessage(target.bucket, 80)} refused by ${serverName(target)}: ${what}`,
      details,
    );
  }
  if (isNotFound(err)) return new NotFoundError(`no object at ${shown}`, details);
  if (isPreconditionFailed(err))
    return new PreconditionFailedError(`precondition failed for ${shown}`, details);
  const network = networkCause(err);
  if (network !== undefined) {
    return new IoError(
      `S3 ${operation} ${shown} failed: cannot reach ${serverName(target)}: ${network}`,
      details,
    );
  }
  const status = statusOf(err);
  const what = `${nameOf(err) ?? 'Error'}${status !== undefined ? ` (HTTP ${status})` : ''}`;
  return new IoError(`S3 ${operation} ${shown} failed at ${serverName(target)}: ${what}`, details);
}
