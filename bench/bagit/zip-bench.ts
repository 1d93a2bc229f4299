/**
 * Zip bag reading: yauzl (lib/formats/bagit/zip-source.ts) against the hand-written reader it
 * replaced (handwritten-zip.ts), on one generated zipped bag of N small files (deflated with the
 * system `zip`). For each reader: open + list every member, then open + read and SHA-256 every
 * member; yauzl is measured twice, over the bytes in memory (as the old reader needs them) and
 * by ranged reads of the file through FsStore (what `strongroom bag validate x.zip` does now).
 * Median of --runs (default 5) after one warm-up; heap growth is the largest seen while reading.
 *
 *   node dist/bench/bagit/zip-bench.js [--files=N] [--runs=N] [--quick]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openZipBagInStore } from '../../lib/engine/bag-source.js';
import type { BagSource } from '../../lib/formats/bagit/source.js';
import { zipBagSource } from '../../lib/formats/bagit/zip-source.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { handwrittenZipBagSource } from './handwritten-zip.js';

const argv = process.argv.slice(2);
const num = (name: string, dflt: number) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? dflt : Number(a.split('=')[1]);
};
const quick = argv.includes('--quick');
const FILES = num('files', quick ? 1000 : 10_000);
const RUNS = num('runs', quick ? 1 : 5);

function makeZip(dir: string): string {
  const bag = join(dir, 'bag');
  const lines: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const rel = `data/d${i % 50}/f${i}.txt`;
    const body = `file ${i}\n`.repeat(1 + (i % 200));
    mkdirSync(join(bag, `data/d${i % 50}`), { recursive: true });
    writeFileSync(join(bag, rel), body);
    lines.push(`${createHash('sha256').update(body).digest('hex')}  ${rel}\n`);
  }
  writeFileSync(join(bag, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  writeFileSync(join(bag, 'manifest-sha256.txt'), lines.join(''));
  execFileSync('zip', ['-qr', '../bag.zip', '.'], { cwd: bag });
  return join(dir, 'bag.zip');
}

async function listAndRead(source: BagSource, read: boolean): Promise<number> {
  let n = 0;
  for await (const f of source.list()) {
    if (read)
      createHash('sha256')
        .update(await source.read(f.path))
        .digest('hex');
    n++;
  }
  return n;
}

type Opener = () => Promise<BagSource & { close?: () => Promise<void> }>;

async function measure(open: Opener, read: boolean): Promise<{ ms: number; heapMB: number }> {
  const times: number[] = [];
  let heap = 0;
  for (let r = 0; r <= RUNS; r++) {
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const source = await open();
    await listAndRead(source, read);
    const ms = performance.now() - t0;
    heap = Math.max(heap, process.memoryUsage().heapUsed - base);
    await source.close?.();
    if (r > 0) times.push(ms); // the first run warms up
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, heapMB: heap / 1e6 };
}

const dir = mkdtempSync(join(tmpdir(), 'strongroom-zip-bench-'));
try {
  const zip = makeZip(dir);
  const size = statSync(zip).size;
  console.log(`zip bag: ${FILES} files, ${(size / 1e6).toFixed(1)} MB, median of ${RUNS} run(s)`);
  const readers: [string, Opener][] = [
    ['hand-written, bytes in memory', async () => handwrittenZipBagSource(readFileSync(zip))],
    ['yauzl, bytes in memory', async () => zipBagSource(readFileSync(zip))],
    ['yauzl, ranged file reads', () => openZipBagInStore(new FsStore(dir, { readOnly: true }), 'bag.zip')],
  ];
  console.log('| reader | list ms | list + read + sha256 ms | heap growth MB |');
  console.log('| --- | --- | --- | --- |');
  for (const [name, open] of readers) {
    const list = await measure(open, false);
    const all = await measure(open, true);
    console.log(`| ${name} | ${list.ms.toFixed(0)} | ${all.ms.toFixed(0)} | ${all.heapMB.toFixed(1)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
