/**
 * The S3 store's transfer capabilities (storage/transfer.ts): server-side copies from other
 * buckets or prefixes on the same endpoint, and multipart uploads driven part by part so that a
 * caller can save the upload id and part etags and finish the upload in another process.
 *
 * A copy asks for `ChecksumAlgorithm: SHA256` only where the probe found that the server then
 * computes a full-object SHA-256 of the copy (AWS, MinIO); the value is read back with
 * HeadObject and never taken from a multipart composite (`…-N`). Multipart uploads made here
 * carry no checksum algorithm: MinIO then demands a checksum on every UploadPartCopy, and the
 * composite it would yield is no content digest anyway. Parts travel with Content-MD5 (checked
 * by every server).
 */
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListPartsCommand,
  type ListPartsCommandOutput,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { TooLargeError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import { joinKey, type StoreLocation } from '../port.js';
import type { ServerCopyResult, TransferSource, UploadedPart } from '../transfer.js';
import { isNotFound, type S3Target, s3Error } from './errors.js';
import { type S3ServerBehaviour, unquote } from './probe.js';
import { copySource } from './s3-copy.js';
import { fullObjectSha256 } from './s3-sha256.js';

/** What the transfer calls need from the store. */
export interface TransferContext extends S3Target {
  client: S3Client;
  behaviour: () => Promise<S3ServerBehaviour>;
  /** The store's bucket key for a store key (checks it). */
  objectKey: (key: string) => string;
  /** Largest single CopyObject (bytes). */
  copyThreshold: number;
}

/** True when `source` is an S3 location on the same endpoint as `target` (both AWS, or one URL). */
export function sameServer(target: S3Target, source: StoreLocation): boolean {
  return source.kind === 's3' && (source.endpoint ?? '') === (target.endpoint ?? '');
}

/** The `x-amz-copy-source` of a transfer source. */
function sourceOf(source: TransferSource): string {
  if (source.location.kind !== 's3') throw new TypeError('not an S3 source');
  return copySource(source.location.bucket, joinKey(source.location.prefix, source.key));
}

function send(signal?: AbortSignal) {
  return signal ? { abortSignal: signal } : {};
}

/**
 * One CopyObject of `source` to `toKey`, then HeadObject of the copy for its size, etag and
 * full-object SHA-256 (MinIO does not put the checksum in the copy's answer). The source is
 * asked for its size first only when the caller knows none (`sizeHint`): above the single-copy
 * limit it must go in parts.
 */
export async function copyFromSource(
  ctx: TransferContext,
  source: TransferSource,
  toKey: string,
  options: { signal?: AbortSignal; sizeHint?: number } = {},
): Promise<ServerCopyResult> {
  const Key = ctx.objectKey(toKey);
  const checksum = (await ctx.behaviour()).copySha256;
  const { signal } = options;
  try {
    const from = source.location as Extract<StoreLocation, { kind: 's3' }>;
    const size =
      options.sizeHint ??
      (
        await ctx.client.send(
          new HeadObjectCommand({ Bucket: from.bucket, Key: joinKey(from.prefix, source.key) }),
          send(signal),
        )
      ).ContentLength ??
      0;
    if (size > ctx.copyThreshold) {
      throw new TooLargeError(
        `${truncateForMessage(source.key)} is too large for one server-side copy`,
        ctx.copyThreshold,
        { operation: 'copyFrom', key: source.key },
      );
    }
    const input = { Bucket: ctx.bucket, Key, CopySource: sourceOf(source) };
    await ctx.client.send(
      new CopyObjectCommand(checksum ? { ...input, ChecksumAlgorithm: 'SHA256' } : input),
      send(signal),
    );
    const after = await ctx.client.send(
      new HeadObjectCommand({ Bucket: ctx.bucket, Key, ...(checksum && { ChecksumMode: 'ENABLED' }) }),
      send(signal),
    );
    const result: ServerCopyResult = { size: after.ContentLength ?? 0 };
    const etag = unquote(after.ETag ?? '');
    if (etag !== '') result.etag = etag;
    const sha256 = checksum ? fullObjectSha256(after) : undefined;
    if (sha256 !== undefined) result.sha256 = sha256;
    return result;
  } catch (err) {
    if (err instanceof TooLargeError) throw err;
    throw s3Error(err, 'copyFrom', isNotFound(err) ? source.key : toKey, ctx);
  }
}

/** CreateMultipartUpload; returns the upload id. */
export async function createUpload(
  ctx: TransferContext,
  key: string,
  options: { contentType?: string; signal?: AbortSignal } = {},
): Promise<string> {
  const input = { Bucket: ctx.bucket, Key: ctx.objectKey(key) };
  try {
    const out = await ctx.client.send(
      new CreateMultipartUploadCommand(
        options.contentType ? { ...input, ContentType: options.contentType } : input,
      ),
      send(options.signal),
    );
    return out.UploadId!;
  } catch (err) {
    throw s3Error(err, 'createUpload', key, ctx);
  }
}

/** UploadPart with Content-MD5. */
export async function uploadPart(
  ctx: TransferContext,
  key: string,
  uploadId: string,
  partNumber: number,
  body: Buffer,
  signal?: AbortSignal,
): Promise<UploadedPart> {
  try {
    const out = await ctx.client.send(
      new UploadPartCommand({
        Bucket: ctx.bucket,
        Key: ctx.objectKey(key),
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
        ContentMD5: createHash('md5').update(body).digest('base64'),
      }),
      send(signal),
    );
    return { partNumber, etag: unquote(out.ETag ?? ''), size: body.length };
  } catch (err) {
    throw s3Error(err, 'uploadPart', key, ctx);
  }
}

/** UploadPartCopy of an inclusive byte range. */
export async function uploadPartCopy(
  ctx: TransferContext,
  key: string,
  uploadId: string,
  partNumber: number,
  source: TransferSource,
  range: { start: number; end: number },
  signal?: AbortSignal,
): Promise<UploadedPart> {
  try {
    const out = await ctx.client.send(
      new UploadPartCopyCommand({
        Bucket: ctx.bucket,
        Key: ctx.objectKey(key),
        UploadId: uploadId,
        PartNumber: partNumber,
        CopySource: sourceOf(source),
        CopySourceRange: `bytes=${range.start}-${range.end}`,
      }),
      send(signal),
    );
    return { partNumber, etag: unquote(out.CopyPartResult?.ETag ?? ''), size: range.end - range.start + 1 };
  } catch (err) {
    throw s3Error(err, 'uploadPartCopy', isNotFound(err) ? source.key : key, ctx);
  }
}

/** Every part the server holds (ListParts, paged). NotFoundError when the upload is gone. */
export async function listParts(
  ctx: TransferContext,
  key: string,
  uploadId: string,
): Promise<UploadedPart[]> {
  const parts: UploadedPart[] = [];
  let marker: string | undefined;
  try {
    for (;;) {
      const out: ListPartsCommandOutput = await ctx.client.send(
        new ListPartsCommand({
          Bucket: ctx.bucket,
          Key: ctx.objectKey(key),
          UploadId: uploadId,
          ...(marker !== undefined && { PartNumberMarker: marker }),
        }),
      );
      for (const p of out.Parts ?? []) {
        parts.push({ partNumber: p.PartNumber!, etag: unquote(p.ETag ?? ''), size: p.Size ?? 0 });
      }
      if (!out.IsTruncated || out.NextPartNumberMarker === undefined) break;
      marker = String(out.NextPartNumberMarker);
    }
  } catch (err) {
    throw s3Error(err, 'listParts', key, ctx);
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/** CompleteMultipartUpload; the etag from the answer, or HeadObject when it is empty (RGW). */
export async function completeUpload(
  ctx: TransferContext,
  key: string,
  uploadId: string,
  parts: readonly UploadedPart[],
): Promise<{ etag?: string }> {
  const Key = ctx.objectKey(key);
  try {
    const out = await ctx.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: ctx.bucket,
        Key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${p.etag}"` })) },
      }),
    );
    let etag = unquote(out.ETag ?? '');
    if (etag === '') {
      etag = unquote((await ctx.client.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key }))).ETag ?? '');
    }
    return etag === '' ? {} : { etag };
  } catch (err) {
    throw s3Error(err, 'completeUpload', key, ctx);
  }
}

/** AbortMultipartUpload; an upload already gone is fine. */
export async function abortUpload(ctx: TransferContext, key: string, uploadId: string): Promise<void> {
  try {
    await ctx.client.send(
      new AbortMultipartUploadCommand({ Bucket: ctx.bucket, Key: ctx.objectKey(key), UploadId: uploadId }),
    );
  } catch (err) {
    if (isNotFound(err)) return;
    throw s3Error(err, 'abortUpload', key, ctx);
  }
}
