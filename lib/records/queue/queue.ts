/**
 * The {@link JobQueue} over an embedded backend (memory, LMDB): argument checks and the
 * transitions of rules.ts, each write inside one backend transaction. A backend provides the
 * {@link QueueTx} primitives and keeps its own indexes.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../../core/errors.js';
import { quoteForMessage } from '../../core/paths.js';
import { isRecordId } from '../ids.js';
import { type JobQueue, QUEUE_JOB_STATES, type QueueJobState } from './port.js';
import {
  cancelJob,
  checkDedupeKey,
  checkHolder,
  checkLease,
  checkQueueName,
  checkWorkerId,
  claimJob,
  completeJob,
  extendJob,
  failJob,
  isLive,
  newJob,
  publicJob,
  recoverJob,
  type StoredJob,
} from './rules.js';

/** Primitives of one backend transaction (or, for reads, one consistent view). */
export interface QueueTx {
  get(id: string): StoredJob | undefined;
  /** Store `next`, replacing `previous` (undefined for a new job) and updating every index. */
  put(next: StoredJob, previous: StoredJob | undefined): void;
  remove(previous: StoredJob): void;
  /** The id of the live job holding `key` in `queue`, if any. */
  dedupe(queue: string, key: string): string | undefined;
  /** The id of the newest job with dedupe key `key` in `queue`, in any state, if any. */
  latest(queue: string, key: string): string | undefined;
  /** The first pending job of `queue` by (runAt, id), if its runAt ≤ `now`. */
  nextReady(queue: string, now: number): StoredJob | undefined;
  /** Claimed jobs whose lease ended at or before `now` (of `queue`, or all). */
  expired(queue: string | undefined, now: number): StoredJob[];
  /** Finished jobs of `queue` with `finished` before `before`, at most `limit`. */
  finishedBefore(queue: string, before: number, limit: number): StoredJob[];
  /** Jobs of `queue` by id, optionally in one state, after `after`, at most `limit`. */
  list(
    queue: string,
    state: QueueJobState | undefined,
    after: string | undefined,
    limit: number,
  ): StoredJob[];
  /** Pending jobs of `queue` by (runAt, id), at most `limit`. */
  peek(queue: string, limit: number): StoredJob[];
  /** Number of jobs of `queue` in `state`. */
  count(queue: string, state: QueueJobState): number;
}

/** What an embedded queue backend provides. */
export interface QueueBackend {
  /** Run `fn` in one atomic write transaction; a throw discards its writes. */
  write<T>(fn: (tx: QueueTx) => T): T;
  /** Run `fn` over a consistent read view. */
  read<T>(fn: (tx: QueueTx) => T): T;
  /** Release resources. */
  close(): Promise<void>;
}

const MAX_LIST = 1000;

function checkLimit(limit: unknown, fallback: number): number {
  const n = limit ?? fallback;
  if (Number.isSafeInteger(n) && (n as number) >= 1 && (n as number) <= MAX_LIST) return n as number;
  throw new InvalidInputError(`limit must be a whole number from 1 to ${MAX_LIST}`);
}

function required(job: StoredJob | undefined, id: string): StoredJob {
  if (!job) throw new NotFoundError(`job ${quoteForMessage(String(id), 60)} not found`, { key: String(id) });
  return job;
}

