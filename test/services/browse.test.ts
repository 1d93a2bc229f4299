import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { RepositoryBrowser } from '../../lib/services/browse.js';
import { KeptObjects } from '../../lib/services/kept-objects.js';
import { putFolder } from '../../lib/services/put.js';
import { openRepository } from '../../lib/services/repository.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import type { ReadableStore } from '../../lib/storage/port.js';
import { openRepositoryWriter, type RepositoryWriter } from '../../lib/txn/writer.js';
import { tempDir } from '../txn/helpers.js';

const agent = { name: 'tester' };

/** A store that records the key of every read, and the prefix of every listing in `probes`. */
function counting(store: ReadableStore): { store: ReadableStore; reads: string[]; probes: string[] } {
  const reads: string[] = [];
  const probes: string[] = [];
  const wrapped = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'read' || prop === 'readBytes' || prop === 'list') {
        return (key: string, ...rest: unknown[]) => {
          (prop === 'list' ? probes : reads).push(key);
          return (value as (...a: unknown[]) => unknown).call(target, key, ...rest);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, reads, probes };
}

const inventories = (reads: string[]) => reads.filter((k) => k.endsWith('/inventory.json')).length;
const headers = (reads: string[]) => reads.filter((k) => k.includes('/.fcrepo/')).length;

async function preserve(writer: RepositoryWriter, dir: string, path: string, files: Record<string, string>) {
  const src = join(dir, `src-${path.replace(/\//g, '-')}-${Object.keys(files).length}`);
  for (const [p, body] of Object.entries(files)) {
    mkdirSync(join(src, ...p.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(src, ...p.split('/')), body);
  }
  await putFolder(writer, path, pathToFileURL(src).href, { agent, parents: true });
}

/** A repository with the group `books/g` (20 files) and a browser reading it through a counting store. */
async function setup(t: Test, maxKeptFiles?: number) {
  const dir = tempDir(t, 'browse');
  const repoDir = join(dir, 'repo');
  const writer = await openRepositoryWriter(pathToFileURL(repoDir).href, { create: true });
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`pages/p${String(i).padStart(2, '0')}.txt`] = `page ${i}\n`;
  await preserve(writer, dir, 'books/g', files);
  const { store, reads, probes } = counting(new FsStore(repoDir, { readOnly: true }));
  const repository = await openRepository(store);
  const browser = new RepositoryBrowser(repository, maxKeptFiles === undefined ? {} : { maxKeptFiles });
  return { dir, writer, repository, browser, reads, probes };
}

t.test('a group read once is not read again while unchanged: no inventory, no Fedora header', async (t) => {
  const { browser, reads } = await setup(t);
  const first = await browser.locate('books/g');
  t.equal(first.kind, 'ArchivalGroup');
  t.equal(inventories(reads), 1, 'the first call reads the inventory');
  t.ok(headers(reads) > 20, 'and every header');
  reads.length = 0;
  const again = await browser.locate('books/g');
  const part = await browser.locate('books/g/pages/p07.txt');
  t.equal(part.kind, 'part');
  t.equal(inventories(reads), 0, 'later calls read no inventory');
  t.equal(headers(reads), 0, 'and no header');
  if (again.kind !== 'ArchivalGroup' || first.kind !== 'ArchivalGroup') throw new Error('not a group');
  t.equal(again.resources, first.resources, 'the resources built once are reused');
  t.ok(
    reads.every((k) => k.endsWith('inventory.json.sha512')),
    'only the sidecar is read, to check freshness',
  );
});

t.test('below a group already read, only the group is looked up, not each deeper path', async (t) => {
  const { browser, probes } = await setup(t);
  const group = await browser.locate('books/g');
  if (group.kind !== 'ArchivalGroup') throw new Error('not a group');
  const outside = () => probes.filter((k) => !k.startsWith(group.object.key));
  probes.length = 0;
  await t.rejects(browser.locate('books/g/pages/p07.txt/deeper'), { code: 'NOT_FOUND' });
  t.equal(outside().length, 0, 'only the group is listed');
  probes.length = 0;
  const part = await browser.locate('books/g/pages/p07.txt');
  t.equal(part.kind === 'part' && part.resource.type, 'Binary');
  t.equal(outside().length, 0);
  t.ok(probes.length > 0, 'the group itself is checked (is it still the same?)');
  await t.rejects(browser.locate('books/g/pages/none.txt'), { code: 'NOT_FOUND' });
  t.same((await browser.locate('books')).kind, 'Container', 'containers above are still found');
  const fresh = await setup(t);
  await fresh.browser.locate('books/g/pages/p07.txt');
  t.ok(
    fresh.probes.filter((k) => !k.startsWith(group.object.key)).length >= 3,
    'without a group read before, every deeper path is looked at first',
  );
});

