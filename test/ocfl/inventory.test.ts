import t from 'tap';
import type { Inventory } from '../../lib/core/inventory.js';
import {
  OCFL_CODES,
  type OcflCode,
  parseInventory,
  serializeInventory,
  ValidationReport,
  validateInventory,
} from '../../lib/core/ocfl/index.js';

const D1 = 'a'.repeat(128);
const D2 = 'b'.repeat(128);

/** A small valid 1.1 inventory; each test breaks one thing. */
// biome-ignore lint/suspicious/noExplicitAny: each test reshapes the JSON freely, as a broken inventory would be
function good(): Record<string, any> {
  return {
    id: 'urn:example:1',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: 'v2',
    manifest: { [D1]: ['v1/content/a.txt'], [D2]: ['v2/content/b.txt'] },
    versions: {
      v1: {
        created: '2024-01-02T03:04:05Z',
        message: 'one',
        user: { name: 'A', address: 'mailto:a@example.org' },
        state: { [D1]: ['a.txt'] },
      },
      v2: {
        created: '2024-01-03T03:04:05.123+01:00',
        message: 'two',
        user: { name: 'A', address: 'mailto:a@example.org' },
        state: { [D1]: ['a.txt'], [D2]: ['dir/b.txt'] },
      },
    },
  };
}

function codes(raw: unknown, options = {}): OcflCode[] {
  return [...new Set(validateInventory(raw, options).issues.map((i) => i.code))].sort();
}

t.test('the code table has no removed codes and 1.1-only codes are marked', async (t) => {
  for (const gone of ['E065', 'E068', 'E086', 'E091', 'E109', 'E113', 'W006'])
    t.notOk(gone in OCFL_CODES, gone);
  t.equal(OCFL_CODES.E107.since, '1.1');
  t.equal(OCFL_CODES.W016.severity, 'warning');
  t.equal(Object.keys(OCFL_CODES).filter((c) => c.startsWith('W')).length, 15);
});

t.test('a report is valid with warnings only and keeps one copy of a repeated issue', async (t) => {
  const r = new ValidationReport();
  r.add('W004', 'sha256');
  t.ok(r.valid);
  r.add('E001', 'x', 'junk');
  r.add('E001', 'x', 'junk');
  t.notOk(r.valid);
  t.equal(r.errors.length, 1);
  t.same(r.codes(), ['E001', 'W004']);
});

t.test('a well-formed inventory has no issues', async (t) => {
  t.same(codes(good()), []);
});

t.test('bytes that are not JSON are E033 and still get digests', async (t) => {
  const r = parseInventory(new TextEncoder().encode('{"id": '));
  t.same(
    r.issues.map((i) => i.code),
    ['E033'],
  );
  t.equal(r.inventory, undefined);
  t.match(r.digests.sha512, /^[0-9a-f]{128}$/);
  t.match(r.digests.sha256, /^[0-9a-f]{64}$/);
});

t.test('invalid UTF-8 is E033', async (t) => {
  const r = parseInventory(Uint8Array.from([0x7b, 0xff, 0x7d]));
  t.same(
    r.issues.map((i) => i.code),
    ['E033'],
  );
});

t.test('digests are of the exact bytes', async (t) => {
  const bytes = new TextEncoder().encode(JSON.stringify(good()));
  const r = parseInventory(bytes);
  const { createHash } = await import('node:crypto');
  t.equal(r.digests.sha512, createHash('sha512').update(bytes).digest('hex'));
  t.equal(r.inventory?.head, 'v2');
});

t.test('a missing id, type, digestAlgorithm or head is E036', async (t) => {
  for (const key of ['id', 'type', 'digestAlgorithm', 'head']) {
    const inv = good();
    delete inv[key];
    t.ok(codes(inv).includes('E036'), key);
  }
});

t.test('an unknown top-level key is E102', async (t) => {
  t.same(codes({ ...good(), extra: 1 }), ['E102']);
});

t.test('md5 as digestAlgorithm is E025; sha256 is only W004', async (t) => {
  t.ok(codes({ ...good(), digestAlgorithm: 'md5' }).includes('E025'));
  t.ok(codes({ ...good(), digestAlgorithm: 'sha256' }).includes('W004'));
});

