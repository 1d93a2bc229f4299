/**
 * The filesystem backend: keys are relative paths below a root directory, with real
 * directories.
 *
 * Writes go to a temp file (`.strongroom-tmp-<random>`, same directory, invisible to reads and
 * listings, removed on failure) and are then moved into place, so a reader never sees half a
 * file. A conditional create (`ifNoneMatch`) is committed with `link(temp, final)`, which fails
 * atomically with EEXIST when the key exists — exactly one of many concurrent creators wins.
 * `ifMatch` (on writes and deletes) compares the current etag just before the rename or unlink;
 * that check-then-act is not atomic between processes (the capabilities say `emulated`; the
 * transaction module's object lock provides single-writer). Renames are one `rename(2)`.
 *
 * ETag: `${size}-${mtimeMs}-${ino}`. Size and mtime alone are not enough because Linux file
 * times are only as fine as the kernel tick, so two same-size writes in one tick would share an
 * etag; every write here creates a new inode while the old file still exists, so including the
 * inode number makes each write's etag distinct.
 *
 * Durability: by default files are not fsynced (fast bulk writes); call {@link FsStore.sync} with
 * the keys written once a batch is complete (one flush for the lot, fs-sync.ts). `durable: true`
 * fsyncs each file before its rename and the directory after it instead; a write given
 * `{ durable: true }` does so for that one write (the transaction's commit point).
 *
 * Listing semantics (empty directories as prefixes, symlinks flagged) are in fs-walk.ts. Deleting
 * prunes directories left empty up to the root, so prefixes vanish as they do on S3.
 */

import { constants, promises as fsp } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  FixityMismatchError,
  hasCode,
  InvalidInputError,
  PathEscapeError,
  UnsupportedError,
} from '../../core/errors.js';
import { fsCapabilities, type StoreCapabilities } from '../capabilities.js';
import { attachAbort, checkRange, readLimit, throwIfAborted, tooLarge } from '../common.js';
import {
  assertKey,
  type CopyOptions,
  type DeleteOptions,
  type ListEntry,
  type ListOptions,
  type LocalPathCapable,
  type ReadBytesOptions,
  type ReadOptions,
  type StatResult,
  type StoreLocation,
  type WritableStore,
  type WriteOptions,
  type WriteResult,
} from '../port.js';
import type { LocalTargetCapable } from '../transfer.js';
import { FsLocalFiles } from './fs-local.js';
import { assertRealInside, fsError, isErrno, isInside, isTempName, tempPathFor } from './fs-paths.js';
import { type SyncStrategy, syncFiles, syncPath } from './fs-sync.js';
import { FsLocalTargets } from './fs-targets.js';
import { fsEtag, walkDirectory } from './fs-walk.js';
import { checkEtag, commitTemp, moveFile, pruneEmpty, writeTemp } from './fs-write.js';

/** Options of {@link FsStore}. */
export interface FsStoreOptions {
  /** Refuse every write with UnsupportedError (default false). */
  readOnly?: boolean;
  /** fsync every written file before its rename and its directory after (default false). */
  durable?: boolean;
  /** How {@link FsStore.sync} flushes (default `auto`: see fs-sync.ts). */
  syncStrategy?: SyncStrategy;
}

/** A {@link WritableStore} over a directory tree; also gives hashing workers local paths. */
export class FsStore implements WritableStore, LocalPathCapable, LocalTargetCapable {
  readonly kind = 'file' as const;
  readonly uri: string;
  readonly location: StoreLocation;
  /** Absolute root directory (as given, resolved; not symlink-resolved). */
  readonly root: string;
  readonly readOnly: boolean;
  readonly durable: boolean;
  readonly #syncStrategy: SyncStrategy;
  readonly #rootWithSep: string;
  private realRootCache?: string;

  /** @param rootDir the root directory; it need not exist until the first write. */
  constructor(rootDir: string, options: FsStoreOptions = {}) {
    this.root = resolve(rootDir);
    this.#rootWithSep = this.root.endsWith(sep) ? this.root : this.root + sep;
    this.uri = pathToFileURL(this.root).href;
    this.location = { kind: 'file', path: this.root };
    this.readOnly = options.readOnly ?? false;
    this.durable = options.durable ?? false;
    this.#syncStrategy = options.syncStrategy ?? 'auto';
  }

