/**
 * BagIt validation benchmark: a generated 10,000-file bag (sha256 manifest) validated by
 * `strongroom bag validate` and, in the same run on the same files, by `sha256sum -c
 * manifest-sha256.txt` from the bag directory. Both run as child processes (so both pay process
 * start-up) a few times each, alternating, and the median is reported.
 *
 *   node dist/bench/bagit/bagit-bench.js [--quick] [--files=N] [--runs=N] [--keep]
 *
 * --quick: 1,000 files, 1 run. Files are deterministic pseudo-random bytes of 1–32 KiB
 * (about 16 KiB on average) in 100 folders, so the bag is ~160 MB: large enough that hashing
 * dominates, small enough for a shared 2-core machine. The page cache is warm for both tools
 * (the bag was just written), so this compares CPU and per-file overhead, not disk.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Args {
  files: number;
  runs: number;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const num = (name: string, dflt: number) => {
    const a = argv.find((x) => x.startsWith(`--${name}=`));
    return a === undefined ? dflt : Number(a.split('=')[1]);
  };
  return {
    files: num('files', quick ? 1000 : 10_000),
    runs: num('runs', quick ? 1 : 3),
    keep: argv.includes('--keep'),
  };
}

/** xorshift32: deterministic bytes without depending on Math.random. */
function fill(buf: Uint8Array, seed: number): void {
  let x = seed || 1;
  for (let i = 0; i < buf.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
  }
}

/** Write the bag; returns total payload octets. */
function generateBag(dir: string, files: number): number {
  const lines: string[] = [];
  let octets = 0;
  for (let i = 0; i < files; i++) {
    const size = 1024 + ((i * 2_654_435_761) % (31 * 1024));
    const bytes = new Uint8Array(size);
    fill(bytes, i + 1);
    const path = `data/d${String(i % 100).padStart(2, '0')}/file-${String(i).padStart(5, '0')}.bin`;
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
    lines.push(`${createHash('sha256').update(bytes).digest('hex')}  ${path}\n`);
    octets += size;
  }
  writeFileSync(join(dir, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  writeFileSync(join(dir, 'bag-info.txt'), `Payload-Oxum: ${octets}.${files}\n`);
  writeFileSync(join(dir, 'manifest-sha256.txt'), lines.join(''));
  return octets;
}

/** Wall time of one child process run, in seconds; throws if it fails. */
function timed(cmd: string, args: string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}${String(r.stdout).slice(0, 500)}`,
    );
  return secs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'server', 'cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-bagit-bench-'));
  try {
    const octets = generateBag(dir, args.files);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < args.runs; i++) {
      ours.push(timed(process.execPath, [cli, 'bag', 'validate', dir], dir));
      theirs.push(timed('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], dir));
    }
    report(args, octets, median(ours), median(theirs));
  } finally {
    if (args.keep) console.log(`bag kept at ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function report(args: Args, octets: number, ours: number, theirs: number): void {
  const mb = octets / 1e6;
  const row = (name: string, s: number) =>
    `| ${name} | ${s.toFixed(2)} | ${(args.files / s).toFixed(0)} | ${(mb / s).toFixed(1)} |`;
  console.log(
    `BagIt validation: ${args.files} files, ${mb.toFixed(1)} MB, sha256, median of ${args.runs} run(s)\n`,
  );
  console.log('| validator | seconds | files/s | MB/s |\n| --- | --- | --- | --- |');
  console.log(row('strongroom bag validate', ours));
  console.log(row('sha256sum -c manifest-sha256.txt', theirs));
  console.log(`\nratio (strongroom time / sha256sum time): ${(ours / theirs).toFixed(2)}`);
}

main();
