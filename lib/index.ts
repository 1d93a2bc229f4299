/**
 * Strongroom's public API for embedding the engine in other tools.
 *
 * The most used entry points are exported by name; each area is also exported whole as a
 * namespace (`ocfl`, `layouts`, `fedora`, `mets`, `bagit`, `tools`, ...) so names never clash.
 * Everything here reads; the write path (transactions) arrives in lib/txn.
 */

// caches
export { type InventoryCache, LmdbCache, MemoryCache } from './cache/index.js';
export * from './core/errors.js';
export * as fedora from './core/fedora/index.js';
export type { DigestMap, Inventory, InventoryVersion, OcflSpecVersion } from './core/inventory.js';
export * as layouts from './core/layout/index.js';
// whole areas, for everything else
export * as ocfl from './core/ocfl/index.js';
export type { StorageMap } from './core/storage-map.js';
export * as versions from './core/versions.js';
export { openZipBagInStore, storeBagSource, storeRandomAccess } from './engine/bag-source.js';
export { getObjectResources } from './engine/fedora-resources.js';
export { type OcflObject, readObject } from './engine/object-reader.js';
export { getStorageMap, type StorageMapOptions } from './engine/storage-maps.js';
// reading and validating OCFL
export { type OpenStorageRootOptions, openStorageRoot, StorageRoot } from './engine/storage-root.js';
export {
  detectLocationKind,
  ObjectValidationReport,
  StorageRootReport,
  validateInventoryFile,
  validateObject,
  validateStorageRoot,
} from './engine/validate/index.js';
export * as bagit from './formats/bagit/index.js';
export { openZipBag, readBagManifests, validateBag, zipBagSource } from './formats/bagit/index.js';
export { combineDeposit } from './formats/combine.js';
export * as mets from './formats/mets/index.js';
// formats
export { MetsDocument, type MetsModel, readMets, writeMets } from './formats/mets/index.js';
export type * from './formats/model.js';
export * as tools from './formats/tools/index.js';
export { readToolOutputs } from './formats/tools/index.js';
// hashing
export { digestFiles, type FileDigestRequest, type FileDigestResult } from './hash/digest-files.js';
export { createDigester, DigestTransform, digestStream } from './hash/digesters.js';
export { closeDefaultPool, HashPool } from './hash/pool.js';
export { FsStore, type FsStoreOptions } from './storage/fs/fs-store.js';
export { openStore, parseLocation, type StorageLocation } from './storage/location.js';
export { MemoryStore } from './storage/memory/memory-store.js';
// storage
export type { ListEntry, ListOptions, ReadableStore, StatResult, WritableStore } from './storage/port.js';
export { type S3Config, s3ConfigFromEnv } from './storage/s3/config.js';
export { S3Store, type S3StoreOptions } from './storage/s3/s3-store.js';
