/**
 * The queue's transitions as pure functions over a stored job, shared by every implementation
 * so they agree on attempts, backoff, leases and dead jobs; plus the argument checks.
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, InvalidInputError, TooLargeError } from '../../core/errors.js';
import { quoteForMessage, truncateForMessage } from '../../core/paths.js';
import { newRecordId } from '../ids.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueOptions,
  type FailOptions,
  type JsonValue,
  MAX_ATTEMPTS_LIMIT,
  MAX_LEASE_MS,
  MAX_PAYLOAD_BYTES,
  type QueueJob,
  type QueueJobState,
} from './port.js';

/** A job as stored: the public fields and the current claim's token. */
export interface StoredJob extends QueueJob {
  leaseToken: string | null;
}

const QUEUE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f]+$/;
/** First retry delay; doubles per attempt up to {@link MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 1000;
/** Longest default retry delay. */
export const MAX_BACKOFF_MS = 5 * 60 * 1000;
const MAX_ERROR_CHARS = 2000;

/** `name` when it is a queue name; InvalidInputError otherwise. */
export function checkQueueName(name: unknown): string {
  if (typeof name === 'string' && QUEUE_NAME.test(name)) return name;
  throw new InvalidInputError(
    `queue name ${typeof name === 'string' ? quoteForMessage(name, 60) : typeof name} is not valid`,
  );
}

/** `ms` when it is a valid lease length; InvalidInputError otherwise. */
export function checkLease(ms: unknown): number {
  if (Number.isSafeInteger(ms) && (ms as number) >= 1 && (ms as number) <= MAX_LEASE_MS) return ms as number;
  throw new InvalidInputError(`a lease must be a whole number of ms from 1 to ${MAX_LEASE_MS}`);
}

/** `id` when it is a printable string of 1 to 200 characters (worker ids); InvalidInputError otherwise. */
export function checkWorkerId(id: unknown): string {
  if (typeof id === 'string' && id.length <= 200 && PRINTABLE.test(id)) return id;
  throw new InvalidInputError('a worker id must be 1 to 200 printable characters');
}

/** Longest dedupe key in UTF-8 bytes (it is part of an index key, and LMDB keys are short). */
export const MAX_DEDUPE_KEY_BYTES = 512;

/** `key` when it is a printable dedupe key of at most {@link MAX_DEDUPE_KEY_BYTES}; InvalidInputError otherwise. */
export function checkDedupeKey(key: unknown): string {
  if (
    typeof key === 'string' &&
    PRINTABLE.test(key) &&
    Buffer.byteLength(key, 'utf8') <= MAX_DEDUPE_KEY_BYTES
  )
    return key;
  throw new InvalidInputError(`a dedupe key must be printable, 1 to ${MAX_DEDUPE_KEY_BYTES} bytes`);
}

/**
 * A plain copy of a JSON value of at most {@link MAX_PAYLOAD_BYTES}, without `__proto__` keys (a
 * store's decoder may treat them specially). TooLargeError, InvalidInputError.
 */
export function plainJson(value: unknown, what: string): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) throw new InvalidInputError(`the ${what} must be a JSON value`);
  if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES)
    throw new TooLargeError(`the ${what} is larger than ${MAX_PAYLOAD_BYTES} bytes`, MAX_PAYLOAD_BYTES);
  return JSON.parse(text, (key, v) => (key === '__proto__' ? undefined : v)) as JsonValue;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A new pending job. */
