/**
 * An in-process store for tests and small tools. Objects live in a Map of Buffers; there are no
 * directories, so a prefix exists exactly while some key lies below it (as on S3).
 *
 * Every mutation decides at one synchronous point after the body has been collected, so the
 * conditional writes (`ifNoneMatch`, `ifMatch`) are atomic: of many concurrent creators of one
 * key exactly one wins; the same holds for conditional deletes, copies and renames (see
 * MEMORY_CAPABILITIES). ETags are the MD5 hex of the content (as S3 single-part uploads), and
 * `stat` reports the SHA-256, which this store computes itself and therefore vouches for. Nothing
 * is durable: `sync` has nothing to do.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AlreadyExistsError,
  FixityMismatchError,
  NotFoundError,
  PreconditionFailedError,
} from '../../core/errors.js';
import { MEMORY_CAPABILITIES, type StoreCapabilities } from '../capabilities.js';
import {
  bodyToBuffer,
  bufferStream,
  checkRange,
  clampRange,
  compareKeys,
  dirPrefix,
  readLimit,
  throwIfAborted,
  tooLarge,
} from '../common.js';
import {
  assertKey,
  type CopyOptions,
  type DeleteOptions,
  type ListEntry,
  type ListOptions,
  type ReadBytesOptions,
  type ReadOptions,
  type StatResult,
  type StoreLocation,
  type WritableStore,
  type WriteOptions,
  type WriteResult,
} from '../port.js';

interface MemoryObject {
  bytes: Buffer;
  etag: string;
  sha256: string;
  modified: Date;
}

/** A {@link WritableStore} held in memory. `name` only appears in the `memory://name` URI. */
export class MemoryStore implements WritableStore {
  readonly kind = 'memory' as const;
  readonly uri: string;
  readonly location: StoreLocation;
  private readonly objects = new Map<string, MemoryObject>();

  /** @param name label for the URI (default `default`); two stores never share objects. */
  constructor(name = 'default') {
    this.uri = `memory://${name}`;
    this.location = { kind: 'memory', name };
  }

  /** Every conditional operation is atomic; nothing is durable (MEMORY_CAPABILITIES). */
  async capabilities(): Promise<StoreCapabilities> {
    return { ...MEMORY_CAPABILITIES };
  }

  /** Stream an object (optionally a clamped byte range). Throws NotFoundError, InvalidInputError. */
  async read(key: string, options: ReadOptions = {}): Promise<Readable> {
    const range = checkRange(options, key);
    const obj = this.get(key, 'read');
    throwIfAborted(options.signal);
    const [from, to] = clampRange(range, obj.bytes.length);
    return bufferStream(obj.bytes.subarray(from, to), options.signal);
  }

  /** A copy of the whole object. Throws NotFoundError. */
  async readBytes(key: string, options: ReadBytesOptions = {}): Promise<Buffer> {
    throwIfAborted(options.signal);
    const limit = readLimit(options.maxBytes, key);
    const bytes = this.get(key, 'readBytes').bytes;
    if (bytes.length > limit) throw tooLarge(key, limit);
    return Buffer.from(bytes);
  }

  /** Size, time, etag and SHA-256. Throws NotFoundError. */
  async stat(key: string): Promise<StatResult> {
    const obj = this.get(key, 'stat');
    return { key, size: obj.bytes.length, modified: obj.modified, etag: obj.etag, sha256: obj.sha256 };
  }

  /** True when an object is stored at exactly `key`. */
  async exists(key: string): Promise<boolean> {
    assertKey(key);
    return this.objects.has(key);
  }

