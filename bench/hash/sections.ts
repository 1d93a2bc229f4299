/**
 * The local sections of the hash benchmark, as lists of cases timed together with their
 * baselines (openssl on the same bytes with the same number of processes), round-robin.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { createBLAKE2b, createSHA256, createSHA512 } from 'hash-wasm';
import { digestFiles } from '../../lib/hash/digest-files.js';
import { createDigester, digestStream } from '../../lib/hash/digesters.js';
import { hashBatch, hashFdSync } from '../../lib/hash/local-files.js';
import { HashPool } from '../../lib/hash/pool.js';
import { digestStreamed } from '../../lib/hash/stream-digest.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import type { BenchData } from './data.js';
import { type Case, opensslDigest, sh } from './measure.js';

const MiB = 1 << 20;

/** What the sections share: the data, the sizes and two started pools. */
export interface BenchContext {
  data: BenchData;
  memoryBytes: number;
  bigBytes: number;
  largeBytes: number;
  pool1: HashPool;
  pool2: HashPool;
}

/** Two pools with their threads started (a start-up is not what we measure). */
export async function startPools(data: BenchData): Promise<{ pool1: HashPool; pool2: HashPool }> {
  const pool1 = new HashPool({ threads: 1 });
  const pool2 = new HashPool({ threads: 2 });
  const store = new FsStore(data.smallRoot);
  const warm = [{ key: data.smallKeys[0]!, algorithms: ['sha256', 'sha512'] }];
  await digestFiles(store, warm, { pool: pool1 });
  await digestFiles(store, [...warm, ...warm], { pool: pool2 });
  return { pool1, pool2 };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n > 1 ? 'es' : ''}`;
}

/** Throw unless `got` is openssl's digest (every method must compute the same thing). */
function check(got: string | undefined, expected: string, what: string): void {
  if (got !== expected) throw new Error(`${what}: digest ${got} differs from openssl's ${expected}`);
}

/** In-memory hashing and one large file: node:crypto vs hash-wasm, chunk sizes, sync vs worker. */
export async function oneFileCases(ctx: BenchContext): Promise<Case[]> {
  const { bigFile } = ctx.data;
  const file = (id: string, alg: string): Case => ({
    section: 'baseline',
    name: `openssl dgst -${alg}, one file`,
    unit: 'MB/s',
    id,
    amount: ctx.bigBytes,
    run: () => sh(`openssl dgst -${alg} ${bigFile} > /dev/null`),
  });
  return [
    file('ossl-sha256', 'sha256'),
    file('ossl-sha512', 'sha512'),
    file('ossl-blake2b512', 'blake2b512'),
    ...(await memoryCases(ctx)),
    ...(await bigFileCases(ctx)),
  ];
}

async function memoryCases(ctx: BenchContext): Promise<Case[]> {
  const block = Buffer.alloc(MiB, 0x5a);
  const n = Math.round(ctx.memoryBytes / MiB);
  const section = 'in memory, 1 MiB updates';
  const node = (alg: string) => () => {
    const h = createHash(alg);
    for (let i = 0; i < n; i++) h.update(block);
    h.digest();
  };
  const wasm = (hasher: { init(): unknown; update(b: Uint8Array): unknown; digest(): string }) => () => {
    hasher.init();
    for (let i = 0; i < n; i++) hasher.update(block);
    hasher.digest();
  };
  const c = (name: string, baseline: string, run: () => void): Case => ({
    section,
    name,
    unit: 'MB/s',
    baseline,
    amount: n * MiB,
    run,
  });
  return [
    c('SHA-256 node:crypto', 'ossl-sha256', node('sha256')),
    c('SHA-256 hash-wasm', 'ossl-sha256', wasm(await createSHA256())),
    c('SHA-512 node:crypto', 'ossl-sha512', node('sha512')),
    c('SHA-512 hash-wasm', 'ossl-sha512', wasm(await createSHA512())),
    c('BLAKE2b-512 node:crypto', 'ossl-blake2b512', node('blake2b512')),
    c('BLAKE2b-256 hash-wasm (our blake2b-160/256/384)', 'ossl-blake2b512', wasm(await createBLAKE2b(256))),
  ];
}

async function bigFileCases(ctx: BenchContext): Promise<Case[]> {
  const { bigFile } = ctx.data;
  const sha256 = opensslDigest('sha256', bigFile);
  const sha512 = opensslDigest('sha512', bigFile);
  const stream = (hwm: number) => async () => {
    const r = await digestStream(createReadStream(bigFile, { highWaterMark: hwm }), ['sha256']);
    check(r.digests['sha256'], sha256, `stream ${hwm}`);
  };
  const worker = (alg: string, expected: string) => async () => {
    const r = await ctx.pool1.runFile({ kind: 'file', path: bigFile, algorithms: [alg] });
    check(r.outcome?.status === 'done' ? r.outcome.digests[alg] : undefined, expected, 'worker');
  };
  const c = (name: string, baseline: string, run: () => unknown, note?: string): Case => ({
    section: 'one large file',
    name,
    unit: 'MB/s',
    baseline,
    amount: ctx.bigBytes,
    run,
    ...(note && { note }),
  });
  return [
    c('main thread, stream 64 KiB chunks (Node default)', 'ossl-sha256', stream(64 * 1024)),
    c('main thread, stream 1 MiB chunks', 'ossl-sha256', stream(MiB)),
    c('main thread, sync 1 MiB reads', 'ossl-sha256', syncFile(bigFile, sha256), 'blocks the event loop'),
    c('worker task, 1 MiB double-buffered reads', 'ossl-sha256', worker('sha256', sha256), 'digestFiles'),
    c('worker task, SHA-512 (OCFL default)', 'ossl-sha512', worker('sha512', sha512), 'digestFiles'),
  ];
}