export function newJob(queue: string, payload: unknown, options: EnqueueOptions, now: number): StoredJob {
  checkQueueName(queue);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT)
    throw new InvalidInputError(`maxAttempts must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  const runAt = options.runAt ?? now;
  if (!Number.isFinite(runAt)) throw new InvalidInputError('runAt must be a time in ms');
  return {
    id: newRecordId(now),
    queue,
    payload: plainJson(payload, 'payload'),
    dedupeKey: options.dedupeKey === undefined ? null : checkDedupeKey(options.dedupeKey),
    state: 'pending',
    attempts: 0,
    maxAttempts,
    runAt: iso(Math.max(runAt, 0)),
    created: iso(now),
    updated: iso(now),
    workerId: null,
    leaseExpires: null,
    lastError: null,
    result: null,
    finished: null,
    leaseToken: null,
  };
}

/** True for a job that is pending or claimed (a dedupe key is held only by those). */
export function isLive(state: QueueJobState): boolean {
  return state === 'pending' || state === 'claimed';
}

/** `job` claimed by `workerId` until now + `leaseMs`, with a fresh lease token. */
export function claimJob(job: StoredJob, workerId: string, leaseMs: number, now: number): StoredJob {
  return {
    ...job,
    state: 'claimed',
    attempts: job.attempts + 1,
    workerId,
    leaseExpires: iso(now + leaseMs),
    leaseToken: randomBytes(18).toString('base64url'),
    updated: iso(now),
  };
}

/** ConflictError unless `job` is claimed under `token`. */
export function checkHolder(job: StoredJob, token: unknown): void {
  if (job.state !== 'claimed' || typeof token !== 'string' || job.leaseToken !== token)
    throw new ConflictError(`job ${job.id} is not held under this lease (it is ${job.state})`, {
      key: job.id,
    });
}

/** `job` with its lease extended to now + `leaseMs`. */
export function extendJob(job: StoredJob, leaseMs: number, now: number): StoredJob {
  return { ...job, leaseExpires: iso(now + leaseMs), updated: iso(now) };
}

/** `job` completed with `result`. */
export function completeJob(job: StoredJob, result: unknown, now: number): StoredJob {
  return {
    ...job,
    state: 'completed',
    result: result === undefined ? null : plainJson(result, 'result'),
    leaseExpires: null,
    leaseToken: null,
    finished: iso(now),
    updated: iso(now),
  };
}

/** The default delay before retry number `attempts` + 1. */
export function backoffMs(attempts: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/** `job` after a failure: pending again at the retry time, or dead (final, or out of attempts). */
export function failJob(job: StoredJob, options: FailOptions, now: number): StoredJob {
  if (options.retryAt !== undefined && !Number.isFinite(options.retryAt))
    throw new InvalidInputError('retryAt must be a time in ms');
  const lastError = truncateForMessage(String(options?.error ?? 'failed'), MAX_ERROR_CHARS);
  const base = { ...job, lastError, leaseExpires: null, leaseToken: null, updated: iso(now) };
  if (options.final === true || job.attempts >= job.maxAttempts)
    return { ...base, state: 'dead', finished: iso(now) };
  const runAt = options.retryAt ?? now + backoffMs(job.attempts);
  return { ...base, state: 'pending', runAt: iso(Math.max(runAt, now)) };
}

/** `job` whose lease expired: pending now, or dead when its attempts are used up. */
export function recoverJob(job: StoredJob, now: number): StoredJob {
  return failJob(
    job,
    { error: `lease of worker ${truncateForMessage(job.workerId ?? '?', 80)} expired`, retryAt: now },
    now,
  );
}

/** `job` cancelled (it must be pending). */
export function cancelJob(job: StoredJob, now: number): StoredJob {
  if (job.state !== 'pending')
    throw new ConflictError(`job ${job.id} is ${job.state}; only a pending job can be cancelled`, {
      key: job.id,
    });
  return { ...job, state: 'cancelled', finished: iso(now), updated: iso(now) };
}

/** The public view of a stored job (without its lease token). */
export function publicJob(job: StoredJob): QueueJob {
  const { leaseToken: _token, ...rest } = job;
  return rest;
}

/** True when the job's lease has expired at `now`. */
export function leaseExpired(job: StoredJob, now: number): boolean {
  return job.state === 'claimed' && job.leaseExpires !== null && Date.parse(job.leaseExpires) <= now;
}
