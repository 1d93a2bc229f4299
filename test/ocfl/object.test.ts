import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { digestBytes } from '../../lib/core/ocfl/digests.js';
import { validateInventoryFile } from '../../lib/engine/validate/inventory-file.js';
import { validateObject } from '../../lib/engine/validate/object.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import {
  buildObject,
  type ObjectFiles,
  rootInventory,
  writeInventory,
  writeToDir,
  writeToStore,
} from './build-object.js';

const TWO_VERSIONS: Array<Record<string, string>> = [
  { 'a.txt': 'alpha', 'dir/b.txt': 'beta' },
  { 'a.txt': 'alpha', 'c.txt': 'gamma' },
];

async function validate(files: ObjectFiles, options = {}) {
  const store = new MemoryStore();
  await writeToStore(store, files, 'obj');
  return validateObject(store, 'obj', options);
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-ocfl-obj-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a freshly built object is valid with no issues', async (t) => {
  const r = await validate(buildObject(TWO_VERSIONS));
  t.same(r.issues, []);
  t.equal(r.id, 'urn:example:obj');
  t.equal(r.head, 'v2');
  t.equal(r.specVersion, '1.1');
});

t.test('a missing root sidecar is E058', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.delete('inventory.json.sha512');
  t.same((await validate(files)).codes(), ['E058']);
});

t.test('a sidecar with another digest is E060, a malformed one E061', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.set('v1/inventory.json.sha512', Buffer.from(`${'0'.repeat(128)} inventory.json\n`));
  t.same((await validate(files)).codes(), ['E060']);
  files.set('v1/inventory.json.sha512', Buffer.from('not a sidecar'));
  t.same((await validate(files)).codes(), ['E061']);
});

t.test('a sidecar separated by a tab and without newline is accepted', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  const digest = files.get('inventory.json.sha512')!.toString().split(' ')[0];
  files.set('inventory.json.sha512', Buffer.from(`${digest}\tinventory.json`));
  t.same((await validate(files)).codes(), []);
});

t.test('a changed content byte is E092 with fixity on and unnoticed with fixity off', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.set('v1/content/a.txt', Buffer.from('alphA'));
  t.same((await validate(files)).codes(), ['E092']);
  t.same((await validate(files, { fixity: false })).codes(), []);
});

t.test('a missing content file is E092 even without fixity', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.delete('v2/content/c.txt');
  t.ok((await validate(files, { fixity: false })).has('E092'));
});

t.test('a fixity block that does not match the file is E093', async (t) => {
  const files = buildObject([{ 'a.txt': 'alpha' }]);
  const inv = rootInventory(files);
  inv.fixity = { md5: { [digestBytes(Buffer.from('other'), ['md5']).md5!]: ['v1/content/a.txt'] } };
  writeInventory(files, '', inv);
  writeInventory(files, 'v1', inv);
  t.same((await validate(files)).codes(), ['E093']);
});

t.test(
  '0009 BLAKE2b fixity values are checked too: a wrong blake2b-256 is E093, a right one passes',
  async (t) => {
    const files = buildObject([{ 'a.txt': 'alpha' }]);
    const inv = rootInventory(files);
    const wrong = '0'.repeat(64);
    inv.fixity = { 'blake2b-256': { [wrong]: ['v1/content/a.txt'] } };
    writeInventory(files, '', inv);
    writeInventory(files, 'v1', inv);
    t.same((await validate(files)).codes(), ['E093']);
    // BLAKE2b-256 of "alpha", computed independently with Python's hashlib.blake2b(digest_size=32)
    const right = '0361d8882af5db95b46fa6184216e3d1a9233f4614676dade6fc51dd30fd7589';
    inv.fixity = { 'blake2b-256': { [right]: ['v1/content/a.txt'] } };
    writeInventory(files, '', inv);
    writeInventory(files, 'v1', inv);
    t.same((await validate(files)).codes(), []);
  },
);

t.test('a file in a content directory missing from the manifest is E023', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.set('v2/content/extra.txt', Buffer.from('?'));
  t.same((await validate(files)).codes(), ['E023']);
});

t.test('an unexpected file in the object root is E001', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.set('README.txt', Buffer.from('hello'));
  t.same((await validate(files)).codes(), ['E001']);
});

t.test('a file directly in a version directory is E015', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.set('v1/notes.txt', Buffer.from('hello'));
  t.same((await validate(files)).codes(), ['E015']);
});

t.test('no root inventory is E063; no version inventory is W010', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.delete('v1/inventory.json');
  files.delete('v1/inventory.json.sha512');
  t.same((await validate(files)).codes(), ['W010']);
  files.delete('inventory.json');
  files.delete('inventory.json.sha512');
  t.ok((await validate(files)).has('E063'));
});

t.test('a version directory the inventory does not know is E046', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.set('v3/content/x.txt', Buffer.from('x'));
  t.ok((await validate(files)).has('E046'));
});

t.test('a root inventory that differs from the head copy is E064', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  const inv = rootInventory(files);
  inv.versions.v2!.message = 'changed';
  writeInventory(files, '', inv);
  t.ok((await validate(files)).has('E064'));
});

