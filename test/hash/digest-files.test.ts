import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { digestFiles, type FileDigestRequest } from '../../lib/hash/digest-files.js';
import { HashPool, workerExecArgv } from '../../lib/hash/pool.js';
import type { BatchOutcome, BatchTask, FileTask, FileTaskOutcome } from '../../lib/hash/tasks.js';
import { repoRoot } from '../helpers/paths.js';
import { expectedDigests, memoryTree, treeFiles, writeTree } from './tree.js';

const MiB = 1 << 20;

/** A pool that records the tasks it runs and how many are running. */
class RecordingPool extends HashPool {
  batchSizes: number[] = [];
  fileTasks = 0;
  running = 0;

  override async runBatch(task: BatchTask): Promise<BatchOutcome> {
    this.batchSizes.push(task.paths.length);
    this.running++;
    try {
      return await super.runBatch(task);
    } finally {
      this.running--;
    }
  }

  override async runFile(task: FileTask): Promise<FileTaskOutcome> {
    this.fileTasks++;
    this.running++;
    try {
      return await super.runFile(task);
    } finally {
      this.running--;
    }
  }
}

const pool = new RecordingPool({ threads: 2 });
t.teardown(() => pool.close());

const ALGS = ['sha512', 'md5', 'size'];
const files = treeFiles(600, [5 * MiB, 3 * MiB + 17, 6 * MiB - 1]);
const requests: FileDigestRequest[] = files.map((f, i) => ({
  key: f.key,
  algorithms: i % 5 === 0 ? ['sha256', 'size'] : ALGS,
}));
// Written once: writing a few hundred files is the slowest part of these tests on a busy disk.
const shared = writeTree(t, files);

t.test('pool results equal main-thread streaming and direct hashing, in request order', async (t) => {
  const { store } = shared;
  const pooled = await digestFiles(store, requests, { pool });
  const streamed = await digestFiles(await memoryTree(files), requests);
  t.equal(pooled.length, files.length);
  let mismatches = 0;
  files.forEach((f, i) => {
    const want = {
      key: f.key,
      size: f.content.length,
      digests: expectedDigests(f.content, requests[i]!.algorithms),
    };
    if (JSON.stringify(pooled[i]) !== JSON.stringify(want)) mismatches++;
    if (JSON.stringify(streamed[i]) !== JSON.stringify(want)) mismatches++;
  });
  t.equal(mismatches, 0, 'every file matches on both paths');
  t.ok(pool.fileTasks >= 2, 'the files above 4 MiB were hashed in tasks of their own');
});

t.test('batches respect the file and byte limits and large files go alone', async (t) => {
  const { store } = shared;
  const limited = new RecordingPool({ threads: 2 });
  t.teardown(() => limited.close());
  const options = { pool: limited, batchFiles: 7, batchBytes: 40_000, largeFileBytes: 16_384 };
  const results = await digestFiles(store, requests, options);
  t.ok(Math.max(...limited.batchSizes) <= 7, 'no batch holds more than batchFiles');
  const large = files.filter((f) => f.content.length > 16_384).length;
  t.equal(limited.fileTasks, large, 'one task per file above largeFileBytes');
  const wrong = results.filter(
    (r, i) =>
      r.digests['md5'] !== undefined &&
      r.digests['md5'] !== expectedDigests(files[i]!.content, ['md5'])['md5'],
  );
  t.equal(wrong.length, 0);
  t.equal(results.filter((r) => r.error).length, 0);
});

