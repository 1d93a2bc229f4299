/**
 * The storage port: the only thing the OCFL engine knows about where bytes live.
 *
 * Backends move bytes and list keys; they know nothing of OCFL (an adapter that mentions
 * `inventory.json` has leaked). Keys are `/`-separated, relative to the backend's root, never
 * start or end with `/` and never contain empty segments, `.` or `..` (see {@link assertKey}).
 *
 * Reading is required. Writing is optional and grouped in {@link WritableStore}; only the
 * transaction module may call it: `openStore` (location.ts) hands out read-only views, and only
 * `openWritableStore` (writable.ts, imported by lib/txn alone) gives a writable store. What each
 * backend guarantees for conditional writes, deletes, copies, renames, durability and checksums is
 * in its {@link StoreCapabilities} (capabilities.ts; the per-backend table is in docs/storage.md).
 *
 * Every backend translates its vendor errors into the taxonomy of `lib/core/errors.ts`
 * (NotFoundError, AlreadyExistsError, PreconditionFailedError, UnsupportedError,
 * AccessDeniedError, IoError) carrying `operation`, `key` and `cause`.
 */
import type { Readable } from 'node:stream';
import { InvalidInputError } from '../core/errors.js';
import type { StoreCapabilities } from './capabilities.js';

export type { Guarantee, StoreCapabilities, SyncDurability } from './capabilities.js';

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

/**
 * Where a store's root is, as structured data (so nobody parses {@link ReadableStore.uri}):
 * - `file`: `path` is the absolute root directory as given (resolved, not symlink-resolved);
 * - `s3`: the `bucket`, the store's key `prefix` inside it ('' = the bucket root; no slashes at
 *   either end) and the `endpoint` URL for non-AWS servers (absent: AWS);
 * - `memory`: the store's `name` (tests and tools).
 */
export type StoreLocation =
  | { kind: 'file'; path: string }
  | { kind: 's3'; bucket: string; prefix: string; endpoint?: string }
  | { kind: 'memory'; name: string };

/** The read side every backend implements. */
export interface ReadableStore {
  /** Short name for messages: `memory`, `file`, `s3` (always `location.kind`). */
  readonly kind: 'memory' | 'file' | 's3';
  /** URI of the backend root: `file:///abs/dir`, `s3://bucket/prefix`, `memory://name`. For messages. */
  readonly uri: string;
  /** Where the root is, structured (see {@link StoreLocation}). */
  readonly location: StoreLocation;
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
  /**
   * Make this write durable before it becomes visible, whatever the store's default: the
   * filesystem fsyncs the temp file before its rename and the directory after it (a commit point:
   * a crash can never leave the key naming unflushed bytes). Stores that are durable on write
   * (S3) or never (memory) ignore it. Default false.
   */
  durable?: boolean;
  signal?: AbortSignal;
}

/** Result of a write: the stored object's facts. */
export interface WriteResult {
  key: string;
  size: number;
  etag?: string;
  /**
   * Lowercase hex SHA-256 of the bytes this process sent, computed while writing them (every
   * backend). Not a claim about the stored bytes: that is {@link StatResult.sha256}.
   */
  sha256: string;
}

/** Options for {@link WritableStore.copy} and {@link WritableStore.rename}. */
export interface CopyOptions {
  /** Fail with AlreadyExistsError if the destination exists (see the capabilities). Default false. */
  ifNoneMatch?: boolean;
  signal?: AbortSignal;
}

/** Options for {@link WritableStore.delete}. */
export interface DeleteOptions {
  /**
   * Delete only while the current etag is this one: PreconditionFailedError when it differs or
   * the key is missing (atomic or not per `conditionalDelete` in the capabilities).
   */
  ifMatch?: string;
}

