/**
 * Every error status of the deposit, import-job and export endpoints, on the filesystem and on
 * MinIO, each a JSON body with a `message`: 400 naming the field, 401, 403, 404, 409 (a
 * concurrent job, a stale sourceVersion, an exporting deposit), 410 (tombstones), 412, 422 (jobs
 * that cannot be applied, deposits whose METS misses files, names that share an id) — and never a
 * 500 for anything a client sends. The runner starts only part-way, so jobs wait until then.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import {
  type Answer,
  call,
  type DepositEnv,
  type Json,
  metsFor,
  newDeposit,
  newRunner,
  onBothBackends,
  pathOf,
  preserveDeposit,
  sha256,
  waitForExport,
  waitForResult,
} from './deposit-harness.js';

function isError(t: Test, res: Answer, status: number, what: string): void {
  t.equal(res.status, status, `${what}: ${status}`);
  t.type(res.body.message, 'string', `${what}: a message`);
  t.match(res.headers['content-type'] ?? '', /json/, `${what}: JSON`);
}

async function raw(env: DepositEnv, method: 'post' | 'patch', path: string, body: string, type = 'json') {
  const res = await env.s.request[method](path)
    .set('Authorization', await env.auth('admin'))
    .type(type)
    .send(body);
  return {
    status: res.status,
    body: res.body ?? {},
    headers: res.headers as Record<string, string>,
    text: res.text,
  };
}

t.test('every error status of deposits, import jobs and exports', async (t) => {
  await onBothBackends(
    t,
    async (t, env) => {
      const admin = (m: 'put' | 'delete', p: string) => call(env, m, p, undefined, 'admin');
      t.equal((await admin('put', '/repository/lib')).status, 201);
      const d = await newDeposit(env, { archivalGroup: env.repo('lib/g') });
      const dp = pathOf(env, d.id);
      await env.upload(d.files, { 'a.txt': 'a' });

      await t.test('400: malformed input, naming the field', async (t) => {
        const cases: Array<[string, Promise<Answer>, RegExp]> = [
          ['template', call(env, 'post', '/deposits', { template: 'Zip' }), /^template/],
          ['archivalGroup type', call(env, 'post', '/deposits', { archivalGroup: 42 }), /^archivalGroup/],
          ['archivalGroupName', call(env, 'patch', dp, { archivalGroupName: ['x'] }), /^archivalGroupName/],
          ['type', call(env, 'post', '/deposits', { type: 'Binary' }), /^type/],
          [
            'a group outside the repository',
            call(env, 'post', '/deposits', { archivalGroup: 'https://elsewhere.example/repository/x' }),
            /./,
          ],
          ['the repository root', call(env, 'post', '/deposits', { archivalGroup: env.repo('') }), /root/],
          [
            'characters outside the permitted set',
            call(env, 'post', '/deposits', { archivalGroup: `${env.repo('lib')}/a b#c` }),
            /./,
          ],
          [
            'binariesToAdd',
            call(env, 'post', `${dp}/importjobs`, { binariesToAdd: 'all' }),
            /^binariesToAdd/,
          ],
          [
            'a digest',
            call(env, 'post', `${dp}/importjobs`, {
              binariesToAdd: [{ id: env.repo('lib/g/a.txt'), digest: 'xyz' }],
            }),
            /^binariesToAdd\.0\.digest/,
          ],
          [
            'sourceVersion',
            call(env, 'post', `${dp}/importjobs`, { sourceVersion: 'latest' }),
            /^sourceVersion/,
          ],
          ['isUpdate', call(env, 'post', `${dp}/importjobs`, { IsUpdate: 'yes' }), /^isUpdate/],
          [
            "another deposit's diff",
            call(env, 'post', `${dp}/importjobs`, { id: `${env.s.base}/deposits/other/importjobs/diff` }),
            /^id/,
          ],
        ];
        for (const [what, pending, field] of cases) {
          const res = await pending;
          isError(t, res, 400, what);
          t.match(res.body.message, field, `${what}: names the field`);
        }
        isError(t, await raw(env, 'post', '/deposits', '{"archivalGroup": '), 400, 'broken JSON');
        isError(t, await raw(env, 'post', '/deposits', '[1,2]'), 400, 'an array body');
        isError(t, await raw(env, 'post', `${dp}/importjobs`, '"diff"'), 400, 'a string body');
        const noGroup = await newDeposit(env, {});
        isError(
          t,
          await call(env, 'get', `${pathOf(env, noGroup.id)}/importjobs/diff`),
          400,
          'diff without a group',
        );
        isError(
          t,
          await call(env, 'post', `${pathOf(env, noGroup.id)}/importjobs`, {
            id: `${noGroup.id}/importjobs/diff`,
          }),
          400,
          'a job without a group',
        );
      });

      await t.test('401 without a valid token, 403 for a role that may not', async (t) => {
        const anon = await env.s.request.get('/deposits');
        t.equal(anon.status, 401);
        t.equal(anon.headers['www-authenticate'], 'Bearer');
        t.type(anon.body.message, 'string');
        const forged = await env.s.request.get(dp).set('Authorization', 'Bearer eyJhbGciOiJub25lIn0.e30.');
        t.equal(forged.status, 401);
        for (const [what, res] of [
          ['create', await call(env, 'post', '/deposits', {}, 'reader')],
          ['patch', await call(env, 'patch', dp, { submissionText: 'x' }, 'reader')],
          ['delete', await call(env, 'delete', dp, undefined, 'reader')],
          [
            'run a job',
            await call(env, 'post', `${dp}/importjobs`, { id: `${d.id}/importjobs/diff` }, 'reader'),
          ],
          [
            'export',
            await call(env, 'post', '/deposits/export', { archivalGroup: env.repo('lib/g') }, 'reader'),
          ],
        ] as const)
          isError(t, res, 403, `a reader may not ${what}`);
        t.equal((await call(env, 'get', dp, undefined, 'reader')).status, 200, 'but may read');
      });

      await t.test('404 for deposits, jobs and results that do not exist', async (t) => {
        for (const path of [
          '/deposits/nope',
          '/deposits/%2E%2E%2F%2E%2E%2Fetc',
          `/deposits/${'x'.repeat(5000)}`,
          '/deposits/nope/mets',
          '/deposits/nope/importjobs/diff',
          '/deposits/nope/importjobs/results',
          `${dp}/importjobs/results/nope`,
          `${dp}/importjobs/nope`,
          '/deposits/%00',
        ])
          isError(t, await call(env, 'get', path, undefined, 'reader'), 404, path.slice(0, 60));
        isError(t, await call(env, 'patch', '/deposits/nope', { submissionText: 'x' }), 404, 'PATCH');
        isError(
          t,
          await call(env, 'post', '/deposits/nope/importjobs', {
            id: `${env.s.base}/deposits/nope/importjobs/diff`,
          }),
          404,
          'a job for no deposit',
        );
      });

      let waiting: Json;
      await t.test(
        '409: a second job while one waits, a stale sourceVersion, a wrong isUpdate',
        async (t) => {
          const first = await call(env, 'post', `${dp}/importjobs`, { id: `${d.id}/importjobs/diff` });
          t.equal(first.status, 201);
          waiting = first.body;
          isError(
            t,
            await call(env, 'post', `${dp}/importjobs`, { id: `${d.id}/importjobs/diff` }),
            409,
            'concurrent',
          );
          const other = await newDeposit(env, { archivalGroup: env.repo('lib/g') });
          const op = pathOf(env, other.id);
          const newGroup = await call(env, 'post', `${op}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            isUpdate: true,
            binariesToAdd: [],
          });
          isError(t, newGroup, 409, 'isUpdate true for a group that does not exist yet');
          const stale = await call(env, 'post', `${op}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            sourceVersion: 'v3',
          });
          isError(t, stale, 409, 'a sourceVersion for a group that does not exist yet');
          const elsewhere = await call(env, 'post', `${op}/importjobs`, { archivalGroup: env.repo('lib/h') });
          isError(t, elsewhere, 409, 'a job for another group than the deposit');
          // Let the runner take the waiting job, then make v2 and try a job built on v1.
          await env.s.deps.runner.reconcile();
          env.s.deps.runner.start();
          const { result } = await waitForResult(env, waiting.id);
          t.equal(result.status, 'completed', JSON.stringify(result.errors));
          const upd = await newDeposit(env, { archivalGroup: env.repo('lib/g') });
          await env.upload(upd.files, { 'b.txt': 'b' });
          const job = (await call(env, 'get', `${pathOf(env, upd.id)}/importjobs/diff`)).body;
          t.equal(job.sourceVersion.ocflVersion, 'v1');
          const v2 = await call(env, 'post', `${pathOf(env, upd.id)}/importjobs`, job);
          t.equal(v2.status, 201, 'the diff job as it was returned runs');
          t.equal((await waitForResult(env, v2.body.id)).result.newVersion.ocflVersion, 'v2');
          const late = await newDeposit(env, { archivalGroup: env.repo('lib/g') });
          await env.upload(late.files, { 'c.txt': 'c' });
          const staleJob = {
            archivalGroup: env.repo('lib/g'),
            sourceVersion: job.sourceVersion,
            binariesToAdd: [{ id: env.repo('lib/g/c.txt'), origin: `${late.files}c.txt` }],
          };
          isError(
            t,
            await call(env, 'post', `${pathOf(env, late.id)}/importjobs`, staleJob),
            409,
            'stale sourceVersion',
          );
          const asString = { ...staleJob, sourceVersion: 'v1' };
          isError(
            t,
            await call(env, 'post', `${pathOf(env, late.id)}/importjobs`, asString),
            409,
            'stale "v1"',
          );
          const noIntent = { archivalGroup: env.repo('lib/g'), binariesToAdd: staleJob.binariesToAdd };
          isError(
            t,
            await call(env, 'post', `${pathOf(env, late.id)}/importjobs`, noIntent),
            409,
            'an existing group without sourceVersion or isUpdate',
          );
          isError(
            t,
            await call(env, 'post', `${pathOf(env, late.id)}/importjobs`, { ...noIntent, isUpdate: false }),
            409,
            'isUpdate false',
          );
          const current = await call(env, 'post', `${pathOf(env, late.id)}/importjobs`, {
            ...staleJob,
            sourceVersion: 'v2',
          });
          t.equal(current.status, 201, 'the head as sourceVersion is accepted');
          t.equal((await waitForResult(env, current.body.id)).result.newVersion.ocflVersion, 'v3');
          const group = await call(env, 'post', '/deposits', { archivalGroup: env.repo('lib') });
          isError(t, group, 409, 'a Container is not a place for a group');
        },
      );

      await t.test('410 for tombstones until purged', async (t) => {
        t.equal((await admin('put', '/repository/lib/old')).status, 201);
        t.equal((await admin('delete', '/repository/lib/old')).status, 204);
        isError(t, await call(env, 'get', '/repository/lib/old', undefined, 'reader'), 410, 'GET');
        isError(
          t,
          await call(env, 'post', '/deposits', { archivalGroup: env.repo('lib/old') }),
          410,
          'a deposit',
        );
        const fresh = await newDeposit(env, {});
        isError(
          t,
          await call(env, 'patch', pathOf(env, fresh.id), { archivalGroup: env.repo('lib/old') }),
          410,
          'PATCH',
        );
        isError(
          t,
          await call(env, 'post', '/deposits/export', { archivalGroup: env.repo('lib/old') }),
          410,
          'export',
        );
        t.equal((await admin('delete', '/repository/lib/old?purge=true')).status, 204);
        t.equal(
          (await call(env, 'post', '/deposits', { archivalGroup: env.repo('lib/old') })).status,
          201,
          'free',
        );
      });

      await t.test('412 when If-Match names another version of the content', async (t) => {
        const url = '/content/lib/g/b.txt';
        const get = (h: Record<string, string>) =>
          env.auth('reader').then((a) => env.s.request.get(url).set('Authorization', a).set(h));
        const miss = await get({ 'If-Match': `"${sha256('other')}"` });
        t.equal(miss.status, 412);
        t.type(miss.body.message, 'string');
        t.equal((await get({ 'If-Match': `"${sha256('b')}"` })).status, 200);
        t.equal((await get({ 'If-Match': '*' })).status, 200);
      });

      await t.test(
        '422: jobs that cannot be applied and deposits that cannot be diffed, named',
        async (t) => {
          const x = await newDeposit(env, { archivalGroup: env.repo('lib/g') });
          const xp = pathOf(env, x.id);
          await env.upload(x.files, { 'new.txt': 'n' });
          const outside = await call(env, 'post', `${xp}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            isUpdate: true,
            binariesToAdd: [
              { id: env.repo('lib/other/x.txt'), origin: `${x.files}new.txt` },
              { id: env.repo('lib/g/new.txt'), origin: `${x.files}new.txt` },
              { id: env.repo('lib/g/new.txt'), origin: `${x.files}new.txt` },
            ],
          });
          isError(t, outside, 422, 'ids outside the group, an id twice');
          t.same(
            outside.body.problems.map((p: Json) => p.path),
            [env.repo('lib/other/x.txt'), env.repo('lib/g/new.txt')],
            'each offending item is named',
          );
          // Applied only when the job runs: completes with errors, naming each item; nothing changes.
          const missing = await call(env, 'post', `${xp}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            isUpdate: true,
            binariesToAdd: [{ id: env.repo('lib/g/b.txt'), origin: `${x.files}new.txt` }],
            binariesToPatch: [{ id: env.repo('lib/g/nothing.txt'), origin: `${x.files}new.txt` }],
            binariesToDelete: [{ id: env.repo('lib/g/gone.txt') }],
          });
          t.equal(missing.status, 201);
          const failed = (await waitForResult(env, missing.body.id)).result;
          t.equal(failed.status, 'completedWithErrors');
          t.equal(failed.newVersion, null);
          t.ok(failed.dateFinished);
          const messages = failed.errors.map((e: Json) => e.message).join('\n');
          for (const name of ['b.txt', 'nothing.txt', 'gone.txt']) t.match(messages, name, `names ${name}`);
          const after = (await call(env, 'get', xp)).body;
          t.equal(after.status, 'new', 'a failed job leaves the deposit as it was');
          t.equal(after.active, true);
          t.equal(after.versionPreserved, null);
          const elsewhere = await newDeposit(env, { archivalGroup: env.repo('lib/g') });
          await env.upload(elsewhere.files, { 'keep.txt': 'k' });
          const foreign = await call(env, 'post', `${xp}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            isUpdate: true,
            binariesToAdd: [
              { id: env.repo('lib/g/p1'), origin: 'file:///etc/passwd' },
              {
                id: env.repo('lib/g/p2'),
                origin: `${x.files}../${elsewhere.files.split('/').at(-2)}/keep.txt`,
              },
              { id: env.repo('lib/g/p3'), origin: `${elsewhere.files}keep.txt` },
              { id: env.repo('lib/g/p4'), origin: `${x.files}new.txt` },
            ],
          });
          isError(t, foreign, 422, 'origins outside the deposit');
          t.same(
            foreign.body.problems.map((p: Json) => p.path),
            [env.repo('lib/g/p1'), env.repo('lib/g/p2'), env.repo('lib/g/p3')],
            'each origin outside the working area is named, the one inside is not',
          );
          const wrongDigest = await call(env, 'post', `${xp}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            isUpdate: true,
            binariesToAdd: [
              { id: env.repo('lib/g/new.txt'), origin: `${x.files}new.txt`, digest: sha256('N') },
            ],
          });
          t.equal(wrongDigest.status, 201, 'a later job for the same deposit after a failed one');
          const fixity = (await waitForResult(env, wrongDigest.body.id)).result;
          t.equal(fixity.status, 'completedWithErrors');
          t.match(fixity.errors[0].message, /FIXITY|digest|SHA-256/i);

          const unlisted = await newDeposit(env, { archivalGroup: env.repo('lib/m'), template: 'RootLevel' });
          const listed = { 'objects/in.txt': 'in' };
          await env.upload(unlisted.files, {
            ...listed,
            'objects/not in mets.txt': 'out',
            'objects/deep/also.txt': 'out',
            'mets.xml': metsFor(listed),
          });
          const diff = await call(env, 'get', `${pathOf(env, unlisted.id)}/importjobs/diff`);
          isError(t, diff, 422, 'a METS that misses files');
          t.same(
            diff.body.problems.map((p: Json) => p.path).sort(),
            ['objects/deep/also.txt', 'objects/not in mets.txt'],
            'naming each file it misses',
          );
          const run = await call(env, 'post', `${pathOf(env, unlisted.id)}/importjobs`, {
            id: `${unlisted.id}/importjobs/diff`,
          });
          t.equal(run.status, 201, 'a diff request is built when it runs');
          const r = (await waitForResult(env, run.body.id)).result;
          t.equal(r.status, 'completedWithErrors');
          t.match(r.errors.map((e: Json) => e.message).join('\n'), 'not in mets.txt');
          t.equal((await call(env, 'get', '/repository/lib/m', undefined, 'reader')).status, 404, 'no group');

          // Two names for one id: a new file `objects/x` where the group (and the METS) has a folder.
          const tree = await newDeposit(env, { archivalGroup: env.repo('lib/tree') });
          const y = { 'objects/x/y.txt': 'y' };
          await env.upload(tree.files, { ...y, 'mets.xml': metsFor(y) });
          t.equal((await preserveDeposit(env, tree)).result.status, 'completed');
          const clash = await newDeposit(env, { archivalGroup: env.repo('lib/tree') });
          const both = metsFor({ ...y, 'objects/zz': 'file' }).replaceAll('objects/zz', 'objects/x');
          await env.upload(clash.files, { 'objects/x': 'file', 'mets.xml': both });
          const res = await call(env, 'get', `${pathOf(env, clash.id)}/importjobs/diff`);
          isError(t, res, 422, 'a file and a folder of one name');
          t.match(res.body.problems, [{ path: 'objects/x', message: /same id/ }]);
          if (env.backend === 'fs') {
            // A name that is not UTF-8 has no id at all: named as far as it can be, never read.
            const odd = await newDeposit(env, { archivalGroup: env.repo('lib/odd') });
            const name = Buffer.concat([
              Buffer.from(`${fileURLToPath(odd.files)}bad-`),
              Buffer.from([0xff, 0xfe]),
            ]);
            writeFileSync(name, 'x');
            const oddDiff = await call(env, 'get', `${pathOf(env, odd.id)}/importjobs/diff`);
            isError(t, oddDiff, 422, 'a file name that is not UTF-8');
            t.match(JSON.stringify(oddDiff.body.problems), /bad-/);
          }
        },
      );

      await t.test(
        '409 for an import job on a deposit still exporting; a restarted runner finishes the export',
        async (t) => {
          await env.s.deps.runner.stop();
          const ex = await call(env, 'post', '/deposits/export', { archivalGroup: env.repo('lib/g') });
          t.equal(ex.status, 201);
          t.equal(ex.body.status, 'exporting');
          const early = await call(env, 'post', `${pathOf(env, ex.body.id)}/importjobs`, {
            id: `${ex.body.id}/importjobs/diff`,
          });
          isError(t, early, 409, 'a job for an exporting deposit');
          t.equal((await call(env, 'get', pathOf(env, ex.body.id))).body.status, 'exporting');
          // A new runner (as after a restart) finishes the export: never stuck.
          const runner = newRunner(env);
          await runner.reconcile();
          runner.start();
          t.teardown(() => runner.stop());
          t.equal((await waitForExport(env, ex.body.id)).status, 'new');
        },
      );

      await t.test('nothing a client sends is a 500', async (t) => {
        // An active deposit, so job bodies get past the deposit's own checks to their content.
        const h = await newDeposit(env, { archivalGroup: env.repo('lib/g') });
        const hp = pathOf(env, h.id);
        const hostile: Array<Promise<Answer>> = [
          call(env, 'post', '/deposits', { archivalGroup: `${env.repo('lib')}/%2E%2E/%2E%2E/etc` }),
          call(env, 'post', '/deposits', { archivalGroup: `${env.repo('lib')}/a%00b` }),
          call(env, 'post', '/deposits', { archivalGroup: `${env.repo('lib')}/%FF%FE` }),
          call(env, 'post', '/deposits', { archivalGroup: `${env.repo('lib')}//x` }),
          call(env, 'post', '/deposits', { archivalGroupName: 'x'.repeat(200_000) }),
          raw(env, 'post', '/deposits', '{"__proto__": {"admin": true}, "constructor": "x", "template": {}}'),
          call(env, 'post', `${hp}/importjobs`, { binariesToAdd: [null] }),
          call(env, 'post', `${hp}/importjobs`, { binariesToAdd: [{ id: 5 }] }),
          call(env, 'post', `${hp}/importjobs`, { sourceVersion: { ocflVersion: 7 } }),
          call(env, 'post', `${hp}/importjobs`, { id: null }),
          call(env, 'post', `${hp}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            isUpdate: true,
            binariesToAdd: [{ id: env.repo('lib/g/z.txt'), origin: 'file:///etc/passwd' }],
          }),
          call(env, 'post', `${hp}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            isUpdate: true,
            binariesToAdd: [{ id: env.repo('lib/g/z.txt'), origin: '../../etc/passwd' }],
          }),
          call(env, 'post', `${hp}/importjobs`, {
            archivalGroup: env.repo('lib/g'),
            isUpdate: true,
            binariesToAdd: [{ id: env.repo('lib/g/%2E%2E/z') }],
          }),
          call(env, 'post', '/deposits/export', {
            archivalGroup: env.repo('lib/g'),
            version: 'v99999999999999999999',
          }),
          call(env, 'get', '/deposits?page=99999999999', undefined, 'reader'),
          call(env, 'get', '/deposits?createdAfter=2024-13-45', undefined, 'reader'),
          call(env, 'get', '/deposits?archivalGroupPath=%00', undefined, 'reader'),
          call(env, 'get', '/deposits/%E0%A4%A/mets', undefined, 'reader'),
          call(env, 'patch', dp, { archivalGroup: {} }),
          call(env, 'delete', '/deposits/%2F', undefined, 'admin'),
        ];
        for (const [i, pending] of hostile.entries()) {
          const res = await pending;
          t.ok(res.status >= 400 && res.status < 500, `#${i}: ${res.status} ${res.text.slice(0, 200)}`);
          t.type(res.body.message, 'string', `#${i}: a message`);
        }
      });
    },
    { runner: false },
  );
});