t.test('an older inventory with a different state is E066', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  const v1 = rootInventory(files, 'v1');
  const [digest] = Object.keys(v1.versions.v1!.state);
  v1.versions.v1!.state[digest!] = ['renamed.txt'];
  writeInventory(files, 'v1', v1);
  t.ok((await validate(files)).has('E066'));
});

t.test('an object declaring 1.1 in a 1.0 storage root is E081', async (t) => {
  t.same((await validate(buildObject(TWO_VERSIONS), { specVersion: '1.0' })).codes(), ['E081']);
});

t.test('extensions: a file is E067, an unregistered directory W013, 0005-mutable-head neither', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  files.set('extensions/stray.txt', Buffer.from('x'));
  files.set('extensions/my-ext/config.json', Buffer.from('{}'));
  files.set('extensions/0005-mutable-head/revisions/r1', Buffer.from('r1'));
  t.same((await validate(files)).codes(), ['E067', 'W013']);
});

/** Add a mutable head (version 3) with one new file to built files. */
function addMutableHead(files: ObjectFiles): void {
  const head = rootInventory(files);
  const base = 'extensions/0005-mutable-head';
  const bytes = Buffer.from('delta');
  const digest = digestBytes(bytes, ['sha512']).sha512!;
  head.manifest[digest] = [`${base}/head/content/r1/d.txt`];
  head.versions.v3 = {
    ...head.versions.v2!,
    created: '2024-02-01T00:00:00Z',
    state: { ...head.versions.v2!.state },
  };
  head.versions.v3.state[digest] = ['d.txt'];
  head.head = 'v3';
  files.set(`${base}/head/content/r1/d.txt`, bytes);
  files.set(`${base}/revisions/r1`, Buffer.from('r1'));
  files.set(`${base}/root-inventory.json.sha512`, files.get('inventory.json.sha512')!);
  writeInventory(files, `${base}/head`, head);
}

t.test('an object with a valid mutable head is valid', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  addMutableHead(files);
  t.same((await validate(files)).issues, []);
});

t.test('corrupt mutable-head content is E092 unless head validation is off', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  addMutableHead(files);
  files.set('extensions/0005-mutable-head/head/content/r1/d.txt', Buffer.from('DELTA'));
  const r = await validate(files);
  t.same(r.codes(), ['E092']);
  t.match(r.errors[0]!.path, /^extensions\/0005-mutable-head\/head\//);
  t.same((await validate(files, { mutableHead: false })).codes(), []);
});

t.test('progress starts with the totals and ends at them', async (t) => {
  const seen: Array<{ files: number; bytes: number; totalFiles: number; totalBytes: number }> = [];
  await validate(buildObject(TWO_VERSIONS), { onProgress: (p: (typeof seen)[number]) => seen.push(p) });
  t.same(seen[0], { files: 0, bytes: 0, totalFiles: 3, totalBytes: 14 });
  t.same(seen[seen.length - 1], { files: 3, bytes: 14, totalFiles: 3, totalBytes: 14 });
});

t.test('on the filesystem an empty directory in content is E024 and a symlink E090', async (t) => {
  const dir = tempDir(t);
  writeToDir(dir, buildObject(TWO_VERSIONS));
  mkdirSync(join(dir, 'v1/content/empty'));
  t.same((await validateObject(new FsStore(dir), '')).codes(), ['E024']);
  rmSync(join(dir, 'v1/content/empty'), { recursive: true });
  symlinkSync(join(dir, 'v1/content/a.txt'), join(dir, 'v2/content/link.txt'));
  t.ok((await validateObject(new FsStore(dir), '')).has('E090'));
});

t.test('on the filesystem an empty content directory is W003 only', async (t) => {
  const dir = tempDir(t);
  writeToDir(dir, buildObject(TWO_VERSIONS));
  mkdirSync(join(dir, 'v3/content'), { recursive: true });
  const r = await validateObject(new FsStore(dir), '');
  t.ok(r.has('W003'));
});

t.test('a lone inventory file is validated on its own', async (t) => {
  const files = buildObject(TWO_VERSIONS);
  t.ok(validateInventoryFile(files.get('inventory.json')!).valid);
  t.same(validateInventoryFile(Buffer.from('[]')).codes(), ['E033']);
});

t.test('validating with an abort signal adds one listener to it and removes it', async (t) => {
  const files = buildObject([
    Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.txt`, `x${i}`])),
  ]);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  const controller = new AbortController();
  const seen: number[] = [];
  const add = controller.signal.addEventListener.bind(controller.signal);
  controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
    seen.push(1);
    return add(...args);
  }) as typeof add;
  const report = await validate(files, { signal: controller.signal });
  await new Promise((resolve) => setImmediate(resolve));
  t.ok(report.valid);
  t.equal(seen.length, 1, 'one listener on the caller signal');
  t.same(warnings, []);
});

t.test('aborting a validation rejects with the reason', async (t) => {
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await t.rejects(validate(buildObject(TWO_VERSIONS), { signal: controller.signal }), { message: 'stop' });
});
