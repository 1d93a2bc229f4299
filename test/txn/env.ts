/**
 * Where the write-path suite runs: a repository location and a deposit area, on the filesystem
 * (temp directories) or in S3 (a fresh bucket with `repo/` and `deposit/` prefixes).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Test } from 'tap';
import type { OpenStoreOptions } from '../../lib/storage/location.js';
import type { S3Connection } from '../../lib/storage/s3/config.js';
import { openWritableStore } from '../../lib/storage/writable.js';
import { makeTestBucket } from '../helpers/s3.js';
import { tempDir } from './helpers.js';

/** A file put in the deposit area. */
export interface DepositFile {
  path: string;
  bytes: Buffer;
  sha256: string;
  uri: string;
}

/** One place to run the suite. */
export interface TxnEnv {
  name: string;
  /** Location URI of the repository (storage root). */
  repo: string;
  /** Location URI of the deposit area (the allowed source root). */
  deposit: string;
  /** Store options for both (S3 connection). */
  store: OpenStoreOptions;
  /** Write files into the deposit area. */
  writeDeposit(files: Record<string, string | Buffer>): Promise<DepositFile[]>;
  /** True when anything is stored under the repository key `key`. */
  hasKey(key: string): Promise<boolean>;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An environment on the local filesystem. */
export async function fsEnv(t: Test): Promise<TxnEnv> {
  const repoDir = tempDir(t, 'repo');
  const depositDir = tempDir(t, 'deposit');
  const deposit = pathToFileURL(depositDir).href;
  const store = await openWritableStore(deposit);
  return {
    name: 'fs',
    repo: pathToFileURL(repoDir).href,
    deposit,
    store: {},
    async writeDeposit(files) {
      return Promise.all(
        Object.entries(files).map(async ([path, content]) => {
          const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
          await store.write(path, bytes);
          return {
            path,
            bytes,
            sha256: sha256(bytes),
            uri: pathToFileURL(join(depositDir, ...path.split('/'))).href,
          };
        }),
      );
    },
    async hasKey(key) {
      return existsSync(join(repoDir, ...key.split('/')));
    },
  };
}

/** An environment in a fresh S3 bucket. */
export async function s3Env(t: Test, config: S3Connection): Promise<TxnEnv> {
  const { bucket, cleanup } = await makeTestBucket(config, 't-txn');
  t.teardown(cleanup);
  const deposit = `s3://${bucket}/deposit`;
  const repo = `s3://${bucket}/repo`;
  const options = { s3: config };
  const depositStore = await openWritableStore(deposit, options);
  const repoStore = await openWritableStore(repo, options);
  return {
    name: 's3',
    repo,
    deposit,
    store: options,
    async writeDeposit(files) {
      return Promise.all(
        Object.entries(files).map(async ([path, content]) => {
          const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
          await depositStore.write(path, bytes);
          return { path, bytes, sha256: sha256(bytes), uri: `${deposit}/${path}` };
        }),
      );
    },
    async hasKey(key) {
      if (await repoStore.exists(key)) return true;
      for await (const _ of repoStore.list(key, { delimiter: false })) return true;
      return false;
    },
  };
}
