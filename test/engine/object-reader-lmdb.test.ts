/**
 * A large object read through the LMDB cache: parsed once, then served from LMDB with the same
 * answers (the cached entry holds binary index tables, so this also pins that they survive
 * lmdb's msgpack encoding inside a nested value).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { LmdbCache } from '../../lib/cache/lmdb-cache.js';
import type { Inventory } from '../../lib/core/inventory.js';
import { readObject } from '../../lib/engine/object-reader.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';

const FILES = 20_000;

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function bigInventory(): Inventory {
  const manifest: Inventory['manifest'] = {};
  const state: Record<string, string[]> = {};
  for (let i = 0; i < FILES; i++) {
    const d = createHash('sha512').update(`file ${i}`).digest('hex');
    manifest[d] = [`v1/content/scans/box ${i % 40}/page-${i}.tif`];
    state[d] = [`scans/box ${i % 40}/page-${i}.tif`];
  }
  const versions: Inventory['versions'] = {};
  for (let v = 1; v <= 4; v++) {
    const mets = createHash('sha512').update(`mets ${v}`).digest('hex');
    manifest[mets] = [`v${v}/content/mets.xml`];
    versions[`v${v}`] = {
      created: `2024-0${v}-01T10:00:00.123456Z`,
      message: `version ${v}`,
      user: { name: 'Ann', address: 'mailto:ann@example.org' },
      state: { ...state, [mets]: ['mets.xml'] },
    };
  }
  return {
    id: 'urn:big',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: 'v4',
    contentDirectory: 'content',
    manifest,
    versions,
    fixity: {},
  };
}

t.test(
  'a 20,000-file, 4-version object: cold parse, then warm reads from LMDB give equal results',
  async (t) => {
    const store = new MemoryStore('big');
    const bytes = Buffer.from(JSON.stringify(bigInventory()));
    await store.write('obj/0=ocfl_object_1.1', 'ocfl_object_1.1\n');
    await store.write('obj/inventory.json', bytes);
    await store.write(
      'obj/inventory.json.sha512',
      `${createHash('sha512').update(bytes).digest('hex')} inventory.json\n`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-lmdb-'));
    let cache = LmdbCache.open({ path: dir });
    t.teardown(async () => {
      await cache.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const cold = await readObject(store, 'obj', { cache });
    t.equal(cold.fromCache, false);
    t.equal(cold.sidecar?.matches, true);
    await cache.close();
    cache = LmdbCache.open({ path: dir }); // a restart: the entry must come from disk
    const warm = await readObject(store, 'obj', { cache });
    t.equal(warm.fromCache, true);
    // Compared as canonical JSON text (keys sorted): tap's structural diff is far too slow for
    // 20,000-entry structures, and object key order carries no meaning in an inventory.
    const same = (a: unknown, b: unknown, what: string) => t.ok(canonical(a) === canonical(b), what);
    t.equal(warm.view.files('v4').length, FILES + 1);
    for (const v of ['v1', 'v4']) same(warm.view.files(v), cold.view.files(v), `${v} files`);
    same([...warm.view.contentDigests('sha512')], [...cold.view.contentDigests('sha512')], 'content digests');
    t.same(warm.view.versions, cold.view.versions);
    same(warm.inventory(), cold.inventory(), 'rebuilt inventory');
  },
);
