/**
 * S3 servers for tests. `scripts/test.sh` starts MinIO (S3_*) and, when it can, Ceph RGW (RGW_*).
 * An S3 test never skips silently in CI: without a server it fails there, and skips with a stated
 * reason on a developer machine. The RGW suite is required only when STRONGROOM_REQUIRE_RGW=1
 * (test.sh sets it after starting RGW).
 */
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import type { Test } from 'tap';
import { createS3Client, type S3Connection } from '../../lib/storage/s3/config.js';
import { s3ConfigFromEnv } from '../../server/config/s3-env.js';

/** Connection settings from `<prefix>ENDPOINT` etc., or null when the endpoint is not set. */
export function s3TestConfig(env: NodeJS.ProcessEnv = process.env, prefix = 'S3_'): S3Connection | null {
  if (!env[`${prefix}ENDPOINT`]) return null;
  return { ...s3ConfigFromEnv(env, prefix), forcePathStyle: true };
}

/**
 * The MinIO settings, or null after failing the test (CI=true: S3 tests must run) or skipping it
 * with the reason (elsewhere). Callers return when they get null.
 */
export function requireS3(t: Test, env: NodeJS.ProcessEnv = process.env): S3Connection | null {
  const config = s3TestConfig(env);
  if (config) return config;
  if (env.CI === 'true') {
    t.fail('S3_ENDPOINT is not set and CI=true: S3 tests must not be skipped (run scripts/test.sh)');
  } else {
    const reason = 'S3_ENDPOINT is not set: start MinIO with scripts/minio.sh (scripts/test.sh does it)';
    t.pass(reason, { skip: reason });
  }
  return null;
}

/**
 * The Ceph RGW settings (RGW_ENDPOINT, RGW_ACCESS_KEY, RGW_SECRET_KEY), or null after skipping
 * with the reason — except with STRONGROOM_REQUIRE_RGW=1, where a missing endpoint fails.
 */
export function requireRgw(t: Test, env: NodeJS.ProcessEnv = process.env): S3Connection | null {
  const config = s3TestConfig(env, 'RGW_');
  if (config) return config;
  if (env.STRONGROOM_REQUIRE_RGW === '1') {
    t.fail('RGW_ENDPOINT is not set but STRONGROOM_REQUIRE_RGW=1');
  } else {
    const reason =
      'RGW_ENDPOINT is not set: Ceph RGW not running (scripts/rgw.sh start; scripts/test.sh tries it)';
    t.pass(reason, { skip: reason });
  }
  return null;
}

/**
 * Create a bucket named `<name>-<random>` (lowercase, ≤ 63 chars) and return it with a cleanup
 * that aborts open multipart uploads, deletes every object and then the bucket.
 */
export async function makeTestBucket(
  config: S3Connection,
  name: string,
): Promise<{ bucket: string; cleanup: () => Promise<void> }> {
  const client = createS3Client(config);
  const suffix = randomBytes(4).toString('hex');
  const bucket = `${name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 50)}-${suffix}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const cleanup = async () => {
    await emptyBucket(client, bucket);
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  };
  return { bucket, cleanup };
}

async function emptyBucket(client: ReturnType<typeof createS3Client>, bucket: string): Promise<void> {
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of uploads.Uploads ?? []) {
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! }),
    );
  }
  // Always list from the start: deleting while following a continuation token can skip keys.
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((o) => o.Key!);
    await Promise.all(keys.map((Key) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key }))));
    if (keys.length === 0 || !page.IsTruncated) break;
  }
}