  /** Atomic creates, copies and renames; emulated ifMatch; durable after sync (see capabilities.ts). */
  async capabilities(): Promise<StoreCapabilities> {
    return fsCapabilities(this.durable);
  }

  /** Absolute path for `key` (lexical; need not exist). Throws InvalidInputError, PathEscapeError. */
  localPath(key: string): string {
    assertKey(key);
    // A checked key has no empty, `.` or `..` segment, so plain concatenation is the normalised
    // path (path.join would re-normalise it: a few µs a key, which hashing pays per file).
    const path = this.#rootWithSep + (sep === '/' ? key : key.replaceAll('/', sep));
    if (!isInside(this.root, path) || path === this.root) {
      throw new PathEscapeError(`${key} is outside the storage root`, { key });
    }
    return path;
  }

  /** A resolver of keys to checked local paths for one job (see fs-local.ts). */
  localFiles(): FsLocalFiles {
    return new FsLocalFiles(this.root, (key) => this.localPath(key));
  }

  /**
   * A resolver of keys to new local files for one job (see fs-targets.ts): for writers that copy
   * with sync I/O in worker threads. Throws UnsupportedError on a read-only store.
   */
  localTargets(): FsLocalTargets {
    this.assertWritable('', 'localTargets');
    const localPath = (key: string) => this.localPath(key);
    return new FsLocalTargets(this.root, new FsLocalFiles(this.root, localPath), localPath);
  }

  /** Stream a file (optionally a byte range). Throws NotFoundError, PathEscapeError, IoError. */
  async read(key: string, options: ReadOptions = {}): Promise<Readable> {
    const range = checkRange(options, key);
    const path = await this.checkedPath(key, 'read');
    throwIfAborted(options.signal);
    const { handle } = await this.openFile(path, key, 'read');
    const stream = handle.createReadStream({ start: range.start, end: range.end, autoClose: true });
    if (options.signal) attachAbort(stream, options.signal);
    return stream;
  }

  /**
   * The whole file in memory: one path check, `open`, `fstat` (a file larger than
   * `options.maxBytes`, default 256 MiB, is refused from its size before a byte is read, so a
   * sparse 3 GB file costs nothing), usually one `read`, `close`. Small files (Fedora headers,
   * sidecars) are read by the hundred thousand, so no stream is built for them. Throws
   * NotFoundError, TooLargeError, PathEscapeError, IoError, the abort reason.
   */
  async readBytes(key: string, options: ReadBytesOptions = {}): Promise<Buffer> {
    const limit = readLimit(options.maxBytes, key);
    throwIfAborted(options.signal);
    const path = await this.checkedPath(key, 'read');
    const { handle, size } = await this.openFile(path, key, 'read');
    try {
      if (size > limit) throw tooLarge(key, limit);
      return await readWhole(handle, size, limit, key, options.signal);
    } catch (err) {
      throw fsError(err, 'read', key);
    } finally {
      await handle.close().catch(() => {});
    }
  }

  /** Size, mtime and etag (no sha256: nothing vouches for it). Throws NotFoundError. */
  async stat(key: string): Promise<StatResult> {
    const path = await this.checkedPath(key, 'stat');
    const st = await fsp.stat(path).catch((err) => {
      throw fsError(err, 'stat', key);
    });
    if (!st.isFile()) throw fsError(Object.assign(new Error('not a file'), { code: 'EISDIR' }), 'stat', key);
    return { key, size: st.size, modified: st.mtime, etag: fsEtag(st) };
  }

  /** True when a regular file (or a link to one inside the root) is at `key`. Throws PathEscapeError. */
  async exists(key: string): Promise<boolean> {
    let path: string;
    try {
      path = await this.checkedPath(key, 'exists');
    } catch (err) {
      if (hasCode(err, 'NOT_FOUND')) return false; // temp-file names, missing root
      throw err;
    }
    return fsp.stat(path).then(
      (st) => st.isFile(),
      () => false,
    );
  }

  /** Walk below `prefix`; see fs-walk.ts for empty directories and symlinks. */
  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ListEntry> {
    assertKey(prefix, true);
    throwIfAborted(options.signal);
    const dir = prefix === '' ? this.root : this.localPath(prefix);
    const realRoot = await this.realRoot().catch(() => undefined);
    if (realRoot === undefined) return; // no root yet: nothing stored
    await assertRealInside(realRoot, dir, prefix);
    yield* walkDirectory(dir, prefix === '' ? '' : `${prefix}/`, options.delimiter ?? true, options.signal);
  }

