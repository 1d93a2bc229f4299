/**
 * One contract for every InventoryCache implementation: memory and LMDB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { LmdbCache } from '../../lib/cache/lmdb-cache.js';
import { MemoryCache } from '../../lib/cache/memory-cache.js';
import { headerCacheKey, type InventoryCache, objectCacheKey } from '../../lib/cache/port.js';

interface Subject {
  name: string;
  make(): Promise<{
    cache: InventoryCache;
    reopen?: () => Promise<InventoryCache>;
    cleanup(): Promise<void>;
  }>;
}

const subjects: Subject[] = [
  {
    name: 'MemoryCache',
    async make() {
      const cache = new MemoryCache();
      return { cache, cleanup: async () => cache.close() };
    },
  },
  {
    name: 'LmdbCache',
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'strongroom-cache-'));
      let cache = LmdbCache.open({ path: dir });
      return {
        cache,
        reopen: async () => {
          await cache.close();
          cache = LmdbCache.open({ path: dir });
          return cache;
        },
        cleanup: async () => {
          await cache.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

for (const subject of subjects) {
  t.test(subject.name, async (t) => {
    const { cache, reopen, cleanup } = await subject.make();
    t.teardown(cleanup);

    t.test('a missing key is undefined, not an error', async (t) => {
      t.equal(await cache.get('nope'), undefined);
    });

    t.test('put then get returns an equal structure, binary included', async (t) => {
      const value = {
        kind: 'x',
        n: 42,
        list: ['a', 'b\nc', 'é'],
        nested: { deep: [1, 2, { t: true }] },
        bytes: new Uint8Array(Uint32Array.from([1, 2, 3, 0xffffffff]).buffer),
      };
      await cache.put('k1', value);
      const got = (await cache.get('k1')) as typeof value;
      t.same({ ...got, bytes: undefined }, { ...value, bytes: undefined });
      t.same([...new Uint8Array(got.bytes)], [...value.bytes]);
    });

    t.test('put replaces; delete forgets; deleting a missing key is fine', async (t) => {
      await cache.put('k2', 'one');
      await cache.put('k2', 'two');
      t.equal(await cache.get('k2'), 'two');
      await cache.delete?.('k2');
      t.equal(await cache.get('k2'), undefined);
      await cache.delete?.('never-there');
    });

    t.test('a changed sidecar digest is a different key', async (t) => {
      const a = objectCacheKey('file:///r/obj', ['AA11']);
      const b = objectCacheKey('file:///r/obj', ['bb22']);
      t.not(a, b);
      t.equal(a, objectCacheKey('file:///r/obj', ['aa11']), 'digest case does not matter');
      await cache.put(a, 'old');
      t.equal(await cache.get(b), undefined);
      t.not(headerCacheKey('sha512', 'aa'), headerCacheKey('sha256', 'aa'));
    });

    t.test('very long keys work', async (t) => {
      const key = objectCacheKey(`s3://bucket/${'deep/'.repeat(600)}obj`, ['ab'.repeat(64)]);
      t.ok(key.length > 2000);
      await cache.put(key, { ok: true });
      t.same(await cache.get(key), { ok: true });
      t.equal(await cache.get(`${key}x`), undefined);
    });

    if (reopen) {
      t.test('values survive closing and reopening', async (t) => {
        await cache.put('persist', { v: 1 });
        const again = await reopen();
        t.same(await again.get('persist'), { v: 1 });
      });
    }
  });
}

t.test('MemoryCache evicts the least recently used entry', async (t) => {
  const cache = new MemoryCache({ maxEntries: 2 });
  await cache.put('a', 1);
  await cache.put('b', 2);
  await cache.get('a');
  await cache.put('c', 3);
  t.equal(await cache.get('b'), undefined);
  t.equal(await cache.get('a'), 1);
  t.equal(cache.size, 2);
});
