/**
 * The S3 write paths. A body of known size up to the multipart threshold goes up as one
 * PutObject — the only request that is an atomic conditional commit point on every server we
 * support. Larger or unsized streams go through lib-storage's `Upload` (which itself falls back
 * to one PutObject when the stream fits in a single part).
 *
 * Every path verifies `options.sha256` on our side (see VerifyingTransform: the last chunk is
 * held back until the digest matches, so a wrong body never completes), and additionally sends
 * `x-amz-checksum-sha256` on single-part puts when the server verifies it. Buffers also carry
 * Content-MD5, which AWS, MinIO and RGW all check.
 *
 * Conditional large uploads: `If-None-Match`/`If-Match` ride on CompleteMultipartUpload, which
 * AWS and MinIO honour but Ceph RGW ignores; we therefore also check with HeadObject first. On RGW
 * that leaves a window between the check and the completion — callers that need an atomic commit
 * point (the transaction's root inventory) write small bodies, which always take the PutObject path.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AlreadyExistsError, IoError, PreconditionFailedError, UnsupportedError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import { VerifyingTransform, verifyBytes } from '../common.js';
import type { WriteOptions, WriteResult } from '../port.js';
import { isNotFound, isPreconditionFailed, type S3Target, s3Error } from './errors.js';
import { type S3ServerBehaviour, unquote } from './probe.js';

/** What the write paths need from the store. */
export interface WriteContext extends S3Target {
  client: S3Client;
  /** The probed server behaviour (asked only for conditional or checksummed writes). */
  behaviour: () => Promise<S3ServerBehaviour>;
  /** Bodies of known size above this go multipart (bytes). */
  multipartThreshold: number;
  /** Part size for multipart uploads (bytes, >= 5 MiB). */
  partSize: number;
}

/** Write `body` to `objectKey`; `key` is the store key for messages. */
export async function writeObject(
  ctx: WriteContext,
  key: string,
  objectKey: string,
  body: Readable | Buffer | string,
  options: WriteOptions,
): Promise<WriteResult> {
  const caps = options.ifNoneMatch || options.ifMatch !== undefined ? await ctx.behaviour() : undefined;
  if (caps && options.ifNoneMatch && !caps.conditionalCreate) {
    throw new UnsupportedError('this S3 server ignores If-None-Match: no atomic create', {
      operation: 'write',
      key,
    });
  }
  if (caps && options.ifMatch !== undefined && caps.ifMatchEtag === 'none') {
    throw new UnsupportedError('this S3 server ignores If-Match', { operation: 'write', key });
  }
  try {
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      return await putBuffer(ctx, key, objectKey, Buffer.from(body), options, caps);
    }
    if (options.size !== undefined && options.size <= ctx.multipartThreshold) {
      return await putStream(ctx, key, objectKey, body, options, caps);
    }
    return await upload(ctx, key, objectKey, body, options, caps);
  } catch (err) {
    throw writeError(err, key, options, ctx);
  }
}

function baseInput(objectKey: string, ctx: WriteContext, options: WriteOptions, caps?: S3ServerBehaviour) {
  const input: PutObjectCommandInput = { Bucket: ctx.bucket, Key: objectKey };
  if (options.contentType !== undefined) input.ContentType = options.contentType;
  if (options.ifNoneMatch) input.IfNoneMatch = '*';
  if (options.ifMatch !== undefined) {
    input.IfMatch = caps?.ifMatchEtag === 'unquoted' ? options.ifMatch : `"${options.ifMatch}"`;
  }
  return input;
}

async function putBuffer(
  ctx: WriteContext,
  key: string,
  objectKey: string,
  bytes: Buffer,
  options: WriteOptions,
  caps?: S3ServerBehaviour,
): Promise<WriteResult> {
  const sha256 = verifyBytes(bytes, key, options.sha256);
  const input = baseInput(objectKey, ctx, options, caps);
  input.Body = bytes;
  input.ContentLength = bytes.length;
  input.ContentMD5 = createHash('md5').update(bytes).digest('base64');
  if (options.sha256 !== undefined && (await ctx.behaviour()).sha256Checksums) {
    input.ChecksumSHA256 = Buffer.from(sha256, 'hex').toString('base64');
  }
  const out = await ctx.client.send(new PutObjectCommand(input), sendOptions(options));
  return { key, size: bytes.length, etag: await etagOf(ctx, objectKey, out.ETag), sha256 };
}

