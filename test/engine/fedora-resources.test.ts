import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { MemoryCache } from '../../lib/cache/memory-cache.js';
import { hasCode } from '../../lib/core/errors.js';
import {
  type ArchivalGroupResource,
  type BinaryResource,
  type ContainerResource,
  findResource,
} from '../../lib/core/fedora/index.js';
import { getObjectResources } from '../../lib/engine/fedora-resources.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { agRoot, countingStore, fsStore, migratedRoot, simpleRoot, threeVersionRoot } from './helpers.js';

const AG_ID = 'info:fedora/kickoff/tuesday-1';
const AG_PATH = '35e/463/7ea/35e4637ea335e89bc2dfd95c0719a247590af4144615599e265a22070d822555';

t.test('the fixture AG: tree, names with spaces, SHA-256 from headers, origins, tombstone', async (t) => {
  const root = await openStorageRoot(fsStore(agRoot));
  const model = await getObjectResources(root, AG_ID);
  const ag = model.root as ArchivalGroupResource;
  t.equal(ag.type, 'ArchivalGroup');
  t.equal(ag.name, 'tuesday-1');
  t.equal(ag.version.ocflVersion, 'v2');
  t.equal(ag.versions.length, 2);
  t.same(
    ag.binaries.map((b) => b.path),
    ['mets.xml'],
  );
  t.same(
    ag.containers.map((c) => c.path),
    ['objects'],
  );
  const objects = ag.containers[0] as ContainerResource;
  t.equal(objects.partOf, '');
  t.same(
    objects.binaries.map((b) => b.name),
    ['Teto in tree.png'],
  );
  const png = findResource(model, 'objects/Teto in tree.png') as BinaryResource;
  const pngPath = join(agRoot, AG_PATH, 'v1/content/objects/Teto%20in%20tree.png');
  const bytes = readFileSync(pngPath);
  t.equal(png.digest, createHash('sha256').update(bytes).digest('hex'));
  t.equal(png.size, bytes.length);
  t.equal(png.contentType, 'image/png');
  t.equal(png.origin, pathToFileURL(pngPath).href);
  t.match(png.origin, /Teto%2520in%2520tree\.png$/, 'the literal % of the stored name is escaped in the URL');
  const gone = await Promise.resolve()
    .then(() => findResource(model, 'objects/old.txt'))
    .catch((e: unknown) => e);
  t.ok(hasCode(gone, 'GONE'));
  t.same(model.tombstones, [
    {
      path: 'objects/old.txt',
      type: 'Binary',
      fedoraId: `${AG_ID}/objects/old.txt`,
      deleted: '2025-09-09T11:09:44.900134Z',
    },
  ]);
  const v1 = await getObjectResources(root, AG_ID, { version: 'v1' });
  t.equal((findResource(v1, 'objects/old.txt') as BinaryResource).contentType, 'text/plain');
});

t.test(
  'the migrated AG through the engine: seven binaries with sizes matching the stored files',
  async (t) => {
    const root = await openStorageRoot(fsStore(migratedRoot));
    const model = await getObjectResources(root, 'info:fedora/1711.dl:UWPAbout');
    const ag = model.root as ContainerResource;
    t.equal(ag.binaries.length, 7);
    const objectDir = join(
      migratedRoot,
      '9b4/ebf/059/9b4ebf059a37e0e30da97bfd4c5b21fee07fbc980bae3bab3f3aedfdbf6b3f51',
    );
    for (const b of ag.binaries) {
      t.equal(b.size, readFileSync(join(objectDir, b.contentPath!)).length, `${b.path} size`);
    }
    t.equal((findResource(model, 'BIB0') as BinaryResource).contentType, 'text/xml');
    t.equal((findResource(model, 'REF') as BinaryResource).size, 238194);
  },
);

t.test('the three-version object at a memento', async (t) => {
  const root = await openStorageRoot(fsStore(threeVersionRoot));
  const model = await getObjectResources(root, 'info:fedora/1711.dl:FEG6WWJ664RHQ8X', {
    version: '20150127192040',
  });
  t.equal(model.version.ocflVersion, 'v2');
  const ds1 = findResource(model, 'DS1') as BinaryResource;
  t.equal(ds1.size, 50);
  t.equal(ds1.lastModified, '2015-01-27T19:20:40.678Z');
});

t.test('plain OCFL objects get synthesised resources; statSizes fills sizes', async (t) => {
  const root = await openStorageRoot(fsStore(simpleRoot));
  const model = await getObjectResources(root, 'ark:/12345/bcd987', { statSizes: true });
  t.equal(model.source, 'ocfl');
  const ag = model.root as ContainerResource;
  t.same(
    ag.containers.map((c) => c.path),
    ['foo'],
  );
  const tiff = findResource(model, 'image.tiff') as BinaryResource;
  t.equal(tiff.size, readFileSync(join(simpleRoot, 'ark%3A%2F12345%2Fbcd987', tiff.contentPath!)).length);
  t.equal(tiff.partOf, '');
});

t.test('Fedora headers are cached by digest: a second model reads no header file', async (t) => {
  const store = countingStore(fsStore(agRoot));
  const root = await openStorageRoot(store, { cache: new MemoryCache() });
  const cold = await getObjectResources(root, AG_ID);
  store.reads.length = 0;
  const warm = await getObjectResources(root, AG_ID);
  t.same(store.reads, [`${AG_PATH}/inventory.json.sha512`]);
  t.same([...warm.byPath.keys()], [...cold.byPath.keys()]);
  t.same(findResource(warm, 'mets.xml'), findResource(cold, 'mets.xml'));
});
