/**
 * The Node load generator (used when `wrk` is not installed), in a process of its own so that it
 * does not share an event loop with anything measured:
 *
 *   node dist/bench/server/load-job.js <spec.json>   → one JSON line (see LoadResult)
 *
 * One loop per connection, each sending its next GET as soon as the previous answer has been read
 * to its end, over a node:http keep-alive agent with exactly `connections` sockets.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { LoadOptions } from './load.js';

function get(url: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { headers, agent, timeout: 10_000 }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function main(specFile: string): Promise<void> {
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as LoadOptions;
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const t0 = performance.now();
  const end = t0 + spec.seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const path = spec.paths[next++ % spec.paths.length]!;
      const start = performance.now();
      const status = await get(`${spec.base}${path}`, spec.headers, agent);
      latencies.push((performance.now() - start) / 1000);
      if (status < 200 || status >= 400) failures++;
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, loop));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  const result = {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    failures,
    p50: pct(0.5),
    p99: pct(0.99),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv[2] ?? '').catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
