/**
 * The S3 backend (AWS S3, MinIO, Ceph RADOS Gateway).
 *
 * What it writes, and why:
 * - Store key `k` is the object `<prefix>/k` in the bucket (just `k` when the store has no
 *   prefix). Keys are joined only from non-empty segments, so no object name ever contains `//`
 *   (MinIO refuses those). Nothing else is stored per object: no directory markers (a prefix
 *   exists while some key lies below it), no sidecar or metadata objects, no `x-amz-meta-*`; only
 *   Content-Type when the caller gives one.
 * - Once per store instance, the first call that needs to know the server's behaviour
 *   (`capabilities()`, a conditional write, delete or copy, or a write with a SHA-256) writes a
 *   probe object `<prefix>/.strongroom-probe-<12 hex>` (and a `-copy` of it) a few times and
 *   deletes them (see probe.ts). Listings hide such names, and store keys may not use them.
 * - Renames are a copy and a delete (S3 has no rename outside directory buckets); `sync` has
 *   nothing to do (an object is durable when its PUT is answered).
 * - Large writes and copies create multipart uploads, which are invisible until completed and
 *   are aborted on failure.
 *
 * Reads stream the GET body (aborting the signal destroys it and the socket). `stat` reports a
 * `sha256` only for a full-object SHA-256 checksum the server returns with ChecksumMode ENABLED;
 * multipart composites (`...-N`, ChecksumType COMPOSITE) are not a content digest and are dropped.
 * A bare 404 from HeadObject cannot tell a missing object from a missing bucket, so the first
 * such answer asks HeadBucket once (remembered while the bucket exists): a missing bucket is a
 * NotFoundError naming it, not an empty store. Errors are translated in errors.ts.
 * Write paths are described in s3-write.ts, copies in s3-copy.ts, listing in s3-list.ts.
 */

