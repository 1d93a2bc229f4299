/**
 * Deletes. A plain DeleteObject of a missing key succeeds (S3 semantics, and ours). A delete with
 * `ifMatch` sends `If-Match` where the probe found DeleteObject honouring it (AWS: atomic);
 * MinIO and Ceph RGW ignore the header and would delete any version, so there the store asks
 * HeadObject for the current ETag first and deletes only on a match (emulated: a write between
 * the two requests is lost, which the transaction's object lock rules out).
 */
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound, isPreconditionFailed, type S3Target, s3Error } from './errors.js';
import { type S3ServerBehaviour, unquote } from './probe.js';
import { notEtag } from './s3-write.js';

/** What a delete needs from the store. */
export interface DeleteContext extends S3Target {
  client: S3Client;
  /** The probed server behaviour (asked only for conditional deletes). */
  behaviour: () => Promise<S3ServerBehaviour>;
}

/**
 * Delete `objectKey` (store key `key`), only while its ETag is `ifMatch` when given. Throws
 * PreconditionFailedError (another ETag, or no object, with `ifMatch`), AccessDeniedError,
 * NotFoundError (no bucket), IoError.
 */
export async function deleteObject(
  ctx: DeleteContext,
  key: string,
  objectKey: string,
  ifMatch?: string,
): Promise<void> {
  const Bucket = ctx.bucket;
  const Key = objectKey;
  try {
    if (ifMatch === undefined) {
      await ctx.client.send(new DeleteObjectCommand({ Bucket, Key }));
      return;
    }
    const form = (await ctx.behaviour()).deleteIfMatchEtag;
    if (form === 'none') {
      const head = await ctx.client.send(new HeadObjectCommand({ Bucket, Key }));
      if (unquote(head.ETag ?? '') !== ifMatch) throw notEtag(key, ifMatch, 'delete');
      await ctx.client.send(new DeleteObjectCommand({ Bucket, Key }));
    } else {
      const IfMatch = form === 'quoted' ? `"${ifMatch}"` : ifMatch;
      await ctx.client.send(new DeleteObjectCommand({ Bucket, Key, IfMatch }));
    }
  } catch (err) {
    if (ifMatch === undefined && isNotFound(err)) return;
    if (ifMatch !== undefined && (isPreconditionFailed(err) || isNotFound(err))) {
      throw notEtag(key, ifMatch, 'delete', err);
    }
    throw s3Error(err, 'delete', key, ctx);
  }
}
