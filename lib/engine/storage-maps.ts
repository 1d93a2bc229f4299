/**
 * StorageMaps of stored objects: read the object, resolve the version, read Fedora headers when
 * they are the only source of SHA-256s, and build the map (`lib/core/storage-map`). With a
 * cache, the built map itself is cached (`lib/cache/storage-map-entry`), keyed by the object's
 * sidecar digests and the options.
 */
import { storageMapCacheKey } from '../cache/port.js';
import { expandStorageMap, isStorageMapEntry, packStorageMap } from '../cache/storage-map-entry.js';
import { hasCode } from '../core/errors.js';
import { fedoraIdToUrl } from '../core/fedora/paths.js';
import { prepareStorageMap, type StorageMap } from '../core/storage-map.js';
import { resolveVersion } from '../core/versions.js';
import { headerOptions, readVersionHeaders } from './fedora-resources.js';
import { objectLocation } from './locations.js';
import type { OcflObject } from './object-reader.js';
import type { StorageRoot } from './storage-root.js';

/** Options for {@link getStorageMap}. */
export interface StorageMapOptions {
  /** `vN` or a 14-digit memento timestamp; default the head (the mutable head when shown). */
  version?: string;
  /**
   * Fedora REST base URL (e.g. `https://host/fcrepo/rest`): when set, `archivalGroup` of an
   * object with a Fedora id is its URL; otherwise it is the OCFL object id.
   */
  fedoraBaseUrl?: string;
  /** Show a mutable head as the newest version (default: the storage root's default, true). */
  includeMutableHead?: boolean;
  signal?: AbortSignal;
}

/**
 * The StorageMap of `objectId` at a version. Throws NotFoundError for an unknown object or
 * version (the message lists the versions there are), InvalidInputError for a malformed
 * version selector, InvalidObjectError for an unusable inventory.
 *
 * With a cache on the storage root, the built map is cached under the object's key (location +
 * sidecar digests) and the options: a warm call lists the object root, reads the sidecar(s) and
 * expands one cached value, without reading or decoding any inventory. A new commit changes a
 * sidecar, hence the key.
 */
export async function getStorageMap(
  root: StorageRoot,
  objectId: string,
  options: StorageMapOptions = {},
): Promise<StorageMap> {
  const cached = await cacheSlot(root, objectId, options);
  if (!cached) return storageMapOf(root, await root.openObject(objectId, readOptionsOf(options)), options);
  const hit = cached.key ? await cached.cache.get(cached.key) : undefined;
  if (isStorageMapEntry(hit) && hit.objectId === objectId) {
    try {
      return expandStorageMap(hit);
    } catch (err) {
      // A damaged value is a miss; an unsafe path in it is refused (PathEscapeError) as ever.
      if (!hasCode(err, 'MALFORMED')) throw err;
    }
  }
  // The map is what gets cached: no snapshot of the whole inventory for it.
  const object = await root.openObject(
    objectId,
    { ...readOptionsOf(options), putInCache: false },
    cached.probe,
  );
  const map = await storageMapOf(root, object, options);
  if (cached.key) await cached.cache.put(cached.key, packStorageMap(map, object.id));
  return map;
}

/**
 * The StorageMap of `objectId` as pretty-printed JSON text (2-space indent), for callers that
 * only send it on (the CLI, the HTTP server). With a cache the text itself is cached beside the
 * map, so a warm call costs one sidecar read and one cache value, without building ~2 keys per
 * file in a JavaScript object. Same errors as {@link getStorageMap}.
 */
export async function getStorageMapJson(
  root: StorageRoot,
  objectId: string,
  options: StorageMapOptions = {},
): Promise<string> {
  const cached = await cacheSlot(root, objectId, options);
  const jsonKey = cached?.key && `${cached.key}|json`;
  if (cached && jsonKey) {
    const hit = await cached.cache.get(jsonKey);
    if (typeof hit === 'string') return hit;
  }
  const json = JSON.stringify(await getStorageMap(root, objectId, options), null, 2);
  if (cached && jsonKey) await cached.cache.put(jsonKey, json);
  return json;
}

function readOptionsOf(options: StorageMapOptions) {
  return {
    ...(options.includeMutableHead !== undefined && { includeMutableHead: options.includeMutableHead }),
    ...(options.signal && { signal: options.signal }),
  };
}

/** The cache, the object's probe and the map's cache key, when the root has a cache. */
async function cacheSlot(root: StorageRoot, objectId: string, options: StorageMapOptions) {
  const cache = root.options.cache;
  if (!cache) return undefined;
  const probe = await root.probeObject(objectId, readOptionsOf(options));
  const key =
    probe.cacheKey &&
    storageMapCacheKey(probe.cacheKey, {
      version: options.version,
      fedoraBaseUrl: options.fedoraBaseUrl,
      includeMutableHead: options.includeMutableHead ?? root.includeMutableHead,
    });
  return { cache, probe, key };
}

/** The StorageMap of an already-read object (see {@link getStorageMap}). */
export async function storageMapOf(
  root: StorageRoot,
  object: OcflObject,
  options: Omit<StorageMapOptions, 'includeMutableHead'> = {},
): Promise<StorageMap> {
  const version = resolveVersion(object.view, options.version);
  // A freshly parsed inventory is read directly (one pass, no per-file records); a cached
  // one through its view, which builds only the version asked for.
  const inventory = object.fromCache ? object.view : object.inventory();
  const prepared = prepareStorageMap(inventory, version);
  const headers = prepared.needsHeaders
    ? await readVersionHeaders(root.store, object, version, headerOptions(root, options.signal))
    : undefined;
  const location = objectLocation(root.store, root.prefix, object.key);
  const fedoraId = object.id === 'info:fedora' || object.id.startsWith('info:fedora/');
  return prepared.build({
    storageType: location.storageType,
    root: location.root,
    objectPath: location.objectPath,
    archivalGroup:
      options.fedoraBaseUrl && fedoraId ? fedoraIdToUrl(object.id, options.fedoraBaseUrl) : object.id,
    ...(headers && { headers }),
  });
}
