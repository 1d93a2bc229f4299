import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hashBatch, hashLargeFile } from '../../lib/hash/local-files.js';
import type { BatchTask } from '../../lib/hash/tasks.js';
import { expectedDigests, treeFiles, writeTree } from './tree.js';

const files = treeFiles(40, [3 * (1 << 20) + 5]);
const tree = writeTree(t, files);
const pathOf = (key: string) => tree.store.localPath(key);
const big = files.at(-1)!;

function batch(keys: string[], extra: Partial<BatchTask> = {}): BatchTask {
  return {
    kind: 'batch',
    paths: keys.map(pathOf),
    algorithmSets: [['sha1', 'size']],
    sets: keys.map(() => 0),
    largeBytes: 1 << 20,
    budgetBytes: 1 << 30,
    ...extra,
  };
}

t.test('a batch hashes each small file and hands back the large one unread', async (t) => {
  const keys = [files[1]!.key, big.key, files[2]!.key];
  const { outcomes, aborted } = await hashBatch(batch(keys));
  t.equal(aborted, false);
  t.same(outcomes, [
    {
      status: 'done',
      size: files[1]!.content.length,
      digests: expectedDigests(files[1]!.content, ['sha1', 'size']),
    },
    { status: 'large', size: big.content.length },
    {
      status: 'done',
      size: files[2]!.content.length,
      digests: expectedDigests(files[2]!.content, ['sha1', 'size']),
    },
  ]);
});

t.test('a batch stops starting files once its byte budget is spent, never before the first', async (t) => {
  const keys = files.slice(1, 10).map((f) => f.key);
  const { outcomes } = await hashBatch(batch(keys, { budgetBytes: 1 }));
  t.equal(outcomes.length, 1);
  const { outcomes: two } = await hashBatch(batch(keys, { budgetBytes: files[1]!.content.length + 1 }));
  t.equal(two.length, 2);
});

t.test('a set abort flag stops a batch before its next file', async (t) => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(flag, 0, 1);
  const result = await hashBatch(batch([files[1]!.key], { abort: flag }));
  t.same(result, { outcomes: [], aborted: true });
});

t.test('a large file task equals the one-shot digest with small and default chunks', async (t) => {
  const want = expectedDigests(big.content, ['sha256', 'md5']);
  for (const chunkBytes of [4096, undefined]) {
    const { outcome } = await hashLargeFile({
      kind: 'file',
      path: pathOf(big.key),
      algorithms: ['sha256', 'md5'],
      ...(chunkBytes && { chunkBytes }),
    });
    t.same(outcome, { status: 'done', size: big.content.length, digests: want }, `chunk ${chunkBytes}`);
  }
});

t.test('a large file task stops at a chunk boundary when the abort flag is set', async (t) => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(flag, 0, 1);
  const result = await hashLargeFile({
    kind: 'file',
    path: pathOf(big.key),
    algorithms: ['sha1'],
    abort: flag,
  });
  t.same(result, { aborted: true });
});

const fifo = join(tree.root, 'pipe');
const fifoMade = spawnSync('mkfifo', [fifo]).status === 0;
t.test(
  'a FIFO is refused as not a file instead of blocking the open',
  { skip: fifoMade ? false : 'mkfifo is not available here' },
  async (t) => {
    const { outcomes } = await hashBatch({ ...batch([]), paths: [fifo], sets: [0] });
    t.match(outcomes, [{ status: 'failed', code: 'NOT_FILE' }]);
    const large = await hashLargeFile({ kind: 'file', path: fifo, algorithms: ['md5'] });
    t.match(large.outcome, { status: 'failed', code: 'NOT_FILE' });
  },
);

t.test('a missing file fails with its errno code', async (t) => {
  const { outcomes } = await hashBatch({ ...batch([]), paths: [join(tree.root, 'nope')], sets: [0] });
  t.match(outcomes, [{ status: 'failed', code: 'ENOENT' }]);
});

t.test(
  'a symbolic link as the last segment is handed back as link, never followed by the worker',
  async (t) => {
    const link = join(tree.root, 'alias.bin');
    symlinkSync(pathOf(files[1]!.key), link);
    const { outcomes } = await hashBatch({
      ...batch([]),
      paths: [link, pathOf(files[1]!.key)],
      sets: [0, 0],
    });
    t.same(outcomes[0], { status: 'link' });
    t.equal(outcomes[1]?.status, 'done', 'the next file is still hashed');
    const large = await hashLargeFile({ kind: 'file', path: link, algorithms: ['md5'] });
    t.match(large.outcome, { status: 'failed', code: 'ELOOP' }, 'a file task refuses a link too');
  },
);