function syncFile(path: string, expected: string): () => Promise<void> {
  const buffer = Buffer.allocUnsafe(MiB);
  return async () => {
    const digester = await createDigester(['sha256']);
    const fd = openSync(path, 'r');
    try {
      hashFdSync(fd, digester, buffer);
    } finally {
      closeSync(fd);
    }
    check(digester.digest()['sha256'], expected, 'sync reads');
  };
}

/** Many small files, SHA-512: async and sync on the main thread, then the pool by batch size. */
export function smallFileCases(ctx: BenchContext): Case[] {
  const { data } = ctx;
  const store = new FsStore(data.smallRoot);
  const paths = data.smallKeys.map((k) => store.localPath(k));
  const requests = data.smallKeys.map((key) => ({ key, algorithms: ['sha512'] }));
  const count = data.smallKeys.length;
  const section = `${count} small files`;
  const c = (name: string, baseline: string, run: () => unknown, note?: string): Case => ({
    section,
    name,
    unit: 'files/s',
    baseline,
    amount: count,
    run,
    ...(note && { note }),
  });
  const openssl = (p: number): Case => ({
    section: 'baseline',
    name: `openssl dgst -sha512, small files, ${plural(p, 'process')} (xargs -n 1000)`,
    unit: 'files/s',
    id: `ossl-small-p${p}`,
    amount: count,
    run: () => sh(`xargs -a ${data.smallList} -n 1000 -P ${p} openssl dgst -sha512 > /dev/null`),
  });
  const pool2 = (batchFiles: number) =>
    c(
      `pool, 2 threads, batches of ${batchFiles}`,
      'ossl-small-p2',
      () => digestFiles(store, requests, { pool: ctx.pool2, batchFiles }),
      batchFiles === 256 ? 'default of digestFiles' : undefined,
    );
  return [
    openssl(1),
    openssl(2),
    c('main thread, async readFile, 16 in flight', 'ossl-small-p1', () => asyncReadAll(paths, 16)),
    c(
      'main thread, FsStore streams, 8 in flight',
      'ossl-small-p1',
      () => digestStreamed(store, requests, {}),
      'the non-local path (and the old digestFiles)',
    ),
    c(
      'main thread, sync open/read/close loop',
      'ossl-small-p1',
      () => hashBatch(oneBatch(paths)),
      'blocks the event loop',
    ),
    c('pool, 1 thread, batches of 256', 'ossl-small-p1', () =>
      digestFiles(store, requests, { pool: ctx.pool1 }),
    ),
    ...[1, 16, 64, 256, 1024].map(pool2),
  ];
}

function oneBatch(paths: string[]) {
  return {
    kind: 'batch' as const,
    paths,
    algorithmSets: [['sha512']],
    sets: paths.map(() => 0),
    largeBytes: Number.MAX_SAFE_INTEGER,
    budgetBytes: Number.MAX_SAFE_INTEGER,
  };
}

async function asyncReadAll(paths: string[], width: number): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < paths.length) {
      const bytes = await readFile(paths[next++]!);
      createHash('sha512').update(bytes).digest('hex');
    }
  };
  await Promise.all(Array.from({ length: width }, runner));
}

/** Several large files through digestFiles on 1 and 2 worker threads, SHA-256. */
export function largeFileCases(ctx: BenchContext): Case[] {
  const { data } = ctx;
  const store = new FsStore(dirname(data.largeFiles[0]!));
  const requests = data.largeFiles.map((f) => ({ key: basename(f), algorithms: ['sha256'] }));
  const amount = ctx.largeBytes * data.largeFiles.length;
  const list = data.largeFiles.join(' ');
  const cases: Case[] = [];
  for (const p of [1, 2]) {
    cases.push({
      section: 'baseline',
      name: `openssl dgst -sha256, ${data.largeFiles.length} large files, ${plural(p, 'process')}`,
      unit: 'MB/s',
      id: `ossl-large-p${p}`,
      amount,
      run: () => sh(`printf '%s\\n' ${list} | xargs -n 1 -P ${p} openssl dgst -sha256 > /dev/null`),
    });
  }
  for (const [pool, p] of [
    [ctx.pool1, 1],
    [ctx.pool2, 2],
  ] as const) {
    cases.push({
      section: `${data.largeFiles.length} large files`,
      name: `digestFiles, ${p} worker thread${p > 1 ? 's' : ''}`,
      unit: 'MB/s',
      baseline: `ossl-large-p${p}`,
      amount,
      run: () => digestFiles(store, requests, { pool }),
    });
  }
  return cases;
}
