import { join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import type { FedoraHeader } from '../../lib/core/fedora/index.js';
import type { Inventory } from '../../lib/core/inventory.js';
import { buildStorageMap } from '../../lib/core/storage-map.js';
import { corpusDir } from '../helpers/paths.js';
import { loadHeaders, loadInventory } from './load-corpus-object.js';

const place = { storageType: 'S3' as const, root: 'bucket', objectPath: 'p/obj', archivalGroup: 'ag' };

function fedoraLike(): Inventory {
  // A Preservation-API-style AG: sha512 inventory, names with spaces percent-encoded on disk.
  return {
    id: 'info:fedora/kickoff/tuesday-1',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: 'v2',
    contentDirectory: 'content',
    manifest: {
      R: ['v1/content/.fcrepo/fcr-root.json'],
      C: ['v1/content/fcr-container.nt'],
      T: ['v1/content/objects/Teto%20in%20tree.png'],
      TH: ['v1/content/.fcrepo/objects/Teto in tree.png.json'],
      M1: ['v1/content/mets.xml'],
      M2: ['v2/content/mets.xml'],
      D: ['v1/content/objects/fcr-container.nt'],
      DD: ['v1/content/objects/Teto in tree.png~fcr-desc.nt'],
    },
    versions: {
      v1: {
        created: '2025-09-09T11:07:22.035664Z',
        state: {
          R: ['.fcrepo/fcr-root.json'],
          C: ['fcr-container.nt'],
          T: ['objects/Teto in tree.png'],
          TH: ['.fcrepo/objects/Teto in tree.png.json'],
          M1: ['mets.xml'],
          D: ['objects/fcr-container.nt'],
          DD: ['objects/Teto in tree.png~fcr-desc.nt'],
        },
      },
      v2: {
        created: '2025-09-09T11:09:44.900134Z',
        state: {
          R: ['.fcrepo/fcr-root.json'],
          C: ['fcr-container.nt'],
          T: ['objects/Teto in tree.png'],
          M2: ['mets.xml'],
        },
      },
    },
    fixity: { sha256: { '0369e6': ['v2/content/mets.xml'], ab12: ['v1/content/mets.xml'] } },
  };
}

function header(contentPath: string, sha256?: string): FedoraHeader {
  return {
    contentPath,
    digests: sha256 ? [{ algorithm: 'sha256', hex: sha256 }] : [],
    archivalGroup: false,
    objectRoot: false,
    deleted: false,
  };
}

t.test(
  'the spec shape: versions, files and hashes through the manifest, housekeeping left out',
  async (t) => {
    const headers = new Map([
      ['.fcrepo/objects/Teto in tree.png.json', header('objects/Teto in tree.png', '11a88f')],
    ]);
    const map = buildStorageMap({ ...place, inventory: fedoraLike(), version: 'v2', headers });
    t.same(map, {
      version: {
        ocflVersion: 'v2',
        mementoDateTime: '2025-09-09T11:09:44.900134Z',
        mementoTimestamp: '20250909110944',
      },
      headVersion: {
        ocflVersion: 'v2',
        mementoDateTime: '2025-09-09T11:09:44.900134Z',
        mementoTimestamp: '20250909110944',
      },
      allVersions: [
        {
          ocflVersion: 'v1',
          mementoDateTime: '2025-09-09T11:07:22.035664Z',
          mementoTimestamp: '20250909110722',
        },
        {
          ocflVersion: 'v2',
          mementoDateTime: '2025-09-09T11:09:44.900134Z',
          mementoTimestamp: '20250909110944',
        },
      ],
      storageType: 'S3',
      root: 'bucket',
      objectPath: 'p/obj',
      files: {
        'mets.xml': { hash: '0369e6', fullPath: 'v2/content/mets.xml' },
        'objects/Teto in tree.png': { hash: '11a88f', fullPath: 'v1/content/objects/Teto%20in%20tree.png' },
      },
      hashes: { '0369e6': 'v2/content/mets.xml', '11a88f': 'v1/content/objects/Teto%20in%20tree.png' },
      archivalGroup: 'ag',
    });
  },
);

t.test('an older version maps its own files; headVersion stays the head', async (t) => {
  const headers = new Map([
    ['.fcrepo/objects/Teto in tree.png.json', header('objects/Teto in tree.png', '11a88f')],
  ]);
  const map = buildStorageMap({ ...place, inventory: fedoraLike(), version: 'v1', headers });
  t.equal(map.version.ocflVersion, 'v1');
  t.equal(map.headVersion.ocflVersion, 'v2');
  t.same(map.files['mets.xml'], { hash: 'ab12', fullPath: 'v1/content/mets.xml' });
  t.same(Object.keys(map.files).sort(), ['mets.xml', 'objects/Teto in tree.png']);
});

t.test(
  'without a SHA-256 for every file the map falls back to inventory digests and names them',
  async (t) => {
    const map = buildStorageMap({ ...place, inventory: fedoraLike(), version: 'v2' });
    t.equal(map.digestAlgorithm, 'sha512');
    t.same(map.files['mets.xml'], { hash: 'm2', fullPath: 'v2/content/mets.xml' });
    t.equal(map.hashes['t'], 'v1/content/objects/Teto%20in%20tree.png');
  },
);

t.test(
  'a sha256 inventory needs nothing else; plain objects keep files named like Fedora files',
  async (t) => {
    const inventory: Inventory = {
      id: 'plain',
      type: 'https://ocfl.io/1.1/spec/#inventory',
      digestAlgorithm: 'sha256',
      head: 'v1',
      manifest: { AA: ['v1/content/fcr-container.nt'], bb: ['v1/content/x', 'v1/content/y'] },
      versions: {
        v1: { created: '2024-01-01T00:00:00Z', state: { AA: ['fcr-container.nt'], bb: ['x', 'y'] } },
      },
    };
    const map = buildStorageMap({ ...place, inventory, version: 'v1' });
    t.equal(map.digestAlgorithm, undefined);
    t.same(map.files, {
      'fcr-container.nt': { hash: 'aa', fullPath: 'v1/content/fcr-container.nt' },
      x: { hash: 'bb', fullPath: 'v1/content/x' },
      y: { hash: 'bb', fullPath: 'v1/content/x' },
    });
    t.same(map.hashes, { aa: 'v1/content/fcr-container.nt', bb: 'v1/content/x' });
    t.ok(
      hasCode(
        t.throws(() => buildStorageMap({ ...place, inventory, version: 'v9' })),
        'NOT_FOUND',
      ),
    );
  },
);

t.test('the migrated corpus AG: seven datastreams, sha512 fallback, no bookkeeping', async (t) => {
  const objectRoot = join(
    corpusDir,
    'fcrepo-migration-validator/src/test/resources/test-object-validation/valid/f6/data/ocfl-root',
    '9b4/ebf/059/9b4ebf059a37e0e30da97bfd4c5b21fee07fbc980bae3bab3f3aedfdbf6b3f51',
  );
  const inventory = loadInventory(objectRoot);
  const map = buildStorageMap({
    ...place,
    inventory,
    version: 'v1',
    headers: loadHeaders(objectRoot, inventory, 'v1'),
  });
  t.same(Object.keys(map.files).sort(), ['ADMINMD', 'AUDIT', 'BIB0', 'DC', 'REF', 'RELS-EXT', 'THUMB']);
  t.equal(map.digestAlgorithm, 'sha512');
  t.equal(map.files['REF']?.hash.slice(0, 16), '35de8d400e7502e9');
  t.equal(map.version.mementoTimestamp, '20190701171245');
});
