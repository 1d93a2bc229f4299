/**
 * Opening the backend a location names. Internal to lib/storage: `openStore` (location.ts) wraps
 * the result in a read-only view, `openWritableStore` (writable.ts, for lib/txn alone) returns it
 * as it is. Nothing else may import this module.
 *
 * The S3 backend is imported only when an `s3://` location is opened, so loading the engine for
 * filesystem work never loads the AWS SDK (≈150 ms of start-up; bench/startup).
 */

import { FsStore } from './fs/fs-store.js';
import type { SyncStrategy } from './fs/fs-sync.js';
import { MemoryStores } from './memory/registry.js';
import type { StoreLocation, WritableStore } from './port.js';
import type { S3Connection } from './s3/config.js';
import type { S3StoreOptions } from './s3/s3-store.js';

/** Options of `openStore` (and `openWritableStore`). Every setting comes in here, none from the environment. */
export interface OpenStoreOptions {
  /**
   * Connection settings for `s3://` locations: endpoint, region, credentials, path style.
   * Default: none, so the AWS SDK's own defaults apply (AWS, its credential chain).
   */
  s3?: S3Connection;
  /** Tuning of S3 stores (part sizes, thresholds, a shared SDK client). Default: S3Store's defaults. */
  s3Store?: Omit<S3StoreOptions, 'readOnly'>;
  /**
   * Where `memory://name` locations live. Default: a new, empty registry for this call, so
   * without one a memory location opens an empty store that nothing else shares.
   */
  memoryStores?: MemoryStores;
}

/** Options of the writable opener: {@link OpenStoreOptions} plus the filesystem's durability. */
export interface OpenWritableStoreOptions extends OpenStoreOptions {
  /** Filesystem: fsync every file and directory as it is written (default false: use `sync`). */
  durable?: boolean;
  /** Filesystem: how `sync` flushes (default `auto`). */
  syncStrategy?: SyncStrategy;
}

/** The backend for a parsed `location`; `readOnly` makes the backend itself refuse writes too. */
export async function openBackend(
  location: StoreLocation,
  options: OpenWritableStoreOptions,
  readOnly: boolean,
): Promise<WritableStore> {
  switch (location.kind) {
    case 'file':
      return new FsStore(location.path, {
        readOnly,
        durable: options.durable ?? false,
        syncStrategy: options.syncStrategy ?? 'auto',
      });
    case 's3': {
      const { S3Store } = await import('./s3/s3-store.js');
      const config = { ...options.s3, bucket: location.bucket, prefix: location.prefix };
      return new S3Store(config, { ...options.s3Store, readOnly });
    }
    case 'memory':
      return (options.memoryStores ?? new MemoryStores()).get(location.name);
  }
}
