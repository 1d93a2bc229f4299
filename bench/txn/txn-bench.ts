/**
 * Write-path benchmark (issue #10 §8): imports into a new version and a 1-file patch, each
 * against a baseline measured in the same run.
 *
 *   node dist/bench/txn/txn-bench.js [--quick] [--runs=N] [--sections=small,large,s3,patch,export,hash,resume]
 *                                    [--no-s3] [--no-peers] [--dir=PATH]
 *
 * Sections: `small` 10,000 × 4 KiB (ours ÷ @ocfl/ocfl-fs, ÷ `cp -r`); `large` 1,000 × 1 MiB and
 * 2 × 2 GiB (ours ÷ min(copy, SHA-256 limit)); `s3` the same sizes S3 → S3 on MinIO (ours ÷ a
 * plain CopyObject loop at the same concurrency; needs S3_ENDPOINT, which bench/run.ts provides);
 * `patch` one file into a 100,000-file object (ours ÷ writing its inventory alone); `export` a
 * full export of the small, medium and large objects (ours ÷ `cp -r` of the same files); `hash`
 * node:crypto against hash-wasm with saved states; `resume` (MinIO) 2 × 512 MiB from the
 * filesystem into S3, checkpointed multipart against a plain streamed upload (`--quick`: 2 × 64
 * MiB). `--quick`:
 * 2,000 small files, 200 × 1 MiB, 2 × 128 MiB, a 10,000-file object. Medians of `--runs`
 * (default 3); inputs are cached in `--dir` (default $STRONGROOM_BENCH_DIR or /tmp/strongroom-bench).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, option } from '../cli-util.js';
import { deposit } from './data.js';
import { exportSection } from './export-section.js';
import { largeImport, smallImport } from './fs-section.js';
import { hashSection, resumableUploadSection } from './hash-section.js';
import { type Row, table } from './measure.js';
import { patchSection } from './patch-section.js';
import { s3Section } from './s3-section.js';

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const runs = Number(option(argv, 'runs') ?? 3);
  const sections = (option(argv, 'sections') ?? 'small,large,s3,patch,export,hash,resume').split(',');
  const root = option(argv, 'dir') ?? process.env.STRONGROOM_BENCH_DIR ?? join(tmpdir(), 'strongroom-bench');
  const data = join(root, 'txn');
  const work = join(root, 'txn-work');
  mkdirSync(data, { recursive: true });
  const peers = !argv.includes('--no-peers');
  const s3 = !argv.includes('--no-s3') && process.env.S3_ENDPOINT !== undefined;
  const started = Date.now();
  console.log(`# write-path benchmark ${new Date().toISOString()}${quick ? ' (quick)' : ''}`);
  console.log(
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${load(1)}, runs ${runs}`,
  );
  const rows: Row[] = [];
  const opts = { work, data, runs, peers };
  const small = () => deposit(data, quick ? 2_000 : 10_000, 4096);
  const medium = () => deposit(data, quick ? 200 : 1_000, 1 << 20);
  const large = () => deposit(data, 2, quick ? 128 * 2 ** 20 : 2 * 2 ** 30);
  try {
    if (sections.includes('small')) rows.push(...(await smallImport(small(), opts)));
    if (sections.includes('large')) {
      rows.push(...(await largeImport(medium(), opts)));
      rows.push(...(await largeImport(large(), opts)));
    }
    if (sections.includes('s3')) {
      if (s3) rows.push(...(await s3Section([medium(), large()], opts)));
      else console.log('\n### s3: skipped (no S3_ENDPOINT, or --no-s3)');
    }
    if (sections.includes('hash')) rows.push(...(await hashSection(quick, runs)));
    if (sections.includes('resume')) {
      if (s3) rows.push(...(await resumableUploadSection(deposit(data, 2, (quick ? 64 : 512) << 20), opts)));
      else console.log('\n### resume: skipped (no S3_ENDPOINT, or --no-s3)');
    }
    if (sections.includes('patch')) rows.push(...(await patchSection(data, quick ? 10_000 : 100_000, opts)));
    if (sections.includes('export')) rows.push(...(await exportSection([small(), medium(), large()], opts)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n${table(rows)}\n`);
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s, load at the end ${load(1)}`);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