  /**
   * Write `body` to `key` through a temp file. Verifies `options.sha256` when given
   * (FixityMismatchError). Throws AlreadyExistsError, PreconditionFailedError, UnsupportedError
   * (read-only), PathEscapeError, AccessDeniedError, IoError.
   */
  async write(
    key: string,
    body: Readable | Buffer | string,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    const path = await this.prepareWrite(key, 'write');
    const temp = tempPathFor(path);
    try {
      const durable = this.durable || options.durable === true;
      const { size, sha256 } = await writeTemp(temp, body, durable, options.signal);
      if (options.sha256 !== undefined && options.sha256.toLowerCase() !== sha256) {
        throw new FixityMismatchError(`SHA-256 mismatch writing ${key}`, options.sha256, sha256, {
          operation: 'write',
          key,
        });
      }
      await commitTemp(temp, path, key, options, 'write', durable);
      const st = await fsp.stat(path);
      return { key, size, etag: fsEtag(st), sha256 };
    } catch (err) {
      await fsp.rm(temp, { force: true });
      throw fsError(err, 'write', key);
    }
  }

  /** Copy a file (reflink where the filesystem can). Throws NotFoundError, AlreadyExistsError. */
  async copy(fromKey: string, toKey: string, options: CopyOptions = {}): Promise<void> {
    this.assertWritable(toKey, 'copy');
    const src = await this.checkedPath(fromKey, 'copy');
    const path = await this.prepareWrite(toKey, 'copy');
    throwIfAborted(options.signal);
    const temp = tempPathFor(path);
    try {
      await fsp.copyFile(src, temp, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL).catch((err) => {
        throw fsError(err, 'copy', fromKey);
      });
      if (this.durable) await syncPath(temp);
      const conditions = { ifNoneMatch: options.ifNoneMatch ?? false };
      await commitTemp(temp, path, toKey, conditions, 'copy', this.durable);
    } catch (err) {
      await fsp.rm(temp, { force: true });
      throw fsError(err, 'copy', toKey);
    }
  }

  /**
   * Move a regular file with `rename(2)` (see moveFile for `ifNoneMatch`) and prune the source's
   * emptied directories. Throws NotFoundError (source), AlreadyExistsError, UnsupportedError.
   */
  async rename(fromKey: string, toKey: string, options: CopyOptions = {}): Promise<void> {
    this.assertWritable(fromKey, 'rename');
    const src = await this.checkedPath(fromKey, 'rename');
    const st = await fsp.lstat(src).catch((err) => {
      throw fsError(err, 'rename', fromKey);
    });
    if (!st.isFile())
      throw fsError(Object.assign(new Error('not a file'), { code: 'EISDIR' }), 'rename', fromKey);
    const path = await this.prepareWrite(toKey, 'rename');
    throwIfAborted(options.signal);
    try {
      await moveFile(src, path, toKey, options.ifNoneMatch ?? false, this.durable);
    } catch (err) {
      throw fsError(err, 'rename', isErrno(err, 'ENOENT') ? fromKey : toKey);
    }
    await pruneEmpty(this.root, dirname(src));
  }

