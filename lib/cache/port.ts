/**
 * The inventory cache port: a key → value store for parsed object data, used as a decorator by
 * the object reader (read the cheap sidecar, look up, parse and put only on a miss).
 *
 * Keys are versioned and content-addressed ({@link objectCacheKey}): object root location +
 * inventory sidecar digest(s) + {@link CACHE_SCHEMA_VERSION}. A changed inventory has a new
 * sidecar, hence a new key, so entries never need invalidating for correctness; `delete` only
 * frees space. Values are plain data (objects, arrays, strings, numbers, booleans, Uint8Array)
 * so every implementation can serialise them; callers must not mutate a value after `put` or
 * one returned by `get` (the memory cache hands out the stored object itself).
 */
import { createHash } from 'node:crypto';

/**
 * Bump when the shape of cached values changes: old entries then simply stop matching.
 * 1: InventorySnapshot v1 and parsed Fedora headers.
 * 2: entries are written only for inventories whose paths passed the path-safety gate and that
 *    have no duplicate keys (schema 1 entries may hold neither check's verdict: they must miss).
 */
export const CACHE_SCHEMA_VERSION = 2;

/** The cache port. */
export interface InventoryCache {
  /** The stored value, or undefined on a miss. Never throws for a missing key. */
  get(key: string): Promise<unknown>;
  /** Store a value (replacing any previous one). */
  put(key: string, value: unknown): Promise<void>;
  /** Forget a key; forgetting a missing key is not an error. */
  delete?(key: string): Promise<void>;
  /** Release resources (LMDB environment); the cache is unusable afterwards. */
  close?(): Promise<void>;
}

/**
 * Key of an object's parsed state: `location` is the object root's URI (store URI + key),
 * `digests` the sidecar digests that pin its content (root, then mutable head when present).
 */
export function objectCacheKey(location: string, digests: readonly string[]): string {
  return `s${CACHE_SCHEMA_VERSION}:object:${location}#${digests.map((d) => d.toLowerCase()).join('+')}`;
}

/**
 * Key of a built StorageMap: the object's key ({@link objectCacheKey}, which pins its content)
 * plus every option the map depends on (the version selector as given, `undefined` for the
 * head; the Fedora base URL; whether a mutable head is shown).
 */
export function storageMapCacheKey(
  objectKey: string,
  options: { version?: string | undefined; fedoraBaseUrl?: string | undefined; includeMutableHead: boolean },
): string {
  const { version, fedoraBaseUrl, includeMutableHead } = options;
  return `${objectKey}|storage-map:${JSON.stringify([version ?? null, fedoraBaseUrl ?? null, includeMutableHead])}`;
}

/**
 * Key of a parsed Fedora header by the digest of its bytes: content-addressed, so it is shared
 * by every version (and object) holding the same header file.
 */
export function headerCacheKey(algorithm: string, digest: string): string {
  return `s${CACHE_SCHEMA_VERSION}:fcrepo-header:${algorithm}:${digest.toLowerCase()}`;
}

/** A key short enough for stores with a key-size limit: long keys become a SHA-256 of themselves. */
export function compactKey(key: string, maxBytes: number): string {
  if (Buffer.byteLength(key, 'utf8') <= maxBytes) return key;
  return `h:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
