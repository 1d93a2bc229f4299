/**
 * One measured job of the write-path benchmark, in a process of its own so that no job inherits
 * another's heap, garbage or threads (the peer's included):
 *
 *   node dist/bench/txn/job.js '<JSON spec>'   → prints {"seconds": …}
 *
 * Setup (a fresh storage root with its parent container, the peer's storage root, clients) is
 * done before the clock starts; our hashing pool is started with one tiny task first, as a
 * server's would be. The clock covers the operation alone.
 */

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CopyObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { digestBytes } from '../../lib/core/ocfl/digests.js';
import { parseInventory, serializeInventory } from '../../lib/core/ocfl/inventory-parse.js';
import { mapLimit } from '../../lib/engine/concurrency.js';
import { getDefaultPool } from '../../lib/hash/pool.js';
import { openRepository } from '../../lib/services/repository.js';
import { createS3Client } from '../../lib/storage/s3/config.js';
import { exportVersion } from '../../lib/txn/export.js';
import { openRepositoryWriter, type RepositoryWriter } from '../../lib/txn/writer.js';
import { s3ConfigFromEnv } from '../../server/config/s3-env.js';
import { peersDir } from '../ocfl/paths.js';
import { deposit } from './data.js';

/** What a job does. */
export type JobSpec =
  | ({ job: 'ours-import'; repo: string; algorithm: Algorithm } & DepositSpec)
  | ({ job: 'peer-import'; dir: string; algorithm: Algorithm } & DepositSpec)
  /** S3 → S3: deposit objects `<prefix>/<name>` in `bucket`, repository at a fresh prefix there. */
  | ({ job: 's3-ours'; bucket: string; prefix: string; algorithm: Algorithm } & DepositSpec)
  /** The baseline: one plain CopyObject per deposit object, `concurrency` at a time. */
  | ({ job: 's3-copy-loop'; bucket: string; prefix: string; concurrency: number } & DepositSpec)
  /** Build (once) the `count`-file object under `repo` (a storage root), for the patch. */
  | ({ job: 'patch-build'; repo: string; algorithm: Algorithm } & DepositSpec)
  /** One new file into `books/obj` of the storage root `repo`. */
  | { job: 'ours-patch'; repo: string; file: string; sha256: string; warm?: boolean }
  /** The baseline: serialise `repo`'s root inventory, write it and its sidecar, fsync both. */
  | { job: 'inventory-write'; repo: string; out: string }
  /** A full export of `books/obj` in the storage root `repo` into the new folder `out` (+ `sync -f`). */
  | { job: 'ours-export'; repo: string; out: string; flush: boolean }
  /** Local deposit → a fresh repository prefix in `bucket`, copies ≥ `checkpointBytes` resumable. */
  | ({ job: 's3-upload'; bucket: string; checkpointBytes: number } & DepositSpec);

type Algorithm = 'sha512' | 'sha256';

/** Which cached deposit (data.ts) a job works on. */
interface DepositSpec {
  data: string;
  count: number;
  size: number;
}

const agent = { name: 'bench' };

async function warmPool(): Promise<void> {
  await getDefaultPool().runWriteBatch({ kind: 'write-batch', files: [] });
}

/** A fresh repository at `dir` (deleted first) with the `books` container. */
export async function freshRepo(dir: string, algorithm: 'sha512' | 'sha256'): Promise<RepositoryWriter> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const writer = await openRepositoryWriter(pathToFileURL(dir).href, {
    create: true,
    digestAlgorithm: algorithm,
  });
  await writer.createContainer('books', { agent });
  return writer;
}

