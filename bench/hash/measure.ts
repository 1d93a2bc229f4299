/**
 * Timing and reporting for the hash benchmark: medians of a few runs, baselines measured in the
 * same run, and a markdown table with every figure's ratio to its baseline.
 */
import { spawnSync } from 'node:child_process';

/** One measured figure. `rate` is per second in `unit`. */
export interface Figure {
  section: string;
  name: string;
  rate: number;
  unit: 'MB/s' | 'files/s';
  seconds: number;
  /** Set on baselines, so other figures can name them. */
  id?: string;
  /** The id of the baseline this figure is compared with. */
  baseline?: string;
  note?: string;
}

/** A case whose first run took longer than this is not repeated (keeps the run short). */
const REPEAT_LIMIT_S = 2;

/** Something to time: `amount` bytes or files per call of `run`. */
export interface Case extends Omit<Figure, 'rate' | 'seconds'> {
  amount: number;
  run: () => unknown;
}

async function seconds(run: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Time every case `runs` times, round-robin (case 1, 2, …, then again), so a burst of load from
 * other users of the machine hits every case alike instead of one; report each case's median.
 */
export async function measureCases(cases: Case[], runs: number): Promise<Figure[]> {
  const samples: number[][] = cases.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (const [i, c] of cases.entries()) {
      if (round > 0 && samples[i]![0]! > REPEAT_LIMIT_S) continue;
      samples[i]!.push(await seconds(c.run));
    }
  }
  return cases.map(({ run: _run, amount, ...c }, i) => {
    const sorted = samples[i]!.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const unitAmount = c.unit === 'MB/s' ? amount / 1e6 : amount;
    return { ...c, rate: unitAmount / median, seconds: median };
  });
}

/** Run a shell command to completion (output discarded); throws when it fails. */
export function sh(command: string): void {
  const r = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`command failed (${r.status}): ${command}`);
}

/** Hex digest printed by `openssl dgst -<alg> <file>` (for cross-checking our results). */
export function opensslDigest(alg: string, file: string): string {
  const r = spawnSync('openssl', ['dgst', `-${alg}`, '-r', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl dgst -${alg} failed: ${r.stderr}`);
  return r.stdout.split(' ')[0]!.trim();
}

function fmtRate(f: Figure): string {
  if (f.unit === 'files/s') return `${Math.round(f.rate).toLocaleString('en-US')} files/s`;
  return `${f.rate >= 100 ? Math.round(f.rate) : f.rate.toFixed(1)} MB/s`;
}

/** The figures as a markdown table: rate, ratio to the baseline (×), baseline name, note. */
export function table(figures: Figure[]): string {
  const byId = new Map(figures.filter((f) => f.id).map((f) => [f.id!, f]));
  const lines = [
    '| section | case | figure | vs baseline | baseline | note |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of figures) {
    const base = f.baseline ? byId.get(f.baseline) : undefined;
    const ratio = f.id ? '1.00 (baseline)' : base ? `${(f.rate / base.rate).toFixed(2)}×` : '';
    lines.push(
      `| ${f.section} | ${f.name} | ${fmtRate(f)} | ${ratio} | ${base?.name ?? ''} | ${f.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}
