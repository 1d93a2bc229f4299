/**
 * Search benchmark: `GET /search`'s preserved-resources part over N binaries (default
 * 1,000,000, in groups of 500) in the LMDB resource index (packed texts scanned with
 * `Buffer.indexOf`, lib/records/search/lmdb-search-index.ts), against the baseline of the memory
 * index, which tests every resource's string per query (what a plain scan over loaded paths
 * does); same resources, same queries, same process. Also: loading the index, the first search
 * after opening (reading the packed texts from LMDB), a search right after one group changed, and
 * the deposit search over M deposits (a scan of their folded texts in LMDB).
 *
 *   node dist/bench/search/search-bench.js [--quick] [--resources=N] [--deposits=M] [--runs=N]
 *
 * --quick: 100,000 resources, 5,000 deposits, 3 runs. Default: 1,000,000, 50,000, 5 runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newRecordId } from '../../lib/records/ids.js';
import type { RecordOp } from '../../lib/records/port.js';
import { openMemoryResourceIndex } from '../../lib/records/search/memory-search-index.js';
import type { IndexedResource, ResourceIndex } from '../../lib/records/search/port.js';
import { searchNeedle } from '../../lib/records/search/text.js';
import { openStateStore } from '../../lib/records/state-store.js';

const PER_GROUP = 500;
const FOLDERS = ['objects', 'objects/scans', 'objects/audio', 'metadata/siegfried', 'metadata/exif'];
const EXTENSIONS = ['tif', 'jpg', 'wav', 'pdf', 'xml', 'txt'];

function numberFlag(argv: string[], name: string, fallback: number): number {
  const flag = argv.find((a) => a.startsWith(`--${name}=`));
  return flag ? Number(flag.slice(name.length + 3)) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Group `g`'s path and binaries: realistic folder and file names, a few unusual ones. */
function group(g: number): { path: string; resources: IndexedResource[] } {
  const path = `library/collection-${g % 97}/box-${String(g).padStart(6, '0')}`;
  const resources: IndexedResource[] = [];
  for (let i = 0; i < PER_GROUP; i++) {
    const folder = FOLDERS[i % FOLDERS.length]!;
    const ext = EXTENSIONS[(i * 7 + g) % EXTENSIONS.length]!;
    const file = i === 0 ? 'mets.xml' : `IMG_${String(g * PER_GROUP + i).padStart(8, '0')}.${ext}`;
    const name = g % 1000 === 7 && i === 3 ? 'Letter from Ada Lovelace.pdf' : file;
    resources.push({
      path: i === 0 ? file : `${folder}/${file}`,
      name,
      created: '2024-05-01T10:00:00.000Z',
      lastModified: '2024-05-01T10:00:00.000Z',
      size: 1000 + i,
      contentType: 'application/octet-stream',
    });
  }
  return { path, resources };
}

async function load(index: ResourceIndex, groups: number): Promise<number> {
  const t0 = performance.now();
  for (let g = 0; g < groups; g++) {
    const { path, resources } = group(g);
    await index.apply([{ archivalGroupPath: path, version: 'v1', resources }]);
  }
  await index.apply([], 0);
  return performance.now() - t0;
}

const QUERIES: Array<[string, string, number]> = [
  ['a name (rare)', 'lovelace', 0],
  ['one file by number', 'img_00123457', 0],
  ['a group', 'box-000042/', 0],
  ['an extension', '.wav', 0],
  ['a folder, deep page', 'siegfried', 500],
  ['a folder most files are in', 'objects/', 0],
  ['every file (in every group path)', 'library/', 0],
  ['nothing matches', 'zzzz-not-there', 0],
];

async function time(index: ResourceIndex, text: string, page: number, runs: number) {
  const ms: number[] = [];
  let total = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    total = (await index.search(searchNeedle(text), { page, pageSize: 20 })).total;
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), total };
}

