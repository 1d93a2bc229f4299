/**
 * How the API names where an object's bytes are: the StorageMap's `storageType`, `root` and
 * `objectPath`, and the `origin` URI of a content file (`root` + `objectPath` + `fullPath`).
 *
 * - S3 (`s3://bucket/storePrefix`): `root` is the bucket, `objectPath` the full key prefix of
 *   the object (store prefix + storage-root prefix + object root), origins `s3://bucket/key`
 *   with the key as stored (Fedora's `%20` stays literally `%20`: it is part of the key).
 * - file (`file:///dir`): `root` is the storage root directory, `objectPath` the object root
 *   below it, origins `file://` URLs (percent-encoded as URLs require).
 * - memory (tests): like file, with `memory://name/…` URIs.
 *
 * Everything comes from the store's structured `location`, never from parsing its URI.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StorageType } from '../core/storage-map.js';
import { joinKey, type ReadableStore } from '../storage/port.js';

/** Where one object lives. */
export interface ObjectLocation {
  storageType: StorageType;
  root: string;
  objectPath: string;
  /** URI of a content path's bytes. */
  originFor(contentPath: string): string;
}

/** Key of `key` relative to `prefix` (which it must start with; else `key` unchanged). */
function relativeTo(prefix: string, key: string): string {
  if (prefix === '') return key;
  return key.startsWith(`${prefix}/`) ? key.slice(prefix.length + 1) : key;
}

/**
 * The location of the object whose root is store key `key`, in a storage root at `prefix`.
 */
export function objectLocation(store: ReadableStore, prefix: string, key: string): ObjectLocation {
  const where = store.location;
  if (where.kind === 's3') {
    const bucket = where.bucket;
    const objectPath = joinKey(where.prefix, key);
    return {
      storageType: 'S3',
      root: bucket,
      objectPath,
      originFor: (contentPath) => `s3://${bucket}/${joinKey(objectPath, contentPath)}`,
    };
  }
  const objectPath = relativeTo(prefix, key);
  if (where.kind === 'file') {
    const root = join(where.path, ...prefix.split('/').filter(Boolean));
    return {
      storageType: 'file',
      root,
      objectPath,
      originFor: (contentPath) =>
        pathToFileURL(join(root, ...objectPath.split('/'), ...contentPath.split('/'))).href,
    };
  }
  const storeRoot = `memory://${where.name}`;
  const root = prefix === '' ? storeRoot : `${storeRoot}/${prefix}`;
  return {
    storageType: 'memory',
    root,
    objectPath,
    originFor: (contentPath) => `${root}/${joinKey(objectPath, contentPath)}`,
  };
}