/** The optional write side. Only lib/txn may use it (see the module doc). */
export interface WritableStore extends ReadableStore {
  /**
   * What this store guarantees (see capabilities.ts). S3 stores find out once, with a probe
   * object, and cache the answer; the others answer at once. Throws IoError, AccessDeniedError
   * when a probe cannot run (a later call probes again).
   */
  capabilities(): Promise<StoreCapabilities>;
  /** Store bytes at `key`. Throws AlreadyExistsError / PreconditionFailedError per options. */
  write(key: string, body: Readable | Buffer | string, options?: WriteOptions): Promise<WriteResult>;
  /**
   * Copy within the store (server-side where possible; S3 > 5 GiB uses multipart copy). Throws
   * NotFoundError (source), AlreadyExistsError (`ifNoneMatch` and the destination exists).
   */
  copy(fromKey: string, toKey: string, options?: CopyOptions): Promise<void>;
  /**
   * Move `fromKey` to `toKey` (replacing it unless `ifNoneMatch`). Atomic or emulated by copy and
   * delete per `rename` in the capabilities. Throws NotFoundError (source), AlreadyExistsError.
   */
  rename(fromKey: string, toKey: string, options?: CopyOptions): Promise<void>;
  /**
   * Delete one key; deleting a missing key is not an error, except with `ifMatch`
   * (PreconditionFailedError when the key is missing or has another etag).
   */
  delete(key: string, options?: DeleteOptions): Promise<void>;
  /** Delete everything under a prefix (directory semantics as in list). */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Make the objects at `keys` (written, copied or renamed before) and the names that lead to
   * them durable, in bulk: after it resolves they survive a crash. What it costs and checks is
   * per `durability` in the capabilities: `after-sync` backends (filesystem) flush and report a
   * missing key with NotFoundError; `on-write` (S3) and `none` (memory) backends do nothing.
   */
  sync(keys: Iterable<string>): Promise<void>;
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
  // One regex pass for the common, well-formed key (hashing checks hundreds of thousands); the
  // checks below only run to say what is wrong.
  if (!BAD_SEGMENT.test(key) && !key.includes('\0')) return;
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

/** An empty, `.` or `..` segment anywhere (which includes a leading or trailing `/`). */
const BAD_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** Join key segments with `/`, skipping empty ones (never produces `//`). */
export function joinKey(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '')
    .join('/');
}

/**
 * Resolves keys to files on this machine for readers that open them by path themselves (the
 * hashing workers, with sync I/O). The store does every check (key syntax, temp names, and the
 * real path of the key's directory against the real root) and hands out paths that are safe to
 * open **without following a final symbolic link** (`O_NOFOLLOW`); a reader that meets a link
 * there (ELOOP) asks {@link resolveLink}. Directory checks are cached for the resolver's
 * lifetime: take a new one per job, so no check is older than the job relying on it. The calls
 * are synchronous (a few microseconds each, once per directory) because an async call per file
 * on the main thread costs a thread-pool round trip (PERF-NOTES §3).
 */
export interface LocalFileResolver {
  /**
   * The path to open for `key`: its directory's real path (checked to lie inside the store's real
   * root) joined with the key's last segment. Throws InvalidInputError (malformed key),
   * PathEscapeError (the directory resolves outside the root), NotFoundError (no such directory,
   * no root, a temp-file name), AccessDeniedError, IoError.
   */
  resolve(key: string): string;
  /**
   * For a key whose last segment is a symbolic link: the real path of its target when that lies
   * inside the root. Throws PathEscapeError (it leads out), NotFoundError (dangling), IoError.
   */
  resolveLink(key: string): string;
}

/**
 * Optional capability of stores whose keys are plain files on this machine (the filesystem
 * backend). Lets hashing workers open files themselves with sync I/O instead of streaming bytes
 * through the main thread. Never used to write.
 */
export interface LocalPathCapable {
  /** A fresh resolver (see {@link LocalFileResolver}). */
  localFiles(): LocalFileResolver;
}

/** Type guard for {@link LocalPathCapable}. */
export function hasLocalPaths(store: ReadableStore): store is ReadableStore & LocalPathCapable {
  return typeof (store as Partial<LocalPathCapable>).localFiles === 'function';
}
