import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  isInventorySnapshot,
  snapshotInventory,
  snapshotToInventory,
  snapshotView,
} from '../../lib/cache/inventory-snapshot.js';
import { LmdbCache } from '../../lib/cache/lmdb-cache.js';
import type { Inventory } from '../../lib/core/inventory.js';
import { buildStorageMap } from '../../lib/core/storage-map.js';
import { inventoryView } from '../../lib/core/versions.js';

function small(): Inventory {
  return {
    id: 'urn:x',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: 'v2',
    contentDirectory: 'content',
    manifest: {
      AA: ['v1/content/a%20b.txt'],
      bb: ['v1/content/x', 'v1/content/y'],
      cc: ['v2/content/line\nbreak'],
    },
    versions: {
      v1: {
        created: '2024-01-01T00:00:00Z',
        message: 'first',
        user: { name: 'Ann', address: 'mailto:a@x' },
        state: { aa: ['a b.txt'], bb: ['x', 'z'] },
      },
      v2: { created: '2024-02-01T00:00:00Z', state: { bb: ['x'], cc: ['line\nbreak'] } },
    },
    fixity: { md5: { '0f': ['v1/content/x'] } },
  };
}

t.test('a snapshot rebuilds the same inventory (newlines, case, fixity, metadata)', async (t) => {
  const inv = small();
  const snap = snapshotInventory(inv);
  t.ok(isInventorySnapshot(snap));
  const back = snapshotToInventory(snap);
  // State digests take the manifest's spelling ("aa" was written "AA" in the manifest).
  const expected = small();
  expected.versions.v1!.state = { AA: ['a b.txt'], bb: ['x', 'z'] };
  t.same(back, expected);
});

t.test('the snapshot view answers like the inventory view', async (t) => {
  const inv = small();
  const plain = inventoryView(inv);
  const packed = snapshotView(snapshotInventory(inv));
  for (const v of ['v1', 'v2']) {
    t.same(
      packed.files(v).map((f) => [f.logicalPath, f.contentPath]),
      plain.files(v).map((f) => [f.logicalPath, f.contentPath]),
    );
  }
  t.same([...packed.contentDigests('sha512')], [...plain.contentDigests('sha512')]);
  t.same([...packed.contentDigests('md5')], [...plain.contentDigests('md5')]);
  t.same(packed.fixityAlgorithms, ['md5']);
  t.same(packed.versions['v1'], {
    created: '2024-01-01T00:00:00Z',
    message: 'first',
    user: { name: 'Ann', address: 'mailto:a@x' },
  });
  t.throws(() => packed.files('v3'), { code: 'NOT_FOUND' });
});

t.test('an inventory without a fixity key round-trips without one; {} stays {}', async (t) => {
  const inv = small();
  delete inv.fixity;
  t.equal(snapshotToInventory(snapshotInventory(inv)).fixity, undefined);
  inv.fixity = {};
  t.same(snapshotToInventory(snapshotInventory(inv)).fixity, {});
});

function bigInventory(files: number, versions: number): Inventory {
  const inv: Inventory = {
    id: 'info:fedora/big',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: `v${versions}`,
    contentDirectory: 'content',
    manifest: {},
    versions: {},
  };
  const state: Record<string, string[]> = {};
  for (let i = 0; i < files; i++) {
    const d = createHash('sha512').update(String(i)).digest('hex');
    inv.manifest[d] = [`v1/content/objects/dir${i % 50}/image ${i}.tif`];
    state[d] = [`objects/dir${i % 50}/image ${i}.tif`];
  }
  for (let v = 1; v <= versions; v++) {
    const d = createHash('sha512').update(`mets${v}`).digest('hex');
    inv.manifest[d] = [`v${v}/content/mets.xml`];
    inv.versions[`v${v}`] = { created: `2024-01-0${v}T00:00:00Z`, state: { ...state, [d]: ['mets.xml'] } };
  }
  return inv;
}

// How much faster the warm read is than JSON.parse is a figure, not a test: bench/cache prints it.
t.test('a 20,000-file, 3-version inventory: warm LMDB reads equal cold parses', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-snap-'));
  const cache = LmdbCache.open({ path: dir });
  t.teardown(async () => {
    await cache.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const json = JSON.stringify(bigInventory(20_000, 3));
  const place = { storageType: 'file' as const, root: '/r', objectPath: 'o', archivalGroup: 'ag' };
  const cold = () => buildStorageMap({ ...place, inventory: JSON.parse(json) as Inventory, version: 'v3' });
  const coldMap = cold();
  await cache.put('big', snapshotInventory(JSON.parse(json) as Inventory));
  const warm = async () => {
    const value = await cache.get('big');
    t.ok(isInventorySnapshot(value));
    return buildStorageMap({ ...place, inventory: snapshotView(value as never), version: 'v3' });
  };
  const warmMap = await warm();
  t.equal(Object.keys(warmMap.files).length, 20_001);
  t.same(warmMap, coldMap);
  t.same(snapshotToInventory((await cache.get('big')) as never), JSON.parse(json));
  const view = snapshotView((await cache.get('big')) as never);
  t.equal(view.files('v3').length, 20_001, 'the unpacked view lists every file of v3');
});
