/**
 * `GET /search` over HTTP on the filesystem and on MinIO: both partitions in the spec's shape,
 * any case and any part of a name or path, paged, following imports, updates and deletions, and
 * answered from the index (not the repository).
 */
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { S3Connection } from '../../lib/storage/s3/config.js';
import { requireS3 } from '../helpers/s3.js';
import { type FeedsServer, feedsServer } from './feeds-env.js';

interface Hit {
  fedoraId: string;
  id: string;
  name: string;
  archivalGroup: string;
  created: string | null;
  lastModified: string | null;
  contentSize: number | null;
  mimeType: string | null;
}

const search = async (s: FeedsServer, query: string) => s.get(`/search?${query}`);
const hitIds = (body: { fedoraSearch: { results: Hit[] } }) =>
  body.fedoraSearch.results.map((h) => h.fedoraId);

function suite(name: string, s3?: S3Connection) {
  t.test(
    `${name}: preserved resources and deposits in the spec's partitions, any case, any part, paged, kept up to date`,
    async (t) => {
      const s = await feedsServer(t, s3);
      const png = 'not really a png, but bytes';
      await s.importGroup(
        'kickoff/pipeline-test',
        { 'about.xml': '<about/>', 'objects/Cat-UV.png': png, 'objects/Résumé.txt': 'cv' },
        { archivalGroupName: 'Kickoff group', submissionText: 'The weekly PIPELINE run' },
      );
      await s.importGroup('kickoff/other', { 'objects/dog.JPG': 'woof' });

      const cat = await search(s, 'text=cAt');
      t.equal(cat.status, 200);
      t.equal(cat.body.text, 'cAt');
      t.match(cat.body.fedoraSearch, { total: 1, count: 1, page: 0, pageSize: 20 });
      const hit: Hit = cat.body.fedoraSearch.results[0];
      t.match(hit, {
        fedoraId: 'info:fedora/kickoff/pipeline-test/objects/Cat-UV.png',
        id: `${s.base}/repository/kickoff/pipeline-test/objects/Cat-UV.png`,
        name: 'Cat-UV.png',
        archivalGroup: `${s.base}/repository/kickoff/pipeline-test`,
        contentSize: Buffer.byteLength(png),
        mimeType: 'image/png',
      });
      t.ok(hit.created && !Number.isNaN(Date.parse(hit.created)), 'created');
      t.ok(hit.lastModified && !Number.isNaN(Date.parse(hit.lastModified)), 'lastModified');
      t.match(cat.body.depositSearch, { total: 0, page: 0, pageSize: 20, deposits: [] });
      t.equal((await s.get(hit.id.slice(s.base.length))).status, 200, 'the hit’s id resolves');

      const pipeline = await search(s, 'text=Pipeline');
      t.equal(pipeline.body.fedoraSearch.total, 3, 'every file of the group: its path holds the text');
      t.equal(pipeline.body.depositSearch.total, 1);
      t.match(pipeline.body.depositSearch.deposits[0], {
        type: 'Deposit',
        archivalGroup: `${s.base}/repository/kickoff/pipeline-test`,
        archivalGroupName: 'Kickoff group',
        status: 'preserved',
      });
      t.same(hitIds((await search(s, 'text=R%C3%89SUM%C3%89')).body), [
        'info:fedora/kickoff/pipeline-test/objects/Résumé.txt',
      ]);
      t.same(hitIds((await search(s, 'text=.jpg')).body), ['info:fedora/kickoff/other/objects/dog.JPG']);

      const p0 = (await search(s, 'text=kickoff/&pageSize=3')).body.fedoraSearch;
      const p1 = (await search(s, 'text=kickoff/&pageSize=3&page=1')).body.fedoraSearch;
      t.match(p0, { total: 4, count: 3, page: 0, pageSize: 3 });
      t.match(p1, { total: 4, count: 1, page: 1, pageSize: 3 });
      t.same(
        [...p0.results, ...p1.results].map((h: Hit) => h.fedoraId),
        [
          'info:fedora/kickoff/other/objects/dog.JPG',
          'info:fedora/kickoff/pipeline-test/about.xml',
          'info:fedora/kickoff/pipeline-test/objects/Cat-UV.png',
          'info:fedora/kickoff/pipeline-test/objects/Résumé.txt',
        ],
        'group, then path order across pages',
      );

      await s.update('kickoff/pipeline-test', { 'objects/bird.gif': 'tweet' });
      t.same(
        hitIds((await search(s, 'text=BIRD')).body),
        ['info:fedora/kickoff/pipeline-test/objects/bird.gif'],
        'a new version is searchable once its job completes',
      );
      const admin = await s.token('admin');
      t.equal(
        (await s.request.delete('/repository/kickoff/other').auth(admin, { type: 'bearer' })).status,
        204,
      );
      t.equal((await search(s, 'text=dog')).body.fedoraSearch.total, 0, 'a deleted group is no longer found');
    },
  );
}

