/**
 * A built StorageMap in a compact, cache-friendly form.
 *
 * Why: serving a warm storage map from the cached inventory snapshot still rebuilds the
 * version's file list (88,701 records for the 100k-file bench object) before building the map.
 * Caching the map itself removes that; this form keeps it cheap to store and to decode: the
 * logical paths, content paths and distinct hashes are each one joined string (one string
 * split instead of 88k small msgpack objects), and each file points at its hash by a Uint32
 * index. Expanding it is one loop that creates the map's own objects, nothing else.
 *
 * Key order is kept (files, hashes, and the top-level fields), so the JSON reads the same.
 */
import { assertSafeInventoryPath } from '../core/ocfl/path-safety.js';
import type { StorageMap } from '../core/storage-map.js';
import { type PackedStrings, pack, packInts, unpack, unpackInts } from './inventory-snapshot.js';

/** The cached form of one StorageMap. */
export interface StorageMapEntry {
  kind: 'storage-map';
  schema: 1;
  /** Id of the object the map is of (the reader checks it against the id asked for). */
  objectId: string;
  /** Every field but `files` and `hashes`, as is. */
  fields: Omit<StorageMap, 'files' | 'hashes'>;
  /** Logical paths, in `files` order. */
  paths: PackedStrings;
  /** Content path of each file. */
  fullPaths: PackedStrings;
  /** Distinct hashes: the keys of `hashes` in order, then any other hash a file has. */
  hashes: PackedStrings;
  /** The values of `hashes` (content paths), in key order. */
  hashPaths: PackedStrings;
  /** Uint32LE per file: index into `hashes`. */
  hashIdx: Uint8Array;
}

/** Pack a StorageMap of object `objectId`. Pure; the map is not modified. */
export function packStorageMap(map: StorageMap, objectId: string): StorageMapEntry {
  const { files, hashes, ...fields } = map;
  const distinct = new Map<string, number>();
  const hashPaths: string[] = [];
  for (const hash of Object.keys(hashes)) {
    distinct.set(hash, distinct.size);
    hashPaths.push(hashes[hash]!);
  }
  const paths = Object.keys(files);
  const fullPaths = new Array<string>(paths.length);
  const hashIdx = new Uint32Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const file = files[paths[i]!]!;
    fullPaths[i] = file.fullPath;
    let idx = distinct.get(file.hash);
    if (idx === undefined) {
      idx = distinct.size;
      distinct.set(file.hash, idx);
    }
    hashIdx[i] = idx;
  }
  return {
    kind: 'storage-map',
    schema: 1,
    objectId,
    fields,
    paths: pack(paths),
    fullPaths: pack(fullPaths),
    hashes: pack([...distinct.keys()]),
    hashPaths: pack(hashPaths),
    hashIdx: packInts(hashIdx),
  };
}

/** True when `value` is a {@link StorageMapEntry} of the current schema (anything else is a miss). */
export function isStorageMapEntry(value: unknown): value is StorageMapEntry {
  const v = value as Partial<StorageMapEntry> | undefined;
  return (
    v?.kind === 'storage-map' &&
    v.schema === 1 &&
    typeof v.objectId === 'string' &&
    typeof v.fields === 'object' &&
    v.hashIdx instanceof Uint8Array
  );
}

/**
 * The StorageMap an entry holds: fresh objects on every call, so callers may modify them.
 * Entries are written only after the builder's path check, but a cache is a file someone else
 * may write to: every path goes through the path-safety gate again on the way out (a few ms for
 * 100k files). Throws PathEscapeError for an unsafe one.
 */
export function expandStorageMap(entry: StorageMapEntry): StorageMap {
  const paths = unpack(entry.paths);
  const fullPaths = unpack(entry.fullPaths);
  const distinct = unpack(entry.hashes);
  const hashPaths = unpack(entry.hashPaths);
  const hashIdx = unpackInts(entry.hashIdx);
  // Null prototypes, as the builder makes them: `__proto__` is an ordinary logical path or hash.
  const files: StorageMap['files'] = Object.create(null);
  const where = `cached storage map of ${entry.objectId}`;
  for (let i = 0; i < paths.length; i++) {
    const logicalPath = assertSafeInventoryPath(paths[i], 'logical path', where);
    const fullPath = assertSafeInventoryPath(fullPaths[i], 'content path', where);
    files[logicalPath] = { hash: distinct[hashIdx[i]!]!, fullPath };
  }
  const hashes: StorageMap['hashes'] = Object.create(null);
  for (let i = 0; i < hashPaths.length; i++) {
    hashes[distinct[i]!] = assertSafeInventoryPath(hashPaths[i], 'content path', where);
  }
  const f = structuredClone(entry.fields);
  return {
    version: f.version,
    headVersion: f.headVersion,
    allVersions: f.allVersions,
    storageType: f.storageType,
    root: f.root,
    objectPath: f.objectPath,
    files,
    hashes,
    archivalGroup: f.archivalGroup,
    ...(f.digestAlgorithm !== undefined && { digestAlgorithm: f.digestAlgorithm }),
  };
}
