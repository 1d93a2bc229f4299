/**
 * The job queue port: durable background work (import jobs, exports, pipeline runs) with leases.
 * Implementations: LMDB (embedded default, shared safely by several processes on one data
 * directory), memory (tests), later PostgreSQL (pg-boss maps onto it: enqueue ~ `send` with a
 * singleton key, claim ~ `fetch`, extend ~ keep-alive, fail with retry ~ `fail` with retry delay,
 * recover ~ its expiration monitor). All pass test/records/queue-contract.ts.
 *
 * Life of a job: `pending` (claimable from `runAt`) → `claimed` by one worker with a lease
 * (attempts + 1) → `completed`, or back to `pending` on `fail` with a retry time, or `dead` when
 * attempts reach `maxAttempts` or the failure is final. A worker that stops (crash, SIGKILL)
 * simply stops extending its lease; once the lease expires the job is claimable again (or dead,
 * if it has used its attempts). Every write names the claim's `leaseToken`: a worker whose lease
 * was taken over gets ConflictError instead of overwriting the new holder's work.
 *
 * Payloads are small JSON values (ids, not documents): at most {@link MAX_PAYLOAD_BYTES}.
 */

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Where a job is in its life. */
export type QueueJobState = 'pending' | 'claimed' | 'completed' | 'dead' | 'cancelled';

/** Every {@link QueueJobState}. */
export const QUEUE_JOB_STATES: readonly QueueJobState[] = [
  'pending',
  'claimed',
  'completed',
  'dead',
  'cancelled',
];

/** Largest payload or result, as JSON, in bytes. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Longest lease a claim or extension may ask for (24 hours). */
export const MAX_LEASE_MS = 24 * 60 * 60 * 1000;
/** Default and largest `maxAttempts`. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Largest `maxAttempts`. */
export const MAX_ATTEMPTS_LIMIT = 100;

/** A job as the queue reports it. */
export interface QueueJob {
  /** Sortable record id (creation order). */
  id: string;
  queue: string;
  payload: JsonValue;
  dedupeKey: string | null;
  state: QueueJobState;
  /** Claims so far (the current one included). */
  attempts: number;
  maxAttempts: number;
  /** Earliest time the job may be claimed (ISO). */
  runAt: string;
  created: string;
  updated: string;
  /** The worker holding (or last holding) the lease, or null. */
  workerId: string | null;
  /** When the current lease ends (ISO), or null when not claimed. */
  leaseExpires: string | null;
  lastError: string | null;
  /** What `complete` recorded, or null. */
  result: JsonValue | null;
  /** When the job completed, died or was cancelled, or null. */
  finished: string | null;
}

/** A successful claim: the job and the token its later calls must present. */
export interface ClaimedJob {
  job: QueueJob;
  leaseToken: string;
}

/** Options of {@link JobQueue.enqueue}. */
export interface EnqueueOptions {
  /** While a job with this key is pending or claimed in the same queue, enqueue returns it instead of adding another. */
  dedupeKey?: string;
  /** Attempts before the job is dead (default {@link DEFAULT_MAX_ATTEMPTS}, 1 to {@link MAX_ATTEMPTS_LIMIT}). */
  maxAttempts?: number;
  /** Not claimable before this time (ms since the epoch; default now). */
  runAt?: number;
}

/** Options of {@link JobQueue.claim}. */
export interface ClaimOptions {
  /** Who claims (for status pages and logs): 1 to 200 printable characters. */
  workerId: string;
  /** Lease length in ms (1 to {@link MAX_LEASE_MS}). */
  leaseMs: number;
}

/** Options of {@link JobQueue.fail}. */
export interface FailOptions {
  /** What went wrong (kept, cut to 2000 characters). */
  error: string;
  /** Retry no earlier than this (ms since the epoch); default: exponential backoff from 1 s, at most 5 min. */
  retryAt?: number;
  /** Never retry: the job is dead at once (e.g. a job that can never apply). */
  final?: boolean;
}

/** Options of {@link JobQueue.list}. */
export interface QueueListOptions {
  /** Only jobs in this state. */
  state?: QueueJobState;
  /** Only jobs with ids after this one. */
  after?: string;
  /** Default 100, at most 1000. */
  limit?: number;
}

/** The queue. Queue names are 1 to 40 of `a-z 0-9 -`, starting with a letter (e.g. `import`). */
export interface JobQueue {
  /**
   * Add a job (created: true), or, with a dedupe key held by a live job, return that job
   * (created: false). InvalidInputError for bad names or options, TooLargeError for a big payload.
   */
  enqueue(
    queue: string,
    payload: JsonValue,
    options?: EnqueueOptions,
  ): Promise<{ job: QueueJob; created: boolean }>;
  /**
   * Claim the next claimable job of `queue` (oldest `runAt` first, then oldest id), or undefined.
   * Expired leases of the queue are recovered first. Atomic across processes sharing the store.
   */
  claim(queue: string, options: ClaimOptions): Promise<ClaimedJob | undefined>;
  /** Extend the lease to now + `leaseMs`. ConflictError if the lease was lost; NotFoundError. */
  extend(jobId: string, leaseToken: string, leaseMs: number): Promise<QueueJob>;
  /** Mark completed, with an optional small result. ConflictError if the lease was lost. */
  complete(jobId: string, leaseToken: string, result?: JsonValue): Promise<QueueJob>;
  /** Record a failure: pending again at the retry time, or dead. ConflictError if the lease was lost. */
  fail(jobId: string, leaseToken: string, options: FailOptions): Promise<QueueJob>;
  /** Cancel a pending job. ConflictError when it is not pending (claimed jobs finish or fail). */
  cancel(jobId: string): Promise<QueueJob>;
  /** Return expired leases (of one queue, or all) to pending, or make them dead; the number recovered. */
  recoverExpired(queue?: string): Promise<number>;
  /** A job by id, or undefined. */
  get(jobId: string): Promise<QueueJob | undefined>;
  /** The live (pending or claimed) job holding a dedupe key, or undefined. */
  findByDedupeKey(queue: string, dedupeKey: string): Promise<QueueJob | undefined>;
  /**
   * The newest job ever enqueued with a dedupe key, in any state (until purged), or undefined.
   * A restarting runner uses it to tell a job that died (mark its record failed) apart from one
   * that never reached the queue (enqueue it).
   */
  latestByDedupeKey(queue: string, dedupeKey: string): Promise<QueueJob | undefined>;
  /** Jobs of a queue by id (creation order). */
  list(queue: string, options?: QueueListOptions): Promise<QueueJob[]>;
  /** The next pending jobs in claim order (whether or not their `runAt` has come). */
  peek(queue: string, limit?: number): Promise<QueueJob[]>;
  /** Jobs of a queue per state. */
  counts(queue: string): Promise<Record<QueueJobState, number>>;
  /** Delete completed, dead and cancelled jobs finished before `finishedBefore` (ms); at most `limit` (default 1000). */
  purge(queue: string, finishedBefore: number, limit?: number): Promise<number>;
  /** Release resources; the queue is unusable afterwards. */
  close(): Promise<void>;
}
