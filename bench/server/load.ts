/**
 * Requests per second for small GETs: `wrk` (C, one thread, keep-alive connections) when it is on
 * the PATH (Debian: `apt-get install wrk`), else a Node load generator in a child process of its
 * own (`load-job.ts`: node:http keep-alive agent, one loop per connection). Either way the client
 * cycles through a list of paths, so requests spread over many files, and the same client,
 * connections and duration serve ours and the baseline alike.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a load run measured. */
export interface LoadResult {
  client: 'wrk' | 'node';
  requests: number;
  seconds: number;
  perSecond: number;
  /** Answers other than 2xx/3xx, and socket errors and timeouts. */
  failures: number;
  /** Median and 99th percentile latency, seconds. */
  p50: number;
  p99: number;
}

/** How to load a server. */
export interface LoadOptions {
  base: string;
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Where the wrk script goes. */
  work: string;
  /** `node` forces the Node client even when wrk is installed. */
  client?: 'wrk' | 'node';
}

/** True when `wrk` runs here. */
export function haveWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

function luaString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function unit(value: string, suffix: string): number {
  const n = Number(value);
  return suffix === 'us' ? n / 1e6 : suffix === 'ms' ? n / 1e3 : suffix === 'm' ? n * 60 : n;
}

function runWrk(options: LoadOptions): LoadResult {
  const script = join(options.work, 'paths.lua');
  const headers = Object.entries(options.headers)
    .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)
    .join('\n');
  writeFileSync(
    script,
    `${headers}\nlocal paths = {${options.paths.map(luaString).join(',\n')}}\nlocal i = 0\n` +
      'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n',
  );
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '--timeout', '10s'];
  const r = spawnSync('wrk', [...args, '-s', script, options.base], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed (${r.status}): ${r.stderr}`);
  const out = r.stdout;
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const lat = (pct: string) => {
    const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s|m)`, 'm').exec(out);
    return m ? unit(m[1]!, m[2]!) : Number.NaN;
  };
  const done = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = errors ? errors.slice(1, 5).reduce((n, x) => n + Number(x), 0) : 0;
  return {
    client: 'wrk',
    requests: Number(done?.[1] ?? 0),
    seconds: done ? unit(done[2]!, done[3]!) : options.seconds,
    perSecond: num(/Requests\/sec:\s+([\d.]+)/),
    failures: num(/Non-2xx or 3xx responses: (\d+)/) + socketErrors,
    p50: lat('50'),
    p99: lat('99'),
  };
}

const loadJob = fileURLToPath(new URL('./load-job.js', import.meta.url));

function runNode(options: LoadOptions): LoadResult {
  const spec = join(options.work, 'load.json');
  writeFileSync(spec, JSON.stringify({ ...options, client: undefined }));
  const r = spawnSync(process.execPath, [loadJob, spec], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`load-job failed (${r.status ?? r.signal})`);
  return {
    client: 'node',
    ...(JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Omit<LoadResult, 'client'>),
  };
}

/** Load `options.base` with GETs of `options.paths`, round-robin. */
export function load(options: LoadOptions): LoadResult {
  const client = options.client ?? (haveWrk() ? 'wrk' : 'node');
  return client === 'wrk' ? runWrk(options) : runNode(options);
}
