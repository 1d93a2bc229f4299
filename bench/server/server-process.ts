/**
 * The server under test as a real process: `node dist/server/main.js` with the bench's data
 * folder, on a free loopback port, with a fixed admin client, its log (pino, the default `info`
 * level: a request line per request, as deployed) in a file. `startServer` returns once
 * `/health` answers and a token has been issued, so the first request timed is the first the
 * server sees for the repository: a restarted server's first request.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../ocfl/paths.js';

const CLIENT_ID = 'bench-admin';
const CLIENT_SECRET = 'bench-admin-secret-0123456789';

/** An answer, read to its end. */
export interface Answer {
  status: number;
  body: string;
  bytes: number;
  /** From sending the request to the last byte of the body. */
  seconds: number;
}

/** A started server. */
export interface RunningServer {
  url: string;
  token: string;
  pid: number;
  /** A request with the bearer token (JSON body when given), read to its end. */
  request(method: string, path: string, json?: unknown): Promise<Answer>;
  stop(): Promise<void>;
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** One HTTP request, body read to its end and timed. */
export function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
  timeoutMs = 600_000,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = httpRequest(url, { method, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          body: all.toString('utf8'),
          bytes: all.length,
          seconds: Number(process.hrtime.bigint() - t0) / 1e9,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${method} ${url} within ${timeoutMs} ms`)));
    req.end(body);
  });
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${logFile}`);
    try {
      // The server listens before its routes are attached (main.ts): an early request waits.
      if ((await send(`${url}/health`, 'GET', {}, undefined, 1000)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /health within 120 s; see ${logFile}`);
}

/** Start `node dist/server/main.js` on `dataDir`; `env` adds or overrides variables. */
export async function startServer(options: {
  dataDir: string;
  logFile: string;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'server', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      STRONGROOM_DATA: options.dataDir,
      STRONGROOM_ADMIN_CLIENT_ID: CLIENT_ID,
      STRONGROOM_ADMIN_CLIENT_SECRET: CLIENT_SECRET,
      ...options.env,
    },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForHealth(url, child, options.logFile);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
  const token = await send(
    `${url}/oauth2/token`,
    'POST',
    { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    'grant_type=client_credentials',
  );
  if (token.status !== 200) throw new Error(`POST /oauth2/token answered ${token.status}: ${token.body}`);
  const accessToken = (JSON.parse(token.body) as { access_token: string }).access_token;
  return {
    url,
    token: accessToken,
    pid: child.pid!,
    request: (method, path, json) =>
      send(
        `${url}${path}`,
        method,
        {
          authorization: `Bearer ${accessToken}`,
          ...(json !== undefined && { 'content-type': 'application/json' }),
        },
        json === undefined ? undefined : JSON.stringify(json),
      ),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
