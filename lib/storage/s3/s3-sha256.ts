/** Reading a content digest from S3 checksum headers, never a multipart composite. */
import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';

/** Hex SHA-256 from a HeadObject answer, only for a full-object checksum (never `...-N`). */
export function fullObjectSha256(head: HeadObjectCommandOutput): string | undefined {
  const value = head.ChecksumSHA256;
  if (!value || value.includes('-') || head.ChecksumType === 'COMPOSITE') return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}
