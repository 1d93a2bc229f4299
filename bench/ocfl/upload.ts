/**
 * Upload a generated storage root to S3 (MinIO in development) under `<bucket>/<key>/`, with a
 * bounded number of requests in flight, and remember the upload with a marker object
 * `<key>.uploaded` beside it so a rerun against the same server skips the work.
 */
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client } from '../../lib/storage/s3/config.js';
import { s3ConfigFromEnv } from '../../server/config/s3-env.js';
import { benchConfig } from './config.js';
import { type BenchObject, ensureBenchObjects } from './generate.js';

/** The bench's bucket (its own name, so it never touches other engineers' buckets). */
export const BENCH_BUCKET = process.env.BENCH_S3_BUCKET ?? 'bench-ocfl';
const SINGLE_PUT_LIMIT = 64 << 20;

/** Every file below `dir`, as paths relative to it (readdirSync per directory: the fast walk). */
export function walkFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walkFiles(dir, path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Run `task` over `items` with at most `limit` in flight; rejects on the first failure after all settle. */
export async function eachLimit<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      await task(item).catch((err) => {
        failure ??= err;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure;
}

async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

async function putFile(client: S3Client, bucket: string, key: string, path: string): Promise<void> {
  const size = statSync(path).size;
  if (size <= SINGLE_PUT_LIMIT) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(path) }));
    return;
  }
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: createReadStream(path, { highWaterMark: 1 << 20 }) },
    partSize: 64 << 20,
    queueSize: 4,
  });
  await upload.done();
}

async function markerMatches(
  client: S3Client,
  bucket: string,
  key: string,
  expected: string,
): Promise<boolean> {
  try {
    const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await r.Body!.transformToString()) === expected;
  } catch {
    return false;
  }
}

/** Where an object lives once uploaded. */
export interface S3Placement {
  bucket: string;
  /** The storage root's key prefix in the bucket. */
  prefix: string;
  uploadedSeconds: number;
  skipped: boolean;
}

/**
 * Upload `obj`'s storage root unless the marker says this exact object is already there.
 * `concurrency` bounds requests in flight (default 32). Throws the first S3 error.
 */
export async function uploadToS3(
  obj: BenchObject,
  concurrency = 32,
  client?: S3Client,
): Promise<S3Placement> {
  const s3 = client ?? createS3Client(s3ConfigFromEnv(process.env));
  const bucket = BENCH_BUCKET;
  const marker = `${obj.key}.uploaded`;
  const expected = `${obj.inventoryDigest}\n`;
  const started = performance.now();
  await ensureBucket(s3, bucket);
  if (await markerMatches(s3, bucket, marker, expected)) {
    return { bucket, prefix: obj.key, uploadedSeconds: 0, skipped: true };
  }
  const files = walkFiles(obj.storageRoot);
  await eachLimit(files, concurrency, (rel) =>
    putFile(s3, bucket, `${obj.key}/${rel}`, join(obj.storageRoot, rel)),
  );
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: marker, Body: expected }));
  return { bucket, prefix: obj.key, uploadedSeconds: (performance.now() - started) / 1000, skipped: false };
}

/** `node dist/bench/ocfl/upload.js [--quick] [...]`: upload the configuration's objects (to pre-stage a run). */
async function main(argv: string[]): Promise<void> {
  for (const obj of ensureBenchObjects(benchConfig(argv))) {
    const placed = await uploadToS3(obj);
    console.log(
      `${obj.key}: ${placed.skipped ? 'already there' : `uploaded in ${placed.uploadedSeconds.toFixed(1)} s`}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