import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InvalidInputError, type NotFoundError, UnsupportedError } from '../../core/errors.js';
import type { StoreCapabilities } from '../capabilities.js';
import {
  attachAbort,
  bufferStream,
  checkRange,
  readLimit,
  streamToBuffer,
  throwIfAborted,
} from '../common.js';
import {
  assertKey,
  type CopyOptions,
  type DeleteOptions,
  joinKey,
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
import type {
  MultipartCapable,
  ServerCopyCapable,
  ServerCopyResult,
  TransferSource,
  UploadedPart,
} from '../transfer.js';
import { createS3Client, type S3Config } from './config.js';
import {
  isMissingBucket,
  isNotFound,
  missingBucket,
  nameOf,
  type S3Target,
  s3Error,
  statusOf,
} from './errors.js';
import { PROBE_PREFIX, probeKeyName, probeServer, type S3ServerBehaviour, unquote } from './probe.js';
import { copyObject } from './s3-copy.js';
import { deleteObject } from './s3-delete.js';
import { listObjects } from './s3-list.js';
import { fullObjectSha256 } from './s3-sha256.js';
import {
  abortUpload,
  completeUpload,
  copyFromSource,
  createUpload,
  listParts,
  sameServer,
  type TransferContext,
  uploadPart,
  uploadPartCopy,
} from './s3-transfer.js';
import { writeObject } from './s3-write.js';

export { fullObjectSha256 } from './s3-sha256.js';

const MiB = 1024 * 1024;

/** Tuning and wiring of the S3 store (`S3Store`). */
export interface S3StoreOptions {
  /** Refuse writes with UnsupportedError (default false). */
  readOnly?: boolean;
  /** Streams of known size above this use multipart upload (default 64 MiB). */
  multipartThreshold?: number;
  /** Multipart upload part size (default 16 MiB; at least 5 MiB). */
  partSize?: number;
  /** Copies of objects above this use UploadPartCopy (default 5 GiB, the AWS CopyObject limit). */
  copyThreshold?: number;
  /** Part size of multipart copies (default 512 MiB; at least 5 MiB). */
  copyPartSize?: number;
  /** Use this client instead of building one from the config (tests, shared pools). */
  client?: S3Client;
}

/** A {@link WritableStore} in an S3 bucket, optionally below a key prefix. */
export class S3Store implements WritableStore, ServerCopyCapable, MultipartCapable {
  readonly kind = 's3' as const;
  readonly uri: string;
  readonly location: StoreLocation;
  readonly bucket: string;
  /** Normalised key prefix ('' = bucket root), without slashes at either end. */
  readonly prefix: string;
  readonly readOnly: boolean;
  readonly client: S3Client;
  private readonly tuning: Required<Omit<S3StoreOptions, 'client' | 'readOnly'>>;
  /** Bucket and endpoint, for error messages. */
  private readonly target: S3Target;
  private behaviourProbe?: Promise<S3ServerBehaviour>;
  /** Set once HeadBucket has found the bucket (see the module doc). */
  private bucketFound?: Promise<boolean>;

  /** Throws InvalidInputError for an empty bucket, a malformed prefix or a part size below 5 MiB. */
  constructor(config: S3Config, options: S3StoreOptions = {}) {
    if (!config.bucket) throw new InvalidInputError('S3 bucket name is empty');
    const prefix = (config.prefix ?? '').replace(/^\/+|\/+$/g, '');
    assertKey(prefix, true);
    this.bucket = config.bucket;
    this.prefix = prefix;
    this.uri = prefix === '' ? `s3://${config.bucket}` : `s3://${config.bucket}/${prefix}`;
    const endpoint = config.endpoint !== undefined ? { endpoint: config.endpoint } : {};
    this.location = { kind: 's3', bucket: config.bucket, prefix, ...endpoint };
    this.target = { bucket: config.bucket, ...endpoint };
    this.readOnly = options.readOnly ?? false;
    this.client = options.client ?? createS3Client(config);
    this.tuning = {
      multipartThreshold: options.multipartThreshold ?? 64 * MiB,
      partSize: options.partSize ?? 16 * MiB,
      copyThreshold: options.copyThreshold ?? 5 * 1024 * MiB,
      copyPartSize: options.copyPartSize ?? 512 * MiB,
    };
    if (this.tuning.partSize < 5 * MiB || this.tuning.copyPartSize < 5 * MiB) {
      throw new InvalidInputError('S3 part sizes must be at least 5 MiB');
    }
  }

  /**
   * What this server does, probed once per store and cached (writes temporary objects, so a
   * read-only store rejects with UnsupportedError). Throws AccessDeniedError, NotFoundError (no
   * bucket) or IoError when the probe fails; a later call probes again.
   */
  serverBehaviour(): Promise<S3ServerBehaviour> {
    if (this.readOnly) {
      return Promise.reject(new UnsupportedError('a read-only store does not probe', { operation: 'probe' }));
    }
    this.behaviourProbe ??= probeServer(this.client, this.target, this.objectKey(probeKeyName())).catch(
      (err) => {
        this.behaviourProbe = undefined; // let a later call try again
        throw s3Error(err, 'probe', PROBE_PREFIX, this.target);
      },
    );
    return this.behaviourProbe;
  }

  /**
   * The store's guarantees from the probed behaviour (see docs/storage.md): conditional create and
   * replace are atomic PutObject conditions where honoured (else unsupported), conditional delete
   * and copy are atomic where the server honours their headers (else emulated with HeadObject
   * first), renames are emulated, writes are durable when answered. Throws as serverBehaviour.
   */
  async capabilities(): Promise<StoreCapabilities> {
    const b = await this.serverBehaviour();
    return {
      conditionalCreate: b.conditionalCreate ? 'atomic' : 'unsupported',
      conditionalReplace: b.ifMatchEtag !== 'none' ? 'atomic' : 'unsupported',
      conditionalDelete: b.deleteIfMatchEtag !== 'none' ? 'atomic' : 'emulated',
      copyIfAbsent: b.copyIfNoneMatch ? 'atomic' : 'emulated',
      rename: 'emulated',
      durability: 'on-write',
      serverSideSha256: b.sha256Checksums,
      atomicWriteMaxBytes: this.tuning.multipartThreshold,
    };
  }

  /** The bucket key of store key `key`. Throws InvalidInputError for a malformed key. */
  objectKey(key: string): string {
    assertKey(key);
    return joinKey(this.prefix, key);
  }

  /** Stream an object or a byte range of it. Throws NotFoundError, InvalidInputError, IoError. */
  async read(key: string, options: ReadOptions = {}): Promise<Readable> {
    const range = checkRange(options, key);
    const Key = this.objectKey(key);
    throwIfAborted(options.signal);
    const Range =
      range.start === 0 && range.end === undefined ? undefined : `bytes=${range.start}-${range.end ?? ''}`;
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key, ...(Range ? { Range } : {}) }),
        options.signal ? { abortSignal: options.signal } : {},
      );
      const body = out.Body as Readable;
      if (options.signal) attachAbort(body, options.signal);
      return body;
    } catch (err) {
      // 416: the range starts at or past the end. Port semantics: an empty read (if the object exists).
      if (statusOf(err) === 416 || nameOf(err) === 'InvalidRange') {
        await this.stat(key);
        return bufferStream(Buffer.alloc(0), options.signal);
      }
      throw s3Error(err, 'read', key, this.target);
    }
  }

  /** The whole object in memory. Throws NotFoundError, IoError. */
  async readBytes(key: string, options: ReadBytesOptions = {}): Promise<Buffer> {
    const limit = readLimit(options.maxBytes, key);
    const stream = await this.read(key, options.signal ? { signal: options.signal } : {});
    return streamToBuffer(stream, options.signal, limit, key);
  }

  /** Size, mtime, ETag (unquoted), and `sha256` when the server vouches for the whole content. */
  async stat(key: string): Promise<StatResult> {
    const input = { Bucket: this.bucket, Key: this.objectKey(key), ChecksumMode: 'ENABLED' as const };
    const head = await this.client.send(new HeadObjectCommand(input)).catch(async (err) => {
      if (isNotFound(err))
        throw (await this.missingBucket('stat', key, err)) ?? s3Error(err, 'stat', key, this.target);
      throw s3Error(err, 'stat', key, this.target);
    });
    const out: StatResult = { key, size: head.ContentLength ?? 0 };
    if (head.LastModified) out.modified = head.LastModified;
    const etag = unquote(head.ETag ?? '');
    if (etag !== '') out.etag = etag;
    const sha256 = fullObjectSha256(head);
    if (sha256 !== undefined) out.sha256 = sha256;
    return out;
  }

  /**
   * True when an object exists at exactly `key`. Throws NotFoundError when the bucket is missing,
   * AccessDeniedError, IoError for other failures.
   */
  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (err) {
      if (!isNotFound(err)) throw s3Error(err, 'exists', key, this.target);
      const bucketError = await this.missingBucket('exists', key, err);
      if (bucketError) throw bucketError;
      return false;
    }
  }

  /** ListObjectsV2 below `prefix`, page by page (see s3-list.ts). */
  list(prefix: string, options: ListOptions = {}): AsyncIterable<ListEntry> {
    return listObjects({ client: this.client, ...this.target, storePrefix: this.prefix }, prefix, options);
  }

  /** See s3-write.ts. Throws AlreadyExistsError, PreconditionFailedError, FixityMismatchError, IoError. */
  async write(
    key: string,
    body: Readable | Buffer | string,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    const Key = this.writableKey(key, 'write');
    const ctx = {
      client: this.client,
      ...this.target,
      behaviour: () => this.serverBehaviour(),
      ...this.tuning,
    };
    return writeObject(ctx, key, Key, body, options);
  }

  /** Server-side copy (see s3-copy.ts). Throws NotFoundError (source), AlreadyExistsError, IoError. */
  async copy(fromKey: string, toKey: string, options: CopyOptions = {}): Promise<void> {
    const keys = { from: this.objectKey(fromKey), to: this.writableKey(toKey, 'copy'), fromKey, toKey };
    const ctx = {
      client: this.client,
      ...this.target,
      behaviour: () => this.serverBehaviour(),
      ...this.tuning,
    };
    await copyObject(ctx, keys, options);
  }

  /**
   * A copy (conditional per `ifNoneMatch`) and then a delete of the source: not atomic (a crash
   * between leaves both). Throws NotFoundError (source), AlreadyExistsError, IoError.
   */
  async rename(fromKey: string, toKey: string, options: CopyOptions = {}): Promise<void> {
    this.writableKey(fromKey, 'rename');
    await this.copy(fromKey, toKey, options);
    await this.delete(fromKey);
  }

  /**
   * Delete one object; a missing one is fine without `ifMatch` (see s3-delete.ts for `ifMatch`:
   * PreconditionFailedError when the etag differs or the object is missing). Throws
   * AccessDeniedError, IoError.
   */
  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const Key = this.writableKey(key, 'delete');
    const ctx = { client: this.client, ...this.target, behaviour: () => this.serverBehaviour() };
    await deleteObject(ctx, key, Key, options.ifMatch);
  }

  /** Nothing to flush: S3 answers a PUT once the object is durable. Checks the keys' syntax. */
  async sync(keys: Iterable<string>): Promise<void> {
    for (const key of keys) this.objectKey(key);
  }

  /** Delete every object below `prefix/`; returns how many. Throws IoError. */
  async deletePrefix(prefix: string): Promise<number> {
    this.writableKey(prefix, 'deletePrefix');
    const keys: string[] = [];
    for await (const entry of this.list(prefix, { delimiter: false })) keys.push(entry.key);
    // One DeleteObject each, a few at a time: DeleteObjects needs a body checksum that servers
    // disagree about, and removing whole prefixes is rare (rollback, tests).
    for (let i = 0; i < keys.length; i += 8)
      await Promise.all(keys.slice(i, i + 8).map((k) => this.delete(k)));
    return keys.length;
  }

  /** Multipart part size of this store (see S3StoreOptions.partSize). */
  get partSize(): number {
    return this.tuning.partSize;
  }

  /** The largest single server-side copy (S3StoreOptions.copyThreshold). */
  get singleCopyMaxBytes(): number {
    return this.tuning.copyThreshold;
  }

  /** Same endpoint (both AWS, or the same URL): CopyObject can read `source`. */
  canCopyFrom(source: StoreLocation): boolean {
    return sameServer(this.target, source);
  }

  /** See ServerCopyCapable.copyFrom (s3-transfer.ts). */
  async copyFrom(
    source: TransferSource,
    toKey: string,
    options: { signal?: AbortSignal; sizeHint?: number } = {},
  ): Promise<ServerCopyResult> {
    this.writableKey(toKey, 'copyFrom');
    return copyFromSource(this.transfer(), source, toKey, options);
  }

  /** See MultipartCapable.createUpload. */
  createUpload(key: string, options: { contentType?: string; signal?: AbortSignal } = {}): Promise<string> {
    this.writableKey(key, 'createUpload');
    return createUpload(this.transfer(), key, options);
  }

  /** See MultipartCapable.uploadPart. */
  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    options: { signal?: AbortSignal } = {},
  ): Promise<UploadedPart> {
    this.writableKey(key, 'uploadPart');
    return uploadPart(this.transfer(), key, uploadId, partNumber, body, options.signal);
  }

  /** See MultipartCapable.uploadPartCopy. */
  uploadPartCopy(
    key: string,
    uploadId: string,
    partNumber: number,
    source: TransferSource,
    range: { start: number; end: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<UploadedPart> {
    this.writableKey(key, 'uploadPartCopy');
    return uploadPartCopy(this.transfer(), key, uploadId, partNumber, source, range, options.signal);
  }

  /** See MultipartCapable.listParts. */
  listParts(key: string, uploadId: string): Promise<UploadedPart[]> {
    return listParts(this.transfer(), key, uploadId);
  }

  /** See MultipartCapable.completeUpload. */
  completeUpload(key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<{ etag?: string }> {
    this.writableKey(key, 'completeUpload');
    return completeUpload(this.transfer(), key, uploadId, parts);
  }

  /** See MultipartCapable.abortUpload. */
  abortUpload(key: string, uploadId: string): Promise<void> {
    this.writableKey(key, 'abortUpload');
    return abortUpload(this.transfer(), key, uploadId);
  }

  private transfer(): TransferContext {
    return {
      client: this.client,
      ...this.target,
      behaviour: () => this.serverBehaviour(),
      objectKey: (key) => this.objectKey(key),
      copyThreshold: this.tuning.copyThreshold,
    };
  }

  /**
   * After a bare 404 from HeadObject: the NotFoundError naming the bucket when it is the bucket
   * that is missing, else undefined. HeadBucket is asked once and remembered while it finds the
   * bucket. When HeadBucket itself is refused (a policy that grants objects under a prefix but
   * not the bucket) or fails, the object's own 404 stands: a missing key must stay a missing key.
   */
  private async missingBucket(
    operation: string,
    key: string,
    cause: unknown,
  ): Promise<NotFoundError | undefined> {
    this.bucketFound ??= this.client.send(new HeadBucketCommand({ Bucket: this.bucket })).then(
      () => true,
      (err) => {
        if (isNotFound(err) || isMissingBucket(err)) {
          this.bucketFound = undefined; // ask again next time: it may be created
          return false;
        }
        if (statusOf(err) === undefined) this.bucketFound = undefined; // network: ask again later
        return true;
      },
    );
    return (await this.bucketFound) ? undefined : missingBucket(this.target, operation, key, cause);
  }

  private writableKey(key: string, operation: string): string {
    if (this.readOnly) throw new UnsupportedError('this store is read-only', { operation, key });
    const objectKey = this.objectKey(key);
    if (key.slice(key.lastIndexOf('/') + 1).startsWith(PROBE_PREFIX)) {
      throw new InvalidInputError(`keys may not use the probe name prefix: ${key}`, { operation, key });
    }
    return objectKey;
  }
}
