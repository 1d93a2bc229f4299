/**
 * The local sections of the hash benchmark. Each returns its figures; every figure names the
 * baseline it is compared with (openssl on the same bytes with the same number of processes).
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
import { type Figure, medianSeconds, opensslDigest, sh } from './measure.js';

const MiB = 1 << 20;
const MB = 1e6;

/** What the sections share: the data, the run count and two started pools. */
export interface BenchContext {
  data: BenchData;
  runs: number;
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

async function mbps(ctx: BenchContext, bytes: number, fn: () => unknown) {
  const seconds = await medianSeconds(ctx.runs, fn);
  return { rate: bytes / MB / seconds, seconds };
}

/** openssl over the same files: the baselines every other figure is divided by. */
export async function baselines(ctx: BenchContext): Promise<Figure[]> {
  const { data } = ctx;
  const out: Figure[] = [];
  const file = async (id: string, alg: string) => {
    const m = await mbps(ctx, ctx.bigBytes, () => sh(`openssl dgst -${alg} ${data.bigFile} > /dev/null`));
    out.push({ section: 'baseline', name: `openssl dgst -${alg}, one file`, unit: 'MB/s', id, ...m });
  };
  await file('ossl-sha256', 'sha256');
  await file('ossl-sha512', 'sha512');
  await file('ossl-blake2b512', 'blake2b512');
  const large = data.largeFiles.join(' ');
  const largeBytes = ctx.largeBytes * data.largeFiles.length;
  for (const p of [1, 2]) {
    const m = await mbps(ctx, largeBytes, () =>
      sh(`printf '%s\\n' ${large} | xargs -n 1 -P ${p} openssl dgst -sha256 > /dev/null`),
    );
    const name = `openssl dgst -sha256, ${data.largeFiles.length} large files, ${p} process${p > 1 ? 'es' : ''}`;
    out.push({ section: 'baseline', name, unit: 'MB/s', id: `ossl-large-p${p}`, ...m });
  }
  for (const p of [1, 2]) {
    const seconds = await medianSeconds(ctx.runs, () =>
      sh(`xargs -a ${data.smallList} -n 1000 -P ${p} openssl dgst -sha512 > /dev/null`),
    );
    const name = `openssl dgst -sha512, small files, ${p} process${p > 1 ? 'es' : ''} (xargs -n 1000)`;
    out.push({
      section: 'baseline',
      name,
      unit: 'files/s',
      id: `ossl-small-p${p}`,
      rate: data.smallKeys.length / seconds,
      seconds,
    });
  }
  return out;
}

/** node:crypto vs hash-wasm in memory, 1 MiB updates. */
export async function memorySection(ctx: BenchContext): Promise<Figure[]> {
  const block = Buffer.alloc(MiB, 0x5a);
  const n = Math.round(ctx.memoryBytes / MiB);
  const out: Figure[] = [];
  const add = async (name: string, baseline: string, run: () => void) => {
    out.push({
      section: 'in memory, 1 MiB updates',
      name,
      unit: 'MB/s',
      baseline,
      ...(await mbps(ctx, n * MiB, run)),
    });
  };
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
  await add('SHA-256 node:crypto', 'ossl-sha256', node('sha256'));
  await add('SHA-256 hash-wasm', 'ossl-sha256', wasm(await createSHA256()));
  await add('SHA-512 node:crypto', 'ossl-sha512', node('sha512'));
  await add('SHA-512 hash-wasm', 'ossl-sha512', wasm(await createSHA512()));
  await add('BLAKE2b-512 node:crypto', 'ossl-blake2b512', node('blake2b512'));
  await add(
    'BLAKE2b-256 hash-wasm (our blake2b-160/256/384)',
    'ossl-blake2b512',
    wasm(await createBLAKE2b(256)),
  );
  return out;
}

/** One large file, SHA-256: stream chunk sizes on the main thread, sync reads, a worker task. */
export async function singleFileSection(ctx: BenchContext): Promise<Figure[]> {
  const { bigFile } = ctx.data;
  const expected = opensslDigest('sha256', bigFile);
  const out: Figure[] = [];
  const add = async (name: string, baseline: string, run: () => Promise<string>, note?: string) => {
    const got = await run();
    const check = baseline === 'ossl-sha256' && got !== expected ? 'DIGEST MISMATCH with openssl' : undefined;
    const m = await mbps(ctx, ctx.bigBytes, run);
    const notes = [note, check].filter(Boolean).join('; ');
    out.push({
      section: 'one large file',
      name,
      unit: 'MB/s',
      baseline,
      ...m,
      ...(notes && { note: notes }),
    });
  };
  const stream = (hwm: number) => async () =>
    (await digestStream(createReadStream(bigFile, { highWaterMark: hwm }), ['sha256'])).digests['sha256']!;
  await add('main thread, stream 64 KiB chunks (Node default)', 'ossl-sha256', stream(64 * 1024));
  await add('main thread, stream 1 MiB chunks', 'ossl-sha256', stream(MiB));
  await add(
    'main thread, sync 1 MiB reads',
    'ossl-sha256',
    syncFile(bigFile, 'sha256'),
    'blocks the event loop',
  );
  const worker = (alg: string) => async () => {
    const r = await ctx.pool1.runFile({ kind: 'file', path: bigFile, algorithms: [alg] });
    return r.outcome?.status === 'done' ? r.outcome.digests[alg]! : 'failed';
  };
  await add(
    'worker task, 1 MiB double-buffered reads',
    'ossl-sha256',
    worker('sha256'),
    'what digestFiles uses',
  );
  await add('worker task, SHA-512 (OCFL default)', 'ossl-sha512', worker('sha512'));
  return out;
}

function syncFile(path: string, alg: string): () => Promise<string> {
  const buffer = Buffer.allocUnsafe(MiB);
  return async () => {
    const digester = await createDigester([alg]);
    const fd = openSync(path, 'r');
    try {
      hashFdSync(fd, digester, buffer);
    } finally {
      closeSync(fd);
    }
    return digester.digest()[alg]!;
  };
}

/** Many small files, SHA-512: async and sync on the main thread, then the pool by batch size. */
export async function smallFilesSection(ctx: BenchContext): Promise<Figure[]> {
  const { data } = ctx;
  const store = new FsStore(data.smallRoot);
  const paths = data.smallKeys.map((k) => store.localPath(k));
  const requests = data.smallKeys.map((key) => ({ key, algorithms: ['sha512'] }));
  const count = data.smallKeys.length;
  const out: Figure[] = [];
  const add = async (name: string, baseline: string, run: () => unknown, note?: string) => {
    const seconds = await medianSeconds(ctx.runs, run);
    out.push({
      section: `${count} small files`,
      name,
      unit: 'files/s',
      rate: count / seconds,
      seconds,
      baseline,
      ...(note && { note }),
    });
  };
  await add('main thread, async readFile, 16 in flight', 'ossl-small-p1', () => asyncReadAll(paths, 16));
  await add(
    'main thread, FsStore streams, 8 in flight',
    'ossl-small-p1',
    () => digestStreamed(store, requests, {}),
    'the non-local path; the old digestFiles',
  );
  await add(
    'main thread, sync open/read/close loop',
    'ossl-small-p1',
    () => hashBatch(oneBatch(paths)),
    'blocks the event loop',
  );
  await add('pool, 1 thread, batches of 256', 'ossl-small-p1', () =>
    digestFiles(store, requests, { pool: ctx.pool1 }),
  );
  for (const batchFiles of [1, 16, 64, 256, 1024]) {
    const note = batchFiles === 256 ? 'default (digestFiles)' : undefined;
    await add(
      `pool, 2 threads, batches of ${batchFiles}`,
      'ossl-small-p2',
      () => digestFiles(store, requests, { pool: ctx.pool2, batchFiles }),
      note,
    );
  }
  return out;
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
export async function largeFilesSection(ctx: BenchContext): Promise<Figure[]> {
  const { data } = ctx;
  const store = new FsStore(dirname(data.largeFiles[0]!));
  const requests = data.largeFiles.map((f) => ({ key: basename(f), algorithms: ['sha256'] }));
  const bytes = ctx.largeBytes * data.largeFiles.length;
  const section = `${data.largeFiles.length} large files`;
  const out: Figure[] = [];
  for (const [pool, p] of [
    [ctx.pool1, 1],
    [ctx.pool2, 2],
  ] as const) {
    const m = await mbps(ctx, bytes, () => digestFiles(store, requests, { pool }));
    out.push({
      section,
      name: `digestFiles, ${p} worker thread${p > 1 ? 's' : ''}`,
      unit: 'MB/s',
      baseline: `ossl-large-p${p}`,
      ...m,
    });
  }
  return out;
}
