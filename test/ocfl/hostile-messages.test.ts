/**
 * Messages from the OCFL side: wrong types in every field of an inventory give OCFL codes or
 * Strongroom errors, never a raw JavaScript error; no message echoes file content (an
 * inventory that is a copy of /etc/passwd) and long ids and paths are cut.
 */
import t from 'tap';
import { StrongroomError } from '../../lib/core/errors.js';
import { buildObjectResources, parseFedoraHeader } from '../../lib/core/fedora/index.js';
import { parseLayoutDeclaration } from '../../lib/core/layout/index.js';
import { parseInventory, validateInventory } from '../../lib/core/ocfl/index.js';
import { buildStorageMap } from '../../lib/core/storage-map.js';
import { readObject } from '../../lib/engine/object-reader.js';
import { validateObject, validateStorageRoot } from '../../lib/engine/validate/index.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { writeToStore } from './build-object.js';
import { HELLO_SHA512, inventoryText, objectWithInventory, sha512 } from './hostile-fixtures.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';

/** A well-formed inventory as a value: the fuzz replaces one field at a time. */
function baseInventory(): Record<string, unknown> {
  return JSON.parse(
    inventoryText({ fixity: `{"md5": {"${'0'.repeat(32)}": ["v1/content/a.txt"]}}` }),
  ) as Record<string, unknown>;
}

/** Every path to a value in `value` (object keys and array indices). */
function fieldPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...fieldPaths(v, [...at, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...fieldPaths(v, [...at, k]));
  }
  return out;
}

function withField(path: Array<string | number>, replacement: unknown): Record<string, unknown> {
  const inv = baseInventory();
  let node = inv as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = replacement;
  return inv;
}

const WRONG_VALUES: unknown[] = [
  5,
  -1.5,
  true,
  null,
  [],
  [1, 'x'],
  {},
  { d: 'not-an-array' },
  'x',
  'y'.repeat(100_000),
];

t.test(
  'wrong types in every inventory field give codes or Strongroom errors, never raw errors',
  async (t) => {
    const paths = fieldPaths(baseInventory()).filter((p) => p.length > 0);
    let cases = 0;
    const raw: string[] = [];
    for (const path of paths) {
      for (const wrong of WRONG_VALUES) {
        cases++;
        const inv = withField(path, wrong);
        const bytes = Buffer.from(JSON.stringify(inv));
        const label = `${path.join('.')} = ${JSON.stringify(wrong)?.slice(0, 20)}`;
        try {
          const result = validateInventory(inv);
          const parsed = parseInventory(bytes);
          for (const issue of [...result.issues, ...parsed.issues]) {
            if (issue.message.length > 1000)
              raw.push(`${label}: ${issue.code} message of ${issue.message.length}`);
          }
        } catch (err) {
          raw.push(`${label}: validator threw ${(err as Error).message}`);
        }
        const store = new MemoryStore();
        await writeToStore(store, objectWithInventory(bytes.toString('utf8')), 'o');
        try {
          await validateObject(store, 'o');
        } catch (err) {
          raw.push(`${label}: validateObject threw ${(err as Error).message}`);
        }
        const object = await readObject(store, 'o').catch((err: unknown) => {
          if (!(err instanceof StrongroomError))
            raw.push(`${label}: readObject threw ${(err as Error).message}`);
          return undefined;
        });
        if (!object) continue;
        for (const inventory of [object.inventory(), object.view]) {
          try {
            const place = { storageType: 'memory', root: 'r', objectPath: 'o', archivalGroup: 'x' } as const;
            buildStorageMap({ inventory, version: object.view.head, ...place });
            buildObjectResources({ inventory, version: object.view.head });
          } catch (err) {
            if (!(err instanceof StrongroomError))
              raw.push(`${label}: builder threw ${(err as Error).message}`);
          }
        }
      }
    }
    t.ok(cases >= 200, `${cases} cases`);
    t.same(raw, [], 'no raw JavaScript error and no flood');
  },
);

t.test('an inventory that is /etc/passwd: E033 with the position, no line of the file', async (t) => {
  const parsed = parseInventory(Buffer.from(PASSWD), { path: 'inventory.json' });
  t.equal(parsed.issues[0]?.code, 'E033');
  t.notMatch(parsed.issues[0]?.message, /root|bash|daemon/);
  const store = new MemoryStore();
  await writeToStore(store, objectWithInventory(PASSWD), 'o');
  const report = await validateObject(store, 'o');
  for (const issue of report.issues) t.notMatch(issue.message, /root:|bash|daemon/, issue.code);
  const err = (await readObject(store, 'o').catch((e: unknown) => e)) as StrongroomError;
  t.equal(err.code, 'INVALID_OBJECT');
  t.notMatch(err.message, /root:|bash/);
  t.equal(err.cause, undefined, 'the SyntaxError (which quotes the text) is not carried along');
  t.match(parseInventory(Buffer.from('{"id": "x",}')).issues[0]?.message, /position 11/);
});

t.test('Fedora headers and layout files that are not JSON do not echo their text', async (t) => {
  const header = (() => {
    try {
      return parseFedoraHeader(Buffer.from(PASSWD), '.fcrepo/x.json');
    } catch (err) {
      return err as StrongroomError;
    }
  })() as StrongroomError;
  t.equal(header.code, 'MALFORMED');
  t.notMatch(header.message, /root/);
  t.throws(() => parseLayoutDeclaration(PASSWD), { code: 'MALFORMED', message: /^(?!.*root).*$/ });
  const store = new MemoryStore();
  await store.write('0=ocfl_1.1', 'ocfl_1.1\n');
  await store.write('ocfl_layout.json', PASSWD);
  const report = await validateStorageRoot(store);
  t.ok(report.has('E070'));
  for (const issue of report.issues) t.notMatch(issue.message, /root:|bash/);
});

t.test('long ids, version names and paths are cut in messages', async (t) => {
  const longId = `urn:${'i'.repeat(100_000)}`;
  const longPath = `${'p'.repeat(100_000)}.txt`;
  const d = HELLO_SHA512;
  const text = inventoryText({
    id: longId,
    head: `v${'9'.repeat(50_000)}`,
    versions: `{"v1": {"created": "not a date", "state": {"${d}": [${JSON.stringify(`/${longPath}`)}]}}, ${JSON.stringify(`x${'v'.repeat(50_000)}`)}: {}}`,
    manifest: `{"${d}": [${JSON.stringify(`v1/content/${longPath}`)}], ${JSON.stringify('z'.repeat(50_000))}: 5}`,
  });
  const parsed = parseInventory(Buffer.from(text));
  t.ok(parsed.issues.length > 3);
  for (const issue of parsed.issues)
    t.ok(issue.message.length < 1000, `${issue.code}: ${issue.message.length}`);
  const store = new MemoryStore();
  await writeToStore(store, objectWithInventory(text), 'o');
  const report = await validateObject(store, 'o');
  for (const issue of report.issues)
    t.ok(issue.message.length < 1000, `${issue.code}: ${issue.message.length}`);
  const err = (await readObject(store, 'o').catch((e: unknown) => e)) as Error;
  t.ok(err.message.length < 1000, `reader: ${err.message.length}`);
  t.equal(sha512('x').length, 128);
});
