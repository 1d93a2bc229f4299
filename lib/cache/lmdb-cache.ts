/**
 * An {@link InventoryCache} in an LMDB environment (the `lmdb` package): values are stored with
 * lmdb's default msgpack encoding, optionally LZ4-compressed, and survive restarts. Reads are
 * synchronous memory-mapped lookups; writes are batched by lmdb and awaited.
 */
import { open, type RootDatabase } from 'lmdb';
import { IoError } from '../core/errors.js';
import { quoteForMessage, truncateForMessage } from '../core/paths.js';
import { prepareLmdbDirectory } from './lmdb-directory.js';
import { compactKey, type InventoryCache } from './port.js';

/** Options for {@link LmdbCache.open}. */
export interface LmdbCacheOptions {
  /** Directory (created if missing, even when the name has an extension) holding the LMDB files. */
  path: string;
  /** LZ4-compress values (default true): inventories compress well. */
  compression?: boolean;
  /** Maximum database size in bytes (default: lmdb's, which grows as needed). */
  mapSize?: number;
}

// lmdb-js refuses keys over 1978 bytes; keep a margin.
const MAX_KEY_BYTES = 1900;

/** A persistent cache backed by LMDB. */
export class LmdbCache implements InventoryCache {
  private constructor(private readonly db: RootDatabase) {}

  /**
   * Open (or create) the cache in directory `options.path`. Throws IoError at once, without
   * hanging or crashing the process, when the path cannot be used: a file where a directory
   * should be, a level that cannot be created, a directory that is not writable, or LMDB files
   * there that are not LMDB files (see lmdb-directory.ts).
   */
  static open(options: LmdbCacheOptions): LmdbCache {
    prepareLmdbDirectory(options.path);
    try {
      const db = open({
        path: options.path,
        // lmdb-js would take a path with an extension for a single data file: always a directory.
        noSubdir: false,
        compression: options.compression ?? true,
        ...(options.mapSize !== undefined ? { mapSize: options.mapSize } : {}),
      });
      return new LmdbCache(db);
    } catch (cause) {
      const why = cause instanceof Error ? `: ${truncateForMessage(cause.message, 160)}` : '';
      throw new IoError(`cannot open LMDB cache at ${quoteForMessage(options.path)}${why}`, {
        operation: 'open',
        key: options.path,
        cause,
      });
    }
  }

  async get(key: string): Promise<unknown> {
    return this.db.get(compactKey(key, MAX_KEY_BYTES));
  }

  async put(key: string, value: unknown): Promise<void> {
    try {
      await this.db.put(compactKey(key, MAX_KEY_BYTES), value);
    } catch (cause) {
      throw new IoError('LMDB cache write failed', { operation: 'put', key, cause });
    }
  }

  async delete(key: string): Promise<void> {
    await this.db.remove(compactKey(key, MAX_KEY_BYTES));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