t.test('each failing file carries its own error and the others succeed', async (t) => {
  const { dir, root, store } = writeTree(t, files.slice(0, 20));
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'escape.txt'));
  mkdirSync(join(dir, 'outside-dir'));
  writeFileSync(join(dir, 'outside-dir', 'x.txt'), 'outside too');
  symlinkSync(join(dir, 'outside-dir'), join(root, 'linked-dir'));
  symlinkSync(join(root, files[0]!.key.split('/').join('/')), join(root, 'inside-link.bin'));
  const reqs: FileDigestRequest[] = [
    { key: files[1]!.key, algorithms: ['md5'] },
    { key: 'missing/file.bin', algorithms: ['md5'] },
    { key: 'v0', algorithms: ['md5'] },
    { key: files[2]!.key, algorithms: ['md5', 'sha224'] },
    { key: 'escape.txt', algorithms: ['md5'] },
    { key: 'linked-dir/x.txt', algorithms: ['md5'] },
    { key: 'inside-link.bin', algorithms: ['md5'] },
    { key: '../secret.txt', algorithms: ['md5'] },
    { key: files[3]!.key, algorithms: ['md5'] },
  ];
  const r = await digestFiles(store, reqs, { pool });
  t.same(r[0]!.digests, expectedDigests(files[1]!.content, ['md5']));
  t.equal(r[1]!.error?.code, 'NOT_FOUND', 'missing file');
  t.equal(r[1]!.error?.key, 'missing/file.bin');
  t.equal(r[2]!.error?.code, 'NOT_FOUND', 'a directory is not a file');
  t.equal(r[3]!.error?.code, 'UNSUPPORTED', 'unknown algorithm');
  t.equal(r[4]!.error?.code, 'PATH_ESCAPE', 'link to a file outside the root');
  t.equal(r[5]!.error?.code, 'PATH_ESCAPE', 'file under a linked directory outside the root');
  t.same(r[6]!.digests, expectedDigests(files[0]!.content, ['md5']), 'a link inside the root is followed');
  t.equal(r[7]!.error?.code, 'INVALID_INPUT', 'malformed key');
  t.same(r[8]!.digests, expectedDigests(files[3]!.content, ['md5']));
  t.same(r[1], { key: 'missing/file.bin', size: 0, digests: {}, error: r[1]!.error });
  const malformedFirst = await digestFiles(store, [reqs[7]!, reqs[4]!], { pool });
  t.equal(malformedFirst[1]!.error?.code, 'PATH_ESCAPE', 'still refused when a malformed key comes first');
  // The store refuses the same keys the same way.
  await t.rejects(store.read('escape.txt'), { code: 'PATH_ESCAPE' });
});

t.test('a store without local paths reports missing keys and unknown algorithms per file', async (t) => {
  const store = await memoryTree(files.slice(0, 3));
  const r = await digestFiles(store, [
    { key: files[0]!.key, algorithms: ['sha1'] },
    { key: 'nope', algorithms: ['sha1'] },
    { key: files[1]!.key, algorithms: ['blake2b-128'] },
  ]);
  t.same(r[0]!.digests, expectedDigests(files[0]!.content, ['sha1']));
  t.equal(r[1]!.error?.code, 'NOT_FOUND');
  t.equal(r[2]!.error?.code, 'UNSUPPORTED');
});

t.test('progress is cumulative and ends at every file and byte', async (t) => {
  const { store } = shared;
  const withMissing = [...requests, { key: 'gone.bin', algorithms: ['md5'] }];
  const totalBytes = files.reduce((n, f) => n + f.content.length, 0);
  for (const [name, target] of [
    ['pool', store],
    ['stream', await memoryTree(files)],
  ] as const) {
    const seen: Array<{ files: number; bytes: number }> = [];
    await digestFiles(target, withMissing, { pool, onProgress: (p) => seen.push({ ...p }) });
    const monotone = seen.every(
      (p, i) => i === 0 || (p.files > seen[i - 1]!.files && p.bytes >= seen[i - 1]!.bytes),
    );
    t.ok(monotone, `${name}: files and bytes only grow`);
    t.same(seen.at(-1), { files: withMissing.length, bytes: totalBytes }, `${name}: final figures`);
  }
});

t.test('an abort stops new tasks, waits for those in flight, then rejects with the reason', async (t) => {
  const { store } = shared;
  const ac = new AbortController();
  const before = pool.batchSizes.length;
  const reason = new Error('operator pressed stop');
  const run = digestFiles(store, requests, {
    pool,
    batchFiles: 4,
    signal: ac.signal,
    onProgress: () => ac.abort(reason),
  });
  await t.rejects(run, reason);
  t.equal(pool.running, 0, 'no task still running when the promise rejects');
  t.ok(pool.batchSizes.length - before < files.length / 4, 'not every batch was started');
});

