/**
 * Storage locations as URIs, and opening the right backend for one:
 *
 * - `file:///abs/dir` or a plain path (`/abs/dir`, `relative/dir`, resolved against the working
 *   directory) → {@link FsStore};
 * - `s3://bucket` or `s3://bucket/prefix/...` → {@link S3Store}, connection settings from the
 *   environment (see {@link s3ConfigFromEnv});
 * - `memory://name` → {@link MemoryStore}, one per name for the life of the process.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '../core/errors.js';
import { FsStore } from './fs/fs-store.js';
import { MemoryStore } from './memory/memory-store.js';
import { assertKey, type WritableStore } from './port.js';
import { s3ConfigFromEnv } from './s3/config.js';
import { S3Store } from './s3/s3-store.js';

/** A parsed storage location. */
export type StorageLocation =
  | { kind: 'file'; path: string }
  | { kind: 's3'; bucket: string; prefix: string }
  | { kind: 'memory'; name: string };

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

const memoryStores = new Map<string, MemoryStore>();

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Environment to read S3 settings from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Refuse writes with UnsupportedError (file and S3; memory stores are always writable). */
  readOnly?: boolean;
}

/**
 * Open the store a location names. Nothing is contacted or created yet: a missing directory or
 * bucket shows up at first use. Throws InvalidInputError (see {@link parseLocation}).
 */
export function openStore(uri: string, options: OpenStoreOptions = {}): WritableStore {
  const location = parseLocation(uri);
  const readOnly = options.readOnly ?? false;
  switch (location.kind) {
    case 'file':
      return new FsStore(location.path, { readOnly });
    case 's3': {
      const connection = s3ConfigFromEnv(options.env ?? process.env);
      return new S3Store({ ...connection, bucket: location.bucket, prefix: location.prefix }, { readOnly });
    }
    case 'memory': {
      let store = memoryStores.get(location.name);
      if (!store) {
        store = new MemoryStore(location.name);
        memoryStores.set(location.name, store);
      }
      return store;
    }
  }
}
