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

/** A figure whose first run took longer than this is not repeated (keeps the run short). */
const REPEAT_LIMIT_S = 5;

/** Median wall seconds of `runs` calls of `fn` (one call when the first is slow). */
export async function medianSeconds(runs: number, fn: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (samples[0]! > REPEAT_LIMIT_S) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
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
