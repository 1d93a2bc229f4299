/** Caches of parsed object data: the port, memory and LMDB implementations, and the compact inventory form. */
export {
  type InventorySnapshot,
  isInventorySnapshot,
  snapshotInventory,
  snapshotToInventory,
  snapshotView,
} from './inventory-snapshot.js';
export { LmdbCache, type LmdbCacheOptions } from './lmdb-cache.js';
export { MemoryCache, type MemoryCacheOptions } from './memory-cache.js';
export {
  CACHE_SCHEMA_VERSION,
  headerCacheKey,
  type InventoryCache,
  objectCacheKey,
  storageMapCacheKey,
} from './port.js';
export {
  expandStorageMap,
  isStorageMapEntry,
  packStorageMap,
  type StorageMapEntry,
} from './storage-map-entry.js';
