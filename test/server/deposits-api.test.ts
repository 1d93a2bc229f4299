/**
 * `/deposits` over HTTP on the filesystem and on MinIO: creating deposits from `{}` to a full
 * body with each template, reading, patching and deleting them (with the working area), listing
 * them with every query parameter of the spec, and their METS file with its ETag.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import {
  call,
  type DepositEnv,
  type Json,
  metsFor,
  newDeposit,
  onBothBackends,
  pathOf,
  preserveDeposit,
  waitForExport,
} from './deposit-harness.js';

const agent = (env: DepositEnv, who: string) => `${env.s.base}/agents/${who}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function list(env: DepositEnv, query: string, who: 'reader' | 'admin' = 'reader') {
  const res = await call(env, 'get', `/deposits${query}`, undefined, who);
  if (res.status !== 200) throw new Error(`GET /deposits${query}: ${res.status} ${res.text}`);
  return res.body;
}

const idsOf = (page: Json) => page.deposits.map((d: Json) => d.id);

t.test('deposits: create, read, patch, delete, list and their METS', async (t) => {
  await onBothBackends(t, async (t, env) => {
    t.equal((await call(env, 'put', '/repository/lib', undefined, 'admin')).status, 201);

    await t.test('POST {} makes an empty deposit with a working area URI ending in /', async (t) => {
      const res = await call(env, 'post', '/deposits', {});
      t.equal(res.status, 201);
      const d = res.body;
      t.equal(res.headers.location, d.id);
      t.match(d.id, new RegExp(`^${env.s.base}/deposits/[0-9a-z]+$`));
      t.equal(d.type, 'Deposit');
      t.equal(d.status, 'new');
      t.equal(d.active, true);
      for (const f of [
        'archivalGroup',
        'archivalGroupName',
        'submissionText',
        'preserved',
        'preservedBy',
        'versionPreserved',
        'exported',
        'exportedBy',
        'versionExported',
        'lockedBy',
        'lockDate',
        'metsETag',
      ])
        t.equal(d[f], null, `${f} is null`);
      t.equal(d.archivalGroupExists, false);
      t.same(d.pipelineJobs, []);
      t.equal(d.createdBy, agent(env, 'depositor'));
      t.equal(d.lastModifiedBy, agent(env, 'depositor'));
      t.equal(d.created, d.lastModified);
      t.match(d.files, env.backend === 'fs' ? /^file:\/\/\/.+\/$/ : /^s3:\/\/[^/]+\/deposits\/[0-9a-z]+\/$/);
      t.ok(
        d.files.endsWith(`${d.id.slice(d.id.lastIndexOf('/') + 1)}/`),
        'the area is named after the deposit',
      );
      t.same(await env.list(d.files), [], 'an empty working area');
      t.notOk('template' in d, 'template is write-only');
      const bare = await env.s.request.post('/deposits').set('Authorization', await env.auth());
      t.equal(bare.status, 201, 'no body at all is {}');
    });

    await t.test('a full body with each template lays out the working area', async (t) => {
      const full = await newDeposit(env, {
        type: 'Deposit',
        template: 'RootLevel',
        archivalGroup: env.repo('lib/new-one'),
        archivalGroupName: 'A new one',
        submissionText: 'A note for later',
      });
      t.equal(full.archivalGroup, env.repo('lib/new-one'));
      t.equal(full.archivalGroupName, 'A new one');
      t.equal(full.submissionText, 'A note for later');
      t.equal(full.archivalGroupExists, false);
      t.same(await env.list(full.files), ['mets.xml']);
      t.type(full.metsETag, 'string', 'the platform wrote the METS');
      const bag = await newDeposit(env, { Template: 'BagIt', ArchivalGroupName: 'Cased keys' });
      t.equal(bag.archivalGroupName, 'Cased keys', 'property names match in any letter case');
      t.same(await env.list(bag.files), ['data/mets.xml']);
      const none = await newDeposit(env, { template: 'None', archivalGroup: env.repo('lib/none') });
      t.same(await env.list(none.files), []);
      t.equal(none.metsETag, null);
      const mets = await call(env, 'get', `${pathOf(env, full.id)}/mets`, undefined, 'reader');
      t.equal(mets.status, 200);
      t.match(mets.headers['content-type'], /^application\/xml/);
      t.equal(mets.headers.etag, `"${full.metsETag}"`, 'the ETag is the one the deposit shows');
      t.match(mets.text, /A new one/, 'the METS carries the group name');
      const bagMets = await call(env, 'get', `${pathOf(env, bag.id)}/mets`, undefined, 'reader');
      t.equal(bagMets.status, 200, 'found under data/');
      t.equal((await call(env, 'get', `${pathOf(env, none.id)}/mets`, undefined, 'reader')).status, 404);
      await env.upload(none.files, { 'my-METS-file.xml': metsFor({}), 'other.xml': '<x/>' });
      const found = await call(env, 'get', `${pathOf(env, none.id)}/mets`, undefined, 'reader');
      t.equal(found.status, 200, '*mets*.xml when there is no mets.xml');
      t.ok(found.headers.etag);
      await env.upload(full.files, { 'mets.xml': metsFor({}, { title: 'Rewritten' }) });
      const changed = await call(env, 'get', `${pathOf(env, full.id)}/mets`, undefined, 'reader');
      t.not(changed.headers.etag, mets.headers.etag, 'the ETag follows the file');
      t.match(changed.text, /Rewritten/);
    });

    await t.test(
      'PATCH changes only the group, its name and the note; DELETE removes the area',
      async (t) => {
        const d = await newDeposit(env, { template: 'RootLevel' });
        await sleep(5);
        const patched = await call(
          env,
          'patch',
          pathOf(env, d.id),
          {
            archivalGroup: env.repo('lib/patched'),
            archivalGroupName: 'Patched',
            submissionText: 'changed my mind',
            status: 'preserved',
            files: 'file:///etc/',
          },
          'admin',
        );
        t.equal(patched.status, 200);
        t.equal(patched.body.archivalGroup, env.repo('lib/patched'));
        t.equal(patched.body.archivalGroupName, 'Patched');
        t.equal(patched.body.submissionText, 'changed my mind');
        t.equal(patched.body.status, 'new', 'status is not patched');
        t.equal(patched.body.files, d.files, 'files is not patched');
        t.equal(patched.body.lastModifiedBy, agent(env, 'admin'));
        t.equal(patched.body.createdBy, agent(env, 'depositor'));
        t.ok(Date.parse(patched.body.lastModified) > Date.parse(d.lastModified));
        const cleared = await call(env, 'patch', pathOf(env, d.id), { submissionText: null });
        t.equal(cleared.body.submissionText, null);
        t.equal(cleared.body.archivalGroupName, 'Patched', 'fields not sent are kept');
        t.same((await call(env, 'get', pathOf(env, d.id))).body, cleared.body, 'GET shows the same');
        await env.upload(d.files, { 'objects/a.txt': 'a', 'objects/deep/b.txt': 'b' });
        const other = await newDeposit(env, {});
        await env.upload(other.files, { 'keep.txt': 'k' });
        const del = await call(env, 'delete', pathOf(env, d.id));
        t.equal(del.status, 204);
        t.equal((await call(env, 'get', pathOf(env, d.id))).status, 404);
        t.same(await env.list(d.files), [], 'the working area is gone with the deposit');
        if (env.backend === 'fs') t.notOk(existsSync(fileURLToPath(d.files)), 'its folder too');
        t.same(await env.list(other.files), ['keep.txt'], 'other working areas are untouched');
        t.equal((await call(env, 'delete', pathOf(env, d.id))).status, 404);
      },
    );

    await t.test('GET /deposits: paging, ordering, every filter and showAll', async (t) => {
      // A fresh server state is not needed: every query below is narrowed to this test's deposits.
      const start = new Date(Date.now() - 1).toISOString();
      const made: Json[] = [];
      for (const [who, group] of [
        ['depositor', 'lib/q-b'],
        ['admin', 'lib/q-a'],
        ['depositor', null],
        ['admin', 'lib/q-c'],
      ] as const) {
        const res = await call(
          env,
          'post',
          '/deposits',
          group ? { archivalGroup: env.repo(group) } : {},
          who,
        );
        made.push(res.body);
        await sleep(3);
      }
      const mid = made[1].created;
      const ours = `createdAfter=${start}`;
      const all = await list(env, `?${ours}`);
      t.same(idsOf(all), made.map((d) => d.id).reverse(), 'newest first by default');
      t.equal(all.total, 4);
      t.equal(all.page, 1);
      t.equal(all.pageSize, 100);
      const p1 = await list(env, `?${ours}&pageSize=3&page=1&ascending=true`);
      const p2 = await list(env, `?${ours}&pageSize=3&page=2&ascending=true`);
      t.same(
        [...idsOf(p1), ...idsOf(p2)],
        made.map((d) => d.id),
        'pages follow each other',
      );
      t.equal(p2.total, 4);
      t.same(idsOf(await list(env, `?${ours}&pageSize=3&page=3`)), []);
      t.same(
        idsOf(await list(env, `?${ours}&orderBy=archivalGroupPath&ascending=true`)),
        [made[1].id, made[0].id, made[3].id, made[2].id],
        'by group path, no group last',
      );
      t.same(
        idsOf(await list(env, `?${ours}&orderBy=archivalGroupPath&ascending=false`)),
        [made[3].id, made[0].id, made[1].id, made[2].id],
        'descending, no group still last',
      );
      t.same(idsOf(await list(env, `?${ours}&createdBy=admin`)), [made[3].id, made[1].id], 'an agent slug');
      t.same(
        idsOf(await list(env, `?${ours}&createdBy=${encodeURIComponent(agent(env, 'admin'))}`)),
        [made[3].id, made[1].id],
        'or its URI',
      );
      t.same(idsOf(await list(env, `?createdAfter=${mid}&createdBefore=${made[3].created}`)), [made[2].id]);
      t.same(idsOf(await list(env, `?${ours}&archivalGroupPath=lib/q-a`)), [made[1].id]);
      const cafe = await newDeposit(env, { archivalGroup: env.repo('lib/caf%C3%A9%20au%20lait') });
      for (const q of [cafe.archivalGroup, 'lib/caf%C3%A9%20au%20lait', 'lib/café au lait'])
        t.same(idsOf(await list(env, `?archivalGroupPath=${encodeURIComponent(q)}`)), [cafe.id], `by ${q}`);
      t.equal((await call(env, 'delete', pathOf(env, cafe.id))).status, 204);
      t.same(
        idsOf(await list(env, `?archivalGroupPath=${encodeURIComponent(env.repo('lib/q-c'))}`)),
        [made[3].id],
        'a group URI',
      );
      await sleep(3);
      const beforePatch = new Date().toISOString();
      await sleep(3);
      await call(env, 'patch', pathOf(env, made[0].id), { submissionText: 'touched' }, 'admin');
      t.same(idsOf(await list(env, `?${ours}&lastModifiedBy=admin&lastModifiedAfter=${beforePatch}`)), [
        made[0].id,
      ]);
      t.same(idsOf(await list(env, `?${ours}&lastModifiedBefore=${beforePatch}&orderBy=lastModified`)), [
        made[3].id,
        made[2].id,
        made[1].id,
      ]);
      t.same(idsOf(await list(env, `?${ours}&orderBy=lastModified`))[0], made[0].id);
      t.same(idsOf(await list(env, `?${ours}&status=new&pageSize=1`)), [made[3].id]);
      t.same(idsOf(await list(env, `?${ours}&status=preserved`)), []);

      // Preserve one and export it: the preserved deposit is inactive, the export is by admin.
      const group = made[1];
      await env.upload(group.files, { 'a.txt': 'a' });
      await sleep(3);
      const beforePreserve = new Date().toISOString();
      const { result } = await preserveDeposit(env, group);
      t.equal(result.status, 'completed', JSON.stringify(result.errors));
      const ex = await call(env, 'post', '/deposits/export', { archivalGroup: env.repo('lib/q-a') }, 'admin');
      const exported = await waitForExport(env, ex.body.id);
      t.same(idsOf(await list(env, `?${ours}&preservedBy=depositor`)), [], 'inactive: hidden by default');
      t.same(idsOf(await list(env, `?${ours}&preservedBy=depositor&showAll=true`)), [group.id]);
      t.same(idsOf(await list(env, `?${ours}&preservedAfter=${beforePreserve}&showAll=true`)), [group.id]);
      t.same(idsOf(await list(env, `?${ours}&preservedBefore=${beforePreserve}&showAll=true`)), []);
      t.same(idsOf(await list(env, `?${ours}&status=preserved&showAll=TRUE`)), [group.id]);
      t.same(idsOf(await list(env, `?${ours}&exportedBy=admin`)), [exported.id]);
      t.same(idsOf(await list(env, `?${ours}&exportedAfter=${beforePreserve}`)), [exported.id]);
      t.same(idsOf(await list(env, `?${ours}&exportedBefore=${beforePreserve}`)), []);
      t.same(
        idsOf(await list(env, `?${ours}&orderBy=preserved&showAll=true`)),
        [group.id, ...[exported, made[3], made[2], made[0]].map((d) => d.id)],
        'ordered by preserved: the one preserved first, then the rest newest first',
      );
      t.same(idsOf(await list(env, `?${ours}&orderBy=exportedBy&ascending=true&pageSize=1`)), [exported.id]);
      t.equal((await list(env, `?${ours}&showAll=true`)).total, 5);
      t.equal((await list(env, `?${ours}`)).total, 4);
      t.same(idsOf(await list(env, `?${ours}&PageSize=1&OrderBy=Created&Ascending=True`)), [made[0].id]);
    });

    await t.test('bad query parameters are 400s naming the parameter', async (t) => {
      for (const [query, field] of [
        ['pageSize=0', 'pageSize'],
        ['pageSize=100000', 'pageSize'],
        ['page=-1', 'page'],
        ['orderBy=size', 'orderBy'],
        ['ascending=maybe', 'ascending'],
        ['showAll=1', 'showAll'],
        ['createdAfter=yesterday', 'createdAfter'],
        ['status=lost', 'status'],
        ['page=1&page=2', 'page'],
      ]) {
        const res = await call(env, 'get', `/deposits?${query}`, undefined, 'reader');
        t.equal(res.status, 400, query);
        t.match(res.body.message, field, `${query}: names ${field}`);
      }
    });
  });
});
