/**
 * A real server process for tests: `node dist/server/main.js` spawned with `PORT=0` and a data
 * folder, its URL read from the start-up banner, driven with Node's own `fetch`. It can be
 * stopped with SIGTERM (graceful) or SIGKILL (a crash), and started again on the same data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Test } from 'tap';
import { createS3Client, type S3Connection } from '../../lib/storage/s3/config.js';
import { repoRoot } from '../helpers/paths.js';
import { makeTestBucket, requireS3 } from '../helpers/s3.js';
import { tempDir } from '../txn/helpers.js';
import { type AreaClient, areaClient, type Json } from './deposit-harness.js';

/** A running server process. */
export interface LiveServer {
  base: string;
  proc: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process has ended. */
  exited: Promise<number | string>;
  /** A bearer token of the admin client. */
  token(): Promise<string>;
  /** `fetch` under the base URL with the admin token; JSON bodies are sent as JSON. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** The admin client every live server is started with. */
export const LIVE_ADMIN = { id: 'live-admin', secret: 'live-admin-secret-0123456789' };

/** Environment for a live server's repository and deposits in MinIO (bucket must exist). */
export function minioEnv(config: S3Connection, bucket: string): Record<string, string> {
  return {
    S3_ENDPOINT: config.endpoint!,
    S3_ACCESS_KEY: config.accessKeyId!,
    S3_SECRET_KEY: config.secretAccessKey!,
    S3_REGION: config.region ?? 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
    STRONGROOM_REPOSITORY: `s3://${bucket}/repository`,
    STRONGROOM_DEPOSITS: `s3://${bucket}/deposits`,
  };
}

/**
 * Start `node dist/server/main.js` on a free port with `dataDir`; resolves once it listens.
 * The process is killed at the end of `t` if it is still running.
 */
export async function startLiveServer(
  t: Test,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<LiveServer> {
  const proc = spawn(process.execPath, [join(repoRoot, 'dist', 'server', 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      STRONGROOM_DATA: dataDir,
      STRONGROOM_ADMIN_CLIENT_ID: LIVE_ADMIN.id,
      STRONGROOM_ADMIN_CLIENT_SECRET: LIVE_ADMIN.secret,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  proc.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  t.teardown(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    return exited.then(() => undefined);
  });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after 30 s:\n${out}`)), 30_000);
    const look = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${out}`));
    });
  });
  let token: string | undefined;
  const server: LiveServer = {
    base,
    proc,
    output: () => out,
    exited,
    async token() {
      if (token) return token;
      const res = await fetch(`${base}/oauth2/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${LIVE_ADMIN.id}:${LIVE_ADMIN.secret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
      token = ((await res.json()) as { access_token: string }).access_token;
      return token;
    },
    async api(method, path, body, headers = {}) {
      return fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${await server.token()}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
          ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    },
  };
  return server;
}

/** GET a JSON resource of a live server; throws on a status other than 200. */
export async function getJson(server: LiveServer, path: string): Promise<Json> {
  const res = await server.api('GET', path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Poll a live server's ImportJobResult (its `id`) until it has finished; returns it and the statuses seen. */
export async function waitLive(server: LiveServer, resultId: string, timeoutMs = 60_000) {
  const seen: string[] = [];
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await getJson(server, new URL(resultId).pathname);
    if (seen.at(-1) !== r.status) seen.push(r.status);
    if (r.status === 'completed' || r.status === 'completedWithErrors') return { result: r, seen };
    if (Date.now() > end) throw new Error(`${resultId} still ${r.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Where a live suite runs: a data folder, the server's extra environment, and a client's hands on deposits. */
export interface LivePlace {
  backend: 'fs' | 'minio';
  dataDir: string;
  env: Record<string, string>;
  area: AreaClient;
}

/**
 * Run `body` with a fresh data folder on the filesystem, then with the repository and deposits
 * in a fresh MinIO bucket (skipped with a reason without S3_ENDPOINT, failed under CI=true).
 */
export async function onBothLive(t: Test, body: (t: Test, place: LivePlace) => Promise<void>): Promise<void> {
  await t.test('filesystem', async (t) =>
    body(t, { backend: 'fs', dataDir: tempDir(t, 'live'), env: {}, area: areaClient() }),
  );
  await t.test('MinIO', async (t) => {
    const config = requireS3(t);
    if (!config) return;
    const { bucket, cleanup } = await makeTestBucket(config, 't-live');
    t.teardown(cleanup); // last: after the server processes are gone (tap runs teardowns in reverse)
    const client = createS3Client(config);
    t.teardown(() => client.destroy());
    await body(t, {
      backend: 'minio',
      dataDir: tempDir(t, 'live'),
      env: minioEnv(config, bucket),
      area: areaClient(client),
    });
  });
}
