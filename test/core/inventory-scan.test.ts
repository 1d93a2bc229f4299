/**
 * The byte scan that gates inventories agrees with the one path-safety function on every path
 * and with JSON.parse on merged keys, and says "not followed" rather than guess.
 */
import t from 'tap';
import { scanInventoryBytes } from '../../lib/core/ocfl/inventory-scan.js';
import { INVENTORY_PATH_SAFETY } from '../../lib/core/ocfl/path-safety.js';
import { pathSafetyProblems } from '../../lib/core/paths.js';

const D = 'a'.repeat(128);
const PATHS = [
  'a.txt',
  'v1/content/a.txt',
  'dir/..a/b..',
  '.hidden/x',
  'a/.b',
  'résumé/ü.txt',
  '日本/語.txt',
  'a\\b',
  'a\u0001b',
  'a\u0000b',
  '',
  '/abs',
  'a/',
  'a//b',
  './a',
  'a/./b',
  'a/.',
  '.',
  '..',
  '../x',
  'a/../b',
  'a/..',
  'C:/x',
  'c:x',
  'ab:c',
  '1:x',
  'a\\..\\b',
  '\\\\server\\x',
  '"quoted"',
  'x/"/y',
  'a/\u2028/b',
];

function inventory(content: string, logical: string): string {
  return JSON.stringify({
    id: 'x',
    head: 'v1',
    manifest: { [D]: [content] },
    fixity: { md5: { ['0'.repeat(32)]: [content] } },
    versions: {
      v1: { created: 'c', state: { [D]: [logical] }, message: '/not/a/path/', user: { name: '//' } },
    },
  });
}

t.test('unsafe iff the path-safety function says so, for content and logical paths', async (t) => {
  for (const p of PATHS) {
    const unsafe = pathSafetyProblems(p, INVENTORY_PATH_SAFETY).length > 0;
    for (const [text, what] of [
      [inventory(p, 'ok.txt'), 'content path'],
      [inventory('v1/content/ok.txt', p), 'logical path'],
    ] as const) {
      const scan = scanInventoryBytes(Buffer.from(text), JSON.parse(text));
      t.equal(scan.followed, true);
      // U+2028 would split a TAP line: show it escaped.
      const shown = JSON.stringify(p).replace(/\u2028/g, '\\u2028');
      t.equal(scan.unsafe !== undefined, unsafe, `${shown} as ${what}`);
      if (unsafe) t.same(scan.unsafe, { path: p, what });
    }
  }
});

t.test('strings outside path arrays are never taken for paths', async (t) => {
  const text = inventory('v1/content/a', 'a');
  t.equal(scanInventoryBytes(Buffer.from(text), JSON.parse(text)).unsafe, undefined);
});

t.test('merged keys are seen; objects inside arrays are not followed', async (t) => {
  const dup = `{"manifest": {"${D}": ["a"], "${D}": ["b"]}}`;
  t.equal(scanInventoryBytes(Buffer.from(dup), JSON.parse(dup)).keysMerged, true);
  const clean = `{"manifest": {"${D}": ["a"]}, "versions": {"v1": {"state": {"${D}": ["a"]}}}}`;
  t.same(scanInventoryBytes(Buffer.from(clean), JSON.parse(clean)), { followed: true, keysMerged: false });
  const odd = '{"x": [{"a": 1}]}';
  t.equal(scanInventoryBytes(Buffer.from(odd), JSON.parse(odd)).followed, false);
});
