/**
 * The filesystem backend: keys are relative paths below a root directory, with real
 * directories.
 *
 * Writes go to a temp file (`.strongroom-tmp-<random>`, same directory, invisible to reads and
 * listings, removed on failure) and are then moved into place, so a reader never sees half a
 * file. A conditional create (`ifNoneMatch`) is committed with `link(temp, final)`, which fails
 * atomically with EEXIST when the key exists — exactly one of many concurrent creators wins.
 * `ifMatch` compares the current etag just before the rename; that check-then-rename is not
 * atomic between processes (the transaction module's object lock provides single-writer).
 *
 * ETag: `${size}-${mtimeMs}-${ino}`. Size and mtime alone are not enough because Linux file
 * times are only as fine as the kernel tick, so two same-size writes in one tick would share an
 * etag; every write here creates a new inode while the old file still exists, so including the
 * inode number makes each write's etag distinct.
 *
 * Durability: by default files are not fsynced (fast bulk writes). `durable: true` fsyncs each
 * file before its rename and the directory after it; otherwise call {@link FsStore.sync} with the
 * keys written once a batch is complete.
 *
 * Listing semantics (empty directories as prefixes, symlinks flagged) are in fs-walk.ts. Deleting
 * prunes directories left empty up to the root, so prefixes vanish as they do on S3.
 */

import { createHash } from 'node:crypto';
import { constants, createWriteStream, promises as fsp } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import {
  AlreadyExistsError,
  FixityMismatchError,
  hasCode,
  InvalidInputError,
  PathEscapeError,
  PreconditionFailedError,
  UnsupportedError,
} from '../../core/errors.js';
import { attachAbort, checkRange, readLimit, streamToBuffer, throwIfAborted, tooLarge } from '../common.js';
import {
  assertKey,
  type ListEntry,
  type ListOptions,
  type LocalPathCapable,
  type ReadBytesOptions,
  type ReadOptions,
  type StatResult,
  type WritableStore,
  type WriteOptions,
  type WriteResult,
} from '../port.js';
import { assertRealInside, fsError, isErrno, isInside, isTempName, tempPathFor } from './fs-paths.js';
import { fsEtag, walkDirectory } from './fs-walk.js';

/** Options of {@link FsStore}. */
export interface FsStoreOptions {
  /** Refuse every write with UnsupportedError (default false). */
  readOnly?: boolean;
  /** fsync every written file before its rename and its directory after (default false). */
  durable?: boolean;
}

/** A {@link WritableStore} over a directory tree; also gives hashing workers local paths. */
export class FsStore implements WritableStore, LocalPathCapable {
  readonly kind = 'file' as const;
  readonly uri: string;
  /** Absolute root directory (as given, resolved; not symlink-resolved). */
  readonly root: string;
  readonly readOnly: boolean;
  readonly durable: boolean;
  private realRootCache?: string;

  /** @param rootDir the root directory; it need not exist until the first write. */
  constructor(rootDir: string, options: FsStoreOptions = {}) {
    this.root = resolve(rootDir);
    this.uri = pathToFileURL(this.root).href;
    this.readOnly = options.readOnly ?? false;
    this.durable = options.durable ?? false;
  }

  /** Absolute path for `key` (lexical; need not exist). Throws InvalidInputError, PathEscapeError. */
  localPath(key: string): string {
    assertKey(key);
    const path = join(this.root, ...key.split('/'));
    if (!isInside(this.root, path) || path === this.root) {
      throw new PathEscapeError(`${key} is outside the storage root`, { key });
    }
    return path;
  }

  /** Stream a file (optionally a byte range). Throws NotFoundError, PathEscapeError, IoError. */
  async read(key: string, options: ReadOptions = {}): Promise<Readable> {
    const range = checkRange(options, key);
    const path = await this.checkedPath(key, 'read');
    throwIfAborted(options.signal);
    const handle = await this.openFile(path, key, 'read');
    const stream = handle.createReadStream({ start: range.start, end: range.end, autoClose: true });
    if (options.signal) attachAbort(stream, options.signal);
    return stream;
  }

