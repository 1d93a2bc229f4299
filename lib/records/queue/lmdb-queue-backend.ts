/**
 * The LMDB queue backend (opened by lmdb-queue.ts and state-store.ts, kept apart so the public
 * type declarations never name lmdb's own types), in the state environment (lmdb-env.ts) shared with the records.
 *
 * `queue-jobs` holds each job by id; `queue-index` holds keys only:
 * - `['queue', queue, id]` every job, and `['state', queue, state, id]` per state (listing, counts);
 * - `['ready', queue, runAtMs, id]` pending jobs in claim order;
 * - `['lease', queue, leaseExpiresMs, id]` claimed jobs by lease end (expired ones are a prefix);
 * - `['done', queue, finishedMs, id]` finished jobs by time (purge);
 * - `['dedupe', queue, key, id]` live jobs holding a dedupe key, `['key', queue, key, id]` every
 *   job with one (newest last).
 *
 * Every write runs in `transactionSync`, which holds LMDB's single-writer lock — across processes,
 * since the lock lives in `lock.mdb` — and reads the latest committed state inside it. So two
 * processes claiming at once are serialised: the second sees the first's claim and takes the next
 * job, and exactly one claimer gets each job.
 */
import type { Database } from 'lmdb';
import { IoError, StrongroomError } from '../../core/errors.js';
import type { StateEnvironment } from '../lmdb-env.js';
import type { JobQueue, QueueJobState } from './port.js';
import { createJobQueue, type QueueBackend, type QueueTx } from './queue.js';
import { isLive, type StoredJob } from './rules.js';

type Key = Array<string | number>;
/** Sorts after every id and number: closes a range on a key prefix. */
const END = '~';

function indexKeys(job: StoredJob): Key[] {
  const keys: Key[] = [
    ['queue', job.queue, job.id],
    ['state', job.queue, job.state, job.id],
  ];
  if (job.state === 'pending') keys.push(['ready', job.queue, Date.parse(job.runAt), job.id]);
  if (job.state === 'claimed' && job.leaseExpires !== null)
    keys.push(['lease', job.queue, Date.parse(job.leaseExpires), job.id]);
  if (job.finished !== null) keys.push(['done', job.queue, Date.parse(job.finished), job.id]);
  if (job.dedupeKey !== null) {
    keys.push(['key', job.queue, job.dedupeKey, job.id]);
    if (isLive(job.state)) keys.push(['dedupe', job.queue, job.dedupeKey, job.id]);
  }
  return keys;
}

class LmdbQueueBackend implements QueueBackend {
  private readonly jobs: Database<StoredJob, string>;
  private readonly index: Database;
  private readonly tx: QueueTx;

  constructor(private readonly env: StateEnvironment) {
    // Shared msgpack structures: jobs have one shape, so property names are stored once.
    this.jobs = env.root.openDB('queue-jobs', { sharedStructuresKey: Symbol.for('structures') });
    this.index = env.root.openDB('queue-index', {});
    this.tx = this.primitives();
  }

  private ids(
    range: { start: Key; end: Key; limit?: number; reverse?: boolean },
    position: number,
  ): string[] {
    return [...(this.index.getKeys(range) as Iterable<Key>)].map((k) => String(k[position]));
  }

  private load(ids: string[]): StoredJob[] {
    return ids.map((id) => this.jobs.get(id)).filter((j): j is StoredJob => j !== undefined);
  }

  private primitives(): QueueTx {
    const { jobs, index } = this;
    return {
      get: (id) => jobs.get(id),
      put: (next, previous) => {
        const before = new Map((previous ? indexKeys(previous) : []).map((k) => [JSON.stringify(k), k]));
        const after = new Map(indexKeys(next).map((k) => [JSON.stringify(k), k]));
        for (const [text, key] of before) if (!after.has(text)) index.removeSync(key);
        for (const [text, key] of after) if (!before.has(text)) index.putSync(key, null);
        jobs.putSync(next.id, next);
      },
      remove: (previous) => {
        for (const key of indexKeys(previous)) index.removeSync(key);
        jobs.removeSync(previous.id);
      },
      dedupe: (queue, key) =>
        this.ids({ start: ['dedupe', queue, key], end: ['dedupe', queue, key, END], limit: 1 }, 3)[0],
      latest: (queue, key) =>
        this.ids(
          { start: ['key', queue, key, END], end: ['key', queue, key], reverse: true, limit: 1 },
          3,
        )[0],
      nextReady: (queue, now) => {
        const [id] = this.ids({ start: ['ready', queue], end: ['ready', queue, now, END], limit: 1 }, 3);
        return id === undefined ? undefined : jobs.get(id);
      },
      expired: (queue, now) => {
        if (queue !== undefined)
          return this.load(this.ids({ start: ['lease', queue], end: ['lease', queue, now, END] }, 3));
        const keys = [...(index.getKeys({ start: ['lease'], end: ['lease', END] }) as Iterable<Key>)];
        return this.load(keys.filter((k) => (k[2] as number) <= now).map((k) => String(k[3])));
      },
      finishedBefore: (queue, before, limit) =>
        this.load(this.ids({ start: ['done', queue], end: ['done', queue, before], limit }, 3)),
      list: (queue, state, after, limit) => {
        const prefix: Key = state === undefined ? ['queue', queue] : ['state', queue, state];
        const start = after === undefined ? prefix : [...prefix, after, END];
        const at = prefix.length;
        return this.load(this.ids({ start, end: [...prefix, END], limit }, at));
      },
      peek: (queue, limit) =>
        this.load(this.ids({ start: ['ready', queue], end: ['ready', queue, END], limit }, 3)),
      count: (queue, state: QueueJobState) =>
        index.getKeysCount({ start: ['state', queue, state], end: ['state', queue, state, END] }),
    };
  }

  write<T>(fn: (tx: QueueTx) => T): T {
    try {
      return this.env.root.transactionSync(() => fn(this.tx));
    } catch (err) {
      if (err instanceof StrongroomError) throw err;
      throw new IoError('the job queue could not commit', { operation: 'commit', cause: err });
    }
  }

  read<T>(fn: (tx: QueueTx) => T): T {
    return fn(this.tx);
  }

  async close() {
    await this.env.release();
  }
}

/** A job queue in an already open environment; it takes its own share of `env`, released on close. */
export function queueInEnvironment(env: StateEnvironment, clock?: () => number): JobQueue {
  env.retain();
  return createJobQueue(new LmdbQueueBackend(env), clock);
}
