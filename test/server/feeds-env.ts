/**
 * Servers for the feed suites (activity, agents, search, deposits from an identifier): the real
 * app (test/server/harness.ts) with repository and deposit areas on the filesystem or in MinIO,
 * and the steps of the workflow over HTTP: create a deposit, upload into its working area (files
 * written, or PutObject), run an import job or an export through the job runner.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Response } from 'supertest';
import type { Test } from 'tap';
import { createS3Client, type S3Connection } from '../../lib/storage/s3/config.js';
import { makeTestBucket } from '../helpers/s3.js';
import { type TestServer, testServer } from './harness.js';

/** The parts of an ImportJobResult the suites look at. */
export interface JobResultBody {
  id: string;
  status: string;
  newVersion: { ocflVersion: string } | null;
}

/** A server and the workflow steps. */
export interface FeedsServer extends TestServer {
  backend: 'fs' | 'minio';
  /** GET with a token of `client` (default reader). */
  get(path: string, client?: 'admin' | 'depositor' | 'reader'): Promise<Response>;
  /** Write files into the working area whose `files` URI is given. */
  upload(files: string, content: Record<string, string>): Promise<void>;
  /** Run queued jobs until none is left (imports and exports). */
  drain(): Promise<void>;
  /**
   * Preserve `content` as the group at `group` through a new deposit and its diff job; the
   * import job result's JSON.
   */
  importGroup(
    group: string,
    content: Record<string, string>,
    fields?: Record<string, unknown>,
  ): Promise<JobResultBody>;
  /** Export the group's head into a new deposit, change it (write `add`), run its diff; the result. */
  update(group: string, add: Record<string, string>): Promise<JobResultBody>;
}

/** The S3 settings as the server reads them from its environment. */
function s3Env(config: S3Connection): Record<string, string> {
  return {
    S3_ENDPOINT: config.endpoint!,
    S3_ACCESS_KEY: config.accessKeyId!,
    S3_SECRET_KEY: config.secretAccessKey!,
    S3_REGION: config.region ?? 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
  };
}

/** A feeds server on the filesystem, or in a fresh MinIO bucket when `s3` is given. */
export async function feedsServer(
  t: Test,
  s3?: S3Connection,
  env: Record<string, string> = {},
): Promise<FeedsServer> {
  let extra: Record<string, string> = {};
  if (s3) {
    const { bucket, cleanup } = await makeTestBucket(s3, 'feeds');
    t.teardown(cleanup);
    extra = {
      ...s3Env(s3),
      STRONGROOM_REPOSITORY: `s3://${bucket}/repository`,
      STRONGROOM_DEPOSITS: `s3://${bucket}/deposits`,
    };
  }
  const s = await testServer(t, { ...extra, ...env });
  const client = s3 ? createS3Client(s3) : undefined;
  if (client) t.teardown(() => client.destroy());
  const admin = await s.token('admin');
  const depositor = await s.token('depositor');
  const auth = <R extends { auth(token: string, options: { type: 'bearer' }): R }>(req: R, token: string) =>
    req.auth(token, { type: 'bearer' });

  const upload = async (files: string, content: Record<string, string>) => {
    for (const [key, text] of Object.entries(content)) {
      if (files.startsWith('file:')) {
        const path = join(fileURLToPath(files), ...key.split('/'));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      } else {
        const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(files)!;
        await client!.send(new PutObjectCommand({ Bucket: m[1], Key: `${m[2]}${key}`, Body: text }));
      }
    }
  };
  const drain = async () => {
    while (await s.deps.runner.runOnce()) {}
  };
  const runDiff = async (depositId: string): Promise<JobResultBody> => {
    const deposit = `${s.base}/deposits/${depositId}`;
    const submitted = await auth(s.request.post(`/deposits/${depositId}/importjobs`), depositor).send({
      id: `${deposit}/importjobs/diff`,
    });
    if (submitted.status !== 201) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
    await drain();
    const id = submitted.body.id.slice(submitted.body.id.lastIndexOf('/') + 1);
    const result = (await auth(s.request.get(`/deposits/${depositId}/importjobs/results/${id}`), depositor))
      .body;
    if (result.status !== 'completed') throw new Error(`the job failed: ${JSON.stringify(result.errors)}`);
    return result;
  };
  const ensureParent = async (group: string) => {
    const parts = group.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++)
      await auth(s.request.put(`/repository/${parts.slice(0, i).join('/')}`), admin);
  };
  return {
    ...s,
    backend: s3 ? 'minio' : 'fs',
    get: async (path, who = 'reader') => auth(s.request.get(path), await s.token(who)),
    upload,
    drain,
    async importGroup(group, content, fields = {}) {
      await ensureParent(group);
      const created = await auth(s.request.post('/deposits'), depositor).send({
        archivalGroup: `${s.base}/repository/${group}`,
        ...fields,
      });
      if (created.status !== 201) throw new Error(`deposit: ${created.status} ${created.text}`);
      await upload(created.body.files, content);
      const depositId = created.body.id.slice(created.body.id.lastIndexOf('/') + 1);
      return runDiff(depositId);
    },
    async update(group, add) {
      const exported = await auth(s.request.post('/deposits/export'), admin).send({
        archivalGroup: `${s.base}/repository/${group}`,
      });
      if (exported.status !== 201) throw new Error(`export: ${exported.status} ${exported.text}`);
      await drain();
      await upload(exported.body.files, add);
      return runDiff(exported.body.id.slice(exported.body.id.lastIndexOf('/') + 1));
    },
  };
}