async function depositSearch(dir: string, count: number, runs: number): Promise<void> {
  const state = openStateStore(join(dir, 'deposits'));
  try {
    const t0 = performance.now();
    for (let i = 0; i < count; i += 500) {
      const ops: RecordOp[] = [];
      for (let j = i; j < Math.min(count, i + 500); j++) {
        const id = newRecordId();
        ops.push({
          op: 'createDeposit',
          deposit: {
            id,
            files: `file:///data/deposits/${id}/`,
            createdBy: `agent${j % 50}`,
            archivalGroupPath: `library/collection-${j % 97}/box-${String(j).padStart(6, '0')}`,
            archivalGroupName: `Box ${j} of the ${j % 2 ? 'Brotherton' : 'Liddle'} collection`,
            submissionText: j % 100 === 0 ? 'Rescanned after the flood of 2007' : null,
          },
        });
      }
      await state.records.commit(ops);
    }
    console.log(`deposits: ${count} loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.log('| deposit search | total | LMDB (ms) |');
    console.log('| --- | ---: | ---: |');
    for (const text of ['flood', 'liddle', 'box-000042', 'nothing-like-this']) {
      const ms: number[] = [];
      let total = 0;
      for (let r = 0; r < runs; r++) {
        const t1 = performance.now();
        total = (await state.records.deposits.search(text)).total;
        ms.push(performance.now() - t1);
      }
      console.log(`| ${text} | ${total} | ${median(ms).toFixed(1)} |`);
    }
  } finally {
    await state.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const count = numberFlag(argv, 'resources', quick ? 100_000 : 1_000_000);
  const deposits = numberFlag(argv, 'deposits', quick ? 5_000 : 50_000);
  const runs = numberFlag(argv, 'runs', quick ? 3 : 5);
  const groups = Math.ceil(count / PER_GROUP);
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-search-bench-'));
  try {
    let state = openStateStore(join(dir, 'state'));
    const loadMs = await load(state.search, groups);
    console.log(
      `search: ${groups * PER_GROUP} resources in ${groups} groups loaded into LMDB in ${(loadMs / 1000).toFixed(1)} s`,
    );
    await state.close();
    state = openStateStore(join(dir, 'state'));
    let t0 = performance.now();
    await state.search.search(searchNeedle('lovelace'), { page: 0, pageSize: 20 });
    console.log(
      `first search after opening (reads the packed texts): ${(performance.now() - t0).toFixed(0)} ms`,
    );
    const memory = openMemoryResourceIndex();
    await load(memory, groups);
    console.log(`heap after both indexes: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
    console.log('| query | text | total | LMDB packed scan (ms) | memory string scan (ms) | LMDB ÷ scan |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: |');
    for (const [name, text, page] of QUERIES) {
      const lmdb = await time(state.search, text, page, runs);
      const scan = await time(memory, text, page, runs);
      console.log(
        `| ${name} | \`${text}\` | ${lmdb.total} | ${lmdb.ms.toFixed(1)} | ${scan.ms.toFixed(1)} | ${(lmdb.ms / scan.ms).toFixed(2)} |`,
      );
    }
    const changed = group(42);
    changed.resources.push({
      ...changed.resources[1]!,
      path: 'objects/added-later.tif',
      name: 'added-later.tif',
    });
    t0 = performance.now();
    await state.search.apply(
      [{ archivalGroupPath: changed.path, version: 'v2', resources: changed.resources }],
      1,
    );
    const applyMs = performance.now() - t0;
    t0 = performance.now();
    const found = await state.search.search(searchNeedle('added-later'), { page: 0, pageSize: 20 });
    console.log(
      `one group of ${PER_GROUP + 1} replaced in ${applyMs.toFixed(0)} ms; the next search (reloads that group) ${(performance.now() - t0).toFixed(0)} ms, found ${found.total}`,
    );
    await memory.close();
    await state.close();
    await depositSearch(dir, deposits, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
