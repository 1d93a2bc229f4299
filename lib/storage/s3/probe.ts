/**
 * One-time capability probes. S3 servers differ in ways that matter for integrity and for the
 * commit point (see the S3 notes): whether they verify and return SHA-256 checksums, whether
 * `If-None-Match: *` on PutObject is honoured, and how `If-Match` wants the ETag written. We find
 * out by asking, once per store, with a throw-away object that is deleted afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isPreconditionFailed, s3Error, statusOf } from './errors.js';

/** What this S3 server does; see {@link probeCapabilities}. */
export interface S3Capabilities {
  /**
   * PutObject verifies `x-amz-checksum-sha256` (a wrong value is refused) and HeadObject with
   * ChecksumMode returns it. AWS and MinIO: true; Ceph RGW 16: false.
   */
  sha256Checksums: boolean;
  /** PutObject with `If-None-Match: *` fails with 412 when the key exists (all three: true). */
  conditionalCreate: boolean;
  /**
   * How `If-Match` must carry the ETag: `quoted` (AWS, MinIO), `unquoted` (RGW 16 matches only
   * the bare value), or `none` when neither form is honoured.
   */
  ifMatchEtag: 'quoted' | 'unquoted' | 'none';
}

/** Name prefix of probe objects; listings hide such names. */
export const PROBE_PREFIX = '.strongroom-probe-';

const BODY = Buffer.from('strongroom capability probe\n');
const SHA256_B64 = createHash('sha256').update(BODY).digest('base64');
const WRONG_B64 = createHash('sha256').update('not the body').digest('base64');

/**
 * Probe the server with a temporary object at `objectKey` (deleted afterwards, also on failure).
 * Throws IoError when the server refuses the plain probe write itself (e.g. no write permission).
 */
export async function probeCapabilities(
  client: S3Client,
  bucket: string,
  objectKey: string,
): Promise<S3Capabilities> {
  const put = (extra: Record<string, string>) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: BODY, ...extra }));
  try {
    await put({ ChecksumSHA256: SHA256_B64 }).catch((err) => {
      throw s3Error(err, 'probe', objectKey);
    });
    const head = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: objectKey, ChecksumMode: 'ENABLED' }),
    );
    const returned = head.ChecksumSHA256 === SHA256_B64;
    const rejectsWrong = returned && (await refuses(() => put({ ChecksumSHA256: WRONG_B64 })));
    const conditionalCreate = await refuses(() => put({ IfNoneMatch: '*' }), true);
    const etag = unquote(
      (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey }))).ETag ?? '',
    );
    let ifMatchEtag: S3Capabilities['ifMatchEtag'] = 'none';
    if (!(await refuses(() => put({ IfMatch: `"${etag}"` })))) ifMatchEtag = 'quoted';
    else if (!(await refuses(() => put({ IfMatch: etag })))) ifMatchEtag = 'unquoted';
    return { sha256Checksums: rejectsWrong, conditionalCreate, ifMatchEtag };
  } finally {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey })).catch(() => {});
  }
}

/**
 * True when `attempt` is refused with a 4xx (`preconditionOnly`: only with 412/409 conflict);
 * false when it succeeds. Other failures (network, 5xx) propagate.
 */
async function refuses(attempt: () => Promise<unknown>, preconditionOnly = false): Promise<boolean> {
  try {
    await attempt();
    return false;
  } catch (err) {
    const status = statusOf(err) ?? 0;
    if (preconditionOnly ? isPreconditionFailed(err) : status >= 400 && status < 500) return true;
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
