/**
 * Where the deposit-workspace suites run: deposit working areas on the filesystem (a temp
 * directory) or in MinIO (a fresh bucket), with helpers that change an area behind the API's
 * back, as a client uploading straight to the working area does.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { Test } from 'tap';
import { newRecordId } from '../../lib/records/ids.js';
import type { DepositRecord, DepositTemplate } from '../../lib/records/model.js';
import type { RecordStore } from '../../lib/records/port.js';
import type { OpenStoreOptions } from '../../lib/storage/location.js';
import { createS3Client, type S3Connection } from '../../lib/storage/s3/config.js';
import { createDepositArea } from '../../lib/txn/deposit-area.js';
import { makeTestBucket } from '../helpers/s3.js';
import { tempDir } from '../txn/helpers.js';

/** One place to run a suite. */
export interface WorkspaceEnv {
  name: 'fs' | 'minio';
  /** Location URI under which deposits get `{id}/` (no trailing slash). */
  depositsRoot: string;
  store: OpenStoreOptions;
  /** S3 settings (MinIO only), for servers built from the environment. */
  s3?: S3Connection;
  put(area: string, files: Record<string, string | Buffer>): Promise<void>;
  read(area: string, key: string): Promise<Buffer>;
  exists(area: string, key: string): Promise<boolean>;
  remove(area: string, key: string): Promise<void>;
  /** Every key of the area, sorted. */
  keys(area: string): Promise<string[]>;
}

/** An environment on the local filesystem. */
export function fsWorkspaceEnv(t: Test): WorkspaceEnv {
  const root = tempDir(t, 'workspace');
  const at = (area: string, key: string) => join(fileURLToPath(area), ...key.split('/'));
  return {
    name: 'fs',
    depositsRoot: pathToFileURL(root).href,
    store: {},
    async put(area, files) {
      for (const [key, content] of Object.entries(files)) {
        mkdirSync(dirname(at(area, key)), { recursive: true });
        writeFileSync(at(area, key), content);
      }
    },
    read: async (area, key) => readFileSync(at(area, key)),
    exists: async (area, key) => {
      try {
        return statSync(at(area, key)).isFile();
      } catch {
        return false;
      }
    },
    remove: async (area, key) => rmSync(at(area, key), { force: true }),
    async keys(area) {
      const dir = fileURLToPath(area);
      const out: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(d, e.name));
          else out.push(relative(dir, join(d, e.name)).split('\\').join('/'));
        }
      };
      walk(dir);
      return out.sort();
    },
  };
}

/** An environment in a fresh MinIO bucket. */
export async function s3WorkspaceEnv(t: Test, config: S3Connection): Promise<WorkspaceEnv> {
  const { bucket, cleanup } = await makeTestBucket(config, 't-workspace');
  const client = createS3Client(config);
  t.teardown(async () => {
    client.destroy();
    await cleanup();
  });
  const split = (area: string, key: string) => {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(area)!;
    return { Bucket: m[1]!, Key: `${m[2]}${key}` };
  };
  return {
    name: 'minio',
    depositsRoot: `s3://${bucket}/deposits`,
    store: { s3: config },
    s3: config,
    async put(area, files) {
      for (const [key, content] of Object.entries(files))
        await client.send(new PutObjectCommand({ ...split(area, key), Body: Buffer.from(content) }));
    },
    async read(area, key) {
      const out = await client.send(new GetObjectCommand(split(area, key)));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    async exists(area, key) {
      try {
        await client.send(new GetObjectCommand(split(area, key)));
        return true;
      } catch {
        return false;
      }
    },
    remove: async (area, key) => {
      await client.send(new DeleteObjectCommand(split(area, key)));
    },
    async keys(area) {
      const { Bucket, Key: Prefix } = split(area, '');
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix, ...(token && { ContinuationToken: token }) }),
        );
        for (const o of page.Contents ?? []) out.push(o.Key!.slice(Prefix.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out.sort();
    },
  };
}

/** Create a deposit as DepositService.create does: its working area and its record. */
export async function newDeposit(
  env: WorkspaceEnv,
  records: RecordStore,
  template: DepositTemplate,
  createdBy = 'tester',
): Promise<DepositRecord> {
  const id = newRecordId();
  const files = `${env.depositsRoot}/${id}/`;
  const area = await createDepositArea(files, template, {
    title: 'A deposit',
    created: '2025-01-02T03:04:05Z',
    store: env.store,
  });
  return records.deposits.create({
    id,
    files,
    createdBy,
    template,
    metsETag: area.metsETag,
    metsManaged: area.metsPath !== null,
  });
}

/** The files of a corpus folder, keyed by their path below it (bytes as stored). */
export function corpusFiles(dir: string, prefix = ''): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[`${prefix}${relative(dir, p).split('\\').join('/')}`] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}
