/**
 * Hash benchmark (issue §5): which implementation for which hashing job, measured against
 * openssl on the same bytes in the same run.
 *
 *   node dist/bench/hash/hash-bench.js [--quick] [--runs=N] [--no-s3] [--dir=PATH]
 *
 * Generates its inputs in a temp directory (removed at the end): one 512 MiB file, 4 × 128 MiB
 * files, 20,000 × 4 KiB files (`--quick`: 64 MiB, 4 × 16 MiB, 2,000 files). Sections: in-memory
 * node:crypto vs hash-wasm; one large file by chunk size, sync vs double-buffered reads, worker;
 * many small files by method and batch size; large files on 1 vs 2 worker threads; S3 (MinIO)
 * GET vs GET + hash when S3_ENDPOINT is set. Medians of `--runs` (default 3), cases of a section
 * timed round-robin with their openssl baselines. Other flags
 * (passed by bench/run.ts to every suite) are ignored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, option } from '../cli-util.js';
import { generate } from './data.js';
import { type Figure, measureCases, table } from './measure.js';
import { s3Section } from './s3-section.js';
import { type BenchContext, largeFileCases, oneFileCases, smallFileCases, startPools } from './sections.js';

const MiB = 1 << 20;

function sizesFor(quick: boolean) {
  return {
    bigBytes: (quick ? 64 : 512) * MiB,
    largeFiles: 4,
    largeBytes: (quick ? 16 : 128) * MiB,
    smallFiles: quick ? 2_000 : 20_000,
    smallBytes: 4096,
    memoryBytes: (quick ? 32 : 128) * MiB,
    s3: { smallObjects: quick ? 200 : 500, smallBytes: 4096, largeBytes: (quick ? 16 : 128) * MiB },
  };
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const runs = Number(option(argv, 'runs') ?? 3);
  const sizes = sizesFor(quick);
  const dir = mkdtempSync(join(option(argv, 'dir') ?? tmpdir(), 'strongroom-hash-bench-'));
  const started = Date.now();
  console.log(`# hash benchmark ${new Date().toISOString()}${quick ? ' (quick)' : ''}`);
  console.log(
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${load(1)}, runs ${runs}`,
  );
  try {
    const data = generate(dir, sizes);
    console.log(`inputs written in ${((Date.now() - started) / 1000).toFixed(1)} s to ${dir}`);
    const ctx: BenchContext = { data, ...sizes, ...(await startPools(data)) };
    const figures: Figure[] = [];
    for (const cases of [await oneFileCases(ctx), smallFileCases(ctx), largeFileCases(ctx)]) {
      figures.push(...(await measureCases(cases, runs)));
    }
    await Promise.all([ctx.pool1.close(), ctx.pool2.close()]);
    if (process.env.S3_ENDPOINT && !argv.includes('--no-s3'))
      figures.push(...(await s3Section(runs, sizes.s3)));
    console.log(`\n${table(figures)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `total ${((Date.now() - started) / 1000).toFixed(1)} s (inputs removed), load at the end ${load(1)}`,
  );
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
