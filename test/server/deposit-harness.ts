/**
 * Deposit suites on both backends: the in-process server of harness.ts with its job runner
 * started, its repository and deposit working areas on the filesystem (temp folders) or in a
 * fresh MinIO bucket (`STRONGROOM_REPOSITORY=s3://…/repository`, `STRONGROOM_DEPOSITS=s3://…/deposits`).
 * Deposit files are written the way a client would: into the folder behind a `file://` URI, or
 * with PutObject, with or without `ChecksumAlgorithm: SHA256`.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Test } from 'tap';
import { JobRunner, MetsDocument, writeMets } from '../../lib/index.js';
import { createS3Client, type S3Connection } from '../../lib/storage/s3/config.js';
import { makeTestBucket, requireS3 } from '../helpers/s3.js';
import { type TestServer, testServer } from './harness.js';

/** Lowercase hex SHA-256. */
export const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Which backend a suite runs on. */
export type Backend = 'fs' | 'minio';

/** How a client puts a file into an S3 working area (ignored on the filesystem). */
export interface UploadOptions {
  /** PutObject with `ChecksumAlgorithm: SHA256`, so the server keeps a SHA-256 the diff can use. */
  checksum?: boolean;
}

/** A server with deposits on one backend, and a client's view of the working areas. */
export interface DepositEnv extends AreaClient {
  backend: Backend;
  s: TestServer;
  /** `Authorization` header value of a client. */
  auth(client?: 'admin' | 'depositor' | 'reader'): Promise<string>;
  /** The repository id of a repository path. */
  repo(path: string): string;
  /** The MinIO connection (MinIO only). */
  s3?: S3Connection;
}

/**
 * Run `body` on the filesystem and on MinIO, as two subtests of `t` (the MinIO one skips with a
 * reason when S3_ENDPOINT is not set, and fails under CI=true). Each gets its own server.
 */
export async function onBothBackends(
  t: Test,
  body: (t: Test, env: DepositEnv) => Promise<void>,
  options: DepositEnvOptions = {},
): Promise<void> {
  await t.test('filesystem', async (t) => body(t, await depositEnv(t, 'fs', options)));
  await t.test('MinIO', async (t) => {
    const config = requireS3(t);
    if (!config) return;
    await body(t, await depositEnv(t, 'minio', options, config));
  });
}

/** Options of {@link depositEnv}. */
export interface DepositEnvOptions {
  /** More server environment. */
  env?: Record<string, string>;
  /** Start the job runner (default true); without it, jobs and exports stay waiting. */
  runner?: boolean;
}

/** A server (with its runner started unless `options.runner` is false) on `backend`. */
export async function depositEnv(
  t: Test,
  backend: Backend,
  options: DepositEnvOptions = {},
  config?: S3Connection,
): Promise<DepositEnv> {
  const env = options.env ?? {};
  let serverEnv = env;
  let client: S3Client | undefined;
  if (backend === 'minio') {
    if (!config) throw new Error('MinIO needs its connection');
    const { bucket, cleanup } = await makeTestBucket(config, 't-server');
    // Registered before the server's teardowns: tap runs them last-registered first, so the
    // bucket goes only after the server and its runner have stopped.
    t.teardown(cleanup);
    client = createS3Client(config);
    const c = client;
    t.teardown(() => c.destroy());
    serverEnv = {
      S3_ENDPOINT: config.endpoint!,
      S3_ACCESS_KEY: config.accessKeyId!,
      S3_SECRET_KEY: config.secretAccessKey!,
      S3_REGION: config.region ?? 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      STRONGROOM_REPOSITORY: `s3://${bucket}/repository`,
      STRONGROOM_DEPOSITS: `s3://${bucket}/deposits`,
      ...env,
    };
  }
  const s = await testServer(t, serverEnv);
  if (options.runner !== false) {
    await s.deps.runner.reconcile();
    s.deps.runner.start();
  }
  return {
    backend,
    s,
    auth: async (who = 'depositor') => `Bearer ${await s.token(who)}`,
    ...areaClient(client),
    repo: (path) => `${s.base}/repository/${path}`,
    ...(config && { s3: config }),
  };
}