t.test('a type of another spec version than expected is E038', async (t) => {
  t.same(codes(good(), { expectedSpecVersion: '1.0' }), ['E038']);
  t.same(codes({ ...good(), type: 42 }), ['E038']);
});

t.test('head that is not the newest version is E040', async (t) => {
  t.same(codes({ ...good(), head: 'v1' }), ['E040']);
});

t.test('an id that is not a URI is W005', async (t) => {
  t.same(codes({ ...good(), id: 'plain-id' }), ['W005']);
});

t.test('a contentDirectory with "/" is E017, "." or ".." is E018', async (t) => {
  t.ok(codes({ ...good(), contentDirectory: 'a/b' }).includes('E017'));
  t.ok(codes({ ...good(), contentDirectory: '..' }).includes('E018'));
});

t.test('content paths outside <version>/<contentDirectory>/ are E042', async (t) => {
  const inv = good();
  inv.manifest[D2] = ['v2/b.txt'];
  t.same(codes(inv), ['E042']);
  inv.manifest[D2] = ['v9/content/b.txt'];
  t.same(codes(inv), ['E042']);
});

t.test('a custom contentDirectory moves where content paths must be', async (t) => {
  t.ok(codes({ ...good(), contentDirectory: 'stuff' }).includes('E042'));
});

t.test('extra content roots allow mutable-head paths', async (t) => {
  const inv = good();
  inv.manifest[D2] = ['extensions/0005-mutable-head/head/content/r1/b.txt'];
  t.same(codes(inv, { extraContentRoots: ['extensions/0005-mutable-head/head/content'] }), []);
});

t.test('manifest that is not an object is E106 in 1.1', async (t) => {
  t.ok(codes({ ...good(), manifest: [] }).includes('E106'));
});

t.test('a missing versions block is E043, an empty one E008', async (t) => {
  const inv = good();
  delete inv.versions;
  t.ok(codes(inv).includes('E043'));
  t.ok(codes({ ...good(), versions: {} }).includes('E008'));
});

t.test('version sequences: not starting at 1 is E009, a gap is E010', async (t) => {
  const inv = good();
  inv.versions.v3 = inv.versions.v2;
  delete inv.versions.v2;
  inv.head = 'v3';
  inv.manifest[D2] = ['v3/content/b.txt'];
  t.same(codes(inv), ['E010']);
  delete inv.versions.v1;
  inv.manifest[D1] = ['v3/content/a.txt'];
  t.same(codes(inv), ['E009']);
});

t.test('a version key without "v" is E104, a non-positive number E105', async (t) => {
  const inv = good();
  inv.versions['2'] = inv.versions.v2;
  delete inv.versions.v2;
  t.ok(codes(inv).includes('E104'));
  const inv2 = good();
  inv2.versions.v0 = inv2.versions.v2;
  t.ok(codes(inv2).includes('E105'));
});

t.test('zero-padded versions are W001; breaking the padding is E011/E013', async (t) => {
  const inv = good();
  inv.versions = { v01: inv.versions.v1, v02: inv.versions.v2 };
  inv.head = 'v02';
  inv.manifest = { [D1]: ['v01/content/a.txt'], [D2]: ['v02/content/b.txt'] };
  t.same(codes(inv), ['W001']);
  inv.versions.v10 = inv.versions.v02;
  for (let i = 3; i <= 9; i++) inv.versions[`v0${i}`] = inv.versions.v02;
  inv.head = 'v10';
  t.same(codes(inv), ['E011', 'E013', 'W001']);
});

t.test('a version block that is not an object is E047; missing created is E048', async (t) => {
  t.ok(codes({ ...good(), versions: { ...good().versions, v2: 'x' } }).includes('E047'));
  const inv = good();
  delete inv.versions.v1.created;
  t.ok(codes(inv).includes('E048'));
});