t.test('an abort also stops streaming from stores without local paths', async (t) => {
  const ac = new AbortController();
  const run = digestFiles(await memoryTree(files), requests, {
    concurrency: 2,
    signal: ac.signal,
    onProgress: (p) => p.files === 3 && ac.abort(),
  });
  await t.rejects(run, { name: 'AbortError' });
});

t.test('an already aborted signal rejects without reading', async (t) => {
  const { store } = shared;
  const before = pool.batchSizes.length;
  await t.rejects(digestFiles(store, requests.slice(0, 5), { pool, signal: AbortSignal.abort() }), {
    name: 'AbortError',
  });
  t.equal(pool.batchSizes.length, before);
});

t.test('no requests give no results', async (t) => {
  const { store } = writeTree(t, []);
  t.same(await digestFiles(store, [], { pool }), []);
});

t.test('a process that hashes with the default pool exits by itself', async (t) => {
  const { store } = shared;
  const module = pathToFileURL(join(repoRoot, 'dist/lib/hash/digest-files.js')).href;
  const fsStore = pathToFileURL(join(repoRoot, 'dist/lib/storage/fs/fs-store.js')).href;
  const script = `
    const { digestFiles } = await import(${JSON.stringify(module)});
    const { FsStore } = await import(${JSON.stringify(fsStore)});
    const keys = ${JSON.stringify(files.slice(0, 50).map((f) => f.key))};
    const r = await digestFiles(new FsStore(${JSON.stringify(store.root)}), keys.map((key) => ({ key, algorithms: ['sha256'] })));
    console.log(r.filter((x) => x.digests.sha256).length);
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  t.equal(child.signal, null, 'not killed by the timeout');
  t.equal(child.status, 0, child.stderr);
  t.equal(child.stdout.trim(), '50');
});

t.test('a pool needs a whole number of threads ≥ 1 and can be used again after close', async (t) => {
  t.throws(() => new HashPool({ threads: 0 }), { code: 'INVALID_INPUT' });
  t.throws(() => new HashPool({ threads: 1.5 }), { code: 'INVALID_INPUT' });
  const { store } = shared;
  const one = new HashPool({ threads: 1 });
  t.equal(one.started, false, 'threads start lazily');
  const first = await digestFiles(store, requests.slice(0, 3), { pool: one });
  t.equal(one.started, true);
  await one.close();
  const again = await digestFiles(store, requests.slice(0, 3), { pool: one });
  t.same(again, first);
  await one.close();
});

t.test('worker threads drop preloads, loaders and --input-type but keep other node options', async (t) => {
  t.same(
    workerExecArgv([
      '--import=file:///hook.mjs',
      '--enable-source-maps',
      '-r',
      'dotenv/config',
      '--max-old-space-size=4096',
      '--input-type=module',
      '--loader',
      'ts-node/esm',
      '--trace-warnings',
    ]),
    ['--enable-source-maps', '--max-old-space-size=4096', '--trace-warnings'],
  );
});

t.test('a folder swapped for a link out of the root between calls is refused on the next call', async (t) => {
  const { dir, root, store } = writeTree(t, files.slice(0, 1));
  mkdirSync(join(root, 'swap'));
  writeFileSync(join(root, 'swap', 'f.txt'), 'inside');
  const req = [{ key: 'swap/f.txt', algorithms: ['md5'] }];
  // Several calls at once, so both threads check (and remember) the folder before the swap.
  const before = await Promise.all([1, 2, 3].map(() => digestFiles(store, req, { pool })));
  t.same(
    before.map((r) => r[0]!.digests['md5']),
    Array(3).fill('335cf4508dd597be4bfc9caa3e08b901'),
  );
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(join(dir, 'elsewhere', 'f.txt'), 'outside');
  rmSync(join(root, 'swap'), { recursive: true });
  symlinkSync(join(dir, 'elsewhere'), join(root, 'swap'));
  const again = await Promise.all([1, 2, 3].map(() => digestFiles(store, req, { pool })));
  t.same(
    again.map((r) => r[0]!.error?.code),
    ['PATH_ESCAPE', 'PATH_ESCAPE', 'PATH_ESCAPE'],
  );
});
