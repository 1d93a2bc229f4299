/**
 * Optional S3 section of the hash benchmark (when S3_ENDPOINT is set and --no-s3 is not given):
 * does hashing on the main thread slow reads from S3 down? Each digestFiles figure is compared
 * with GETs of the same objects that only drain the bodies, at the same concurrency.
 * Uses a throw-away bucket `t-hash-bench-<hex>`, emptied and removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { digestFiles } from '../../lib/hash/digest-files.js';
import { DEFAULT_STREAM_CONCURRENCY } from '../../lib/hash/stream-digest.js';
import { S3Store } from '../../lib/storage/s3/s3-store.js';
import { s3ConfigFromEnv } from '../../server/config/s3-env.js';
import { type Case, type Figure, measureCases } from './measure.js';

/** Sizes of the S3 section. */
export interface S3Sizes {
  smallObjects: number;
  smallBytes: number;
  largeBytes: number;
}

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, runner));
}

async function drain(store: S3Store, key: string): Promise<void> {
  for await (const _ of await store.read(key)) {
    // only move the bytes
  }
}

/** Upload, measure, clean up. Returns [] (with a message) when S3 is unreachable. */
export async function s3Section(runs: number, sizes: S3Sizes): Promise<Figure[]> {
  const bucket = `t-hash-bench-${randomBytes(4).toString('hex')}`;
  const store = new S3Store({ ...s3ConfigFromEnv(process.env), bucket });
  try {
    await store.client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    console.error(`hash-bench: S3 section skipped: ${(err as Error).message}`);
    store.client.destroy();
    return [];
  }
  try {
    return await measureS3(store, runs, sizes);
  } catch (err) {
    console.error(`hash-bench: S3 section failed: ${(err as Error).message}`);
    return [];
  } finally {
    await store.deletePrefix('small');
    await store.delete('large.bin');
    await store.client.send(new DeleteBucketCommand({ Bucket: bucket }));
    store.client.destroy(); // idle keep-alive sockets would hold the process open
  }
}

async function measureS3(store: S3Store, runs: number, sizes: S3Sizes): Promise<Figure[]> {
  const keys = Array.from({ length: sizes.smallObjects }, (_, i) => `small/f${i}.bin`);
  await inParallel(keys, 32, (key) => store.write(key, randomBytes(sizes.smallBytes)));
  await store.write('large.bin', randomBytes(sizes.largeBytes));
  const large = 'S3 (MinIO on this machine), one large object';
  const cases: Case[] = [
    {
      section: large,
      name: 'GET, drain only',
      unit: 'MB/s',
      id: 's3-get-large',
      amount: sizes.largeBytes,
      run: () => drain(store, 'large.bin'),
    },
    {
      section: large,
      name: 'digestFiles, SHA-256 on the main thread',
      unit: 'MB/s',
      baseline: 's3-get-large',
      amount: sizes.largeBytes,
      run: () => digestFiles(store, [{ key: 'large.bin', algorithms: ['sha256'] }]),
    },
  ];
  const small = `S3, ${sizes.smallObjects} objects of ${sizes.smallBytes / 1024} KiB`;
  const requests = keys.map((key) => ({ key, algorithms: ['sha512'] }));
  for (const width of [8, 16, 32]) {
    const id = `s3-get-small-${width}`;
    cases.push(
      {
        section: small,
        name: `GET, drain only, ${width} in flight`,
        unit: 'files/s',
        id,
        amount: keys.length,
        run: () => inParallel(keys, width, (k) => drain(store, k)),
      },
      {
        section: small,
        name: `digestFiles, SHA-512, ${width} in flight`,
        unit: 'files/s',
        baseline: id,
        amount: keys.length,
        run: () => digestFiles(store, requests, { concurrency: width }),
        ...(width === DEFAULT_STREAM_CONCURRENCY && { note: 'default concurrency' }),
      },
    );
  }
  return measureCases(cases, runs);
}
