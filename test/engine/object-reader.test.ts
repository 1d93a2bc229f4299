import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MemoryCache } from '../../lib/cache/memory-cache.js';
import { hasCode } from '../../lib/core/errors.js';
import { parseInventoryLenient, readObject } from '../../lib/engine/object-reader.js';
import { agRoot, copyWritable, countingStore, fsStore, preReleaseRoot, rebuildRoot } from './helpers.js';

const TEST_OBJECT = '863/b00/6d0/863b006d0a5f65b808669f030765a590ae1fa9b1cfc34bd5a1973bdc5907adf8';
const BINARY_OBJECT = '7e0/d30/d33/7e0d30d33ceb9225f7bc989c8346778837fabedd8b55c0ca00d051d41d23a0a2';
const AG_OBJECT = '35e/463/7ea/35e4637ea335e89bc2dfd95c0719a247590af4144615599e265a22070d822555';

t.test('a matching sidecar, and the corpus object whose sidecar does not match (E060)', async (t) => {
  const store = fsStore(rebuildRoot);
  const good = await readObject(store, BINARY_OBJECT);
  t.equal(good.id, 'info:fedora/binary');
  t.same(good.sidecar?.matches, true);
  t.equal(good.sidecar?.algorithm, 'sha512');
  const bad = await readObject(store, TEST_OBJECT);
  t.equal(bad.sidecar?.matches, false);
  t.equal(
    bad.sidecar?.recorded,
    'f9ad8c434d04e88aa7824e739c399f8b8c77bc299ace35f03474cb496098e3faed1f69e0074313a204f2c3c1c2f3a9805cc5df35ce2365d5ec162e07070c98f6',
  );
  t.not(bad.sidecar?.actual, bad.sidecar?.recorded);
  t.same(
    bad.view.files('v2').map((f) => f.logicalPath),
    ['.fcrepo/fcr-root.json', 'fcr-container.nt'],
    'still readable',
  );
  t.equal(good.location, `${store.uri}/${BINARY_OBJECT}`);
});

t.test('the legacy mutable head is shown as the newest version by default', async (t) => {
  const store = fsStore(preReleaseRoot);
  const key = '8e/a4/1a/1199fa04-39f1-4888-9fd8-d49dfa5459dc';
  const shown = await readObject(store, key);
  t.equal(shown.mutableHead?.naming, 'legacy');
  t.equal(shown.mutableHead?.dir, 'extensions/mutable-head/HEAD');
  t.equal(shown.mutableHead?.version, 'v2');
  t.equal(shown.mutableHead?.sidecar?.matches, true);
  t.equal(shown.showsMutableHead, true);
  t.equal(shown.view.head, 'v2');
  t.equal(shown.committed.head, 'v1');
  t.same(
    shown.view.files('v2').map((f) => f.contentPath),
    [
      'extensions/mutable-head/HEAD/content/r1/.fcrepo/1199fa04-39f1-4888-9fd8-d49dfa5459dc.json',
      'extensions/mutable-head/HEAD/content/r2/.fcrepo/child.json',
      'extensions/mutable-head/HEAD/content/r3/.fcrepo/child/grandchild.json',
      'extensions/mutable-head/HEAD/content/r1/1199fa04-39f1-4888-9fd8-d49dfa5459dc.nt',
      'extensions/mutable-head/HEAD/content/r2/child.nt',
      'extensions/mutable-head/HEAD/content/r3/child/grandchild.nt',
    ],
  );
  const committedOnly = await readObject(store, key, { includeMutableHead: false });
  t.equal(committedOnly.showsMutableHead, false);
  t.equal(committedOnly.view.head, 'v1');
  t.same(committedOnly.view.files('v1'), []);
  t.equal(committedOnly.mutableHead?.version, 'v2', 'the head is still reported');
});

function sha512(text: string): string {
  return createHash('sha512').update(text).digest('hex');
}

/** Write an inventory and its sha512 sidecar. */
function writeInventory(dir: string, inventory: object): void {
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(inventory);
  writeFileSync(join(dir, 'inventory.json'), text);
  writeFileSync(join(dir, 'inventory.json.sha512'), `${sha512(text)} inventory.json\n`);
}