/** A {@link JobQueue} over `backend`; `clock` gives ms since the epoch (default `Date.now`). */
export function createJobQueue(backend: QueueBackend, clock: () => number = Date.now): JobQueue {
  let closed = false;
  const write = <T>(fn: (tx: QueueTx) => T): T => {
    if (closed) throw new ConflictError('the job queue is closed');
    return backend.write(fn);
  };
  const find = (tx: QueueTx, id: string) => (isRecordId(id) ? tx.get(id) : undefined);

  const recover = (tx: QueueTx, queue: string | undefined, now: number): number => {
    const expired = tx.expired(queue, now);
    for (const job of expired) tx.put(recoverJob(job, now), job);
    return expired.length;
  };

  return {
    async enqueue(queue, payload, options = {}) {
      const now = clock();
      const job = newJob(queue, payload, options, now);
      return write((tx) => {
        const holder = job.dedupeKey === null ? undefined : tx.dedupe(queue, job.dedupeKey);
        const live = holder === undefined ? undefined : tx.get(holder);
        if (live && isLive(live.state)) return { job: publicJob(live), created: false };
        tx.put(job, undefined);
        return { job: publicJob(job), created: true };
      });
    },

    async claim(queue, options) {
      checkQueueName(queue);
      const workerId = checkWorkerId(options?.workerId);
      const leaseMs = checkLease(options?.leaseMs);
      const now = clock();
      return write((tx) => {
        recover(tx, queue, now);
        const next = tx.nextReady(queue, now);
        if (!next) return undefined;
        const claimed = claimJob(next, workerId, leaseMs, now);
        tx.put(claimed, next);
        return { job: publicJob(claimed), leaseToken: claimed.leaseToken! };
      });
    },

    async extend(jobId, leaseToken, leaseMs) {
      checkLease(leaseMs);
      const now = clock();
      return write((tx) => {
        const job = required(find(tx, jobId), jobId);
        checkHolder(job, leaseToken);
        const next = extendJob(job, leaseMs, now);
        tx.put(next, job);
        return publicJob(next);
      });
    },

    async complete(jobId, leaseToken, result) {
      const now = clock();
      return write((tx) => {
        const job = required(find(tx, jobId), jobId);
        checkHolder(job, leaseToken);
        const next = completeJob(job, result, now);
        tx.put(next, job);
        return publicJob(next);
      });
    },

    async fail(jobId, leaseToken, options) {
      const now = clock();
      return write((tx) => {
        const job = required(find(tx, jobId), jobId);
        checkHolder(job, leaseToken);
        const next = failJob(job, options ?? { error: 'failed' }, now);
        tx.put(next, job);
        return publicJob(next);
      });
    },

    async cancel(jobId) {
      const now = clock();
      return write((tx) => {
        const job = required(find(tx, jobId), jobId);
        const next = cancelJob(job, now);
        tx.put(next, job);
        return publicJob(next);
      });
    },

    async recoverExpired(queue) {
      if (queue !== undefined) checkQueueName(queue);
      const now = clock();
      return write((tx) => recover(tx, queue, now));
    },

    async get(jobId) {
      const job = backend.read((tx) => find(tx, jobId));
      return job && publicJob(job);
    },

    async findByDedupeKey(queue, dedupeKey) {
      checkQueueName(queue);
      checkDedupeKey(dedupeKey);
      const job = backend.read((tx) => {
        const id = tx.dedupe(queue, dedupeKey);
        return id === undefined ? undefined : tx.get(id);
      });
      return job && isLive(job.state) ? publicJob(job) : undefined;
    },

    async latestByDedupeKey(queue, dedupeKey) {
      checkQueueName(queue);
      checkDedupeKey(dedupeKey);
      const job = backend.read((tx) => {
        const id = tx.latest(queue, dedupeKey);
        return id === undefined ? undefined : tx.get(id);
      });
      return job && publicJob(job);
    },

    async list(queue, options = {}) {
      checkQueueName(queue);
      const limit = checkLimit(options.limit, 100);
      if (options.state !== undefined && !QUEUE_JOB_STATES.includes(options.state))
        throw new InvalidInputError(`state ${quoteForMessage(String(options.state), 40)} is not a job state`);
      if (options.after !== undefined && !isRecordId(options.after))
        throw new InvalidInputError('after must be a job id');
      return backend.read((tx) => tx.list(queue, options.state, options.after, limit)).map(publicJob);
    },

    async peek(queue, limit) {
      checkQueueName(queue);
      const n = checkLimit(limit, 10);
      return backend.read((tx) => tx.peek(queue, n)).map(publicJob);
    },

    async counts(queue) {
      checkQueueName(queue);
      return backend.read((tx) => {
        const out = {} as Record<QueueJobState, number>;
        for (const state of QUEUE_JOB_STATES) out[state] = tx.count(queue, state);
        return out;
      });
    },

    async purge(queue, finishedBefore, limit) {
      checkQueueName(queue);
      if (!Number.isFinite(finishedBefore))
        throw new InvalidInputError('finishedBefore must be a time in ms');
      const n = checkLimit(limit, 1000);
      return write((tx) => {
        const old = tx.finishedBefore(queue, finishedBefore, n);
        for (const job of old) tx.remove(job);
        return old.length;
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}
