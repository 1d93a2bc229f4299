/**
 * One-time probes of what an S3 server does. Servers differ in ways that matter for integrity
 * and for the commit point (see the S3 notes): whether they verify and return SHA-256 checksums,
 * whether `If-None-Match: *` on PutObject is honoured, how `If-Match` wants the ETag written,
 * whether DeleteObject honours `If-Match` and CopyObject `If-None-Match`. We find out by asking,
 * once per store, with throw-away objects that are deleted afterwards (about a dozen requests).
 *
 * A probe that a server answers with something other than "412" or "done" (a 400 or 501 for an
 * unknown header, say) counts as "not honoured": the store then emulates the operation and its
 * capabilities say so, which is the safe side.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isPreconditionFailed, type S3Target, s3Error, statusOf } from './errors.js';
import { copySource } from './s3-copy.js';

/** How a server wants an ETag in `If-Match`, or `none` when it ignores the header. */
export type EtagForm = 'quoted' | 'unquoted' | 'none';

/** What this S3 server does; see {@link probeServer}. */
export interface S3ServerBehaviour {
  /**
   * PutObject verifies `x-amz-checksum-sha256` (a wrong value is refused) and HeadObject with
   * ChecksumMode returns it. AWS and MinIO: true; Ceph RGW 16: false.
   */
  sha256Checksums: boolean;
  /** PutObject with `If-None-Match: *` fails with 412 when the key exists (AWS, MinIO, RGW: true). */
  conditionalCreate: boolean;
  /** How PutObject's `If-Match` must carry the ETag: `quoted` (AWS, MinIO), `unquoted` (RGW 16). */
  ifMatchEtag: EtagForm;
  /** How DeleteObject's `If-Match` must carry the ETag, `none` when a wrong one still deletes. */
  deleteIfMatchEtag: EtagForm;
  /** CopyObject with `If-None-Match: *` fails with 412 when the destination exists (MinIO, RGW: false). */
  copyIfNoneMatch: boolean;
  /**
   * CopyObject with `ChecksumAlgorithm: SHA256` makes the server compute a full-object SHA-256 of
   * the copy (returned by HeadObject with ChecksumMode), even when the source had none (AWS,
   * MinIO: true). Lets a verified copy skip reading the bytes back.
   */
  copySha256: boolean;
}

/** Name prefix of probe objects; listings hide such names. */
export const PROBE_PREFIX = '.strongroom-probe-';

const BODY = Buffer.from('strongroom capability probe\n');
const SHA256_B64 = createHash('sha256').update(BODY).digest('base64');
const WRONG_B64 = createHash('sha256').update('not the body').digest('base64');

/**
 * Probe the server with temporary objects at `objectKey` and `objectKey`-copy (deleted
 * afterwards, also on failure). Throws AccessDeniedError, NotFoundError (no bucket) or IoError
 * when the server refuses the plain probe write itself.
 */
export async function probeServer(
  client: S3Client,
  target: S3Target,
  objectKey: string,
): Promise<S3ServerBehaviour> {
  const Bucket = target.bucket;
  const copyKey = `${objectKey}-copy`;
  const put = (extra: Record<string, string>) =>
    client.send(new PutObjectCommand({ Bucket, Key: objectKey, Body: BODY, ...extra }));
  try {
    await put({ ChecksumSHA256: SHA256_B64 }).catch((err) => {
      throw s3Error(err, 'probe', objectKey, target);
    });
    const head = await client.send(
      new HeadObjectCommand({ Bucket, Key: objectKey, ChecksumMode: 'ENABLED' }),
    );
    const returned = head.ChecksumSHA256 === SHA256_B64;
    const sha256Checksums = returned && (await refused(() => put({ ChecksumSHA256: WRONG_B64 }), false));
    const conditionalCreate = await refused(() => put({ IfNoneMatch: '*' }));
    const etag = unquote((await client.send(new HeadObjectCommand({ Bucket, Key: objectKey }))).ETag ?? '');
    const ifMatchEtag = await etagForm(etag, (IfMatch) => put({ IfMatch }));
    const copy = (extra: Record<string, string>) =>
      client.send(
        new CopyObjectCommand({ Bucket, Key: copyKey, CopySource: copySource(Bucket, objectKey), ...extra }),
      );
    const copySha256 = await probeCopyChecksum(client, Bucket, copyKey, () =>
      copy({ ChecksumAlgorithm: 'SHA256' }),
    );
    if (!copySha256) await copy({});
    const copyIfNoneMatch = await refused(() => copy({ IfNoneMatch: '*' }));
    const deleteIfMatchEtag = await probeConditionalDelete(client, Bucket, objectKey, etag);
    return {
      sha256Checksums,
      conditionalCreate,
      ifMatchEtag,
      deleteIfMatchEtag,
      copyIfNoneMatch,
      copySha256,
    };
  } finally {
    for (const Key of [objectKey, copyKey]) {
      await client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => {});
    }
  }
}

/**
 * True when a CopyObject asking for SHA256 leaves a full-object checksum equal to the body's on
 * the copy. The probe object was written with a checksum, so the server could also just carry
 * the source's value over; that still vouches for the copy's bytes. A server that refuses the
 * header (4xx) answers false.
 */
async function probeCopyChecksum(
  client: S3Client,
  Bucket: string,
  Key: string,
  attempt: () => Promise<unknown>,
): Promise<boolean> {
  if (await refused(attempt, false)) return false;
  const head = await client.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
  return head.ChecksumSHA256 === SHA256_B64 && head.ChecksumType !== 'COMPOSITE';
}

/**
 * The ETag form that makes `attempt` succeed with the current `etag` (quoted first), or `none`
 * when neither does. A server that ignores the header accepts both: the caller checks that a
 * wrong value is refused before trusting the answer.
 */
async function etagForm(etag: string, attempt: (value: string) => Promise<unknown>): Promise<EtagForm> {
  if (!(await refused(() => attempt(`"${etag}"`), false))) return 'quoted';
  if (!(await refused(() => attempt(etag), false))) return 'unquoted';
  return 'none';
}

/** DeleteObject with a wrong If-Match must be refused (412) for the header to count. Deletes the probe. */
async function probeConditionalDelete(client: S3Client, Bucket: string, Key: string, etag: string) {
  const del = (IfMatch: string) => client.send(new DeleteObjectCommand({ Bucket, Key, IfMatch }));
  if (!(await refused(() => del('"0123456789abcdef0123456789abcdef"')))) return 'none'; // ignored: it deleted
  return etagForm(etag, del);
}

/**
 * True when `attempt` is refused, false when it succeeds. `preconditionOnly` (default): only a
 * 412 / 409 conflict counts as refused, any other HTTP error as "not honoured" (false); without
 * it, any 4xx counts. Failures without an HTTP answer (network) propagate.
 */
async function refused(attempt: () => Promise<unknown>, preconditionOnly = true): Promise<boolean> {
  try {
    await attempt();
    return false;
  } catch (err) {
    const status = statusOf(err);
    if (status === undefined) throw err;
    if (preconditionOnly) return isPreconditionFailed(err);
    if (status >= 400 && status < 500) return true;
    throw err;
  }
}

/** A fresh probe key name (the caller joins it under the store prefix). */
export function probeKeyName(): string {
  return `${PROBE_PREFIX}${randomBytes(6).toString('hex')}`;
}

/** Strip the double quotes S3 puts around ETags. */
export function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
