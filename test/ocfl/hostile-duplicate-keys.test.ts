/**
 * Duplicate JSON keys in an inventory are reported with the key and where it is, never resolved
 * silently by JSON.parse keeping the last one; the same key in different objects is no duplicate.
 */
import t from 'tap';
import { findDuplicateKeys } from '../../lib/core/json-scan.js';
import { parseInventory } from '../../lib/core/ocfl/inventory-parse.js';
import { readObject } from '../../lib/engine/object-reader.js';
import { validateObject } from '../../lib/engine/validate/index.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { writeToStore } from './build-object.js';
import { HELLO_SHA512, inventoryText, objectWithInventory } from './hostile-fixtures.js';

const D = HELLO_SHA512;
const E = 'e'.repeat(128);
const block = (state: string) =>
  `{"created": "2024-01-01T00:00:00Z", "message": "m", "user": {"name": "n", "address": "mailto:n@example.org"}, "state": ${state}}`;

const cases: Array<{ label: string; text: string; key: string; where: RegExp; code: string }> = [
  {
    label: 'two equal manifest digests',
    text: inventoryText({ manifest: `{"${D}": ["v1/content/a.txt"], "${D}": ["v1/content/b.txt"]}` }),
    key: D,
    where: /"manifest"/,
    code: 'E096',
  },
  {
    label: 'two head keys',
    text: inventoryText().replace('"head": "v1"', '"head": "v1", "head": "v2"'),
    key: 'head',
    where: /the top level/,
    code: 'E033',
  },
  {
    label: 'two v1 versions',
    text: inventoryText({ versions: `{"v1": ${block(`{"${D}": ["a.txt"]}`)}, "v1": ${block('{}')}}` }),
    key: 'v1',
    where: /"versions"/,
    code: 'E033',
  },
  {
    label: 'two equal state digests',
    text: inventoryText({ versions: `{"v1": ${block(`{"${D}": ["a.txt"], "${D}": ["b.txt"]}`)}}` }),
    key: D,
    where: /"versions\.v1\.state"/,
    code: 'E033',
  },
  {
    label: 'two equal fixity digests',
    text: inventoryText({
      fixity: `{"md5": {"${'0'.repeat(32)}": ["v1/content/a.txt"], "${'0'.repeat(32)}": []}}`,
    }),
    key: '0'.repeat(32),
    where: /"fixity\.md5"/,
    code: 'E097',
  },
  {
    label: 'a key spelled once plainly and once with an escape',
    text: inventoryText().replace('"head": "v1"', '"head": "v1", "he\\u0061d": "v1"'),
    key: 'head',
    where: /the top level/,
    code: 'E033',
  },
];

for (const c of cases) {
  t.test(`${c.label}: reported by the validator and refused by the reader`, async (t) => {
    const parsed = parseInventory(Buffer.from(c.text), { path: 'inventory.json' });
    const issue = parsed.issues.find((i) => i.message.includes('more than once'));
    t.ok(issue, 'a duplicate-key issue');
    t.equal(issue?.code, c.code);
    t.equal(issue?.severity, 'error');
    t.ok(issue?.message.includes(c.key.slice(0, 40)), 'names the key');
    t.match(issue?.message, c.where, 'says where it is');

    const store = new MemoryStore();
    await writeToStore(store, objectWithInventory(c.text), 'o');
    const report = await validateObject(store, 'o');
    t.equal(report.valid, false);
    t.ok(report.has(c.code as never));
    const err = await readObject(store, 'o').catch((e: unknown) => e);
    t.match(err, { code: 'INVALID_OBJECT', message: /appears twice/ });
  });
}

t.test('the same key in different objects is not a duplicate', async (t) => {
  const text = inventoryText({
    manifest: `{"${D}": ["v1/content/a.txt"], "${E}": ["v2/content/b.txt"]}`,
    versions: `{"v1": ${block(`{"${D}": ["a.txt"]}`)}, "v2": ${block(`{"${D}": ["a.txt"], "${E}": ["b.txt"]}`)}}`,
  });
  t.same(findDuplicateKeys(Buffer.from(text)), []);
  t.same(findDuplicateKeys(Buffer.from(`[${text}, ${text}]`)), [], 'two inventories in one array');
  t.same(findDuplicateKeys(Buffer.from('{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}')), []);
});

t.test('strings that look like keys inside values and escaped quotes do not confuse the scan', async (t) => {
  const text = '{"m": "\\"a\\": 1, \\"a\\": 2", "a": "x:y", "list": ["a", "a"], "b\\\\": 1, "b\\\\": 2}';
  const found = findDuplicateKeys(Buffer.from(text));
  t.same(
    found.map((d) => [d.key, d.where]),
    [['b\\', '(top level)']],
  );
});

t.test('a hostile number of duplicates is reported up to the limit', async (t) => {
  const text = `{${Array.from({ length: 10_000 }, () => '"k": 1').join(', ')}}`;
  t.equal(findDuplicateKeys(Buffer.from(text)).length, 100);
  t.equal(findDuplicateKeys(Buffer.from(text), { limit: 3 }).length, 3);
});

t.test('the scan never throws on text that is not JSON', async (t) => {
  for (const junk of ['', '{', '}}}]]', '{"a', '"\\', '{"a": 1, "a"', '\u0000\u00ff']) {
    t.doesNotThrow(() => findDuplicateKeys(Buffer.from(junk)), JSON.stringify(junk));
  }
});
