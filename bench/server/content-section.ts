/**
 * Requests per second for small content GETs: `GET /content/books/group/<file>` (512 B each,
 * cycling over up to 1,000 files of the group) against the server process, ÷ a bare `node:http`
 * file server (file-server.ts) answering the same URLs with the same content files, with the same
 * client, connections and duration (load.ts). Each side gets an untimed warm-up run first (the
 * server's first request reads the group); rounds alternate ours and the baseline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filePath, GROUP, type ServerBenchData } from './data.js';
import { type LoadOptions, type LoadResult, load } from './load.js';
import { median, type Row, type SectionOptions, secs, withServer } from './measure.js';
import { freePort, send } from './server-process.js';

/** How hard and how long to load. */
export interface ContentOptions extends SectionOptions {
  connections: number;
  seconds: number;
  client?: 'wrk' | 'node';
}

/** Up to 1,000 URL paths spread over the group, and the content file behind each. */
function targets(data: ServerBenchData): Map<string, string> {
  const objectRoot = join(data.dataDir, 'repository', data.groupObjectRoot);
  const inventory = JSON.parse(readFileSync(join(objectRoot, 'inventory.json'), 'utf8')) as {
    head: string;
    manifest: Record<string, string[]>;
    versions: Record<string, { state: Record<string, string[]> }>;
  };
  const byLogical = new Map<string, string>();
  for (const [digest, paths] of Object.entries(inventory.versions[inventory.head]!.state)) {
    const content = inventory.manifest[digest]![0]!;
    for (const p of paths) byLogical.set(p, content);
  }
  const count = Math.min(1000, data.files);
  const out = new Map<string, string>();
  for (let j = 0; j < count; j++) {
    const logical = filePath(Math.floor((j * data.files) / count));
    const content = byLogical.get(logical);
    if (!content) throw new Error(`${logical} is not in the group's head`);
    out.set(`/content/${GROUP}/${logical}`, join(objectRoot, content));
  }
  return out;
}

const fileServerScript = fileURLToPath(new URL('./file-server.js', import.meta.url));

async function withFileServer<T>(
  map: Map<string, string>,
  work: string,
  run: (base: string) => Promise<T>,
): Promise<T> {
  const mapFile = join(work, 'file-map.json');
  writeFileSync(mapFile, JSON.stringify(Object.fromEntries(map)));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [fileServerScript, mapFile, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`file server exited (${code})`)));
  });
  try {
    return await run(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function show(label: string, r: LoadResult): void {
  console.log(
    `  ${label}: ${r.perSecond.toFixed(0)} req/s (${r.requests} in ${r.seconds.toFixed(1)} s, p50 ${secs(r.p50)}, p99 ${secs(r.p99)}, ${r.failures} failed) [${r.client}]`,
  );
}

/** Rows for the content GETs. */
export async function contentSection(data: ServerBenchData, opts: ContentOptions): Promise<Row[]> {
  const map = targets(data);
  const paths = [...map.keys()];
  console.log(
    `\n### small content GETs: ${paths.length} files of ${data.files.toLocaleString('en-US')}, 512 B each, ${opts.connections} connections, ${opts.seconds} s`,
  );
  const base = (b: string, headers: Record<string, string>): LoadOptions => ({
    base: b,
    paths,
    headers,
    connections: opts.connections,
    seconds: opts.seconds,
    work: opts.work,
    ...(opts.client && { client: opts.client }),
  });
  const ours: LoadResult[] = [];
  const bare: LoadResult[] = [];
  for (let round = 0; round < opts.runs; round++) {
    ours.push(
      await withServer(data.dataDir, opts.work, async (server) => {
        const headers = { authorization: `Bearer ${server.token}` };
        // Same bytes from both servers: the comparison is of like with like.
        const one = await send(`${server.url}${paths[0]}`, 'GET', headers);
        const expected = readFileSync(map.get(paths[0]!)!, 'utf8');
        if (one.status !== 200 || one.body !== expected)
          throw new Error(`GET ${paths[0]} answered ${one.status}`);
        console.log(`  ours: first content GET (cold) ${secs(one.seconds)}`);
        load({ ...base(server.url, headers), seconds: Math.min(1, opts.seconds) });
        const r = load(base(server.url, headers));
        show('ours', r);
        return r;
      }),
    );
    bare.push(
      await withFileServer(map, opts.work, async (url) => {
        load({ ...base(url, {}), seconds: Math.min(1, opts.seconds) });
        const r = load(base(url, {}));
        show('bare node:http', r);
        return r;
      }),
    );
  }
  const o = median(ours.map((r) => r.perSecond));
  const b = median(bare.map((r) => r.perSecond));
  const lat = (rs: LoadResult[]) =>
    `p50 ${secs(median(rs.map((r) => r.p50)))}, p99 ${secs(median(rs.map((r) => r.p99)))}`;
  const failed = ours.reduce((n, r) => n + r.failures, 0);
  return [
    {
      measure: `content GET req/s ÷ bare node:http file server, ${paths.length} × 512 B of a ${data.files.toLocaleString('en-US')}-file group`,
      ours: `${o.toFixed(0)} req/s`,
      baseline: `${b.toFixed(0)} req/s`,
      ratio: `${(o / b).toFixed(2)}×`,
      note: `${ours[0]?.client ?? '?'}, ${opts.connections} connections, ${opts.seconds} s; ours ${lat(ours)}; bare ${lat(bare)}${failed ? `; ${failed} failed` : ''}`,
    },
  ];
}
