/**
 * Server-side copies. CopyObject up to `copyThreshold` (AWS refuses single copies above 5 GiB;
 * RGW does not, so we switch ourselves), UploadPartCopy ranges above it.
 *
 * `ifNoneMatch` is checked with HeadObject first: MinIO and RGW ignore `If-None-Match` on
 * CopyObject (the destination would be overwritten), so there a conditional copy is
 * check-then-copy and not atomic (`copyIfAbsent: 'emulated'`). Where the probe found the header
 * honoured, CopyObject carries it too and the copy is atomic. The multipart path additionally
 * sends `If-None-Match: *` on completion, which AWS and MinIO honour.
 */
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { AlreadyExistsError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import { throwIfAborted } from '../common.js';
import { isNotFound, isPreconditionFailed, type S3Target, s3Error } from './errors.js';
import type { S3ServerBehaviour } from './probe.js';

/** What a copy needs from the store. */
export interface CopyContext extends S3Target {
  client: S3Client;
  /** The probed server behaviour (asked only for conditional copies). */
  behaviour: () => Promise<S3ServerBehaviour>;
  /** Sources larger than this are copied in parts (bytes). */
  copyThreshold: number;
  /** Part size of multipart copies (bytes, >= 5 MiB). */
  copyPartSize: number;
}

/** The `x-amz-copy-source` value: bucket and key, URL-encoded except for the `/` separators. */
export function copySource(bucket: string, objectKey: string): string {
  return `${bucket}/${objectKey.split('/').map(encodeURIComponent).join('/')}`;
}

/** Copy `from` → `to` (object keys); `fromKey`/`toKey` are store keys for messages. */
export async function copyObject(
  ctx: CopyContext,
  keys: { from: string; to: string; fromKey: string; toKey: string },
  options: { ifNoneMatch?: boolean; signal?: AbortSignal },
): Promise<void> {
  const send = options.signal ? { abortSignal: options.signal } : {};
  const head = await ctx.client
    .send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: keys.from }), send)
    .catch((err) => {
      throw s3Error(err, 'copy', keys.fromKey, ctx);
    });
  const atomic = options.ifNoneMatch === true && (await ctx.behaviour()).copyIfNoneMatch;
  if (options.ifNoneMatch && (await objectExists(ctx, keys.to, keys.toKey))) {
    throw new AlreadyExistsError(`${truncateForMessage(keys.toKey)} already exists`, {
      operation: 'copy',
      key: keys.toKey,
    });
  }
  const size = head.ContentLength ?? 0;
  try {
    if (size <= ctx.copyThreshold) {
      const input = { Bucket: ctx.bucket, Key: keys.to, CopySource: copySource(ctx.bucket, keys.from) };
      await ctx.client.send(new CopyObjectCommand(atomic ? { ...input, IfNoneMatch: '*' } : input), send);
    } else {
      await multipartCopy(ctx, keys.from, keys.to, size, options);
    }
  } catch (err) {
    if (options.ifNoneMatch && isPreconditionFailed(err)) {
      throw new AlreadyExistsError(`${truncateForMessage(keys.toKey)} already exists`, {
        operation: 'copy',
        key: keys.toKey,
        cause: err,
      });
    }
    throw s3Error(err, 'copy', isNotFound(err) ? keys.fromKey : keys.toKey, ctx);
  }
}

async function objectExists(ctx: CopyContext, objectKey: string, key: string): Promise<boolean> {
  try {
    await ctx.client.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: objectKey }));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw s3Error(err, 'copy', key, ctx);
  }
}

/** UploadPartCopy in `copyPartSize` ranges, aborting the upload on any failure. */
async function multipartCopy(
  ctx: CopyContext,
  from: string,
  to: string,
  size: number,
  options: { ifNoneMatch?: boolean; signal?: AbortSignal },
): Promise<void> {
  const Bucket = ctx.bucket;
  const created = await ctx.client.send(new CreateMultipartUploadCommand({ Bucket, Key: to }));
  const UploadId = created.UploadId!;
  try {
    const parts: CompletedPart[] = [];
    for (let start = 0, n = 1; start < size; start += ctx.copyPartSize, n++) {
      throwIfAborted(options.signal);
      const end = Math.min(start + ctx.copyPartSize, size) - 1;
      const out = await ctx.client.send(
        new UploadPartCopyCommand({
          Bucket,
          Key: to,
          UploadId,
          PartNumber: n,
          CopySource: copySource(Bucket, from),
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      parts.push({ PartNumber: n, ETag: out.CopyPartResult?.ETag });
    }
    const complete = { Bucket, Key: to, UploadId, MultipartUpload: { Parts: parts } };
    await ctx.client.send(
      new CompleteMultipartUploadCommand(options.ifNoneMatch ? { ...complete, IfNoneMatch: '*' } : complete),
    );
  } catch (err) {
    await ctx.client.send(new AbortMultipartUploadCommand({ Bucket, Key: to, UploadId })).catch(() => {});
    throw err;
  }
}
