/**
 * Measuring the server: one request against a fresh server process (cold) then repeats (warm),
 * the baselines in fresh processes of their own, and the results table.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../txn/measure.js';
import { type RunningServer, startServer } from './server-process.js';

export { median };

/** What the sections share. */
export interface SectionOptions {
  /** Rounds: each case runs once per round, round-robin with its baseline. */
  runs: number;
  /** Warm requests after the cold one, per server process. */
  repeats: number;
  /** Scratch folder (server logs, wrk scripts). */
  work: string;
}

/** One row of the results table. */
export interface Row {
  measure: string;
  ours: string;
  baseline: string;
  /** Ours ÷ baseline: time ratio for times, throughput share for requests per second. */
  ratio: string;
  note: string;
}

/**
 * Cold (first request of a fresh process, its LMDB cache emptied first) and warm (median of the
 * repeats) seconds; for server cases also `restart`: the first request of a second fresh process
 * over the cache the first one filled (a restarted server).
 */
export interface ColdWarm {
  cold: number;
  warm: number;
  restart?: number;
  /** Body size of the answer, bytes (server cases). */
  bytes?: number;
}

/** Median of each of cold and warm over the rounds. */
export function medians(samples: ColdWarm[]): ColdWarm {
  const out: ColdWarm = {
    cold: median(samples.map((s) => s.cold)),
    warm: median(samples.map((s) => s.warm)),
  };
  if (samples[0]?.bytes !== undefined) out.bytes = samples[0].bytes;
  if (samples[0]?.restart !== undefined) out.restart = median(samples.map((s) => s.restart!));
  return out;
}

/**
 * Empty the server's cache (`<dataDir>/cache`), start a server on `dataDir`, GET `path` once
 * (cold), then `repeats` more times (warm), stop it; then start another and GET `path` once
 * (restart: over the cache the first filled). Throws when an answer is not 200.
 */
export async function serverColdWarm(
  dataDir: string,
  path: string,
  opts: SectionOptions,
  log = (s: string) => console.log(s),
): Promise<ColdWarm> {
  rmSync(join(dataDir, 'cache'), { recursive: true, force: true });
  const once = async (repeats: number) => {
    const server = await startServer({ dataDir, logFile: join(opts.work, 'server.log') });
    try {
      const get = async () => {
        const a = await server.request('GET', path);
        if (a.status !== 200) throw new Error(`GET ${path} answered ${a.status}: ${a.body.slice(0, 300)}`);
        return a;
      };
      const first = await get();
      const warm: number[] = [];
      for (let i = 0; i < repeats; i++) warm.push((await get()).seconds);
      return { first, warm };
    } finally {
      await server.stop();
    }
  };
  const { first, warm } = await once(opts.repeats);
  const restart = (await once(0)).first.seconds;
  const result = { cold: first.seconds, warm: median(warm), restart, bytes: first.bytes };
  log(
    `  ours GET ${path}: cold ${secs(result.cold)}, warm ${warm.map(secs).join(' ')}, restart ${secs(restart)}`,
  );
  return result;
}

/** Run with a started server, stopping it after. */
export async function withServer<T>(
  dataDir: string,
  work: string,
  run: (server: RunningServer) => Promise<T>,
): Promise<T> {
  const server = await startServer({ dataDir, logFile: join(work, 'server.log') });
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

const baselineJob = fileURLToPath(new URL('./baseline-job.js', import.meta.url));

/** A baseline job (baseline-job.ts) in a fresh process. */
export function baselineColdWarm(
  kind: 'inventory' | 'deposit',
  target: string,
  opts: SectionOptions,
  label: string,
): ColdWarm {
  const r = spawnSync(process.execPath, [baselineJob, kind, target, String(opts.repeats)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`baseline ${kind} failed (${r.status ?? r.signal})`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { cold: number; warm: number[] };
  console.log(`  baseline ${label}: cold ${secs(out.cold)}, warm ${out.warm.map(secs).join(' ')}`);
  return { cold: out.cold, warm: median(out.warm) };
}

/** `1.234 s` / `12 ms`. */
export function secs(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 2 : s < 0.1 ? 1 : 0)} ms`;
  return `${s.toFixed(s < 10 ? 2 : 1)} s`;
}

/** A time-ratio row: ours ÷ baseline. */
export function timeRow(measure: string, ours: number, baseline: number, note = ''): Row {
  return {
    measure,
    ours: secs(ours),
    baseline: secs(baseline),
    ratio: `${(ours / baseline).toFixed(2)}×`,
    note,
  };
}

/** A markdown table of the rows. */
export function table(rows: Row[]): string {
  const head = '| measure | ours | baseline | ours ÷ baseline | note |';
  const sep = '| --- | --- | --- | --- | --- |';
  return [
    head,
    sep,
    ...rows.map((r) => `| ${r.measure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.note} |`),
  ].join('\n');
}
