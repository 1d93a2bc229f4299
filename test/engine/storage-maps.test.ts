import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import t from 'tap';
import { MemoryCache } from '../../lib/cache/memory-cache.js';
import { hasCode } from '../../lib/core/errors.js';
import { getStorageMap } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import {
  agRoot,
  countingStore,
  fsStore,
  migratedRoot,
  preReleaseRoot,
  rebuildRoot,
  threeVersionRoot,
} from './helpers.js';

const AG_ID = 'info:fedora/kickoff/tuesday-1';
const AG_PATH = '35e/463/7ea/35e4637ea335e89bc2dfd95c0719a247590af4144615599e265a22070d822555';

function sha256File(...parts: string[]): string {
  return createHash('sha256')
    .update(readFileSync(join(...parts)))
    .digest('hex');
}

t.test(
  'a Fedora AG with SHA-256 headers: the spec shape, spaces encoded on disk, housekeeping left out',
  async (t) => {
    const root = await openStorageRoot(fsStore(agRoot));
    const map = await getStorageMap(root, AG_ID);
    const png = sha256File(agRoot, AG_PATH, 'v1/content/objects/Teto%20in%20tree.png');
    const mets = sha256File(agRoot, AG_PATH, 'v2/content/mets.xml');
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
      storageType: 'file',
      root: agRoot,
      objectPath: AG_PATH,
      files: {
        'mets.xml': { hash: mets, fullPath: 'v2/content/mets.xml' },
        'objects/Teto in tree.png': { hash: png, fullPath: 'v1/content/objects/Teto%20in%20tree.png' },
      },
      hashes: { [mets]: 'v2/content/mets.xml', [png]: 'v1/content/objects/Teto%20in%20tree.png' },
      archivalGroup: AG_ID,
    });
  },
);

t.test('version by OCFL name or memento; bad and unknown versions are clear errors', async (t) => {
  const root = await openStorageRoot(fsStore(agRoot));
  const v1 = await getStorageMap(root, AG_ID, { version: 'v1' });
  t.same(Object.keys(v1.files).sort(), ['mets.xml', 'objects/Teto in tree.png', 'objects/old.txt']);
  t.equal(v1.files['mets.xml']?.fullPath, 'v1/content/mets.xml');
  t.equal(v1.headVersion.ocflVersion, 'v2');
  const byMemento = await getStorageMap(root, AG_ID, { version: '20250909110722' });
  t.same(byMemento.version, v1.version);
  const unknown = await getStorageMap(root, AG_ID, { version: 'v7' }).catch((e: unknown) => e);
  t.ok(hasCode(unknown, 'NOT_FOUND'));
  t.match((unknown as Error).message, /no version v7 \(versions: v1, v2\)/);
  t.ok(
    hasCode(
      await getStorageMap(root, AG_ID, { version: '20200101000000' }).catch((e: unknown) => e),
      'NOT_FOUND',
    ),
  );
  t.ok(
    hasCode(
      await getStorageMap(root, AG_ID, { version: 'latest' }).catch((e: unknown) => e),
      'INVALID_INPUT',
    ),
  );
  t.ok(hasCode(await getStorageMap(root, 'info:fedora/nope').catch((e: unknown) => e), 'NOT_FOUND'));
});

t.test('archivalGroup becomes a Fedora URL when a base URL is configured', async (t) => {
  const root = await openStorageRoot(fsStore(agRoot));
  const map = await getStorageMap(root, AG_ID, { fedoraBaseUrl: 'https://fedora.example/fcrepo/rest' });
  t.equal(map.archivalGroup, 'https://fedora.example/fcrepo/rest/kickoff/tuesday-1');
});

t.test('the storage root under a prefix: root is the storage root directory', async (t) => {
  const root = await openStorageRoot(fsStore(dirname(agRoot)), { prefix: 'ag-root' });
  const map = await getStorageMap(root, AG_ID);
  t.equal(map.root, agRoot);
  t.equal(map.objectPath, AG_PATH);
});

t.test('migrated objects record no SHA-256: sha512 hashes, named by digestAlgorithm', async (t) => {
  const root = await openStorageRoot(fsStore(migratedRoot));
  const map = await getStorageMap(root, 'info:fedora/1711.dl:UWPAbout');
  t.equal(map.digestAlgorithm, 'sha512');
  t.same(Object.keys(map.files).sort(), ['ADMINMD', 'AUDIT', 'BIB0', 'DC', 'REF', 'RELS-EXT', 'THUMB']);
  const thumb = map.files['THUMB']!;
  t.equal(thumb.fullPath, 'v1/content/THUMB');
  t.equal(
    thumb.hash,
    createHash('sha512')
      .update(readFileSync(join(migratedRoot, map.objectPath, thumb.fullPath)))
      .digest('hex'),
  );
  t.equal(map.hashes[thumb.hash], 'v1/content/THUMB');
});

t.test('the three-version object: inherited bytes point at the version that stored them', async (t) => {
  const root = await openStorageRoot(fsStore(threeVersionRoot));
  const id = 'info:fedora/1711.dl:FEG6WWJ664RHQ8X';
  const v3 = await getStorageMap(root, id);
  t.same(v3.files['DS1']?.fullPath, 'v2/content/DS1');
  t.same(v3.files['RELS-INT']?.fullPath, 'v3/content/RELS-INT');
  t.same(
    v3.allVersions.map((v) => `${v.ocflVersion}@${v.mementoTimestamp}`),
    ['v1@20150127190843', 'v2@20150127192040', 'v3@20190717203116'],
  );
  const v1 = await getStorageMap(root, id, { version: '20150127190843' });
  t.same(Object.keys(v1.files), ['DS1']);
  t.equal(v1.files['DS1']?.fullPath, 'v1/content/DS1');
});

t.test('the Fedora binary object and the repository root object', async (t) => {
  const root = await openStorageRoot(fsStore(rebuildRoot));
  const binary = await getStorageMap(root, 'info:fedora/binary');
  t.same(Object.keys(binary.files), ['binary']);
  t.equal(binary.files['binary']?.fullPath, 'v1/content/binary');
  t.equal(binary.objectPath, '7e0/d30/d33/7e0d30d33ceb9225f7bc989c8346778837fabedd8b55c0ca00d051d41d23a0a2');
  t.same((await getStorageMap(root, 'info:fedora')).files, {}, 'only housekeeping files');
});

t.test('a mutable head is the newest version unless excluded', async (t) => {
  const root = await openStorageRoot(fsStore(preReleaseRoot));
  const id = '1199fa04-39f1-4888-9fd8-d49dfa5459dc';
  const head = await getStorageMap(root, id);
  t.equal(head.version.ocflVersion, 'v2');
  t.equal(head.files['child.nt']?.fullPath, 'extensions/mutable-head/HEAD/content/r2/child.nt');
  const committed = await getStorageMap(root, id, { includeMutableHead: false });
  t.equal(committed.version.ocflVersion, 'v1');
  t.same(committed.files, {});
});

t.test('storage maps from a warm cache equal cold ones and read only the sidecar', async (t) => {
  const cache = new MemoryCache();
  const store = countingStore(fsStore(agRoot));
  const root = await openStorageRoot(store, { cache });
  const cold = await getStorageMap(root, AG_ID);
  store.reads.length = 0;
  const warm = await getStorageMap(root, AG_ID);
  t.same(warm, cold);
  t.same(store.reads, [`${AG_PATH}/inventory.json.sha512`]);
});