t.test('created without time zone or seconds is E049', async (t) => {
  for (const created of ['2024-01-02T03:04:05', '2024-01-02T03:04Z', '2024-13-02T03:04:05Z', 7]) {
    const inv = good();
    inv.versions.v1.created = created;
    t.same(codes(inv), ['E049'], String(created));
  }
});

t.test('a state digest that differs from the manifest key in case is E050', async (t) => {
  const inv = good();
  inv.versions.v1.state = { [D1.toUpperCase()]: ['a.txt'] };
  inv.versions.v2.state = { [D1.toUpperCase()]: ['a.txt'], [D2]: ['dir/b.txt'] };
  t.same(codes(inv), ['E050', 'E107']);
});

t.test('logical paths: leading slash E053, "." element E052', async (t) => {
  const inv = good();
  inv.versions.v1.state = { [D1]: ['/a.txt'] };
  t.ok(codes(inv).includes('E053'));
  inv.versions.v1.state = { [D1]: ['x/./a.txt'] };
  t.ok(codes(inv).includes('E052'));
});

t.test('a logical path that is a directory of another is E095', async (t) => {
  const inv = good();
  inv.versions.v2.state = { [D1]: ['dir'], [D2]: ['dir/b.txt'] };
  t.same(codes(inv), ['E095']);
});

t.test('a non-string message is E094; user without name E054', async (t) => {
  const inv = good();
  inv.versions.v1.message = ['x'];
  t.same(codes(inv), ['E094']);
  const inv2 = good();
  inv2.versions.v1.user = { address: 'mailto:x@y' };
  t.same(codes(inv2), ['E054']);
});

t.test('missing message is W007, missing address W008, address not a URI W009', async (t) => {
  const inv = good();
  delete inv.versions.v1.message;
  t.same(codes(inv), ['W007']);
  inv.versions.v1.message = 'm';
  inv.versions.v1.user = { name: 'A' };
  t.same(codes(inv), ['W008']);
  inv.versions.v1.user = { name: 'A', address: 'a@example.org' };
  t.same(codes(inv), ['W009']);
});

t.test('content paths: trailing slash E100, ".." element E099, duplicates E101', async (t) => {
  const inv = good();
  inv.manifest[D2] = ['v2/content/b.txt/'];
  t.ok(codes(inv).includes('E100'));
  inv.manifest[D2] = ['v2/content/../b.txt'];
  t.ok(codes(inv).includes('E099'));
  inv.manifest[D2] = ['v1/content/a.txt'];
  t.ok(codes(inv).includes('E101'));
});

t.test('a content path that is a directory of another is E101', async (t) => {
  const inv = good();
  inv.manifest[D1] = ['v1/content/a'];
  inv.manifest[D2] = ['v1/content/a/b'];
  t.same(codes(inv), ['E101']);
});

t.test('manifest digests equal ignoring case are E096', async (t) => {
  const inv = good();
  inv.manifest[D1.toUpperCase()] = ['v1/content/other.txt'];
  t.ok(codes(inv).includes('E096'));
});

t.test('an unused manifest entry is E107 under 1.1 only', async (t) => {
  const inv = good();
  inv.manifest['c'.repeat(128)] = ['v2/content/c.txt'];
  t.same(codes(inv), ['E107']);
  t.same(codes({ ...inv, type: 'https://ocfl.io/1.0/spec/#inventory' }), []);
});

t.test('fixity null is E111 under 1.1 and E056 under 1.0', async (t) => {
  t.same(codes({ ...good(), fixity: null }), ['E111']);
  t.same(codes({ ...good(), type: 'https://ocfl.io/1.0/spec/#inventory', fixity: null }), ['E056']);
  t.same(codes({ ...good(), fixity: {} }), []);
});

t.test('fixity: unknown algorithm E056, path not in manifest E057, case duplicates E097', async (t) => {
  t.ok(codes({ ...good(), fixity: { crc32: {} } }).includes('E056'));
  const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
  t.same(codes({ ...good(), fixity: { md5: { [md5]: ['v1/content/zzz'] } } }), ['E057']);
  t.same(
    codes({
      ...good(),
      fixity: { md5: { [md5]: ['v1/content/a.txt'], [md5.toUpperCase()]: ['v2/content/b.txt'] } },
    }),
    ['E097'],
  );
});