/** A client's hands on deposit working areas: `file://` folders, or `s3://` prefixes through `client`. */
export interface AreaClient {
  /** Write files into the working area at `files` (a deposit's `files` URI). */
  upload(files: string, contents: Record<string, string | Buffer>, options?: UploadOptions): Promise<void>;
  /** Remove a file from a working area (and, on a filesystem, folders it leaves empty). */
  remove(files: string, key: string): Promise<void>;
  /** A file of a working area, or undefined. */
  read(files: string, key: string): Promise<Buffer | undefined>;
  /** Every file key of a working area, sorted. */
  list(files: string): Promise<string[]>;
}

/** An {@link AreaClient}; `client` is needed for `s3://` areas. */
export function areaClient(client?: S3Client): AreaClient {
  const s3 = (files: string) => {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(files);
    if (!m || !client) throw new Error(`not an S3 area: ${files}`);
    return { client, bucket: m[1]!, prefix: m[2]! };
  };
  const local = (files: string, key = '') => join(fileURLToPath(files), ...key.split('/').filter(Boolean));
  return {
    async upload(files, contents, options = {}) {
      const entries = Object.entries(contents);
      if (files.startsWith('file:')) {
        for (const [key, content] of entries) {
          mkdirSync(dirname(local(files, key)), { recursive: true });
          writeFileSync(local(files, key), content);
        }
        return;
      }
      const { client, bucket, prefix } = s3(files);
      // A few uploads at a time, as a client tool would.
      for (let i = 0; i < entries.length; i += 16) {
        await Promise.all(
          entries.slice(i, i + 16).map(([key, content]) =>
            client.send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: `${prefix}${key}`,
                Body: Buffer.from(content),
                // What S3 uploads often carry: no information (the diff must not use it).
                ContentType: 'application/octet-stream',
                ...(options.checksum && { ChecksumAlgorithm: 'SHA256' as const }),
              }),
            ),
          ),
        );
      }
    },
    async remove(files, key) {
      if (files.startsWith('file:')) {
        rmSync(local(files, key), { force: true });
        // As on S3, a folder left empty is gone too (a client removing a folder's last file).
        const root = local(files);
        for (let d = dirname(local(files, key)); d !== root && readdirSync(d).length === 0; d = dirname(d))
          rmdirSync(d);
      } else {
        const { client, bucket, prefix } = s3(files);
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}${key}` }));
      }
    },
    async read(files, key) {
      if (files.startsWith('file:')) {
        const path = local(files, key);
        return existsSync(path) ? readFileSync(path) : undefined;
      }
      const { client, bucket, prefix } = s3(files);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${key}` }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
    async list(files) {
      if (files.startsWith('file:')) {
        const root = local(files);
        if (!existsSync(root)) return [];
        const out: string[] = [];
        const walk = (dir: string) => {
          for (const name of readdirSync(dir)) {
            const p = join(dir, name);
            if (statSync(p).isDirectory()) walk(p);
            else out.push(relative(root, p).split('\\').join('/'));
          }
        };
        walk(root);
        return out.sort();
      }
      const { client, bucket, prefix } = s3(files);
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) out.push(o.Key!.slice(prefix.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out.sort();
    },
  };
}

/** A second job runner over the same server (as a restarted process would start). */
export function newRunner(env: DepositEnv): JobRunner {
  const { state, services } = env.s.deps;
  return new JobRunner({
    records: state.records,
    queue: state.queue,
    writer: services.writer,
    repository: services.repository,
    deposits: services.deposits,
    repositoryBase: services.urls.repositoryBase,
    agentUri: (id) => services.urls.agent(id),
    ...(env.backend === 'minio' && { store: { s3: env.s3! } }),
    workerId: 'restarted-runner',
  });
}

