/**
 * The storage port: the only thing the OCFL engine knows about where bytes live.
 *
 * Backends move bytes and list keys; they know nothing of OCFL (an adapter that mentions
 * `inventory.json` has leaked). Keys are `/`-separated, relative to the backend's root, never
 * start or end with `/` and never contain empty segments, `.` or `..` (see {@link assertKey}).
 *
 * Reading is required. Writing is optional and grouped in {@link WritableStore}; only the
 * transaction module may call it. Every backend translates its vendor errors into the taxonomy
 * of `lib/core/errors.ts` (NotFoundError, AlreadyExistsError, PreconditionFailedError,
 * UnsupportedError, IoError) carrying `operation`, `key` and `cause`.
 */
import type { Readable } from 'node:stream';
import { InvalidInputError } from '../core/errors.js';

/** Facts about one stored object. */
export interface StatResult {
  key: string;
  /** Bytes. */
  size: number;
  /** Last modification time, when the backend knows it. */
  modified?: Date;
  /** Opaque version tag (S3 ETag without quotes; fs: `size-mtimeMs-inode`; memory: MD5 hex). */
  etag?: string;
  /**
   * Lowercase hex SHA-256 of the whole content, only when the backend vouches for it
   * (S3 full-object checksum; never a multipart composite). Absent otherwise.
   */
  sha256?: string;
}

/** One entry yielded by {@link ReadableStore.list}. */
export type ListEntry =
  | {
      kind: 'file';
      key: string;
      size: number;
      modified?: Date;
      etag?: string;
      /**
       * True when the entry is a symbolic link (filesystem backend only; the link itself is not
       * followed and `size` is the link's own size). Validators use it to report links, which
       * OCFL forbids (E090). Absent on backends that have no links.
       */
      symlink?: boolean;
    }
  /**
   * A common prefix (a "directory"); only yielded when listing with a delimiter. Key has no
   * trailing `/`. The filesystem backend also yields empty directories this way (OCFL validation
   * must see them); object stores have no empty prefixes.
   */
  | { kind: 'prefix'; key: string }
  /**
   * Something that is there but cannot be read as a file or entered as a directory: a FIFO,
   * socket or device (reading one could block forever), or an entry whose name is not valid
   * UTF-8 (`key` then holds the name decoded with U+FFFD replacements and cannot be opened).
   * Yielded so that validators report it (every entry counts); never read it. Filesystem only.
   */
  | { kind: 'other'; key: string; type: OtherEntryType };

/** What an {@link ListEntry} of kind `other` is. */
export type OtherEntryType =
  | 'fifo'
  | 'socket'
  | 'char-device'
  | 'block-device'
  | 'unknown'
  | 'undecodable-name';

/** Options for {@link ReadableStore.list}. */
export interface ListOptions {
  /**
   * When true (default), list only the direct children of `prefix`, folding deeper keys into
   * `prefix` entries. When false, yield every file below `prefix` recursively (no prefix entries).
   */
  delimiter?: boolean;
  /** Page size hint for paging backends (default 1000). */
  pageSize?: number;
  /** Abort the listing. */
  signal?: AbortSignal;
}

/** Options for {@link ReadableStore.read}. */
export interface ReadOptions {
  /** First byte, inclusive (default 0). */
  start?: number;
  /** Last byte, inclusive (default: end of object). */
  end?: number;
  /** Aborting destroys the underlying read (closes the fd / cancels the S3 GET). */
  signal?: AbortSignal;
}

/** Options for {@link ReadableStore.readBytes}. */
export interface ReadBytesOptions {
  /** Largest object accepted, in bytes (default {@link DEFAULT_READ_BYTES_LIMIT}). */
  maxBytes?: number;
  signal?: AbortSignal;
}

/**
 * Default cap of {@link ReadableStore.readBytes}: 64 MiB. Everything read whole is data from
 * someone else; a caller that expects more (an inventory) passes its own cap.
 */
export const DEFAULT_READ_BYTES_LIMIT = 64 * 1024 * 1024;

