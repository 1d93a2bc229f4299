/**
 * The Archival Group activity stream and agents over HTTP, on the filesystem and on MinIO: a
 * group's first version is a Create, later ones Updates, its deletion a Delete; failed jobs
 * leave nothing; pages of 100, oldest first, with strictly increasing millisecond end times.
 */
import t, { type Test } from 'tap';
import { IoError, JobRunner, type RecordOp } from '../../lib/index.js';
import type { S3Connection } from '../../lib/storage/s3/config.js';
import { requireS3 } from '../helpers/s3.js';
import { feedsServer } from './feeds-env.js';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** An activity as the stream shows it. */
interface Activity {
  type: string;
  object: { id: string; type: string; seeAlso?: { id: string; type: string } };
  endTime: string;
}

async function activities(s: Awaited<ReturnType<typeof feedsServer>>) {
  const collection = (await s.get('/activity/archivalgroups/collection')).body;
  const items: Activity[] = [];
  for (let n = 1; ; n++) {
    const page = await s.get(`/activity/archivalgroups/pages/${n}`);
    items.push(...page.body.orderedItems);
    if (!page.body.next) break;
  }
  return { collection, items };
}

function suite(name: string, s3?: S3Connection) {
  t.test(`${name}: an empty stream has one empty page, first and last both pointing to it`, async (t) => {
    const s = await feedsServer(t, s3);
    const c = await s.get('/activity/archivalgroups/collection');
    t.equal(c.status, 200);
    t.match(c.headers['content-type'], /^application\/ld\+json/);
    t.same(c.body, {
      '@context': 'http://iiif.io/api/discovery/1/context.json',
      id: `${s.base}/activity/archivalgroups/collection`,
      type: 'OrderedCollection',
      totalItems: 0,
      first: { id: `${s.base}/activity/archivalgroups/pages/1`, type: 'OrderedCollectionPage' },
      last: { id: `${s.base}/activity/archivalgroups/pages/1`, type: 'OrderedCollectionPage' },
    });
    const p1 = await s.get('/activity/archivalgroups/pages/1');
    t.match(p1.body, { type: 'OrderedCollectionPage', startIndex: 0, orderedItems: [] });
    t.notOk(p1.body.prev);
    t.notOk(p1.body.next);
    for (const bad of ['0', '2', 'x', '1e1', '-1'])
      t.equal((await s.get(`/activity/archivalgroups/pages/${bad}`)).status, 404, `page ${bad}`);
    t.equal((await s.request.get('/activity/archivalgroups/collection')).status, 401, 'a token is needed');
  });

  t.test(
    `${name}: Create for the first version, Update for the next, Delete for the deletion; failed jobs add nothing`,
    async (t) => {
      const s = await feedsServer(t, s3);
      const v1 = await s.importGroup('library/letters', { 'objects/a.txt': 'first', 'objects/b.txt': 'b' });
      t.match(v1, { status: 'completed', newVersion: { ocflVersion: 'v1' } });
      let stream = await activities(s);
      t.equal(stream.collection.totalItems, 1);
      t.same(stream.items[0].object, {
        id: `${s.base}/repository/library/letters`,
        type: 'ArchivalGroup',
        seeAlso: { id: v1.id, type: 'ImportJobResult' },
      });
      t.equal(stream.items[0].type, 'Create');
      t.match(stream.items[0].endTime, ISO_MS, 'endTime has milliseconds');
      t.equal((await s.get(v1.id.slice(s.base.length))).status, 200, 'seeAlso resolves');

      // A job that fails when it runs (its digest does not match the bytes) adds nothing.
      const created = await s.request
        .post('/deposits')
        .auth(await s.token('depositor'), { type: 'bearer' })
        .send({ archivalGroup: `${s.base}/repository/library/broken` });
      await s.upload(created.body.files, { 'x.txt': 'bytes' });
      const depositId = created.body.id.slice(created.body.id.lastIndexOf('/') + 1);
      const job = await s.request
        .post(`/deposits/${depositId}/importjobs`)
        .auth(await s.token('depositor'), { type: 'bearer' })
        .send({
          archivalGroup: `${s.base}/repository/library/broken`,
          binariesToAdd: [
            {
              id: `${s.base}/repository/library/broken/x.txt`,
              origin: `${created.body.files}x.txt`,
              digest: 'ab'.repeat(32),
            },
          ],
        });
      t.equal(job.status, 201);
      await s.drain();
      const failed = await s.get(job.headers.location.slice(s.base.length));
      t.equal(failed.body.status, 'completedWithErrors');
      t.equal((await activities(s)).collection.totalItems, 1, 'the failed job left no activity');

      const v2 = await s.update('library/letters', { 'objects/c.txt': 'added later' });
      t.match(v2, { status: 'completed', newVersion: { ocflVersion: 'v2' } });

      const admin = await s.token('admin');
      const del = await s.request.delete('/repository/library/letters').auth(admin, { type: 'bearer' });
      t.equal(del.status, 204);
      t.equal((await s.get('/repository/library/letters')).status, 410, 'the group is a tombstone');

      stream = await activities(s);
      t.same(
        stream.items.map((a: Activity) => [a.type, a.object.id]),
        [
          ['Create', `${s.base}/repository/library/letters`],
          ['Update', `${s.base}/repository/library/letters`],
          ['Delete', `${s.base}/repository/library/letters`],
        ],
      );
      t.equal(stream.items[1]?.object.seeAlso?.id, v2.id);
      t.notOk(stream.items[2]?.object.seeAlso, 'a deletion has no import job');
      const times = stream.items.map((a: Activity) => Date.parse(a.endTime));
      t.ok(
        times.every((x, i) => i === 0 || x > times[i - 1]),
        'endTime strictly increases',
      );

      // Purged, the path is free: a new group there is a Create again.
      t.equal(
        (await s.request.delete('/repository/library/letters?purge=true').auth(admin, { type: 'bearer' }))
          .status,
        204,
      );
      await s.importGroup('library/letters', { 'new.txt': 'again' });
      stream = await activities(s);
      t.same(
        stream.items.map((a: Activity) => a.type),
        ['Create', 'Update', 'Delete', 'Create'],
      );
    },
  );
}

