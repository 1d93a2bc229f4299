/**
 * Working on deposits over HTTP, with deposit areas on the filesystem and on MinIO:
 * `GET /deposits/{id}/filesystem`, `POST /deposits/{id}/mets` and `/mets/delete` (If-Match:
 * 428 / 412 / 200 with the new ETag), hostile bodies (400), and locks (`POST|DELETE
 * /deposits/{id}/lock`: 409 for other callers' PATCH, METS edits, import jobs and DELETE).
 */
import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { requireS3 } from '../helpers/s3.js';
import { siegfriedYaml } from '../services/tool-fixtures.js';
import { fsWorkspaceEnv, s3WorkspaceEnv, type WorkspaceEnv } from '../services/workspace-env.js';
import { type TestServer, testServer } from './harness.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The server, with deposit areas where `env` keeps them, and bearer helpers. */
async function serverFor(t: Test, env: WorkspaceEnv) {
  const extra: Record<string, string> = { STRONGROOM_DEPOSITS: env.depositsRoot };
  if (env.name === 'minio') {
    for (const k of ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_REGION'])
      if (process.env[k]) extra[k] = process.env[k]!;
    extra.S3_FORCE_PATH_STYLE = 'true';
  }
  const s = await testServer(t, extra);
  const tokens = {
    admin: await s.token('admin'),
    depositor: await s.token('depositor'),
    reader: await s.token('reader'),
  };
  const as = (who: keyof typeof tokens) => ({ Authorization: `Bearer ${tokens[who]}` });
  return { s, as };
}

async function createDeposit(
  s: TestServer,
  auth: Record<string, string>,
  body: object = { template: 'RootLevel' },
) {
  const res = await s.request.post('/deposits').set(auth).send(body);
  if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
  const id = String(res.body.id).split('/').pop()!;
  return { id, files: String(res.body.files) };
}

async function suite(t: Test, makeEnv: (t: Test) => Promise<WorkspaceEnv>) {
  t.test(
    'filesystem view, METS edits with If-Match (428, 412, then 200 with the new ETag), and a delete selection',
    async (t) => {
      const env = await makeEnv(t);
      const { s, as } = await serverFor(t, env);
      const { id, files } = await createDeposit(s, as('depositor'));
      await env.put(files, {
        'objects/a.txt': 'abc',
        'objects/old/b.txt': 'b',
        'metadata/siegfried/siegfried.yaml': siegfriedYaml([
          {
            path: 'objects/a.txt',
            size: 3,
            sha256: sha256('abc'),
            puid: 'x-fmt/111',
            format: 'Plain Text File',
            mime: 'text/plain',
          },
        ]),
      });
      const view = await s.request.get(`/deposits/${id}/filesystem`).set(as('reader'));
      t.equal(view.status, 200);
      t.match(view.body, { type: 'WorkingDirectory', localPath: '', files: [{ localPath: 'mets.xml' }] });
      const objects = view.body.directories.find((d: { localPath: string }) => d.localPath === 'objects');
      t.match(objects.files, [
        {
          type: 'WorkingFile',
          localPath: 'objects/a.txt',
          digest: sha256('abc'),
          metadata: [{ type: 'FileFormatMetadata', pronomKey: 'x-fmt/111' }],
        },
      ]);
      t.ok(Array.isArray(view.body.mismatches), 'disagreements are listed beside the tree');
      t.equal((await s.request.get(`/deposits/${id}/filesystem?refresh=true`).set(as('reader'))).status, 200);
      t.equal(
        (await s.request.get(`/deposits/${id}/filesystem?refresh=maybe`).set(as('reader'))).status,
        400,
      );
      t.equal((await s.request.get('/deposits/nope/filesystem').set(as('reader'))).status, 404);

      const post = (
        paths: unknown,
        ifMatch?: string,
        who: 'depositor' | 'reader' | 'admin' = 'depositor',
      ) => {
        const r = s.request.post(`/deposits/${id}/mets`).set(as(who));
        return (ifMatch === undefined ? r : r.set('If-Match', ifMatch)).send(paths as object);
      };
      const missing = await post(['objects/a.txt']);
      t.equal(missing.status, 428);
      t.equal(missing.body.code, 'PRECONDITION_REQUIRED');
      t.equal((await post(['objects/a.txt'], '"stale"')).status, 412);
      t.equal((await post(['objects/a.txt'], '"stale"', 'reader')).status, 403, 'readers cannot edit');
      const deposit = await s.request.get(`/deposits/${id}`).set(as('reader'));
      const etag = `"${deposit.body.metsETag}"`;
      const metsView = await s.request.get(`/deposits/${id}/mets`).set(as('reader'));
      t.equal(metsView.headers.etag, etag, 'GET …/mets shows the same ETag as the deposit');
      const added = await post(['objects/a.txt', { LocalPath: 'objects/old/b.txt' }], etag);
      t.equal(added.status, 200, added.text);
      t.same(
        added.body.items.map((i: { localPath: string; change: string }) => [i.localPath, i.change]),
        [
          ['objects', 'updated'],
          ['objects/a.txt', 'added'],
          ['objects/old', 'added'],
          ['objects/old/b.txt', 'added'],
        ],
      );
      t.equal(added.headers.etag, `"${added.body.metsETag}"`);
      t.not(added.headers.etag, etag);
      t.equal((await s.request.get(`/deposits/${id}`).set(as('reader'))).body.metsETag, added.body.metsETag);
      t.equal(
        (await s.request.get(`/deposits/${id}/mets`).set(as('reader'))).headers.etag,
        added.headers.etag,
      );
      t.equal((await post(['objects/a.txt'], etag)).status, 412, 'the old ETag is stale now');

      const after = await s.request.get(`/deposits/${id}/filesystem`).set(as('reader'));
      const a = after.body.directories
        .find((d: { localPath: string }) => d.localPath === 'objects')
        .files.find((f: { localPath: string }) => f.localPath === 'objects/a.txt');
      t.match(a.metsExtensions, { physDivId: /^PHYS_/, admId: /^ADM_/ });

      const del = await s.request
        .post(`/deposits/${id}/mets/delete`)
        .set(as('depositor'))
        .set('If-Match', added.headers.etag)
        .send({
          DeleteFromDepositFiles: true,
          deleteFromMets: true,
          items: [
            { path: 'objects/old/b.txt', isDir: false },
            { Path: 'objects/old', IsDir: true },
          ],
        });
      t.equal(del.status, 200, del.text);
      t.match(del.body.items, [
        { path: 'objects/old/b.txt', deletedFromDeposit: true, deletedFromMets: true },
      ]);
      t.notOk(await env.exists(files, 'objects/old/b.txt'));
      t.equal(del.headers.etag, `"${del.body.metsETag}"`);
    },
  );

  t.test('hostile bodies and paths are 400 and change nothing', async (t) => {
    const env = await makeEnv(t);
    const { s, as } = await serverFor(t, env);
    const { id, files } = await createDeposit(s, as('depositor'));
    await env.put(files, { 'objects/a.txt': 'a' });
    const etag = `"${(await s.request.get(`/deposits/${id}`).set(as('reader'))).body.metsETag}"`;
    const before = await env.read(files, 'mets.xml');
    const post = (body: unknown, path = 'mets') =>
      s.request
        .post(`/deposits/${id}/${path}`)
        .set(as('depositor'))
        .set('If-Match', etag)
        .send(body as object);
    for (const body of [
      ['objects/%2e%2e/%2e%2e/%2e%2e/etc/passwd'],
      ['objects/%2E%2E%2F%2E%2E%2Fescape'],
      ['../../../../etc/passwd'],
      ['/etc/passwd'],
      ['objects\\..\\..\\x'],
      [''],
      [42],
      [null],
      { paths: ['objects/a.txt'] },
      'objects/a.txt',
      [],
      Array.from({ length: 100_001 }, () => 'a'),
    ]) {
      const res = await post(body);
      t.equal(res.status, 400, `${JSON.stringify(body).slice(0, 60)} → 400`);
    }
    const huge = await s.request
      .post(`/deposits/${id}/mets`)
      .set(as('depositor'))
      .set('If-Match', etag)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify([`objects/${'x'.repeat(2 * 1024 * 1024)}`]));
    t.equal(huge.status, 400, 'a body over the limit is refused');
    for (const body of [
      { deleteFromDepositFiles: true, items: [{ path: '../x', isDir: false }] },
      { deleteFromDepositFiles: true, items: [{ path: 'objects/a.txt' }] },
      { deleteFromDepositFiles: true, items: [{ path: 'objects/a.txt', isDir: 'no' }] },
      { deleteFromDepositFiles: true, items: [] },
      { deleteFromDepositFiles: true, items: 'objects/a.txt' },
      { deleteFromDepositFiles: true, deleteFromMets: true, items: [{ path: 'objects', isDir: true }] },
      [{ path: 'objects/a.txt', isDir: false }],
    ]) {
      const res = await post(body, 'mets/delete');
      t.equal(res.status, 400, `${JSON.stringify(body).slice(0, 80)} → 400`);
    }
    t.same(await env.read(files, 'mets.xml'), before);
    t.ok(await env.exists(files, 'objects/a.txt'));
  });

  t.test(
    'locks: 204; another caller gets 409 for lock, PATCH, METS edits, import jobs and DELETE unless forcing; unlock is idempotent',
    async (t) => {
      const env = await makeEnv(t);
      const { s, as } = await serverFor(t, env);
      const { id, files } = await createDeposit(s, as('depositor'), {
        template: 'RootLevel',
        archivalGroup: `${s.base}/repository/lock-test`,
      });
      await env.put(files, { 'objects/a.txt': 'a' });
      const lock = await s.request.post(`/deposits/${id}/lock`).set(as('depositor'));
      t.equal(lock.status, 204);
      t.equal(lock.text, '');
      const locked = (await s.request.get(`/deposits/${id}`).set(as('reader'))).body;
      t.match(locked.lockedBy, /\/agents\/depositor$/);
      t.match(locked.lockDate, /^\d{4}-\d{2}-\d{2}T/);
      t.equal(
        (await s.request.post(`/deposits/${id}/lock`).set(as('depositor'))).status,
        204,
        'the holder may renew',
      );
      const etag = `"${locked.metsETag}"`;
      const byAdmin = {
        lock: await s.request.post(`/deposits/${id}/lock`).set(as('admin')),
        patch: await s.request.patch(`/deposits/${id}`).set(as('admin')).send({ submissionText: 'mine now' }),
        mets: await s.request
          .post(`/deposits/${id}/mets`)
          .set(as('admin'))
          .set('If-Match', etag)
          .send(['objects/a.txt']),
        metsDelete: await s.request
          .post(`/deposits/${id}/mets/delete`)
          .set(as('admin'))
          .set('If-Match', etag)
          .send({ deleteFromDepositFiles: true, items: [{ path: 'objects/a.txt', isDir: false }] }),
        importJob: await s.request
          .post(`/deposits/${id}/importjobs`)
          .set(as('admin'))
          .send({ id: `${s.base}/deposits/${id}/importjobs/diff` }),
        delete: await s.request.delete(`/deposits/${id}`).set(as('admin')),
      };
      for (const [what, res] of Object.entries(byAdmin)) {
        t.equal(res.status, 409, `${what} by another caller: 409`);
        t.equal(res.body.code, 'LOCKED', what);
      }
      t.ok(await env.exists(files, 'objects/a.txt'), 'nothing was deleted');
      t.equal(
        (await s.request.patch(`/deposits/${id}`).set(as('depositor')).send({ submissionText: 'fine' }))
          .status,
        200,
        'the holder may patch',
      );
      t.equal((await s.request.post(`/deposits/${id}/lock?force=true`).set(as('admin'))).status, 204);
      t.match((await s.request.get(`/deposits/${id}`).set(as('reader'))).body.lockedBy, /\/agents\/admin$/);
      t.equal(
        (await s.request.post(`/deposits/${id}/lock`).set(as('reader'))).status,
        403,
        'readers cannot lock',
      );
      t.equal((await s.request.delete(`/deposits/${id}/lock`).set(as('depositor'))).status, 204);
      t.equal(
        (await s.request.delete(`/deposits/${id}/lock`).set(as('depositor'))).status,
        204,
        'idempotent',
      );
      t.match((await s.request.get(`/deposits/${id}`).set(as('reader'))).body, {
        lockedBy: null,
        lockDate: null,
      });
      t.equal((await s.request.post('/deposits/nope/lock').set(as('depositor'))).status, 404);
    },
  );
}

t.test('the OpenAPI document lists the workspace endpoints with their statuses', async (t) => {
  const s = await testServer(t);
  const doc = (await s.request.get('/openapi.json')).body;
  t.ok(doc.paths['/deposits/{id}/filesystem'].get);
  t.same(Object.keys(doc.paths['/deposits/{id}/mets'].post.responses).sort(), [
    '200',
    '400',
    '409',
    '412',
    '428',
  ]);
  t.ok(doc.paths['/deposits/{id}/mets/delete'].post);
  t.ok(doc.paths['/deposits/{id}/lock'].post && doc.paths['/deposits/{id}/lock'].delete);
  for (const name of ['WorkingDirectory', 'WorkingFile', 'DeleteSelection', 'MetsPaths'])
    t.ok(doc.components.schemas[name], `${name} is described`);
});

t.test('filesystem', async (t) => {
  await suite(t, async (t) => fsWorkspaceEnv(t));
});

const config = requireS3(t);
if (config) {
  t.test('minio', async (t) => {
    await suite(t, (t) => s3WorkspaceEnv(t, config));
  });
}