/** With BENCH_STEPS=1, the time of each commit step goes to stderr. */
function stepTimer(): ((p: { step: string }) => void) | undefined {
  if (process.env.BENCH_STEPS !== '1') return undefined;
  let step = 'start';
  let at = performance.now();
  return (p) => {
    if (p.step === step) return;
    const now = performance.now();
    process.stderr.write(`${step} ${(now - at).toFixed(0)} ms${p.step === 'done' ? '\n' : ', '}`);
    step = p.step;
    at = now;
  };
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function runJob(spec: JobSpec): Promise<number> {
  switch (spec.job) {
    case 'ours-import': {
      const dep = deposit(spec.data, spec.count, spec.size);
      const writer = await freshRepo(spec.repo, spec.algorithm);
      await warmPool();
      return time(async () => {
        const tx = writer.begin('books/obj', { agent, sources: [dep.uri], sourceVersion: null });
        for (const f of dep.files) tx.putBinary(f.name, { source: f.uri, digest: f.sha256, size: f.size });
        await tx.commit({ onProgress: stepTimer() });
      });
    }
    case 'peer-import': {
      const dep = deposit(spec.data, spec.count, spec.size);
      const ocfl = createRequire(import.meta.url)(join(peersDir, 'node_modules', '@ocfl', 'ocfl-fs')) as {
        storage(c: object): {
          create(): Promise<unknown>;
          object(id: string): { import(d: string): Promise<void> };
        };
      };
      rmSync(spec.dir, { recursive: true, force: true });
      const storage = ocfl.storage({
        root: join(spec.dir, 'root'),
        workspace: join(spec.dir, 'ws'),
        digestAlgorithm: spec.algorithm,
      });
      await storage.create();
      return time(() => storage.object('info:fedora/books/obj').import(dep.dir));
    }
    case 's3-ours': {
      const dep = deposit(spec.data, spec.count, spec.size);
      const run = `run-${randomBytes(4).toString('hex')}`;
      const store = { s3: { ...s3ConfigFromEnv(process.env), forcePathStyle: true } };
      const writer = await openRepositoryWriter(`s3://${spec.bucket}/${run}`, {
        create: true,
        store,
        digestAlgorithm: spec.algorithm,
      });
      await writer.createContainer('books', { agent });
      await writer.store.capabilities(); // the probe, once per store, before the clock
      const source = `s3://${spec.bucket}/${spec.prefix}`;
      try {
        return await time(async () => {
          const tx = writer.begin('books/obj', { agent, sources: [source], sourceVersion: null });
          for (const f of dep.files) {
            tx.putBinary(f.name, { source: `${source}/${f.name}`, digest: f.sha256, size: f.size });
          }
          await tx.commit({ onProgress: stepTimer() });
        });
      } finally {
        await writer.store.deletePrefix(run);
      }
    }
    case 'patch-build': {
      const dep = deposit(spec.data, spec.count, spec.size);
      const writer = await freshRepo(spec.repo, spec.algorithm);
      return time(async () => {
        const tx = writer.begin('books/obj', { agent, sources: [dep.uri], sourceVersion: null });
        for (const f of dep.files) tx.putBinary(f.name, { source: f.uri, digest: f.sha256, size: f.size });
        await tx.commit({ onProgress: stepTimer() });
      });
    }
    case 'ours-patch': {
      const writer = await openRepositoryWriter(pathToFileURL(spec.repo).href);
      await warmPool();
      const source = pathToFileURL(spec.file).href;
      const patch = (name: string) => async () => {
        const tx = writer.begin('books/obj', { agent, sources: [pathToFileURL(dirname(spec.file)).href] });
        tx.putBinary(name, { source, digest: spec.sha256 });
        await tx.commit({ onProgress: stepTimer() });
      };
      // warm: a long-lived writer (a server) has read the object before; the figure is its next patch.
      if (spec.warm) await patch('warm-up.bin')();
      return time(patch('patched.bin'));
    }
    case 'ours-export': {
      rmSync(spec.out, { recursive: true, force: true });
      const repository = await openRepository(pathToFileURL(spec.repo).href);
      await repository.root.resolveObjectRoot('info:fedora/books/obj');
      return time(async () => {
        const result = await exportVersion(
          repository.root,
          'info:fedora/books/obj',
          pathToFileURL(spec.out).href,
        );
        if (result.errors.length > 0) throw new Error(`export: ${result.errors[0]!.message}`);
        if (spec.flush) spawnSync('sync', ['-f', spec.out], { stdio: 'ignore' });
      });
    }
    case 'inventory-write': {
      const writer = await openRepositoryWriter(pathToFileURL(spec.repo).href);
      const key = writer.objectKeyOf('books/obj');
      const parsed = parseInventory(
        await writer.store.readBytes(`${key}/inventory.json`, { maxBytes: 1 << 30 }),
      );
      const inventory = parsed.inventory!;
      mkdirSync(spec.out, { recursive: true });
      return time(async () => {
        const bytes = Buffer.from(serializeInventory(inventory));
        const alg = inventory.digestAlgorithm;
        const sidecar = `${digestBytes(bytes, [alg])[alg]} inventory.json\n`;
        for (const [name, body] of [
          ['inventory.json', bytes],
          [`inventory.json.${alg}`, sidecar],
        ] as const) {
          const handle = await open(join(spec.out, name), 'w');
          await handle.writeFile(body);
          await handle.sync();
          await handle.close();
        }
      });
    }
    case 's3-upload': {
      const dep = deposit(spec.data, spec.count, spec.size);
      const run = `upload-${randomBytes(4).toString('hex')}`;
      const store = { s3: { ...s3ConfigFromEnv(process.env), forcePathStyle: true } };
      const writer = await openRepositoryWriter(`s3://${spec.bucket}/${run}`, {
        create: true,
        store,
        checkpointBytes: spec.checkpointBytes,
      });
      await writer.createContainer('books', { agent });
      await writer.store.capabilities();
      try {
        return await time(async () => {
          const tx = writer.begin('books/obj', { agent, sources: [dep.uri], sourceVersion: null });
          for (const f of dep.files) tx.putBinary(f.name, { source: f.uri, digest: f.sha256, size: f.size });
          await tx.commit({ onProgress: stepTimer() });
        });
      } finally {
        await writer.store.deletePrefix(run);
      }
    }
    case 's3-copy-loop': {
      const dep = deposit(spec.data, spec.count, spec.size);
      const config = { ...s3ConfigFromEnv(process.env), forcePathStyle: true };
      const client = createS3Client(config);
      const run = `loop-${randomBytes(4).toString('hex')}`;
      const names = dep.files.map((f) => f.name);
      try {
        return await time(() =>
          mapLimit(names, spec.concurrency, (name) =>
            client.send(
              new CopyObjectCommand({
                Bucket: spec.bucket,
                Key: `${run}/${name}`,
                CopySource: `${spec.bucket}/${spec.prefix}/${name}`,
              }),
            ),
          ),
        );
      } finally {
        await mapLimit(names, 16, (name) =>
          client.send(new DeleteObjectCommand({ Bucket: spec.bucket, Key: `${run}/${name}` })),
        );
      }
    }
  }
}

const spec = JSON.parse(process.argv[2] ?? '{}') as JobSpec;
runJob(spec).then(
  (seconds) => {
    console.log(JSON.stringify({ seconds }));
    process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
