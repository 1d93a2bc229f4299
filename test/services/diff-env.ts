/**
 * Where the diff suites run: a repository and deposit working areas on the filesystem (temp
 * directories) or in MinIO (a fresh bucket; deposit files uploaded with PutObject, with or
 * without `ChecksumAlgorithm: SHA256`, or as a multipart upload).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Test } from 'tap';
import type { OpenStoreOptions } from '../../lib/storage/location.js';
import { createS3Client, type S3Connection } from '../../lib/storage/s3/config.js';
import { makeTestBucket } from '../helpers/s3.js';
import { tempDir } from '../txn/helpers.js';

/** How a file is put in an S3 deposit (ignored on the filesystem). */
export interface UploadOptions {
  /** PutObject with `ChecksumAlgorithm: SHA256` (the server keeps a full-object SHA-256). */
  checksum?: boolean;
  /** A multipart upload (5 MiB parts) with SHA-256 part checksums: a composite, not a digest. */
  multipart?: boolean;
}

/** One deposit working area. */
export interface Deposit {
  /** Location URI, ending in `/`. */
  uri: string;
  write(files: Record<string, string | Buffer>, options?: UploadOptions): Promise<void>;
  read(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
  move(from: string, to: string): Promise<void>;
}

/** One place to run the suite. */
export interface DiffEnv {
  name: 'fs' | 'minio';
  repo: string;
  store: OpenStoreOptions;
  newDeposit(): Promise<Deposit>;
}

/** Lowercase hex SHA-256. */
export function sha256(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An environment on the local filesystem. */
export async function fsDiffEnv(t: Test): Promise<DiffEnv> {
  const repoDir = tempDir(t, 'diff-repo');
  return {
    name: 'fs',
    repo: pathToFileURL(repoDir).href,
    store: {},
    async newDeposit() {
      const dir = tempDir(t, 'diff-deposit');
      const at = (key: string) => join(dir, ...key.split('/'));
      return {
        uri: `${pathToFileURL(dir).href}/`,
        async write(files) {
          for (const [key, content] of Object.entries(files)) {
            mkdirSync(dirname(at(key)), { recursive: true });
            writeFileSync(at(key), content);
          }
        },
        read: async (key) => readFileSync(at(key)),
        remove: async (key) => rmSync(at(key), { force: true }),
        /** Moves like S3 does: a folder left empty is gone too. */
        async move(from, to) {
          mkdirSync(dirname(at(to)), { recursive: true });
          renameSync(at(from), at(to));
          for (let d = dirname(at(from)); d !== dir && readdirSync(d).length === 0; d = dirname(d))
            rmdirSync(d);
        },
      };
    },
  };
}

/** An environment in a fresh MinIO bucket. */
export async function s3DiffEnv(t: Test, config: S3Connection): Promise<DiffEnv> {
  const { bucket, cleanup } = await makeTestBucket(config, 't-diff');
  const client = createS3Client(config);
  t.teardown(async () => {
    client.destroy();
    await cleanup();
  });
  return {
    name: 'minio',
    repo: `s3://${bucket}/repo`,
    store: { s3: config },
    async newDeposit() {
      const prefix = `deposits/${randomBytes(4).toString('hex')}`;
      const objectKey = (key: string) => `${prefix}/${key}`;
      return {
        uri: `s3://${bucket}/${prefix}/`,
        async write(files, options = {}) {
          for (const [key, content] of Object.entries(files))
            await upload(client, bucket, objectKey(key), Buffer.from(content), options);
        },
        async read(key) {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
          return Buffer.from(await out.Body!.transformToByteArray());
        },
        remove: async (key) => {
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        },
        async move(from, to) {
          await client.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: objectKey(to),
              CopySource: `${bucket}/${encodeURIComponent(objectKey(from)).replace(/%2F/g, '/')}`,
            }),
          );
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(from) }));
        },
      };
    },
  };
}

async function upload(
  client: S3Client,
  bucket: string,
  key: string,
  body: Buffer,
  options: UploadOptions,
): Promise<void> {
  if (options.multipart) {
    await new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: 'SHA256' },
      partSize: 5 * 1024 * 1024,
    }).done();
    return;
  }
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: 'application/octet-stream',
      ...(options.checksum && { ChecksumAlgorithm: 'SHA256' as const }),
    }),
  );
}