  /** The whole file in memory. Throws NotFoundError. */
  async readBytes(key: string, options: ReadBytesOptions = {}): Promise<Buffer> {
    const limit = readLimit(options.maxBytes, key);
    // A sparse 3 GB file is refused from its size, before a byte is read.
    if ((await this.stat(key)).size > limit) throw tooLarge(key, limit);
    const stream = await this.read(key, options.signal ? { signal: options.signal } : {});
    return streamToBuffer(stream, options.signal, limit, key);
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
   * (read-only), PathEscapeError, IoError.
   */
  async write(
    key: string,
    body: Readable | Buffer | string,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    const path = await this.prepareWrite(key, 'write');
    const temp = tempPathFor(path);
    try {
      const { size, sha256 } = await this.writeTemp(temp, body, options.signal);
      if (options.sha256 !== undefined && options.sha256.toLowerCase() !== sha256) {
        throw new FixityMismatchError(`SHA-256 mismatch writing ${key}`, options.sha256, sha256, {
          operation: 'write',
          key,
        });
      }
      await this.commit(temp, path, key, options, 'write');
      const st = await fsp.stat(path);
      return { key, size, etag: fsEtag(st), sha256 };
    } catch (err) {
      await fsp.rm(temp, { force: true });
      throw fsError(err, 'write', key);
    }
  }

  /** Copy a file (reflink where the filesystem can). Throws NotFoundError, AlreadyExistsError. */
  async copy(fromKey: string, toKey: string, options: { ifNoneMatch?: boolean; signal?: AbortSignal } = {}) {
    const src = await this.checkedPath(fromKey, 'copy');
    const path = await this.prepareWrite(toKey, 'copy');
    throwIfAborted(options.signal);
    const temp = tempPathFor(path);
    try {
      await fsp.copyFile(src, temp, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL).catch((err) => {
        throw fsError(err, 'copy', fromKey);
      });
      if (this.durable) await syncPath(temp);
      await this.commit(temp, path, toKey, { ifNoneMatch: options.ifNoneMatch ?? false }, 'copy');
    } catch (err) {
      await fsp.rm(temp, { force: true });
      throw fsError(err, 'copy', toKey);
    }
  }

  /** Remove the file at `key` (missing is fine) and prune emptied directories. */
  async delete(key: string): Promise<void> {
    const path = await this.prepareMutation(key, 'delete');
    try {
      await fsp.unlink(path);
    } catch (err) {
      if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR') || isErrno(err, 'EISDIR')) return;
      throw fsError(err, 'delete', key);
    }
    await this.pruneEmpty(dirname(path));
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
    await this.pruneEmpty(dirname(dir));
    return n;
  }

  /** fsync the files at `keys` and their directories (for batches written without `durable`). */
  async sync(keys: Iterable<string>): Promise<void> {
    const dirs = new Set<string>();
    for (const key of keys) {
      const path = this.localPath(key);
      await syncPath(path).catch((err) => {
        throw fsError(err, 'sync', key);
      });
      dirs.add(dirname(path));
    }
    for (const dir of dirs) await syncPath(dir);
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
    const handle = await fsp.open(path, 'r').catch((err) => {
      throw fsError(err, operation, key);
    });
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      throw fsError(Object.assign(new Error('not a file'), { code: 'EISDIR' }), operation, key);
    }
    return handle;
  }

  private async prepareMutation(key: string, operation: string): Promise<string> {
    if (this.readOnly) throw new UnsupportedError('this store is read-only', { operation, key });
    const path = this.localPath(key);
    const realRoot = await this.realRoot().catch(() => undefined);
    if (realRoot !== undefined) await assertRealInside(realRoot, path, key); // no root: nothing to touch
    return path;
  }

  /** Checks for a write to `key` and creates its parent directories. */
  private async prepareWrite(key: string, operation: string): Promise<string> {
    if (this.readOnly) throw new UnsupportedError('this store is read-only', { operation, key });
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

  /** Stream `body` into a new temp file, hashing as it goes. */
  private async writeTemp(temp: string, body: Readable | Buffer | string, signal?: AbortSignal) {
    const hash = createHash('sha256');
    let size = 0;
    const source =
      typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(source, counter, createWriteStream(temp, { flags: 'wx' }), signal ? { signal } : {});
    if (this.durable) await syncPath(temp);
    return { size, sha256: hash.digest('hex') };
  }

  /** Move the finished temp file to `path` under the write's conditions. */
  private async commit(temp: string, path: string, key: string, options: WriteOptions, operation: string) {
    if (options.ifNoneMatch) {
      try {
        await fsp.link(temp, path);
      } catch (err) {
        if (isErrno(err, 'EEXIST')) throw new AlreadyExistsError(`${key} already exists`, { operation, key });
        throw err;
      }
      await fsp.unlink(temp);
    } else {
      if (options.ifMatch !== undefined) await this.checkEtag(path, key, options.ifMatch, operation);
      await fsp.rename(temp, path);
    }
    if (this.durable) await syncPath(dirname(path));
  }

  private async checkEtag(path: string, key: string, expected: string, operation: string): Promise<void> {
    const st = await fsp.stat(path).catch(() => undefined);
    if (!st?.isFile() || fsEtag(st) !== expected) {
      throw new PreconditionFailedError(`${key} does not have etag ${expected}`, { operation, key });
    }
  }

  /** Remove now-empty directories from `dir` up to (not including) the root. */
  private async pruneEmpty(dir: string): Promise<void> {
    while (dir !== this.root && isInside(this.root, dir)) {
      try {
        await fsp.rmdir(dir);
      } catch {
        return; // not empty, already gone or not ours to remove: stop pruning
      }
      dir = dirname(dir);
    }
  }
}

/** fsync a file or directory by path. */
async function syncPath(path: string): Promise<void> {
  const handle = await fsp.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