suite('fs');
const s3 = requireS3(t);
if (s3) suite('minio', s3);

t.test(
  'pages of 100, oldest first, prev and next, endTime strictly increasing over 250 appends in quick succession',
  async (t) => {
    const s = await feedsServer(t);
    const records = s.deps.state.records;
    // 250 activities appended as fast as they come: many share a millisecond of the clock.
    for (let i = 0; i < 250; i++)
      await records.activity.append({
        type: i % 2 ? 'Update' : 'Create',
        archivalGroupPath: `g/${i}`,
        version: `v${i + 1}`,
      });
    const c = (await s.get('/activity/archivalgroups/collection')).body;
    t.equal(c.totalItems, 250);
    t.equal(c.last.id, `${s.base}/activity/archivalgroups/pages/3`);
    const pages = [];
    for (let n = 1; n <= 3; n++) pages.push((await s.get(`/activity/archivalgroups/pages/${n}`)).body);
    t.same(
      pages.map((p) => [p.startIndex, p.orderedItems.length, p.prev?.id ?? null, p.next?.id ?? null]),
      [
        [0, 100, null, `${s.base}/activity/archivalgroups/pages/2`],
        [100, 100, `${s.base}/activity/archivalgroups/pages/1`, `${s.base}/activity/archivalgroups/pages/3`],
        [200, 50, `${s.base}/activity/archivalgroups/pages/2`, null],
      ],
    );
    const all: Activity[] = pages.flatMap((p) => p.orderedItems);
    t.same(
      all.map((a: Activity) => a.object.id),
      Array.from({ length: 250 }, (_, i) => `${s.base}/repository/g/${i}`),
      'oldest first',
    );
    const times = all.map((a: Activity) => a.endTime);
    t.ok(
      times.every((x, i) => i === 0 || Date.parse(x) > Date.parse(times[i - 1])),
      'strictly increasing, also across pages',
    );
    t.ok(new Set(times).size === 250, 'no two equal');
    const alias = await s.get('/activity/archivalgroups/2');
    t.same(alias.body, pages[1], 'the /archivalgroups/{n} form answers the same page');
    t.equal(pages[0].partOf.id, `${s.base}/activity/archivalgroups/collection`);
  },
);

t.test(
  'a crash between a group’s tombstone and its Delete: deleting again records the Delete once',
  async (t) => {
    const s = await feedsServer(t);
    await s.importGroup('library/crash', { 'a.txt': 'a' });
    // What a process dying after the OCFL commit leaves: the tombstone, no Delete.
    await s.deps.services.writer.deleteArchivalGroup('library/crash', {
      agent: { name: `${s.base}/agents/admin` },
    });
    t.same(
      (await activities(s)).items.map((a: Activity) => a.type),
      ['Create'],
    );
    const admin = await s.token('admin');
    const again = await s.request.delete('/repository/library/crash').auth(admin, { type: 'bearer' });
    t.equal(again.status, 410, 'still gone');
    await s.request.delete('/repository/library/crash').auth(admin, { type: 'bearer' });
    const items = (await activities(s)).items;
    t.same(
      items.map((a: Activity) => a.type),
      ['Create', 'Delete'],
      'recorded once',
    );
  },
);