t.test('a commit by another writer is seen at the next call (the sidecar changed)', async (t) => {
  const { dir, writer, browser } = await setup(t);
  const v1 = await browser.locate('books/g');
  t.equal(v1.kind === 'ArchivalGroup' && v1.resources.version.ocflVersion, 'v1');
  await preserve(writer, dir, 'books/g', { 'pages/new.txt': 'new page\n' });
  const v2 = await browser.locate('books/g/pages/new.txt');
  t.equal(v2.kind === 'part' && v2.resources.version.ocflVersion, 'v2');
  const old = await browser.locate('books/g', { version: 'v1' });
  t.equal(
    old.kind === 'ArchivalGroup' && old.resources.version.ocflVersion,
    'v1',
    'older versions stay readable',
  );
  await t.rejects(browser.locate('books/g/pages/new.txt', { version: 'v1' }), { code: 'NOT_FOUND' });
});

t.test('concurrent first calls share one read of the inventory', async (t) => {
  const { browser, reads } = await setup(t);
  const located = await Promise.all([
    browser.locate('books/g'),
    browser.locate('books/g/pages/p01.txt'),
    browser.locate('books/g/pages/p02.txt'),
    browser.storageMapJson('books/g'),
  ]);
  t.equal(located.length, 4);
  t.equal(inventories(reads), 1);
});

t.test('the storage map JSON is the repository’s, without reading the group’s resources', async (t) => {
  const { dir, writer, repository, browser, reads } = await setup(t);
  await preserve(writer, dir, 'books/g', { 'pages/new.txt': 'new page\n' });
  const json = await browser.storageMapJson('books/g');
  t.equal(headers(reads), 1, 'only the root header (is it a group?) is read, not one per resource');
  t.equal(json, await repository.storageMapJson('info:fedora/books/g'));
  t.equal(
    await browser.storageMapJson('books/g', { version: 'v1' }),
    await repository.storageMapJson('info:fedora/books/g', { version: 'v1' }),
  );
  reads.length = 0;
  t.equal(await browser.storageMapJson('books/g'), json);
  t.equal(inventories(reads), 0, 'a second call reads no inventory');
  const located = await browser.locate('books/g');
  if (located.kind !== 'ArchivalGroup') throw new Error('not a group');
  t.same(await browser.storageMap(located), JSON.parse(json));
  await t.rejects(
    browser.storageMapJson('books/g/pages'),
    { code: 'INVALID_INPUT' },
    'a container in a group',
  );
  await t.rejects(browser.storageMapJson('books'), { code: 'INVALID_INPUT' }, 'a standalone container');
  await t.rejects(browser.storageMapJson('books/none'), { code: 'NOT_FOUND' });
  await t.rejects(browser.storageMapJson('books/g', { version: 'v9' }), { code: 'NOT_FOUND' });
});

t.test('content streams a binary, whole or a range, without reading the inventory again', async (t) => {
  const { browser, reads } = await setup(t);
  await browser.locate('books/g');
  reads.length = 0;
  const located = await browser.locate('books/g/pages/p12.txt');
  if (located.kind !== 'part') throw new Error('not a part');
  const content = await browser.content(located);
  t.equal(content.size, 'page 12\n'.length);
  t.equal(await text(await content.open()), 'page 12\n');
  t.equal(await text(await content.open({ start: 5, end: 6 })), '12');
  t.equal(inventories(reads), 0);
  const folder = await browser.locate('books/g/pages');
  if (folder.kind !== 'part') throw new Error('not a part');
  await t.rejects(browser.content(folder), { code: 'NOT_FOUND' }, 'a container has no content');
});

t.test('with a budget of 0 files nothing is kept: each call reads the inventory', async (t) => {
  const { browser, reads } = await setup(t, 0);
  await browser.locate('books/g');
  await browser.locate('books/g');
  t.equal(inventories(reads), 2);
});

t.test(
  'kept objects: least recently used go first when over the budget; failures are not kept',
  async (t) => {
    const kept = new KeptObjects<string>(50);
    const object = (files: number) => ({
      object: { view: { head: 'v1', files: () => new Array(files) } } as never,
      summary: 's',
      resources: new Map(),
      storageMaps: new Map(),
      storageMapTexts: new Map(),
    });
    let reads = 0;
    const read = (files: number) => async () => {
      reads++;
      return object(files);
    };
    await kept.get('a', 'ka', read(20));
    await kept.get('b', 'kb', read(20));
    await kept.get('a', 'ka', read(20)); // a is now the most recent
    t.equal(reads, 2, 'a known key is not read again');
    await kept.get('c', 'kc', read(20));
    await new Promise((r) => setImmediate(r));
    t.same(kept.ids(), ['a', 'c'], 'b, the least recently used, was evicted');
    t.equal(kept.weight, 40);
    await kept.get('a', 'ka2', read(20));
    t.equal(reads, 4, 'a new cache key reads again');
    await kept.get('big', 'kbig', read(60));
    await new Promise((r) => setImmediate(r));
    t.notOk(kept.ids().includes('big'), 'an object over the whole budget is not kept');
    await t.rejects(
      kept.get('bad', 'kbad', async () => {
        throw new Error('unreadable');
      }),
    );
    await new Promise((r) => setImmediate(r));
    t.notOk(kept.ids().includes('bad'), 'a failed read is forgotten');
    await kept.get('x', undefined, read(1));
    await new Promise((r) => setImmediate(r));
    t.notOk(kept.ids().includes('x'), 'an object without a cache key is not kept');
  },
);