/** A METS file (ours, editable) listing `files` (METS-relative paths) with SHA-256, size and type. */
export function metsFor(
  files: Record<string, string | Buffer>,
  options: { title?: string; names?: Record<string, string>; contentTypes?: Record<string, string> } = {},
): string {
  const doc = MetsDocument.create({ title: options.title ?? null });
  for (const [path, content] of Object.entries(files)) {
    doc.addFile({
      path,
      sha256: sha256(content),
      size: Buffer.byteLength(content),
      ...(options.names?.[path] !== undefined && { name: options.names[path] }),
      ...(options.contentTypes?.[path] !== undefined && { contentType: options.contentTypes[path] }),
    });
  }
  return writeMets(doc);
}

/** A JSON value the tests look into field by field (a wrong shape fails the assertion, not the build). */
// biome-ignore lint/suspicious/noExplicitAny: answers of the API under test, checked field by field
export type Json = any;

/** A JSON API answer as the tests look at it. */
export interface Answer {
  status: number;
  body: Json;
  headers: Record<string, string>;
  text: string;
}

/** Call the API as `who` (default: the depositor). */
export async function call(
  env: DepositEnv,
  method: 'get' | 'post' | 'patch' | 'delete' | 'put' | 'head',
  path: string,
  body?: unknown,
  who: 'admin' | 'depositor' | 'reader' = 'depositor',
): Promise<Answer> {
  let req = env.s.request[method](path).set('Authorization', await env.auth(who));
  if (body !== undefined) req = req.send(body as object);
  const res = await req;
  return {
    status: res.status,
    body: res.body ?? {},
    headers: res.headers as Record<string, string>,
    text: res.text,
  };
}

/** The path part of one of the server's URLs. */
export function pathOf(env: DepositEnv, url: string): string {
  if (!url.startsWith(env.s.base)) throw new Error(`not under the base: ${url}`);
  return url.slice(env.s.base.length);
}

/** Create a deposit; returns its JSON. Fails the test when the answer is not 201. */
export async function newDeposit(env: DepositEnv, body: object = {}): Promise<Json> {
  const res = await call(env, 'post', '/deposits', body);
  if (res.status !== 201) throw new Error(`POST /deposits: ${res.status} ${res.text}`);
  return res.body;
}

/**
 * Poll an ImportJobResult (its `id` URL) until it has finished; returns it with every status seen
 * on the way. Throws after `timeoutMs`.
 */
export async function waitForResult(
  env: DepositEnv,
  resultId: string,
  timeoutMs = 30_000,
): Promise<{ result: Json; seen: string[] }> {
  const seen: string[] = [];
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(env, 'get', pathOf(env, resultId), undefined, 'reader');
    if (res.status !== 200) throw new Error(`GET ${resultId}: ${res.status} ${res.text}`);
    const status = res.body.status as string;
    if (seen.at(-1) !== status) seen.push(status);
    if (status === 'completed' || status === 'completedWithErrors') return { result: res.body, seen };
    if (Date.now() > end) throw new Error(`${resultId} still ${status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Poll a deposit until its status is not `exporting`; returns it. */
export async function waitForExport(env: DepositEnv, depositId: string, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(env, 'get', pathOf(env, depositId), undefined, 'reader');
    if (res.status !== 200) throw new Error(`GET ${depositId}: ${res.status} ${res.text}`);
    if (res.body.status !== 'exporting') return res.body as Json;
    if (Date.now() > end) throw new Error(`${depositId} still exporting after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Submit `{ id: <diff id> }` for a deposit and wait for the job; returns the final result. */
export async function preserveDeposit(env: DepositEnv, deposit: { id: string }) {
  const submit = await call(env, 'post', `${pathOf(env, deposit.id)}/importjobs`, {
    id: `${deposit.id}/importjobs/diff`,
  });
  if (submit.status !== 201) throw new Error(`submit: ${submit.status} ${submit.text}`);
  return { submitted: submit.body, ...(await waitForResult(env, submit.body.id as string)) };
}
