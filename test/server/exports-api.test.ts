/**
 * `POST /deposits/export` over HTTP on the filesystem and on MinIO: full exports of the head or
 * of an earlier version (named `vN` or by its memento timestamp), stub exports whose placeholders
 * stand for unchanged files in the next import and are never stored as content, and exports
 * that cannot be made: refused at once, never left `exporting`.
 */
import t from 'tap';
import {
  call,
  type DepositEnv,
  type Json,
  newDeposit,
  onBothBackends,
  pathOf,
  preserveDeposit,
  sha256,
  waitForExport,
} from './deposit-harness.js';

/** Preserve `files` (a plain folder, no METS) as the group at `path`; returns the result. */
async function preserveFiles(env: DepositEnv, path: string, files: Record<string, string>, name?: string) {
  const d = await newDeposit(env, {
    archivalGroup: env.repo(path),
    ...(name && { archivalGroupName: name }),
  });
  await env.upload(d.files, files);
  const { result } = await preserveDeposit(env, d);
  if (result.status !== 'completed') throw new Error(`preserve ${path}: ${JSON.stringify(result.errors)}`);
  return result;
}

async function exportOf(env: DepositEnv, body: object): Promise<Json> {
  const res = await call(env, 'post', '/deposits/export', body);
  if (res.status !== 201) throw new Error(`export: ${res.status} ${res.text}`);
  return res.body;
}

t.test('exports: full and stub, of the head or of a version', async (t) => {
  await onBothBackends(t, async (t, env) => {
    t.equal((await call(env, 'put', '/repository/lib', undefined, 'admin')).status, 201);
    await preserveFiles(env, 'lib/ex', { 'a.txt': 'one', 'docs/b.txt': 'bee' }, 'Exported');
    const v2 = await preserveFiles(env, 'lib/ex', { 'a.txt': 'two', 'docs/b.txt': 'bee', 'c.txt': 'sea' });
    const group = env.repo('lib/ex');

    await t.test(
      'a full export of the head, of v1 by name, of a version by its memento timestamp',
      async (t) => {
        const head = await exportOf(env, { type: 'Deposit', archivalGroup: group });
        t.equal(head.status, 'exporting');
        t.equal(head.archivalGroup, group);
        t.equal(head.archivalGroupExists, true);
        t.equal(head.exported, null, 'not exported yet');
        const done = await waitForExport(env, head.id);
        t.equal(done.status, 'new');
        t.equal(done.versionExported, 'v2');
        t.same(await env.list(done.files), ['a.txt', 'c.txt', 'docs/b.txt']);
        t.equal(String(await env.read(done.files, 'a.txt')), 'two');
        const old = await waitForExport(
          env,
          (await exportOf(env, { archivalGroup: group, versionExported: 'v1' })).id,
        );
        t.equal(old.status, 'new');
        t.equal(old.versionExported, 'v1');
        t.same(await env.list(old.files), ['a.txt', 'docs/b.txt']);
        t.equal(String(await env.read(old.files, 'a.txt')), 'one');
        // v1 and v2 may share a second; a memento timestamp then names the newer one, v2.
        const memento = await exportOf(env, {
          archivalGroup: group,
          version: v2.newVersion.mementoTimestamp,
        });
        t.equal(
          (await waitForExport(env, memento.id)).versionExported,
          'v2',
          'a memento timestamp names a version',
        );
      },
    );

    await t.test('a stub export: placeholders that the next import keeps, never stores', async (t) => {
      const stub = await waitForExport(
        env,
        (await exportOf(env, { archivalGroup: group, exportMode: 'stub' })).id,
      );
      t.equal(stub.status, 'new');
      t.same(await env.list(stub.files), ['a.txt', 'c.txt', 'docs/b.txt']);
      const placeholder = String(await env.read(stub.files, 'docs/b.txt'));
      t.match(placeholder, /^STRONGROOM-EXPORT-STUB\/1\n/);
      t.match(placeholder, sha256('bee'), 'the stub carries the digest');
      t.notMatch(placeholder, /\bbee\b/, 'and not the content');
      const unchanged = await call(env, 'get', `${pathOf(env, stub.id)}/importjobs/diff`);
      t.equal(unchanged.status, 200, unchanged.text);
      t.same(
        [unchanged.body.binariesToAdd, unchanged.body.binariesToPatch, unchanged.body.binariesToDelete],
        [[], [], []],
        'stubs stand for the files they replace',
      );
      await env.upload(stub.files, { 'c.txt': 'sea, revised' });
      const diff = await call(env, 'get', `${pathOf(env, stub.id)}/importjobs/diff`);
      t.same(
        diff.body.binariesToPatch.map((b: Json) => b.id),
        [`${group}/c.txt`],
      );
      const { result } = await preserveDeposit(env, stub);
      t.equal(result.status, 'completed', JSON.stringify(result.errors));
      t.equal(result.newVersion.ocflVersion, 'v3');
      const b = await env.s.request
        .get('/content/lib/ex/docs/b.txt')
        .set('Authorization', await env.auth('reader'));
      t.equal(b.text, 'bee', 'the unchanged file keeps its content, not the stub');
      const mode = await exportOf(env, { archivalGroup: group, mode: 'stub' });
      t.equal((await waitForExport(env, mode.id)).status, 'new', '`mode` is accepted for exportMode');
    });

    await t.test(
      'an export that cannot be made is refused at once and nothing stays exporting',
      async (t) => {
        const missing = await call(env, 'post', '/deposits/export', { archivalGroup: env.repo('lib/none') });
        t.equal(missing.status, 404);
        t.type(missing.body.message, 'string');
        const container = await call(env, 'post', '/deposits/export', { archivalGroup: env.repo('lib') });
        t.equal(container.status, 404, 'a Container is not an Archival Group');
        const noVersion = await call(env, 'post', '/deposits/export', {
          archivalGroup: group,
          versionExported: 'v9',
        });
        t.equal(noVersion.status, 404, 'a version the group does not have');
        const badVersion = await call(env, 'post', '/deposits/export', {
          archivalGroup: group,
          version: 'latest',
        });
        t.equal(badVersion.status, 400);
        const noGroup = await call(env, 'post', '/deposits/export', {});
        t.equal(noGroup.status, 400);
        t.match(noGroup.body.message, /^archivalGroup/);
        const badMode = await call(env, 'post', '/deposits/export', {
          archivalGroup: group,
          exportMode: 'zip',
        });
        t.equal(badMode.status, 400);
        t.match(badMode.body.message, /^exportMode/);
        const outside = await call(env, 'post', '/deposits/export', {
          archivalGroup: 'https://elsewhere.example/x',
        });
        t.equal(outside.status, 400, 'a group outside this repository');
        const exporting = await call(
          env,
          'get',
          '/deposits?status=exporting&showAll=true',
          undefined,
          'reader',
        );
        t.same(exporting.body.deposits, [], 'no deposit left exporting');
      },
    );
  });
});
