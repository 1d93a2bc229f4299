/**
 * The S3 backend (AWS S3, MinIO, Ceph RADOS Gateway).
 *
 * What it writes, and why:
 * - Store key `k` is the object `<prefix>/k` in the bucket (just `k` when the store has no
 *   prefix). Keys are joined only from non-empty segments, so no object name ever contains `//`
 *   (MinIO refuses those). Nothing else is stored per object: no directory markers (a prefix
 *   exists while some key lies below it), no sidecar or metadata objects, no `x-amz-meta-*`; only
 *   Content-Type when the caller gives one.
 * - Once per store instance, the first write that needs to know the server's behaviour (a
 *   conditional write, or one with a SHA-256) writes a probe object
 *   `<prefix>/.strongroom-probe-<12 hex>` a few times and deletes it (see probe.ts). Listings hide
 *   such names, and store keys may not use them.
 * - Large writes and copies create multipart uploads, which are invisible until completed and
 *   are aborted on failure.
 *
 * Reads stream the GET body (aborting the signal destroys it and the socket). `stat` reports a
 * `sha256` only for a full-object SHA-256 checksum the server returns with ChecksumMode ENABLED;
 * multipart composites (`...-N`, ChecksumType COMPOSITE) are not a content digest and are dropped.
 * Write paths are described in s3-write.ts, copies in s3-copy.ts, listing in s3-list.ts.
 */

import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { InvalidInputError, UnsupportedError } from '../../core/errors.js';
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
  joinKey,
  type ListEntry,
  type ListOptions,
  type ReadBytesOptions,
  type ReadOptions,
  type StatResult,
  type WritableStore,
  type WriteOptions,
  type WriteResult,
} from '../port.js';
import { createS3Client, type S3Config } from './config.js';
import { isNotFound, nameOf, s3Error, statusOf } from './errors.js';
import { PROBE_PREFIX, probeCapabilities, probeKeyName, type S3Capabilities, unquote } from './probe.js';
import { copyObject } from './s3-copy.js';
import { listObjects } from './s3-list.js';
import { writeObject } from './s3-write.js';

const MiB = 1024 * 1024;

/** Tuning and wiring of {@link S3Store}. */
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
export class S3Store implements WritableStore {
  readonly kind = 's3' as const;
  readonly uri: string;
  readonly bucket: string;
  /** Normalised key prefix ('' = bucket root), without slashes at either end. */
  readonly prefix: string;
  readonly readOnly: boolean;
  readonly client: S3Client;
  private readonly tuning: Required<Omit<S3StoreOptions, 'client' | 'readOnly'>>;
  private caps?: Promise<S3Capabilities>;

  /** Throws InvalidInputError for an empty bucket, a malformed prefix or a part size below 5 MiB. */
  constructor(config: S3Config, options: S3StoreOptions = {}) {
    if (!config.bucket) throw new InvalidInputError('S3 bucket name is empty');
    const prefix = (config.prefix ?? '').replace(/^\/+|\/+$/g, '');
    assertKey(prefix, true);
    this.bucket = config.bucket;
    this.prefix = prefix;
    this.uri = prefix === '' ? `s3://${config.bucket}` : `s3://${config.bucket}/${prefix}`;
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
   * What this server supports, probed once per store (writes a temporary object, so a read-only
   * store rejects with UnsupportedError). Throws IoError when the probe fails; a later call retries.
   */
  capabilities(): Promise<S3Capabilities> {
    if (this.readOnly) {
      return Promise.reject(new UnsupportedError('a read-only store does not probe', { operation: 'probe' }));
    }
    this.caps ??= probeCapabilities(this.client, this.bucket, this.objectKey(probeKeyName())).catch((err) => {
      this.caps = undefined; // let a later call try again
      throw s3Error(err, 'probe', PROBE_PREFIX);
    });
    return this.caps;
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
      throw s3Error(err, 'read', key);
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
    const head = await this.client.send(new HeadObjectCommand(input)).catch((err) => {
      throw s3Error(err, 'stat', key);
    });
    const out: StatResult = { key, size: head.ContentLength ?? 0 };
    if (head.LastModified) out.modified = head.LastModified;
    const etag = unquote(head.ETag ?? '');
    if (etag !== '') out.etag = etag;
    const sha256 = fullObjectSha256(head);
    if (sha256 !== undefined) out.sha256 = sha256;
    return out;
  }

  /** True when an object exists at exactly `key`. Throws IoError for other failures. */
  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw s3Error(err, 'exists', key);
    }
  }

  /** ListObjectsV2 below `prefix`, page by page (see s3-list.ts). */
  list(prefix: string, options: ListOptions = {}): AsyncIterable<ListEntry> {
    return listObjects(
      { client: this.client, bucket: this.bucket, storePrefix: this.prefix },
      prefix,
      options,
    );
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
      bucket: this.bucket,
      capabilities: () => this.capabilities(),
      ...this.tuning,
    };
    return writeObject(ctx, key, Key, body, options);
  }

  /** Server-side copy (see s3-copy.ts). Throws NotFoundError (source), AlreadyExistsError, IoError. */
  async copy(fromKey: string, toKey: string, options: { ifNoneMatch?: boolean; signal?: AbortSignal } = {}) {
    const keys = { from: this.objectKey(fromKey), to: this.writableKey(toKey, 'copy'), fromKey, toKey };
    await copyObject({ client: this.client, bucket: this.bucket, ...this.tuning }, keys, options);
  }

  /** Delete one object; a missing one is fine. Throws IoError. */
  async delete(key: string): Promise<void> {
    const Key = this.writableKey(key, 'delete');
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })).catch((err) => {
      if (!isNotFound(err)) throw s3Error(err, 'delete', key);
    });
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

  private writableKey(key: string, operation: string): string {
    if (this.readOnly) throw new UnsupportedError('this store is read-only', { operation, key });
    const objectKey = this.objectKey(key);
    if (key.slice(key.lastIndexOf('/') + 1).startsWith(PROBE_PREFIX)) {
      throw new InvalidInputError(`keys may not use the probe name prefix: ${key}`, { operation, key });
    }
    return objectKey;
  }
}

/** Hex SHA-256 from a HeadObject answer, only for a full-object checksum (never `...-N`). */
export function fullObjectSha256(head: HeadObjectCommandOutput): string | undefined {
  const value = head.ChecksumSHA256;
  if (!value || value.includes('-') || head.ChecksumType === 'COMPOSITE') return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}
