/**
 * Inventory cache benchmark: serving a large inventory from the LMDB cache (get + unpack the
 * compact snapshot + list one version's files) against the baseline of re-parsing its JSON
 * (`JSON.parse` alone, the cheapest a cold read can be). Both are measured in the same process,
 * alternating, median of the runs. This used to be an assertion in
 * test/cache/inventory-snapshot.test.ts; a timing on a shared 2-core machine is a figure to
 * print, not a test verdict.
 *
 *   node dist/bench/cache/cache-bench.js [--quick] [--files=N] [--versions=N] [--runs=N]
 *
 * --quick: 20,000 files, 3 runs. Default: 100,000 files, 3 versions, 5 runs.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotInventory, snapshotView } from '../../lib/cache/inventory-snapshot.js';
import { LmdbCache } from '../../lib/cache/lmdb-cache.js';
import type { Inventory } from '../../lib/core/inventory.js';

function numberFlag(argv: string[], name: string, fallback: number): number {
  const flag = argv.find((a) => a.startsWith(`--${name}=`));
  return flag ? Number(flag.slice(name.length + 3)) : fallback;
}

/** A Fedora-like inventory: `files` images in 50 folders, one METS file changed per version. */
function inventory(files: number, versions: number): Inventory {
  const inv: Inventory = {
    id: 'info:fedora/bench',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: `v${versions}`,
    contentDirectory: 'content',
    manifest: {},
    versions: {},
  };
  const state: Record<string, string[]> = {};
  for (let i = 0; i < files; i++) {
    const d = createHash('sha512').update(String(i)).digest('hex');
    inv.manifest[d] = [`v1/content/objects/dir${i % 50}/image ${i}.tif`];
    state[d] = [`objects/dir${i % 50}/image ${i}.tif`];
  }
  for (let v = 1; v <= versions; v++) {
    const d = createHash('sha512').update(`mets${v}`).digest('hex');
    inv.manifest[d] = [`v${v}/content/mets.xml`];
    inv.versions[`v${v}`] = {
      created: `2024-01-01T00:00:0${v % 10}Z`,
      state: { ...state, [d]: ['mets.xml'] },
    };
  }
  return inv;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const files = numberFlag(argv, 'files', quick ? 20_000 : 100_000);
  const versions = numberFlag(argv, 'versions', 3);
  const runs = numberFlag(argv, 'runs', quick ? 3 : 5);
  const head = `v${versions}`;
  const json = JSON.stringify(inventory(files, versions));
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-cache-bench-'));
  const cache = LmdbCache.open({ path: dir });
  try {
    await cache.put('inventory', snapshotInventory(JSON.parse(json) as Inventory));
    const parseMs: number[] = [];
    const lmdbMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      JSON.parse(json);
      parseMs.push(performance.now() - t0);
      t0 = performance.now();
      const listed = snapshotView((await cache.get('inventory')) as never).files(head).length;
      lmdbMs.push(performance.now() - t0);
      if (listed !== files + 1) throw new Error(`expected ${files + 1} files in ${head}, got ${listed}`);
    }
    const p = median(parseMs);
    const l = median(lmdbMs);
    console.log(
      `\nInventory cache: ${files} files, ${versions} versions, ${(json.length / 1e6).toFixed(1)} MB JSON, median of ${runs}\n`,
    );
    console.log('| read | ms |');
    console.log('| --- | ---: |');
    console.log(`| baseline: JSON.parse of the inventory | ${p.toFixed(1)} |`);
    console.log(`| LMDB get + unpack snapshot + list ${head} | ${l.toFixed(1)} |`);
    console.log(`| ours ÷ baseline | ${(l / p).toFixed(2)} |`);
  } finally {
    await cache.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
