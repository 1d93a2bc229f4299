/**
 * Storage locations as URIs, and opening a read-only store for one:
 *
 * - `file:///abs/dir` or a plain path (`/abs/dir`, `relative/dir`, resolved against the working
 *   directory) → the filesystem backend;
 * - `s3://bucket` or `s3://bucket/prefix/...` → the S3 backend, with the connection settings
 *   given in `options.s3` (the library never reads the environment);
 * - `memory://name` → the memory store of that name in `options.memoryStores`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '../core/errors.js';
import { type OpenStoreOptions, openBackend } from './backends.js';
import { assertKey, type ReadableStore, type StoreLocation } from './port.js';
import { readOnlyView } from './read-only.js';

export type { OpenStoreOptions } from './backends.js';

/** A parsed storage location (the same shape as a store's `location`, without an endpoint). */
export type StorageLocation = StoreLocation;

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function bad(uri: string, why: string): InvalidInputError {
  return new InvalidInputError(`bad storage location ${JSON.stringify(uri)}: ${why}`, {
    operation: 'parseLocation',
    key: uri,
  });
}

/**
 * Parse a location URI or plain filesystem path. Throws InvalidInputError for an empty string,
 * an unknown scheme, a `file:` URI with a remote host, an invalid bucket name or a prefix with
 * empty, `.` or `..` segments.
 */
export function parseLocation(uri: string): StorageLocation {
  if (uri.trim() === '') throw bad(uri, 'empty');
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (/^(file|s3|memory):/i.test(uri)) throw bad(uri, 'expected scheme:// after the scheme name');
    return { kind: 'file', path: resolve(uri) };
  }
  const rest = uri.slice(scheme.length + 3);
  switch (scheme) {
    case 'file':
      try {
        return { kind: 'file', path: fileURLToPath(uri) };
      } catch (err) {
        throw bad(uri, `not a local absolute file URI (${(err as Error).message})`);
      }
    case 's3': {
      const slash = rest.indexOf('/');
      const bucket = slash < 0 ? rest : rest.slice(0, slash);
      const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
      if (!BUCKET.test(bucket)) throw bad(uri, `invalid bucket name ${JSON.stringify(bucket)}`);
      try {
        assertKey(prefix, true);
      } catch {
        throw bad(uri, 'the prefix has an empty, "." or ".." segment');
      }
      return { kind: 's3', bucket, prefix };
    }
    case 'memory':
      if (rest === '' || rest.includes('/')) throw bad(uri, 'expected memory://name');
      return { kind: 'memory', name: rest };
    default:
      throw bad(uri, `unsupported scheme ${scheme}: (use file://, s3:// or memory://)`);
  }
}

/**
 * Open the store a location names, **read-only**: the result exposes only the read side (see
 * read-only.ts), whatever the backend. Nothing is contacted or created yet: a missing directory
 * or bucket shows up at first use. The S3 backend (and with it the AWS SDK) is loaded only for
 * `s3://` locations. Throws InvalidInputError (see {@link parseLocation}). The writable opener
 * is `openWritableStore` in writable.ts, for the transaction module alone.
 */
export async function openStore(uri: string, options: OpenStoreOptions = {}): Promise<ReadableStore> {
  return readOnlyView(await openBackend(parseLocation(uri), options, true));
}
