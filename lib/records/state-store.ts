/**
 * The durable state of a server in one object: records, the job queue and the search index of
 * preserved resources, opened together in one LMDB environment under a data directory (the
 * embedded default), or in memory for tests.
 */
import { openStateEnvironment } from './lmdb-env.js';
import { recordsInEnvironment } from './lmdb-record-engine.js';
import { openMemoryRecords } from './memory-records.js';
import type { RecordStore } from './port.js';
import { queueInEnvironment } from './queue/lmdb-queue-backend.js';
import { openMemoryQueue } from './queue/memory-queue.js';
import type { JobQueue } from './queue/port.js';
import { resourceIndexInEnvironment } from './search/lmdb-search-index.js';
import { openMemoryResourceIndex } from './search/memory-search-index.js';
import type { ResourceIndex } from './search/port.js';

/** Records, queue and search index, closed together. */
export interface StateStore {
  /** Deposits, jobs, exports, agents, clients, activity. */
  readonly records: RecordStore;
  /** Background jobs. */
  readonly queue: JobQueue;
  /** The search index of preserved resources (kept up to date by lib/services/search.ts). */
  readonly search: ResourceIndex;
  /** Close all (idempotent). */
  close(): Promise<void>;
}

/** Options of {@link openStateStore}. */
export interface StateStoreOptions {
  /** Milliseconds since the epoch (default `Date.now`), for records and queue alike. */
  clock?: () => number;
  /** Maximum LMDB size in bytes (default: lmdb's, which grows as needed). */
  mapSize?: number;
}

function together(records: RecordStore, queue: JobQueue, search: ResourceIndex): StateStore {
  let closing: Promise<void> | undefined;
  return {
    records,
    queue,
    search,
    close: () => {
      closing ??= Promise.all([records.close(), queue.close(), search.close()]).then(() => undefined);
      return closing;
    },
  };
}

/**
 * Open (or create) the state store in directory `path` (e.g. `<data>/state`). Several processes
 * may open the same directory. Throws IoError when the directory cannot be used (a file in the
 * way, not writable, files there that are not LMDB) and UnsupportedError when a newer Strongroom
 * wrote it.
 */
export function openStateStore(path: string, options: StateStoreOptions = {}): StateStore {
  const env = openStateEnvironment({
    path,
    ...(options.mapSize !== undefined && { mapSize: options.mapSize }),
  });
  const clockOption = options.clock ? { clock: options.clock } : {};
  const records = recordsInEnvironment(env, clockOption);
  const queue = queueInEnvironment(env, options.clock);
  const search = resourceIndexInEnvironment(env);
  void env.release(); // records, queue and index hold their own shares
  return together(records, queue, search);
}

/** A state store in memory (nothing survives the process). */
export function openMemoryStateStore(options: { clock?: () => number } = {}): StateStore {
  const clockOption = options.clock ? { clock: options.clock } : {};
  return together(openMemoryRecords(clockOption), openMemoryQueue(clockOption), openMemoryResourceIndex());
}
