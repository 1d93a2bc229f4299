/**
 * The job queue in LMDB under a data directory: the public opener. The backend is in
 * lmdb-queue-backend.ts.
 */
import { openStateEnvironment } from '../lmdb-env.js';
import { queueInEnvironment } from './lmdb-queue-backend.js';
import type { JobQueue } from './port.js';

/** Options of {@link openLmdbQueue}. */
export interface LmdbQueueOptions {
  /** Milliseconds since the epoch (default `Date.now`). */
  clock?: () => number;
  /** Maximum database size in bytes (default: lmdb's). */
  mapSize?: number;
}

/**
 * Open (or create) a job queue in LMDB under directory `path` (may be the same directory as the
 * records: one environment serves both). Throws IoError when the directory cannot be used.
 */
export function openLmdbQueue(path: string, options: LmdbQueueOptions = {}): JobQueue {
  const env = openStateEnvironment({
    path,
    ...(options.mapSize !== undefined && { mapSize: options.mapSize }),
  });
  const queue = queueInEnvironment(env, options.clock);
  void env.release(); // the queue holds its own share now
  return queue;
}
