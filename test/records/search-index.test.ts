/**
 * The resource-index contract (search-contract.ts) on memory and LMDB, and what only the LMDB
 * index does: a handle that fell further behind than the kept change sets reloads everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openStateEnvironment } from '../../lib/records/lmdb-env.js';
import { KEPT_CHANGES, resourceIndexInEnvironment } from '../../lib/records/search/lmdb-search-index.js';
import { openMemoryResourceIndex } from '../../lib/records/search/memory-search-index.js';
import { searchNeedle } from '../../lib/records/search/text.js';
import { binary, type ResourceIndexSubject, resourceIndexContract } from './search-contract.js';

function openLmdbIndex(dir: string) {
  const env = openStateEnvironment({ path: dir });
  const index = resourceIndexInEnvironment(env);
  void env.release();
  return index;
}

const subjects: ResourceIndexSubject[] = [
  {
    name: 'memory resource index',
    async make() {
      const index = openMemoryResourceIndex();
      return { index, cleanup: () => index.close() };
    },
  },
  {
    name: 'LMDB resource index',
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'strongroom-search-'));
      let index = openLmdbIndex(dir);
      return {
        index,
        reopen: async () => {
          await index.close();
          index = openLmdbIndex(dir);
          return index;
        },
        second: async () => openLmdbIndex(dir),
        cleanup: async () => {
          await index.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

for (const subject of subjects) resourceIndexContract(t, subject);

t.test('LMDB: a handle further behind than the kept change sets reloads everything it missed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-search-'));
  const writer = openLmdbIndex(dir);
  const reader = openLmdbIndex(dir);
  t.teardown(async () => {
    await writer.close();
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await writer.apply([{ archivalGroupPath: 'g/0', version: 'v1', resources: [binary('first.txt')] }], 1);
  t.equal((await reader.search(searchNeedle('first'), { page: 0, pageSize: 5 })).total, 1);
  for (let i = 1; i <= KEPT_CHANGES + 5; i++)
    await writer.apply(
      [{ archivalGroupPath: `g/${i}`, version: 'v1', resources: [binary(`n${i}.txt`)] }],
      i + 1,
    );
  await writer.apply([{ archivalGroupPath: 'g/0', remove: true }], KEPT_CHANGES + 10);
  t.equal((await reader.search(searchNeedle('first'), { page: 0, pageSize: 5 })).total, 0, 'removal seen');
  t.equal((await reader.search(searchNeedle('.txt'), { page: 0, pageSize: 5 })).total, KEPT_CHANGES + 5);
});

t.test('LMDB: the skip index never hides a hit, whatever blocks and filters a big group gets', async (t) => {
  // A group of 20,000 texts (many blocks), queried with needles of every length against the
  // memory index, which tests every string.
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-search-'));
  const lmdb = openLmdbIndex(dir);
  const memory = openMemoryResourceIndex();
  t.teardown(async () => {
    await lmdb.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const words = ['map', 'letter', 'Ada', 'café', 'scan', 'tif', 'x'];
  const resources = Array.from({ length: 20_000 }, (_, i) =>
    binary(
      `d${i % 37}/${words[i % 7]}-${i}.${words[(i * 3) % 7]}`,
      i % 101 === 0 ? { name: `Named ${i}` } : {},
    ),
  );
  const update = [{ archivalGroupPath: 'big/g', version: 'v1', resources }];
  await lmdb.apply(update, 1);
  await memory.apply(update, 1);
  for (const text of [
    'a',
    'ma',
    'map',
    'ada-1',
    'CAFÉ-19',
    '.tif',
    'named 1',
    'd3/',
    'big/g/d1',
    'g/d36/x-',
    'nope',
    '-19999.',
  ]) {
    const a = await lmdb.search(searchNeedle(text), { page: 0, pageSize: 1000 });
    const b = await memory.search(searchNeedle(text), { page: 0, pageSize: 1000 });
    t.equal(a.total, b.total, `${text}: same total (${b.total})`);
    t.same(a.hits, b.hits, `${text}: same first page`);
  }
});
