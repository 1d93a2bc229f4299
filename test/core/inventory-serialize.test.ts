/**
 * Inventories written as a stream of chunks are byte for byte what serializeInventory writes,
 * whatever the chunk size, key order in memory, escapes or numeric-looking keys.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import type { Inventory } from '../../lib/core/inventory.js';
import { parseInventory, serializeInventory } from '../../lib/core/ocfl/inventory-parse.js';
import { inventoryChunks } from '../../lib/core/ocfl/inventory-serialize.js';

function digest(s: string): string {
  return createHash('sha512').update(s).digest('hex');
}

function sample(n: number, scrambled: boolean): Inventory {
  const manifest: Record<string, string[]> = Object.create(null);
  const state: Record<string, string[]> = Object.create(null);
  const names = ['z.txt', 'a "quoted" \\ name', 'ünï/😀.bin', 'line\u2028sep', 'ctl\u0001x', 'lone\ud800'];
  for (let i = 0; i < n; i++) {
    const d = i % 7 === 0 ? String(1000 - i) : digest(String(i)); // some keys are array indices
    const paths = [`v1/content/${names[i % names.length]}-${i}`, `v1/content/b-${i}`];
    manifest[d] = scrambled ? paths.reverse() : paths;
    state[d] = paths.map((p) => p.slice('v1/content/'.length));
  }
  return {
    id: 'info:fedora/x "y"',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: 'v10',
    contentDirectory: 'content',
    fixity: Object.assign(Object.create(null), {
      sha256: { [digest('f')]: ['v1/content/b-1'] },
      md5: {},
      '7': {},
    }),
    manifest,
    versions: Object.assign(Object.create(null), {
      v10: { created: '2024-01-10T00:00:00Z', state: Object.create(null) },
      v2: { created: '2024-01-02T00:00:00Z', message: 'm', user: { name: 'n' }, state },
      v1: { created: '2024-01-01T00:00:00Z', message: '', user: { name: 'n', address: 'mailto:n@x' }, state },
    }),
  };
}

t.test('chunks concatenate to serializeInventory, for every chunk size', async (t) => {
  for (const inv of [sample(0, false), sample(50, false), sample(50, true), sample(2000, true)]) {
    const expected = Buffer.from(serializeInventory(inv));
    for (const size of [1, 100, 4096, 1 << 18]) {
      const chunks = [...inventoryChunks(inv, size)];
      t.ok(
        Buffer.concat(chunks).equals(expected),
        `${Object.keys(inv.manifest).length} entries, chunks of ${size}`,
      );
      if (size === 4096 && expected.length > 100_000) t.ok(chunks.length > 10, `${chunks.length} chunks`);
    }
  }
});

t.test('what is written reads back as the same inventory', async (t) => {
  const inv = sample(300, true);
  const parsed = parseInventory(Buffer.concat([...inventoryChunks(inv)]));
  t.ok(parsed.inventory);
  t.equal(parsed.inventory!.head, 'v10');
  t.same(Object.keys(parsed.inventory!.versions), ['v1', 'v2', 'v10']);
});
