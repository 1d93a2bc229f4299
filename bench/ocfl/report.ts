/**
 * Figures and the table they are printed in: medians of repeated samples, one row per
 * comparison (our figure, the baseline or peer figure, their ratio, the target and whether it
 * was met), rendered as a Markdown table so a run's output can go straight into bench/README.md.
 */
import { cpus, loadavg, totalmem } from 'node:os';

/** Median of the samples (NaN for none). */
export function median(samples: number[]): number {
  if (samples.length === 0) return Number.NaN;
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One line of the table. */
export interface Row {
  /** What is measured, e.g. `storage map, cold ÷ read+JSON.parse`. */
  measure: string;
  /** Where: `file`, `s3`. */
  backend: string;
  /** Object, e.g. `100k small`. */
  object: string;
  ours: string;
  baseline: string;
  /** The comparison, e.g. `1.23×`. */
  ratio: string;
  /** e.g. `≤ 1.5×`, or '' when the row is informational. */
  target: string;
  met: 'yes' | 'no' | '';
  /** How many samples the medians come from. */
  runs: number;
}

/** Format seconds for the table. */
export function secs(s: number): string {
  if (!Number.isFinite(s)) return 'n/a';
  return s < 0.01
    ? `${(s * 1000).toFixed(2)} ms`
    : s < 1
      ? `${(s * 1000).toFixed(0)} ms`
      : `${s.toFixed(2)} s`;
}

/** Format a throughput in MB/s (10^6 bytes). */
export function mbps(bytes: number, seconds: number): string {
  return `${(bytes / 1e6 / seconds).toFixed(0)} MB/s`;
}

/** Format a ratio. */
export function times(x: number): string {
  return Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×` : 'n/a';
}

/** Render rows as a Markdown table. */
export function renderTable(rows: Row[]): string {
  const head = '| measure | backend | object | ours | baseline / peer | ratio | target | met | runs |';
  const rule = '| --- | --- | --- | --- | --- | --- | --- | --- | --- |';
  const lines = rows.map(
    (r) =>
      `| ${r.measure} | ${r.backend} | ${r.object} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} | ${r.runs} |`,
  );
  return [head, rule, ...lines].join('\n');
}

/** Facts about the machine and the moment, printed with every run (figures move with load). */
export function machineFacts(opensslVersion: string): string[] {
  const cpu = cpus();
  return [
    `CPU: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`,
    `memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node ${process.version} (OpenSSL ${process.versions.openssl}); ${opensslVersion}`,
    `load average (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  ];
}
