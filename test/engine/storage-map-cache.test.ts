/**
 * Built storage maps in the cache: a warm call (LMDB, reopened as after a restart) gives the
 * same JSON as a cold one for every option, reads no inventory, and a changed object (new
 * sidecar) is a new key.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { LmdbCache } from '../../lib/cache/lmdb-cache.js';
import { MemoryCache } from '../../lib/cache/memory-cache.js';
import { getStorageMap, getStorageMapJson, type StorageMapOptions } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import {
  agRoot,
  copyWritable,
  countingStore,
  fsStore,
  migratedRoot,
  preReleaseRoot,
  threeVersionRoot,
} from './helpers.js';

const AG_ID = 'info:fedora/kickoff/tuesday-1';
const AG_PATH = '35e/463/7ea/35e4637ea335e89bc2dfd95c0719a247590af4144615599e265a22070d822555';

const cases: Array<{ root: string; id: string; options?: StorageMapOptions }> = [
  { root: agRoot, id: AG_ID },
  { root: agRoot, id: AG_ID, options: { version: 'v1' } },
  { root: agRoot, id: AG_ID, options: { version: '20250909110722' } },
  { root: agRoot, id: AG_ID, options: { fedoraBaseUrl: 'https://fedora.example/fcrepo/rest' } },
  { root: migratedRoot, id: 'info:fedora/1711.dl:UWPAbout' },
  { root: threeVersionRoot, id: 'info:fedora/1711.dl:FEG6WWJ664RHQ8X', options: { version: 'v2' } },
  { root: preReleaseRoot, id: '1199fa04-39f1-4888-9fd8-d49dfa5459dc' },
  {
    root: preReleaseRoot,
    id: '1199fa04-39f1-4888-9fd8-d49dfa5459dc',
    options: { includeMutableHead: false },
  },
];

t.test(
  'every option: a warm map from a reopened LMDB is the cold JSON, without reading an inventory',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 't-engine-mapcache-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const cold: string[] = [];
    const first = LmdbCache.open({ path: dir });
    for (const c of cases) {
      const plain = await getStorageMap(await openStorageRoot(fsStore(c.root)), c.id, c.options);
      const filled = await getStorageMap(
        await openStorageRoot(fsStore(c.root), { cache: first }),
        c.id,
        c.options,
      );
      t.equal(
        JSON.stringify(filled),
        JSON.stringify(plain),
        `${c.id} ${JSON.stringify(c.options)}: miss = no cache`,
      );
      cold.push(JSON.stringify(plain, null, 2));
    }
    await first.close();
    const cache = LmdbCache.open({ path: dir });
    t.teardown(() => cache.close());
    for (const [i, c] of cases.entries()) {
      const store = countingStore(fsStore(c.root));
      const warm = await getStorageMap(await openStorageRoot(store, { cache }), c.id, c.options);
      t.equal(JSON.stringify(warm, null, 2), cold[i], `${c.id} ${JSON.stringify(c.options)}: same JSON`);
      t.notOk(
        store.reads.some((k) => k.endsWith('inventory.json')),
        'only sidecars read',
      );
    }
  },
);

t.test('a changed object (new inventory and sidecar) is a new key: the new map is served', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 't-engine-mapcache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await copyWritable(agRoot, join(dir, 'root'));
  const cache = new MemoryCache();
  const root = await openStorageRoot(new FsStore(join(dir, 'root')), { cache });
  const before = await getStorageMap(root, AG_ID);
  t.equal((await getStorageMap(root, AG_ID)).files['renamed.xml'], undefined, 'cached before the change');

  // Add a logical path to the head state (same content as mets.xml) and rewrite the sidecar.
  const objectDir = join(dir, 'root', AG_PATH);
  const inventory = JSON.parse(readFileSync(join(objectDir, 'inventory.json'), 'utf8'));
  const state = inventory.versions[inventory.head].state as Record<string, string[]>;
  const [digest] = Object.entries(state).find(([, paths]) => paths.includes('mets.xml'))!;
  state[digest]!.push('renamed.xml');
  const bytes = Buffer.from(JSON.stringify(inventory, null, 2));
  writeFileSync(join(objectDir, 'inventory.json'), bytes);
  const sha512 = createHash('sha512').update(bytes).digest('hex');
  writeFileSync(join(objectDir, 'inventory.json.sha512'), `${sha512}  inventory.json\n`);

  const after = await getStorageMap(root, AG_ID);
  t.equal(after.files['renamed.xml']?.fullPath, before.files['mets.xml']?.fullPath, 'new path in the map');
  // It has no Fedora header, so the map falls back to the inventory's own digests.
  t.equal(after.digestAlgorithm, 'sha512');
  t.equal(Object.keys(after.files).length, Object.keys(before.files).length + 1);
});

t.test('a cached map is fresh objects each time: changing one does not change the next', async (t) => {
  const root = await openStorageRoot(fsStore(agRoot), { cache: new MemoryCache() });
  await getStorageMap(root, AG_ID);
  const a = await getStorageMap(root, AG_ID);
  const expected = JSON.stringify(a);
  a.files['mets.xml']!.hash = 'changed';
  a.allVersions.pop();
  t.equal(JSON.stringify(await getStorageMap(root, AG_ID)), expected);
});

t.test('the JSON form is the map pretty-printed, cached as text, and follows a changed object', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 't-engine-mapjson-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cache = LmdbCache.open({ path: join(dir, 'cache') });
  t.teardown(() => cache.close());
  for (const c of cases) {
    const expected = JSON.stringify(
      await getStorageMap(await openStorageRoot(fsStore(c.root)), c.id, c.options),
      null,
      2,
    );
    const cold = await getStorageMapJson(await openStorageRoot(fsStore(c.root), { cache }), c.id, c.options);
    t.equal(cold, expected, `${c.id} ${JSON.stringify(c.options)}: cold JSON`);
    const store = countingStore(fsStore(c.root));
    const warm = await getStorageMapJson(await openStorageRoot(store, { cache }), c.id, c.options);
    t.equal(warm, expected, 'warm JSON identical');
    t.notOk(
      store.reads.some((k) => k.endsWith('inventory.json')),
      'warm: only sidecars read',
    );
  }
  // Without a cache the text is the same.
  t.equal(
    await getStorageMapJson(await openStorageRoot(fsStore(agRoot)), AG_ID),
    JSON.stringify(await getStorageMap(await openStorageRoot(fsStore(agRoot)), AG_ID), null, 2),
  );
  // A new commit (changed sidecar) gives a new text.
  await copyWritable(agRoot, join(dir, 'root'));
  const root = await openStorageRoot(new FsStore(join(dir, 'root')), { cache });
  const before = await getStorageMapJson(root, AG_ID);
  const objectDir = join(dir, 'root', AG_PATH);
  const inventory = JSON.parse(readFileSync(join(objectDir, 'inventory.json'), 'utf8'));
  const state = inventory.versions[inventory.head].state as Record<string, string[]>;
  Object.values(state)[0]!.push('another-name.bin');
  const bytes = Buffer.from(JSON.stringify(inventory));
  writeFileSync(join(objectDir, 'inventory.json'), bytes);
  writeFileSync(
    join(objectDir, 'inventory.json.sha512'),
    `${createHash('sha512').update(bytes).digest('hex')} inventory.json\n`,
  );
  const after = await getStorageMapJson(root, AG_ID);
  t.not(after, before);
  t.ok(JSON.parse(after).files['another-name.bin'], 'the new path is in the new text');
});
