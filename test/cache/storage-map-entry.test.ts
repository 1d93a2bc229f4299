import t from 'tap';
import { expandStorageMap, isStorageMapEntry, packStorageMap } from '../../lib/cache/storage-map-entry.js';
import type { StorageMap } from '../../lib/core/storage-map.js';

const v = (n: number) => ({
  ocflVersion: `v${n}`,
  mementoDateTime: `2024-01-0${n}T00:00:00Z`,
  mementoTimestamp: `2024010${n}000000`,
});

function sample(): StorageMap {
  return {
    version: v(2),
    headVersion: v(2),
    allVersions: [v(1), v(2)],
    storageType: 'file',
    root: '/r',
    objectPath: 'o',
    files: {
      'a.txt': { hash: 'aa', fullPath: 'v1/content/a.txt' },
      'line\nbreak.txt': { hash: 'bb', fullPath: 'v2/content/line\nbreak.txt' },
      'copy.txt': { hash: 'aa', fullPath: 'v1/content/a.txt' },
    },
    hashes: { aa: 'v1/content/a.txt', bb: 'v2/content/line\nbreak.txt', cc: 'v1/content/gone' },
    archivalGroup: 'urn:x',
    digestAlgorithm: 'sha512',
  };
}

t.test('a packed map expands to the same JSON, key order and newlines in paths included', async (t) => {
  const map = sample();
  const entry = packStorageMap(map, 'urn:x');
  t.ok(isStorageMapEntry(entry));
  t.equal(JSON.stringify(expandStorageMap(entry)), JSON.stringify(map));
});

t.test('without digestAlgorithm the expanded map has no such key', async (t) => {
  const { digestAlgorithm: _, ...map } = sample();
  const out = expandStorageMap(packStorageMap(map, 'urn:x'));
  t.notOk('digestAlgorithm' in out);
  t.equal(JSON.stringify(out), JSON.stringify(map));
});

t.test('other values and older schemas are not entries (a cache miss)', async (t) => {
  t.notOk(isStorageMapEntry(undefined));
  t.notOk(isStorageMapEntry({ kind: 'storage-map', schema: 0 }));
  t.notOk(isStorageMapEntry({ kind: 'inventory-snapshot', schema: 1 }));
});
