/**
 * Start-up cost of loading the engine: `node -e "import('./dist/lib/index.js')"` against
 * `node -e 0` (the bare runtime) in the same run, and, for scale, loading the AWS SDK's S3 client
 * alone. Filesystem work must not pay for the SDK (issue 9 §5), so the engine's figure minus the
 * baseline is what an embedder or a CLI call on a local path waits for before doing anything.
 *
 *   node dist/bench/startup/startup-bench.js [--runs=N] [--quick]
 *
 * Each command runs `runs` times (default 15, `--quick` 5), round-robin so a burst of load from
 * other users of the machine hits every command alike; the table shows medians in milliseconds.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** One command to time: a label and the `node -e` script. */
interface StartupCase {
  name: string;
  script: string;
}

const CASES: StartupCase[] = [
  { name: 'node -e 0 (baseline)', script: '0' },
  { name: "import('./dist/lib/index.js')", script: "import('./dist/lib/index.js')" },
  { name: "import('@aws-sdk/client-s3') (for scale)", script: "import('@aws-sdk/client-s3')" },
];

/** Wall milliseconds of one `node -e script` run in the repository root. Throws when it fails. */
function timeOnce(script: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node -e ${script} failed: ${r.stderr}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function runsFrom(argv: string[]): number {
  const given = argv.find((a) => a.startsWith('--runs='));
  if (given) return Math.max(1, Number(given.slice('--runs='.length)) || 1);
  return argv.includes('--quick') ? 5 : 15;
}

function main(argv: string[]): void {
  const runs = runsFrom(argv);
  const times = CASES.map(() => [] as number[]);
  timeOnce('0'); // warm the page cache for the node binary before the first timed run
  for (let i = 0; i < runs; i++) {
    for (const [j, c] of CASES.entries()) times[j]!.push(timeOnce(c.script));
  }
  const base = median(times[0]!);
  console.log(`node ${process.version}, ${runs} runs each, medians\n`);
  console.log('| command | ms | minus baseline |');
  console.log('| --- | ---: | ---: |');
  CASES.forEach((c, j) => {
    const ms = median(times[j]!);
    console.log(`| ${c.name} | ${ms.toFixed(1)} | ${j === 0 ? '—' : `+${(ms - base).toFixed(1)}`} |`);
  });
}

main(process.argv.slice(2));
