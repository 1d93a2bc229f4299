import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { ObjectValidationReport } from '../../lib/engine/validate/object.js';
import { detectLocationKind, validateStorageRoot } from '../../lib/engine/validate/storage-root.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { buildObject, writeToDir, writeToStore } from './build-object.js';

const LAYOUT = '{"extension":"0002-flat-direct-storage-layout","description":"ids as directory names"}';

/** A 1.1 storage root holding objects at the given paths. */
async function makeRoot(objectPaths: string[], extra: Record<string, string> = {}): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.write('0=ocfl_1.1', 'ocfl_1.1\n');
  for (const p of objectPaths) await writeToStore(store, buildObject([{ 'a.txt': p }], `urn:x:${p}`), p);
  for (const [key, body] of Object.entries(extra)) await store.write(key, body);
  return store;
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-ocfl-root-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a root with a layout and hashed-path objects is valid, each object reported', async (t) => {
  const store = await makeRoot(['ab/cd/obj1', 'ab/ef/obj2'], {
    'ocfl_layout.json': LAYOUT,
    'ocfl_1.1.md': '# spec',
  });
  const seen: ObjectValidationReport[] = [];
  const r = await validateStorageRoot(store, { onObject: (o) => seen.push(o) });
  t.ok(r.valid);
  t.same(r.issues, []);
  t.equal(r.specVersion, '1.1');
  t.equal(r.layout, '0002-flat-direct-storage-layout');
  t.same(
    r.objects.map((o) => [o.objectRoot, o.id]),
    [
      ['ab/cd/obj1', 'urn:x:ab/cd/obj1'],
      ['ab/ef/obj2', 'urn:x:ab/ef/obj2'],
    ],
  );
  t.equal(seen.length, 2);
});

t.test('no root declaration is E069', async (t) => {
  const store = await makeRoot(['obj']);
  await store.delete('0=ocfl_1.1');
  t.ok((await validateStorageRoot(store)).has('E069'));
});

t.test('a declaration with the wrong content is E080', async (t) => {
  const store = await makeRoot(['obj'], { '0=ocfl_1.1': 'ocfl_1.1' });
  t.same((await validateStorageRoot(store)).codes(), ['E080']);
});

t.test('ocfl_layout.json with a third key is E070; an unregistered extension E071', async (t) => {
  const extra = '{"extension":"0002-flat-direct-storage-layout","description":"d","x":1}';
  t.same((await validateStorageRoot(await makeRoot(['obj'], { 'ocfl_layout.json': extra }))).codes(), [
    'E070',
  ]);
  const local = '{"extension":"my-layout","description":"d"}';
  t.same((await validateStorageRoot(await makeRoot(['obj'], { 'ocfl_layout.json': local }))).codes(), [
    'E071',
  ]);
});

t.test('root extensions: a file is E112, an unregistered directory W016', async (t) => {
  const store = await makeRoot(['obj'], {
    'extensions/notes.txt': 'x',
    'extensions/my-ext/config.json': '{}',
    'extensions/0002-flat-direct-storage-layout/config.json': '{}',
  });
  t.same((await validateStorageRoot(store)).codes(), ['E112', 'W016']);
});

t.test('a file in the hierarchy outside any object is E072', async (t) => {
  const store = await makeRoot(['ab/obj'], { 'ab/stray.txt': 'x', 'cd/ef/lost.txt': 'y' });
  const r = await validateStorageRoot(store);
  t.ok(r.has('E072'));
  t.notOk(r.valid);
});

t.test('an invalid object makes the root invalid while the root itself has no issue', async (t) => {
  const store = await makeRoot(['a/obj', 'b/obj']);
  await store.delete('b/obj/inventory.json.sha512');
  const r = await validateStorageRoot(store);
  t.same(r.issues, []);
  t.notOk(r.valid);
  t.same(r.objects[1]!.codes(), ['E058']);
});

t.test('an object declaring 1.1 in a 1.0 root is E081', async (t) => {
  const store = await makeRoot(['obj']);
  await store.delete('0=ocfl_1.1');
  await store.write('0=ocfl_1.0', 'ocfl_1.0\n');
  t.same((await validateStorageRoot(store)).objects[0]!.codes(), ['E081']);
});

t.test('top-level objects mixed with a hierarchy is W015', async (t) => {
  t.same((await validateStorageRoot(await makeRoot(['top', 'x/y/deep']))).codes(), ['W015']);
});

t.test('on the filesystem an empty directory in the hierarchy is E073', async (t) => {
  const dir = tempDir(t);
  writeToDir(dir, new Map([['0=ocfl_1.1', Buffer.from('ocfl_1.1\n')]]));
  writeToDir(join(dir, 'ab', 'obj'), buildObject([{ 'a.txt': 'a' }]));
  mkdirSync(join(dir, 'cd', 'empty'), { recursive: true });
  const r = await validateStorageRoot(new FsStore(dir));
  t.same(r.codes(), ['E073']);
  t.ok(r.objects[0]?.valid);
});

t.test('progress counts objects and hashed files', async (t) => {
  const store = await makeRoot(['a/o1', 'b/o2', 'c/o3']);
  let last = { objectsFound: 0, objectsDone: 0, files: 0, bytes: 0 };
  await validateStorageRoot(store, { onProgress: (p) => (last = p) });
  t.same(last, { objectsFound: 3, objectsDone: 3, files: 3, bytes: 12 });
});

t.test('detectLocationKind tells objects, storage roots and other places apart', async (t) => {
  const store = await makeRoot(['ab/obj']);
  await store.write('elsewhere/file.txt', 'x');
  t.equal(await detectLocationKind(store, ''), 'storage-root');
  t.equal(await detectLocationKind(store, 'ab/obj'), 'object');
  t.equal(await detectLocationKind(store, 'elsewhere'), 'unknown');
});