  /** Keys below `prefix` in byte order; `pageSize` is irrelevant here and ignored. */
  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ListEntry> {
    assertKey(prefix, true);
    throwIfAborted(options.signal);
    const base = dirPrefix(prefix);
    const delimiter = options.delimiter ?? true;
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(base));
    // Keyed by kind too: like S3, an object `a` and objects under `a/` give both a file and a prefix.
    const entries = new Map<string, ListEntry>();
    for (const key of keys) {
      const slash = delimiter ? key.indexOf('/', base.length) : -1;
      if (slash >= 0) {
        const dir = key.slice(0, slash);
        entries.set(`prefix:${dir}`, { kind: 'prefix', key: dir });
      } else {
        const obj = this.objects.get(key)!;
        entries.set(`file:${key}`, {
          kind: 'file',
          key,
          size: obj.bytes.length,
          modified: obj.modified,
          etag: obj.etag,
        });
      }
    }
    const sorted = [...entries.values()].sort(
      (a, b) => compareKeys(a.key, b.key) || (a.kind < b.kind ? -1 : 1),
    );
    for (const entry of sorted) {
      throwIfAborted(options.signal);
      yield entry;
    }
  }

  /**
   * Store `body` at `key`. A given `sha256` is verified (FixityMismatchError). Throws
   * AlreadyExistsError (`ifNoneMatch`) or PreconditionFailedError (`ifMatch` on a missing key or a
   * different etag).
   */
  async write(
    key: string,
    body: Readable | Buffer | string,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    assertKey(key);
    const bytes = Buffer.from(await bodyToBuffer(body, options.signal));
    throwIfAborted(options.signal);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (options.sha256 !== undefined && options.sha256.toLowerCase() !== sha256) {
      throw new FixityMismatchError(`SHA-256 mismatch writing ${key}`, options.sha256, sha256, {
        operation: 'write',
        key,
      });
    }
    this.checkConditions(key, options, 'write');
    const etag = createHash('md5').update(bytes).digest('hex');
    this.objects.set(key, { bytes, etag, sha256, modified: new Date() });
    return { key, size: bytes.length, etag, sha256 };
  }

  /** Copy an object. Throws NotFoundError (source) or AlreadyExistsError (`ifNoneMatch`). */
  async copy(fromKey: string, toKey: string, options: CopyOptions = {}): Promise<void> {
    assertKey(toKey);
    const src = this.get(fromKey, 'copy');
    throwIfAborted(options.signal);
    this.checkConditions(toKey, { ifNoneMatch: options.ifNoneMatch ?? false }, 'copy');
    this.objects.set(toKey, { ...src, modified: new Date() });
  }

  /** Move an object in one step. Throws NotFoundError (source) or AlreadyExistsError (`ifNoneMatch`). */
  async rename(fromKey: string, toKey: string, options: CopyOptions = {}): Promise<void> {
    assertKey(toKey);
    const src = this.get(fromKey, 'rename');
    throwIfAborted(options.signal);
    this.checkConditions(toKey, { ifNoneMatch: options.ifNoneMatch ?? false }, 'rename');
    this.objects.delete(fromKey);
    this.objects.set(toKey, src);
  }

  /**
   * Remove `key`; a missing key is fine unless `ifMatch` is given, which also requires the
   * current etag (PreconditionFailedError).
   */
  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    assertKey(key);
    if (options.ifMatch !== undefined) this.checkConditions(key, { ifMatch: options.ifMatch }, 'delete');
    this.objects.delete(key);
  }

  /** Nothing to flush: memory is never durable. Checks the keys' syntax only. */
  async sync(keys: Iterable<string>): Promise<void> {
    for (const key of keys) assertKey(key);
  }

  /** Remove every key below `prefix/` (not `prefix` itself); returns how many were removed. */
  async deletePrefix(prefix: string): Promise<number> {
    assertKey(prefix);
    const base = dirPrefix(prefix);
    let n = 0;
    for (const key of [...this.objects.keys()]) {
      if (key.startsWith(base) && this.objects.delete(key)) n++;
    }
    return n;
  }

  private get(key: string, operation: string): MemoryObject {
    assertKey(key);
    const obj = this.objects.get(key);
    if (!obj) throw new NotFoundError(`no object at ${key}`, { operation, key });
    return obj;
  }

  private checkConditions(key: string, options: WriteOptions, operation: string): void {
    const current = this.objects.get(key);
    if (options.ifNoneMatch && current) {
      throw new AlreadyExistsError(`${key} already exists`, { operation, key });
    }
    if (options.ifMatch !== undefined && current?.etag !== options.ifMatch) {
      throw new PreconditionFailedError(`${key} does not have etag ${options.ifMatch}`, { operation, key });
    }
  }
}