/** The read side every backend implements. */
export interface ReadableStore {
  /** Short name for messages: `memory`, `file`, `s3`. */
  readonly kind: 'memory' | 'file' | 's3';
  /** URI of the backend root: `file:///abs/dir`, `s3://bucket/prefix`, `memory://name`. */
  readonly uri: string;
  /** Stream an object's bytes (optionally a byte range). Throws NotFoundError. */
  read(key: string, options?: ReadOptions): Promise<Readable>;
  /**
   * Read a whole (small) object into memory, at most `maxBytes` (default
   * {@link DEFAULT_READ_BYTES_LIMIT}). Throws NotFoundError, TooLargeError past the limit (after
   * reading no more than the limit).
   */
  readBytes(key: string, options?: ReadBytesOptions): Promise<Buffer>;
  /** Size, mtime, etag, sha256 when known. Throws NotFoundError. */
  stat(key: string): Promise<StatResult>;
  /** True when a file exists at exactly `key`. */
  exists(key: string): Promise<boolean>;
  /**
   * List keys under `prefix` ('' = the whole store). `prefix` names a directory: `a/b` lists
   * `a/b/...`, not `a/bc`. Results come in pages, sorted by key within each page.
   */
  list(prefix: string, options?: ListOptions): AsyncIterable<ListEntry>;
}

/** Options for {@link WritableStore.write}. */
export interface WriteOptions {
  /** Fail with AlreadyExistsError if the key exists (atomic where the backend allows). Default false. */
  ifNoneMatch?: boolean;
  /** Fail with PreconditionFailedError unless the current etag is this one. */
  ifMatch?: string;
  /** Expected lowercase hex SHA-256; backends that can verify it server-side do, others ignore it. */
  sha256?: string;
  /** Size in bytes when known (lets S3 choose single-part vs multipart). */
  size?: number;
  /** Content type to record where the backend stores one. */
  contentType?: string;
  signal?: AbortSignal;
}

/** Result of a write: the stored object's facts. */
export interface WriteResult {
  key: string;
  size: number;
  etag?: string;
  sha256?: string;
}

/** The optional write side. Only lib/txn may use it. */
export interface WritableStore extends ReadableStore {
  /** Store bytes at `key`. Throws AlreadyExistsError / PreconditionFailedError per options. */
  write(key: string, body: Readable | Buffer | string, options?: WriteOptions): Promise<WriteResult>;
  /** Copy within the store (server-side where possible; S3 > 5 GiB uses multipart copy). */
  copy(
    fromKey: string,
    toKey: string,
    options?: { ifNoneMatch?: boolean; signal?: AbortSignal },
  ): Promise<void>;
  /** Delete one key; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Delete everything under a prefix (directory semantics as in list). */
  deletePrefix(prefix: string): Promise<number>;
}

/** Type guard: does this store offer the write side? */
export function isWritable(store: ReadableStore): store is WritableStore {
  return typeof (store as Partial<WritableStore>).write === 'function';
}

/**
 * Check that `key` is a well-formed store key (see module doc). Throws InvalidInputError.
 * '' is allowed only when `allowEmpty` (meaning: the root, for list prefixes).
 */
export function assertKey(key: string, allowEmpty = false): void {
  if (key === '') {
    if (allowEmpty) return;
    throw new InvalidInputError('empty storage key', { key });
  }
  if (key.startsWith('/') || key.endsWith('/')) {
    throw new InvalidInputError(`storage key must not start or end with "/": ${key}`, { key });
  }
  for (const seg of key.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') {
      throw new InvalidInputError(`storage key has an empty, "." or ".." segment: ${key}`, { key });
    }
  }
  if (key.includes('\0')) throw new InvalidInputError('storage key contains NUL', { key });
}

/** Join key segments with `/`, skipping empty ones (never produces `//`). */
export function joinKey(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '')
    .join('/');
}

/**
 * Optional capability of stores whose keys are plain files on this machine (the filesystem
 * backend). Lets hashing workers open files themselves with sync I/O instead of streaming bytes
 * through the main thread. Never used to write.
 */
export interface LocalPathCapable {
  /** Absolute filesystem path for `key` (which need not exist). Throws PathEscapeError. */
  localPath(key: string): string;
}

/** Type guard for {@link LocalPathCapable}. */
export function hasLocalPaths(store: ReadableStore): store is ReadableStore & LocalPathCapable {
  return typeof (store as Partial<LocalPathCapable>).localPath === 'function';
}