suite('fs');
const s3 = requireS3(t);
if (s3) suite('minio', s3);

t.test('bad search parameters are 400', async (t) => {
  const s = await feedsServer(t);
  for (const q of [
    '',
    'text=',
    'text=%20%20',
    'text=a&pageSize=0',
    'text=a&pageSize=1001',
    'text=a&page=-1',
    'text=a&page=x',
    'text=a%01b',
  ])
    t.equal((await search(s, q)).status, 400, q || '(no text)');
  t.equal((await s.request.get('/search?text=a')).status, 401, 'a token is needed');
});

t.test('search answers from its index: the repository need not be readable', async (t) => {
  const s = await feedsServer(t);
  await s.importGroup('library/indexed', { 'objects/map-of-leeds.tif': 'tiff' });
  t.equal((await search(s, 'text=leeds')).body.fedoraSearch.total, 1);
  const repo = join(s.dataDir, 'repository');
  renameSync(repo, `${repo}-away`);
  t.teardown(() => renameSync(`${repo}-away`, repo));
  const again = await search(s, 'text=LEEDS');
  t.equal(again.status, 200);
  t.same(hitIds(again.body), ['info:fedora/library/indexed/objects/map-of-leeds.tif']);
});

t.test('a repository that held groups before the index existed is indexed on the first search', async (t) => {
  const s = await feedsServer(t);
  // Written straight through the writer: no job, no activity, as an older repository would be.
  await s.preserve('legacy/box-1', { 'letters/to-anne.txt': 'dear Anne' });
  t.same(hitIds((await search(s, 'text=anne')).body), ['info:fedora/legacy/box-1/letters/to-anne.txt']);
  const seq = await s.deps.state.search.activitySeq();
  t.equal(seq, 0, 'built, and caught up with the (empty) activity log');
});

t.test('the indexer started with the server catches up in the background, without a search', async (t) => {
  const s = await feedsServer(t);
  s.deps.indexer.start(50);
  await s.importGroup('library/background', { 'objects/owl.png': 'hoot' });
  const deadline = Date.now() + 10_000;
  while ((await s.deps.state.search.count()) === 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  t.equal(await s.deps.state.search.count(), 1);
  t.equal(await s.deps.state.search.groupVersion('library/background'), 'v1');
  await s.deps.indexer.stop();
});

t.test(
  'a damaged group is left out of the index and never stops it from following later changes',
  async (t) => {
    const s = await feedsServer(t);
    await s.importGroup('library/damaged', { 'objects/broken.txt': 'x' });
    const key = s.deps.services.writer.objectKeyOf('library/damaged');
    // Damaged with a sidecar to match: a cache keyed by the sidecar's digest cannot hide it.
    const damaged = '{"not": "an inventory"';
    const root = join(s.dataDir, 'repository', ...key.split('/'));
    writeFileSync(join(root, 'inventory.json'), damaged);
    writeFileSync(
      join(root, 'inventory.json.sha512'),
      `${createHash('sha512').update(damaged).digest('hex')}  inventory.json\n`,
    );
    await s.importGroup('library/healthy', { 'objects/fine.txt': 'y' });
    t.same(hitIds((await search(s, 'text=.txt')).body), ['info:fedora/library/healthy/objects/fine.txt']);
    t.equal(await s.deps.state.search.activitySeq(), 2, 'caught up past the damaged group');
  },
);
