/**
 * Timing for the write-path benchmark: every case of a section runs once per round, round-robin
 * (so a burst of load from the machine's other users hits every case alike), with untimed setup
 * and cleanup around each run, each starting after a `sync`; a case reports the median of its runs.
 */
import { spawnSync } from 'node:child_process';

/** Something to time. `run` is timed; `setup` and `cleanup` are not. */
export interface Case {
  name: string;
  setup?: () => unknown;
  run: () => unknown;
  cleanup?: () => unknown;
  /** The case's own timing of its last run (child jobs time themselves), else the wall time of `run`. */
  seconds?: () => number;
}

/** Seconds of each run of a case, and their median. */
export interface Timing {
  name: string;
  samples: number[];
  median: number;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Run every case `runs` times, round-robin; medians by case. */
export async function timeCases(cases: Case[], runs: number, log = true): Promise<Map<string, Timing>> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < runs; round++) {
    for (const c of cases) {
      // Start every run with nothing dirty in the page cache: a case that ends without a flush
      // (`cp -r`) would otherwise leave its writeback to the next case that syncs (ours).
      flushAll();
      await c.setup?.();
      const t0 = process.hrtime.bigint();
      await c.run();
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const s = c.seconds ? c.seconds() : wall;
      await c.cleanup?.();
      samples.get(c.name)!.push(s);
      if (log) console.log(`  ${c.name}: ${s.toFixed(3)} s`);
    }
  }
  return new Map([...samples].map(([name, list]) => [name, { name, samples: list, median: median(list) }]));
}

/** `sync`: write back every dirty page of every filesystem (untimed, between runs). */
export function flushAll(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

/** Run a shell command to completion (output discarded); throws when it fails. */
export function sh(command: string): void {
  const r = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`command failed (${r.status}): ${command}`);
}

/** One row of the results table. */
export interface Row {
  measure: string;
  digest: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

/** A markdown table of the rows. */
export function table(rows: Row[]): string {
  const head = '| measure | digest | ours | baseline | ratio | target | met |';
  const sep = '| --- | --- | --- | --- | --- | --- | --- |';
  const body = rows.map(
    (r) => `| ${r.measure} | ${r.digest} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`,
  );
  return [head, sep, ...body].join('\n');
}

/** `1.234 s`. */
export function secs(s: number): string {
  return `${s.toFixed(s < 10 ? 3 : 1)} s`;
}
