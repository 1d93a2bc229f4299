/**
 * Records in LMDB under a data directory: the public opener. The engine is in
 * lmdb-record-engine.ts.
 */
import { openStateEnvironment } from './lmdb-env.js';
import { recordsInEnvironment } from './lmdb-record-engine.js';
import type { RecordStore } from './port.js';
import type { RecordStoreOptions } from './store.js';

/** Options of {@link openLmdbRecords}. */
export interface LmdbRecordsOptions extends RecordStoreOptions {
  /** Maximum database size in bytes (default: lmdb's, which grows as needed). */
  mapSize?: number;
  /**
   * Deposit listings with an exact-match filter read its candidates whole up to this many
   * (default 5000), and walk the order index beyond. A tuning knob; tests use it to force a path.
   */
  matchCandidateLimit?: number;
}

/**
 * Open (or create) a record store in LMDB under directory `path`. Throws IoError when the
 * directory cannot be used and UnsupportedError for a newer schema (see lmdb-env.ts).
 */
export function openLmdbRecords(path: string, options: LmdbRecordsOptions = {}): RecordStore {
  const env = openStateEnvironment({
    path,
    ...(options.mapSize !== undefined && { mapSize: options.mapSize }),
  });
  const store = recordsInEnvironment(env, options);
  void env.release(); // the store holds its own share now
  return store;
}