t.test('a 0005 mutable head (ocfl-java naming) is read from extensions/0005-mutable-head/head', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-head-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const a = sha512('a');
  const b = sha512('b');
  const v1 = { created: '2024-01-01T00:00:00Z', state: { [a]: ['a.txt'] } };
  const base = { id: 'urn:head', type: 'https://ocfl.io/1.1/spec/#inventory', digestAlgorithm: 'sha512' };
  writeFileSync(join(dir, '0=ocfl_object_1.1'), 'ocfl_object_1.1\n');
  writeInventory(dir, { ...base, head: 'v1', manifest: { [a]: ['v1/content/a.txt'] }, versions: { v1 } });
  const head = join(dir, 'extensions/0005-mutable-head/head');
  writeInventory(head, {
    ...base,
    head: 'v2',
    manifest: { [a]: ['v1/content/a.txt'], [b]: ['extensions/0005-mutable-head/head/content/r1/b.txt'] },
    versions: { v1, v2: { created: '2024-01-02T00:00:00Z', state: { [a]: ['a.txt'], [b]: ['b.txt'] } } },
  });
  mkdirSync(join(dir, 'extensions/0005-mutable-head/revisions'));
  writeFileSync(join(dir, 'extensions/0005-mutable-head/revisions/r1'), 'r1');
  const object = await readObject(fsStore(join(dir, '..')), dir.slice(dir.lastIndexOf('/') + 1));
  t.equal(object.mutableHead?.naming, '0005');
  t.equal(object.view.head, 'v2');
  t.same(
    object.view.files('v2').map((f) => [f.logicalPath, f.contentPath]),
    [
      ['a.txt', 'v1/content/a.txt'],
      ['b.txt', 'extensions/0005-mutable-head/head/content/r1/b.txt'],
    ],
  );
});

t.test('with a cache, a second read only reads sidecars and gives the same answers', async (t) => {
  const store = countingStore(fsStore(agRoot));
  const cache = new MemoryCache();
  const cold = await readObject(store, AG_OBJECT, { cache });
  t.equal(cold.fromCache, false);
  t.ok(store.reads.some((k) => k.endsWith('/inventory.json')));
  store.reads.length = 0;
  const warm = await readObject(store, AG_OBJECT, { cache });
  t.equal(warm.fromCache, true);
  t.same(store.reads, [`${AG_OBJECT}/inventory.json.sha512`]);
  t.same(warm.view.files('v2'), cold.view.files('v2'));
  t.same(warm.view.files('v1'), cold.view.files('v1'));
  t.same(warm.sidecar, cold.sidecar);
  t.same(warm.inventory(), cold.inventory());
});

t.test('a new commit (changed sidecar) misses the cache', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await copyWritable(agRoot, dir);
  const store = fsStore(dir);
  const cache = new MemoryCache();
  await readObject(store, AG_OBJECT, { cache });
  // Replace the root inventory by v1's: the object now claims head v1.
  await copyWritable(join(agRoot, AG_OBJECT, 'v1'), join(dir, 'v1copy'));
  const { copyFileSync } = await import('node:fs');
  copyFileSync(join(dir, 'v1copy/inventory.json'), join(dir, AG_OBJECT, 'inventory.json'));
  copyFileSync(join(dir, 'v1copy/inventory.json.sha512'), join(dir, AG_OBJECT, 'inventory.json.sha512'));
  const after = await readObject(store, AG_OBJECT, { cache });
  t.equal(after.fromCache, false);
  t.equal(after.view.head, 'v1');
  t.equal(cache.size, 2);
});

t.test('missing objects are NotFound; unusable inventories are InvalidObject', async (t) => {
  const store = fsStore(rebuildRoot);
  t.ok(hasCode(await readObject(store, 'no/such/object').catch((e: unknown) => e), 'NOT_FOUND'));
  t.ok(
    hasCode(
      t.throws(() => parseInventoryLenient(Buffer.from('{'))),
      'INVALID_OBJECT',
    ),
  );
  const err = t.throws(() =>
    parseInventoryLenient(
      Buffer.from(
        JSON.stringify({
          id: 'x',
          head: 'v2',
          digestAlgorithm: 'sha512',
          manifest: {},
          versions: { v1: { created: 'x', state: {} } },
        }),
      ),
    ),
  );
  t.match((err as Error).message, /head v2 is not among the versions/);
  t.match(
    (t.throws(() => parseInventoryLenient(Buffer.from('{"versions": []}'))) as Error).message,
    /"id" is not a non-empty string.*"manifest" is not an object.*"versions" is not an object/,
  );
});