  /**
   * Remove the file at `key` (missing is fine without `ifMatch`) and prune emptied directories.
   * With `ifMatch`: PreconditionFailedError unless the current etag is that one (checked, then
   * unlinked: emulated).
   */
  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const path = await this.prepareMutation(key, 'delete');
    if (options.ifMatch !== undefined) await checkEtag(path, key, options.ifMatch, 'delete');
    try {
      await fsp.unlink(path);
    } catch (err) {
      if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR') || isErrno(err, 'EISDIR')) return;
      throw fsError(err, 'delete', key);
    }
    const changed = await pruneEmpty(this.root, dirname(path));
    if (this.durable) await syncPath(changed).catch(() => {}); // gone already: nothing to flush
  }

  /** Remove the directory `prefix` and everything below it; returns the number of files removed. */
  async deletePrefix(prefix: string): Promise<number> {
    const dir = await this.prepareMutation(prefix, 'deletePrefix');
    const st = await fsp.lstat(dir).catch(() => undefined);
    if (!st?.isDirectory()) return 0; // a file or link named `prefix` is not below it
    let n = 0;
    for await (const entry of walkDirectory(dir, `${prefix}/`, false)) if (entry.kind === 'file') n++;
    await fsp.rm(dir, { recursive: true, force: true }).catch((err) => {
      throw fsError(err, 'deletePrefix', prefix);
    });
    await pruneEmpty(this.root, dirname(dir));
    return n;
  }

  /**
   * Make the files at `keys` and their directory entries durable in one bulk flush (fs-sync.ts).
   * A `durable` store has flushed everything already and only checks the keys' syntax. Throws
   * InvalidInputError (malformed key), NotFoundError (no file at a key), IoError.
   */
  async sync(keys: Iterable<string>): Promise<void> {
    const targets = [...keys].map((key) => ({ key, path: this.localPath(key) }));
    if (!this.durable) await syncFiles(targets, this.#syncStrategy, this.root);
  }

  private async realRoot(): Promise<string> {
    this.realRootCache ??= await fsp.realpath(this.root);
    return this.realRootCache;
  }

  /** localPath + symlink escape check for reads; a missing root means NotFoundError. */
  private async checkedPath(key: string, operation: string): Promise<string> {
    const path = this.localPath(key);
    if (isTempName(path.slice(path.lastIndexOf(sep) + 1))) {
      throw fsError(Object.assign(new Error('temp file'), { code: 'ENOENT' }), operation, key);
    }
    const realRoot = await this.realRoot().catch((err) => {
      throw fsError(err, operation, key);
    });
    await assertRealInside(realRoot, path, key);
    return path;
  }

  private async openFile(path: string, key: string, operation: string) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; on a
    // regular file it changes nothing. fstat then refuses anything that is not a file.
    const handle = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((err) => {
      throw fsError(err, operation, key);
    });
    const st = await handle.stat().catch(async (err) => {
      await handle.close().catch(() => {});
      throw fsError(err, operation, key);
    });
    if (!st.isFile()) {
      await handle.close();
      throw fsError(Object.assign(new Error('not a file'), { code: 'EISDIR' }), operation, key);
    }
    return { handle, size: st.size };
  }

  private assertWritable(key: string, operation: string): void {
    if (this.readOnly) throw new UnsupportedError('this store is read-only', { operation, key });
  }

  /** Checks for a delete: writable, no temp-file name, inside the root. */
  private async prepareMutation(key: string, operation: string): Promise<string> {
    this.assertWritable(key, operation);
    const path = this.localPath(key);
    if (isTempName(path.slice(path.lastIndexOf(sep) + 1))) {
      throw new InvalidInputError(`keys may not use the temp-file name prefix: ${key}`, { operation, key });
    }
    const realRoot = await this.realRoot().catch(() => undefined);
    if (realRoot !== undefined) await assertRealInside(realRoot, path, key); // no root: nothing to touch
    return path;
  }

  /** Checks for a write to `key` and creates its parent directories. */
  private async prepareWrite(key: string, operation: string): Promise<string> {
    this.assertWritable(key, operation);
    const path = this.localPath(key);
    if (isTempName(path.slice(path.lastIndexOf(sep) + 1))) {
      throw new InvalidInputError(`keys may not use the temp-file name prefix: ${key}`, { operation, key });
    }
    await fsp.mkdir(this.root, { recursive: true }).catch((err) => {
      throw fsError(err, operation, key);
    });
    await assertRealInside(await this.realRoot(), path, key);
    await fsp.mkdir(dirname(path), { recursive: true }).catch((err) => {
      throw fsError(err, operation, key);
    });
    return path;
  }
}

/**
 * Read an open file to its end into one buffer sized from its `fstat` (plus one byte, so a file
 * that grew since is noticed). A read that returns fewer bytes than asked is the end of a regular
 * file, so a file that did not change costs one `read`. Past `limit` bytes: TooLargeError.
 */
async function readWhole(
  handle: fsp.FileHandle,
  size: number,
  limit: number,
  key: string,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  let buf = Buffer.allocUnsafe(size + 1);
  let filled = 0;
  for (;;) {
    throwIfAborted(signal);
    if (filled === buf.length) {
      if (filled > limit) throw tooLarge(key, limit);
      const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const want = buf.length - filled;
    const { bytesRead } = await handle.read(buf, filled, want, null);
    filled += bytesRead;
    if (bytesRead < want) break;
  }
  if (filled > limit) throw tooLarge(key, limit);
  return buf.subarray(0, filled);
}