t.test('extension 0009 fixity names are accepted', async (t) => {
  t.same(codes({ ...good(), fixity: { 'blake2b-160': { ['0'.repeat(40)]: ['v1/content/a.txt'] } } }), []);
});

t.test('the returned inventory keeps well-typed parts only', async (t) => {
  const inv = good();
  inv.versions.v1.user = 'nobody';
  const r = validateInventory(inv);
  t.equal(r.inventory?.versions.v1?.user, undefined);
  t.same(
    r.versionNames.map((v) => v.name),
    ['v1', 'v2'],
  );
});

t.test('serialisation is canonical: key order and input order do not matter', async (t) => {
  const a = good() as Inventory;
  const b = JSON.parse(JSON.stringify(a)) as Inventory;
  b.manifest = { [D2]: a.manifest[D2]!, [D1]: a.manifest[D1]! };
  b.versions = { v2: a.versions.v2!, v1: a.versions.v1! };
  const sa = serializeInventory(a);
  t.same(Buffer.from(sa), Buffer.from(serializeInventory(b)));
  const text = new TextDecoder().decode(sa);
  t.ok(
    text.indexOf('"id"') < text.indexOf('"type"') && text.indexOf('"manifest"') < text.indexOf('"versions"'),
  );
  t.ok(text.indexOf('"v1": {') < text.indexOf('"v2": {'));
});

t.test('a serialised inventory parses back to the same inventory with no issues', async (t) => {
  const inv = good() as Inventory;
  const back = parseInventory(serializeInventory(inv));
  t.same(back.issues, []);
  t.same(back.inventory, inv);
});

t.test('with a clean reference, identical parts are shared and give the same result', async (t) => {
  const ref = validateInventory(good());
  t.same(ref.issues, []);
  const older = good();
  older.head = 'v1';
  delete older.versions.v2;
  delete older.manifest[D2];
  const plain = validateInventory(older);
  const fast = validateInventory(older, { reference: ref.inventory });
  t.same(fast.issues, plain.issues);
  t.same(fast.inventory, plain.inventory);
  t.equal(fast.inventory?.versions.v1, ref.inventory?.versions.v1, 'the identical block is shared');
});

t.test('with a clean reference, a block or manifest entry that differs is still checked', async (t) => {
  const ref = validateInventory(good()).inventory;
  const block = good();
  block.versions.v2.state[D1] = ['/a.txt'];
  t.same(codes(block, { reference: ref }), codes(block));
  t.ok(codes(block, { reference: ref }).includes('E053'));
  const extraKey = good();
  extraKey.versions.v1.note = 'x';
  t.same(codes(extraKey, { reference: ref }), ['E102']);
  const noUser = good();
  delete noUser.versions.v1.user;
  t.same(codes(noUser, { reference: ref }), ['W007']);
  const manifest = good();
  manifest.manifest[D2] = ['v2/content/b.txt', 'v2/content/b.txt'];
  t.same(codes(manifest, { reference: ref }), ['E101']);
  const dirClash = good();
  dirClash.manifest[D1] = ['v1/content/a.txt'];
  dirClash.manifest[D2] = ['v1/content/a.txt/b'];
  t.ok(codes(dirClash, { reference: ref }).includes('E101'), 'a changed entry clashing with a shared one');
  const missing = good();
  missing.versions.v2.state[D2.replace('b', 'c')] = ['x.txt'];
  t.ok(
    codes(missing, { reference: ref }).includes('E050'),
    'state digests are checked against its own manifest',
  );
});

t.test('parseInventory reuses known digests and computes only the algorithms asked for', async (t) => {
  const bytes = new TextEncoder().encode(JSON.stringify(good()));
  const r = parseInventory(bytes, { knownDigests: { sha512: 'f'.repeat(128) }, digestAlgorithms: [] });
  t.equal(r.digests.sha512, 'f'.repeat(128));
  t.equal(r.digests.sha256, undefined);
  t.match(parseInventory(bytes).digests.sha256, /^[0-9a-f]{64}$/);
});
