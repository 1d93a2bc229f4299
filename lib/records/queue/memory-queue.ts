/**
 * The job queue in memory (tests, single-process embedding): plain scans over a map, the
 * reference behaviour for the LMDB queue. A failed write is undone step by step.
 */
import { compareCodePoints } from '../deposit-query.js';
import type { JobQueue, QueueJobState } from './port.js';
import { createJobQueue, type QueueBackend, type QueueTx } from './queue.js';
import { isLive, leaseExpired, type StoredJob } from './rules.js';

const byId = (a: StoredJob, b: StoredJob) => compareCodePoints(a.id, b.id);
const byRunAt = (a: StoredJob, b: StoredJob) => Date.parse(a.runAt) - Date.parse(b.runAt) || byId(a, b);

class MemoryQueueBackend implements QueueBackend {
  private readonly jobs = new Map<string, StoredJob>();

  private tx(undo: Array<() => void> | undefined): QueueTx {
    const jobs = this.jobs;
    const all = (queue: string | undefined) =>
      [...jobs.values()].filter((j) => queue === undefined || j.queue === queue);
    const set = (id: string, job: StoredJob | undefined) => {
      const old = jobs.get(id);
      undo?.push(() => (old ? jobs.set(id, old) : jobs.delete(id)));
      if (job) jobs.set(id, job);
      else jobs.delete(id);
    };
    return {
      get: (id) => structuredClone(jobs.get(id)),
      put: (next) => set(next.id, structuredClone(next)),
      remove: (prev) => set(prev.id, undefined),
      dedupe: (queue, key) => all(queue).find((j) => j.dedupeKey === key && isLive(j.state))?.id,
      latest: (queue, key) =>
        all(queue)
          .filter((j) => j.dedupeKey === key)
          .sort(byId)
          .at(-1)?.id,
      nextReady: (queue, now) => {
        const next = all(queue)
          .filter((j) => j.state === 'pending')
          .sort(byRunAt)[0];
        return next && Date.parse(next.runAt) <= now ? structuredClone(next) : undefined;
      },
      expired: (queue, now) =>
        all(queue)
          .filter((j) => leaseExpired(j, now))
          .sort(byId)
          .map((j) => structuredClone(j)),
      finishedBefore: (queue, before, limit) =>
        all(queue)
          .filter((j) => j.finished !== null && Date.parse(j.finished) < before)
          .sort(byId)
          .slice(0, limit),
      list: (queue, state, after, limit) =>
        all(queue)
          .filter((j) => (state === undefined || j.state === state) && (after === undefined || j.id > after))
          .sort(byId)
          .slice(0, limit)
          .map((j) => structuredClone(j)),
      peek: (queue, limit) =>
        all(queue)
          .filter((j) => j.state === 'pending')
          .sort(byRunAt)
          .slice(0, limit)
          .map((j) => structuredClone(j)),
      count: (queue, state: QueueJobState) => all(queue).filter((j) => j.state === state).length,
    };
  }

  write<T>(fn: (tx: QueueTx) => T): T {
    const undo: Array<() => void> = [];
    try {
      return fn(this.tx(undo));
    } catch (err) {
      for (const step of undo.reverse()) step();
      throw err;
    }
  }

  read<T>(fn: (tx: QueueTx) => T): T {
    return fn(this.tx(undefined));
  }

  async close() {}
}

/** A job queue in memory (nothing survives the process). `clock` defaults to `Date.now`. */
export function openMemoryQueue(options: { clock?: () => number } = {}): JobQueue {
  return createJobQueue(new MemoryQueueBackend(), options.clock);
}