async function putStream(
  ctx: WriteContext,
  key: string,
  objectKey: string,
  body: Readable,
  options: WriteOptions,
  caps?: S3ServerBehaviour,
): Promise<WriteResult> {
  const input = baseInput(objectKey, ctx, options, caps);
  input.ContentLength = options.size;
  if (options.sha256 !== undefined && (await ctx.behaviour()).sha256Checksums) {
    input.ChecksumSHA256 = Buffer.from(options.sha256, 'hex').toString('base64');
  }
  // Wire the body only now: nothing may await between piping and listening for errors.
  const verify = new VerifyingTransform(key, options.sha256);
  input.Body = body.pipe(verify);
  body.once('error', (err) => verify.destroy(err));
  // The SDK pipes the body into the request and does not see errors of our stream: abort the
  // request ourselves (the held-back last chunk means the server never got the declared length).
  const request = new AbortController();
  let streamError: unknown;
  verify.once('error', (err) => {
    streamError = err;
    request.abort(err);
  });
  const onAbort = () => request.abort(options.signal!.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const out = await ctx.client
    .send(new PutObjectCommand(input), { abortSignal: request.signal })
    .catch((err) => {
      throw streamError ?? err;
    })
    .finally(() => options.signal?.removeEventListener('abort', onAbort));
  const totals = verify.totals;
  // The last chunk is held back until the digest is checked, so a stored object implies totals.
  if (!totals) throw new IoError(`S3 write ${truncateForMessage(key)} ended before its body did`, { key });
  return { key, size: totals.size, etag: await etagOf(ctx, objectKey, out.ETag), sha256: totals.sha256 };
}

async function upload(
  ctx: WriteContext,
  key: string,
  objectKey: string,
  body: Readable,
  options: WriteOptions,
  caps?: S3ServerBehaviour,
): Promise<WriteResult> {
  await precheck(ctx, key, objectKey, options);
  const verify = new VerifyingTransform(key, options.sha256);
  body.once('error', (err) => verify.destroy(err));
  const params = { ...baseInput(objectKey, ctx, options, caps), Body: body.pipe(verify) };
  const job = new Upload({
    client: ctx.client,
    params,
    partSize: ctx.partSize,
    queueSize: 2,
    leavePartsOnError: false,
  });
  const onAbort = () => void job.abort().catch(() => {});
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const out = await job.done();
    const totals = verify.totals!;
    return { key, size: totals.size, etag: await etagOf(ctx, objectKey, out.ETag), sha256: totals.sha256 };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Best-effort early checks for multipart writes, whose completion RGW does not make conditional. */
async function precheck(ctx: WriteContext, key: string, objectKey: string, options: WriteOptions) {
  if (!options.ifNoneMatch && options.ifMatch === undefined) return;
  const head = await ctx.client.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: objectKey })).then(
    (h) => h,
    (err) => {
      if (isNotFound(err)) return undefined;
      throw err;
    },
  );
  if (options.ifNoneMatch && head) throw alreadyExists(key);
  if (options.ifMatch !== undefined && unquote(head?.ETag ?? '') !== options.ifMatch) {
    throw notEtag(key, options.ifMatch);
  }
}

/** The stored ETag: from the response, or (RGW after multipart: empty) from HeadObject. */
async function etagOf(
  ctx: WriteContext,
  objectKey: string,
  etag: string | undefined,
): Promise<string | undefined> {
  const value = unquote(etag ?? '');
  if (value !== '') return value;
  const head = await ctx.client.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: objectKey }));
  return unquote(head.ETag ?? '') || undefined;
}

function sendOptions(options: WriteOptions) {
  return options.signal ? { abortSignal: options.signal } : {};
}

/** The AlreadyExistsError of a conditional create of `key`. */
function alreadyExists(key: string, cause?: unknown): AlreadyExistsError {
  return new AlreadyExistsError(`${truncateForMessage(key)} already exists`, {
    operation: 'write',
    key,
    cause,
  });
}

/** The PreconditionFailedError of a write or delete of `key` conditioned on `etag`. */
export function notEtag(
  key: string,
  etag: string,
  operation = 'write',
  cause?: unknown,
): PreconditionFailedError {
  const message = `${truncateForMessage(key)} does not have etag ${truncateForMessage(etag, 80)}`;
  return new PreconditionFailedError(message, { operation, key, cause });
}

/** Conditional failures become AlreadyExists / PreconditionFailed; a refused checksum is a fixity error. */
function writeError(err: unknown, key: string, options: WriteOptions, target: S3Target): unknown {
  if (isPreconditionFailed(err) && options.ifNoneMatch) return alreadyExists(key, err);
  // MinIO and AWS answer If-Match on a missing key with 404.
  if (options.ifMatch !== undefined && (isPreconditionFailed(err) || isNotFound(err))) {
    return notEtag(key, options.ifMatch, 'write', err);
  }
  // A refused Content-MD5 / checksum after our own digest check passed means the bytes changed in
  // transit: s3Error makes it an IoError, which a caller may retry.
  return s3Error(err, 'write', key, target);
}