t.test('deleting a group needs the admin role and leaves other groups alone', async (t: Test) => {
  const s = await feedsServer(t);
  await s.importGroup('library/one', { 'a.txt': 'a' });
  await s.importGroup('library/two', { 'b.txt': 'b' });
  const depositor = await s.token('depositor');
  t.equal(
    (await s.request.delete('/repository/library/one').auth(depositor, { type: 'bearer' })).status,
    403,
  );
  const admin = await s.token('admin');
  t.equal((await s.request.delete('/repository/library/one').auth(admin, { type: 'bearer' })).status, 204);
  t.equal((await s.get('/repository/library/two')).status, 200);
  t.equal((await s.get('/repository/library/one/a.txt')).status, 410, 'its parts are gone too');
});

t.test('GET /agents lists the URI of every agent known from deposits, jobs and exports', async (t) => {
  const s = await feedsServer(t);
  await s.importGroup('library/agents', { 'a.txt': 'a' }); // by the depositor
  await s.update('library/agents', { 'b.txt': 'b' }); // exported by the admin
  const res = await s.get('/agents');
  t.equal(res.status, 200);
  t.ok(Array.isArray(res.body));
  for (const who of ['admin', 'depositor']) t.ok(res.body.includes(`${s.base}/agents/${who}`), who);
  t.ok(
    (res.body as string[]).every((u) => u.startsWith(`${s.base}/agents/`)),
    'all URIs under the base',
  );
  t.equal(new Set(res.body).size, res.body.length, 'each once');
});

t.test('the OpenAPI document describes the feeds and deposits from an identifier', async (t) => {
  const s = await feedsServer(t);
  const doc = (await s.request.get('/openapi.json')).body;
  for (const path of [
    '/activity/archivalgroups/collection',
    '/activity/archivalgroups/pages/{page}',
    '/agents',
    '/search',
    '/deposits/from-identifier',
  ])
    t.ok(doc.paths[path], path);
  for (const schema of ['OrderedCollection', 'OrderedCollectionPage', 'Search', 'SchemaAndValue'])
    t.ok(doc.components.schemas[schema], schema);
});

t.test(
  'a crash between a version and its completion commit: the retry records the result and its Create together, once',
  async (t) => {
    const s = await feedsServer(t);
    const depositor = await s.token('depositor');
    await s.request.put('/repository/library').auth(await s.token('admin'), { type: 'bearer' });
    const created = await s.request
      .post('/deposits')
      .auth(depositor, { type: 'bearer' })
      .send({ archivalGroup: `${s.base}/repository/library/interrupted` });
    await s.upload(created.body.files, { 'a.txt': 'a' });
    const depositId = created.body.id.slice(created.body.id.lastIndexOf('/') + 1);
    const job = await s.request
      .post(`/deposits/${depositId}/importjobs`)
      .auth(depositor, { type: 'bearer' })
      .send({ id: `${created.body.id}/importjobs/diff` });
    const records = s.deps.state.records;
    // Records whose completion commit fails once, as if the process died right after the version.
    let failed = 0;
    const dying = new Proxy(records, {
      get(target, prop, receiver) {
        if (prop === 'commit')
          return async (ops: RecordOp[]) => {
            if (ops.some((op) => op.op === 'appendActivity') && failed++ === 0)
              throw new IoError('simulated crash before the completion commit');
            return target.commit(ops);
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    const services = s.deps.services;
    await new JobRunner({
      records: dying,
      queue: s.deps.state.queue,
      writer: services.writer,
      repository: services.repository,
      deposits: services.deposits,
      repositoryBase: services.urls.repositoryBase,
      agentUri: (id) => services.urls.agent(id),
    }).runOnce();
    t.equal(failed, 1, 'the completion commit was attempted and failed');
    t.equal(await records.activity.count(), 0, 'no event without its completion');
    t.equal((await s.get('/repository/library/interrupted')).status, 200, 'the version is there');
    const path = job.headers.location.slice(s.base.length);
    t.equal((await s.get(path)).body.status, 'running', 'not recorded yet');
    const deadline = Date.now() + 10_000;
    while (!(await s.deps.runner.runOnce()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const result = (await s.get(path)).body;
    t.match(result, { status: 'completed', newVersion: { ocflVersion: 'v1' } });
    const items = (await activities(s)).items;
    t.same(
      items.map((a) => [a.type, a.object.seeAlso?.id]),
      [['Create', result.id]],
      'one Create, with the result it belongs to',
    );
  },
);
