import { join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import {
  type ArchivalGroupResource,
  type BinaryResource,
  buildObjectResources,
  type ContainerResource,
  findResource,
} from '../../lib/core/fedora/index.js';
import type { Inventory } from '../../lib/core/inventory.js';
import { corpusDir } from '../helpers/paths.js';
import { loadHeaders, loadInventory } from './load-corpus-object.js';

const migratedRoot = join(
  corpusDir,
  'fcrepo-migration-validator/src/test/resources/test-object-validation/valid/f6/data/ocfl-root',
  '9b4/ebf/059/9b4ebf059a37e0e30da97bfd4c5b21fee07fbc980bae3bab3f3aedfdbf6b3f51',
);
const threeVersions = join(
  corpusDir,
  'fcrepo-migration-validator/src/test/resources/test-object-validation/version-validation-it/valid/f6/data/ocfl-root',
  '045/e56/0e6/045e560e6e2f6597087bd8429457b5a7470f0e37beaac029c0aced97f276405a',
);
const preRelease = join(corpusDir, 'ocfl-py/extra_fixtures/1.0/good-storage-roots/fedora-root');

function build(objectRoot: string, version?: string, inventoryFile?: string) {
  const inventory = loadInventory(objectRoot, inventoryFile);
  const v = version ?? inventory.head;
  return buildObjectResources({
    inventory,
    version: v,
    headers: loadHeaders(objectRoot, inventory, v),
    originFor: (p) => `file:///root/${p}`,
  });
}

t.test('the migrated AG has seven datastream binaries with header metadata', async (t) => {
  const model = build(migratedRoot);
  t.equal(model.source, 'fedora');
  const ag = model.root as ArchivalGroupResource;
  t.equal(ag.type, 'ArchivalGroup');
  t.equal(ag.fedoraId, 'info:fedora/1711.dl:UWPAbout');
  t.equal(ag.name, '1711.dl:UWPAbout');
  t.equal(ag.lastModified, '2019-07-25T17:43:56.259Z');
  t.same(ag.version, {
    ocflVersion: 'v1',
    mementoDateTime: '2019-07-01T17:12:45Z',
    mementoTimestamp: '20190701171245',
  });
  t.same(
    ag.binaries.map((b) => b.path),
    ['ADMINMD', 'AUDIT', 'BIB0', 'DC', 'REF', 'RELS-EXT', 'THUMB'],
  );
  t.same(ag.containers, []);
  const ref = findResource(model, 'REF') as BinaryResource;
  t.equal(ref.contentType, 'image/jpeg');
  t.equal(ref.size, 238194);
  t.equal(ref.name, 'REF');
  t.equal(ref.partOf, '');
  t.equal(ref.contentPath, 'v1/content/REF');
  t.equal(ref.origin, 'file:///root/v1/content/REF');
  t.equal(ref.digests['sha512']?.slice(0, 16), '35de8d400e7502e9');
  t.equal(ref.digest, undefined, 'no SHA-256 is recorded for migrated datastreams');
  t.equal(ref.createdBy, 'fedoraAdmin');
  t.notOk(model.byPath.has('REF/fcr:metadata'), 'descriptions are not resources');
});

t.test('the three-version object: names and content follow the chosen version', async (t) => {
  const v1 = build(threeVersions, 'v1');
  const ds1v1 = findResource(v1, 'DS1') as BinaryResource;
  t.equal(ds1v1.name, 'Example inline XML datastream');
  t.equal(ds1v1.size, 34);
  t.equal(ds1v1.contentPath, 'v1/content/DS1');
  t.ok(
    hasCode(
      t.throws(() => findResource(v1, 'RELS-INT')),
      'NOT_FOUND',
    ),
  );
  const v3 = build(threeVersions, 'v3');
  const ds1v3 = findResource(v3, 'DS1') as BinaryResource;
  t.equal(ds1v3.name, 'datastream.xml');
  t.equal(ds1v3.size, 50);
  t.equal(ds1v3.contentPath, 'v2/content/DS1', 'v3 inherits the v2 bytes');
  t.equal((findResource(v3, 'RELS-INT') as BinaryResource).name, 'Internal Datastream Relations');
  const ag = v3.root as ArchivalGroupResource;
  t.same(
    ag.versions.map((v) => v.mementoTimestamp),
    ['20150127190843', '20150127192040', '20190717203116'],
  );
  t.equal(ag.version.ocflVersion, 'v3');
});

t.test('a standalone Fedora binary object is a Binary root with filename fallback', async (t) => {
  const root = join(
    corpusDir,
    'fcrepo/fcrepo-http-api/src/test/resources/test-rebuild-invalid/7e0/d30/d33/7e0d30d33ceb9225f7bc989c8346778837fabedd8b55c0ca00d051d41d23a0a2',
  );
  const model = build(root);
  const bin = model.root as BinaryResource;
  t.equal(bin.type, 'Binary');
  t.equal(bin.name, 'binary', 'empty filename falls back to the last id segment');
  t.equal(bin.size, 4);
  t.equal(bin.contentType, 'text/plain');
  t.equal(bin.partOf, undefined);
  t.equal(bin.contentPath, 'v1/content/binary');
});

t.test('the repository root object is a Container named after nothing', async (t) => {
  const root = join(
    corpusDir,
    'fcrepo/fcrepo-http-api/src/test/resources/test-rebuild-invalid/141/964/af8/141964af842132b7a706ed010474c410514b472acc0d7d8f805c23e748578b8b',
  );
  const model = build(root);
  t.equal(model.root.type, 'Container');
  t.equal(model.root.fedoraId, 'info:fedora');
  t.equal(model.root.created, '2020-07-08T20:06:52.508494Z');
});

t.test('pre-release Fedora: AG with binaries found by id, no contentPath in headers', async (t) => {
  const model = build(join(preRelease, 'd0/d3/74/ddf62d41-d04c-47f6-b0c4-d7691daa3554'));
  t.equal(model.root.type, 'ArchivalGroup');
  const ag = model.root as ContainerResource;
  t.same(
    ag.binaries.map((b) => [b.path, b.contentPath, b.contentType]),
    [
      ['child1', 'v4/content/child1', 'application/octet-stream'],
      ['child2', 'v3/content/child2', 'application/octet-stream'],
    ],
  );
  t.equal(findResource(model, 'child1').lastModified, '2020-05-01T13:49:41.845535Z');
});

t.test('pre-release mutable head: nested containers from header ids', async (t) => {
  const objectRoot = join(preRelease, '8e/a4/1a/1199fa04-39f1-4888-9fd8-d49dfa5459dc');
  const model = build(objectRoot, undefined, 'extensions/mutable-head/HEAD/inventory.json');
  const ag = model.root as ContainerResource;
  t.equal(ag.type, 'ArchivalGroup');
  t.same(
    ag.containers.map((c) => c.path),
    ['child'],
  );
  t.same(
    ag.containers[0]!.containers.map((c) => c.name),
    ['grandchild'],
  );
  t.equal(findResource(model, 'child/grandchild').partOf, '');
});

function tombstoneInventory(): Inventory {
  return {
    id: 'info:fedora/ag',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: 'v2',
    manifest: {
      r: ['v1/content/.fcrepo/fcr-root.json'],
      g1: ['v1/content/.fcrepo/gone.json'],
      g2: ['v2/content/.fcrepo/gone.json'],
      b: ['v1/content/gone'],
    },
    versions: {
      v1: {
        created: '2024-01-01T00:00:00Z',
        state: { r: ['.fcrepo/fcr-root.json'], g1: ['.fcrepo/gone.json'], b: ['gone'] },
      },
      v2: {
        created: '2024-01-02T00:00:00Z',
        state: { r: ['.fcrepo/fcr-root.json'], g2: ['.fcrepo/gone.json'] },
      },
    },
  };
}

t.test('a deleted:true header is a tombstone: lookup is Gone, not NotFound', async (t) => {
  const inventory = tombstoneInventory();
  const headers = new Map([
    [
      '.fcrepo/fcr-root.json',
      {
        id: 'info:fedora/ag',
        archivalGroup: true,
        objectRoot: true,
        deleted: false,
        digests: [],
        interactionModel: 'http://www.w3.org/ns/ldp#BasicContainer',
      },
    ],
    [
      '.fcrepo/gone.json',
      {
        id: 'info:fedora/ag/gone',
        archivalGroup: false,
        objectRoot: false,
        deleted: true,
        digests: [],
        lastModifiedDate: '2024-01-02T00:00:00Z',
        interactionModel: 'http://www.w3.org/ns/ldp#NonRDFSource',
      },
    ],
  ]);
  const model = buildObjectResources({ inventory, version: 'v2', headers });
  t.same(model.tombstones, [
    { path: 'gone', type: 'Binary', fedoraId: 'info:fedora/ag/gone', deleted: '2024-01-02T00:00:00Z' },
  ]);
  const err = t.throws(() => findResource(model, 'gone'));
  t.ok(hasCode(err, 'GONE'));
  t.ok(
    hasCode(
      t.throws(() => findResource(model, 'never')),
      'NOT_FOUND',
    ),
  );
});

t.test('plain OCFL: directories become Containers, files Binaries, removed files tombstones', async (t) => {
  const inventory: Inventory = {
    id: 'ark:/1/x',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: 'v2',
    manifest: {
      a1: ['v1/content/objects/a b.txt'],
      b1: ['v1/content/old.txt'],
      a2: ['v2/content/objects/a b.txt'],
      m: ['v1/content/mets.xml'],
    },
    versions: {
      v1: {
        created: '2024-01-01T00:00:00Z',
        user: { name: 'Ann', address: 'mailto:ann@example.org' },
        state: { a1: ['objects/a b.txt'], b1: ['old.txt'], m: ['mets.xml'] },
      },
      v2: {
        created: '2024-02-01T00:00:00Z',
        user: { name: 'Bob' },
        state: { a2: ['objects/a b.txt'], m: ['mets.xml'] },
      },
    },
    fixity: { sha256: { ffee: ['v1/content/mets.xml'] }, size: { '12': ['v1/content/mets.xml'] } },
  };
  const model = buildObjectResources({ inventory, version: 'v2' });
  t.equal(model.source, 'ocfl');
  const ag = model.root as ArchivalGroupResource;
  t.equal(ag.type, 'ArchivalGroup');
  t.equal(ag.name, 'ark:/1/x');
  t.equal(ag.createdBy, 'mailto:ann@example.org');
  t.equal(ag.lastModifiedBy, 'Bob');
  t.same(
    ag.containers.map((c) => c.path),
    ['objects'],
  );
  const objects = ag.containers[0]!;
  t.equal(objects.partOf, '');
  t.equal(objects.created, '2024-01-01T00:00:00Z');
  t.equal(objects.lastModified, '2024-02-01T00:00:00Z');
  const ab = objects.binaries[0]!;
  t.equal(ab.name, 'a b.txt');
  t.equal(ab.contentPath, 'v2/content/objects/a b.txt');
  t.equal(ab.created, '2024-01-01T00:00:00Z');
  t.equal(ab.lastModified, '2024-02-01T00:00:00Z');
  const mets = findResource(model, 'mets.xml') as BinaryResource;
  t.equal(mets.digest, 'ffee');
  t.equal(mets.size, 12);
  t.equal(mets.lastModified, '2024-01-01T00:00:00Z', 'unchanged content keeps its first date');
  t.ok(
    hasCode(
      t.throws(() => findResource(model, 'old.txt')),
      'GONE',
    ),
  );
  const atV1 = buildObjectResources({ inventory, version: 'v1' });
  t.equal(findResource(atV1, 'old.txt').type, 'Binary');
  t.same(atV1.tombstones, []);
});
