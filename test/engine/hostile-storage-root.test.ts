/**
 * Storage roots built to mislead: two objects with one id (reported, and id lookups refuse to
 * pick one), objects added after the id index was built (found), and hierarchies built to exhaust
 * a walk (a 3,000-level chain of empty folders, a very wide directory) that finish in bounded
 * time with a clear finding or error.
 */
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import { MAX_HIERARCHY_DEPTH } from '../../lib/core/ocfl/limits.js';
import { getObjectResources } from '../../lib/engine/fedora-resources.js';
import { getStorageMap } from '../../lib/engine/storage-maps.js';
import { openStorageRoot, type StoredObjectRef } from '../../lib/engine/storage-root.js';
import { validateStorageRoot } from '../../lib/engine/validate/index.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { buildObject, writeToDir, writeToStore } from '../ocfl/build-object.js';
import { storageRootWith, tempDir } from '../ocfl/hostile-fixtures.js';

const ID = 'urn:example:twin';

async function collect(it: AsyncIterable<StoredObjectRef>): Promise<StoredObjectRef[]> {
  const out: StoredObjectRef[] = [];
  for await (const ref of it) out.push(ref);
  return out;
}

t.test('two objects with one id: validate reports both, every id lookup fails naming both', async (t) => {
  const dir = storageRootWith(t, {
    'first/twin': buildObject([{ 'a.txt': 'one' }], ID),
    'second/twin': buildObject([{ 'b.txt': 'two' }], ID),
    'other/obj': buildObject([{ 'c.txt': 'three' }], 'urn:example:other'),
  });
  const store = new FsStore(dir, { readOnly: true });
  const report = await validateStorageRoot(store);
  t.equal(report.valid, false);
  const e083 = report.errors.filter((i) => i.code === 'E083');
  t.same(e083.map((i) => i.path).sort(), ['first/twin', 'second/twin']);
  t.match(e083[0]!.message, /also claimed by "second\/twin"/);

  const root = await openStorageRoot(store);
  for (const [what, attempt] of [
    ['resolveObjectRoot', () => root.resolveObjectRoot(ID)],
    ['openObject', () => root.openObject(ID)],
    ['getStorageMap', () => getStorageMap(root, ID)],
    ['getObjectResources', () => getObjectResources(root, ID)],
  ] as const) {
    const err = await (attempt as () => Promise<unknown>)().catch((e: unknown) => e);
    t.ok(hasCode(err, 'CONFLICT'), `${what} is a ConflictError`);
    t.match((err as Error).message, /"first\/twin" and "second\/twin"/, `${what} names both roots`);
  }
  t.equal(await root.resolveObjectRoot('urn:example:other'), 'other/obj', 'other ids still resolve');
});

t.test('an unusable object still claims its id: its lookup gives its own error', async (t) => {
  const broken = buildObject([{ 'a.txt': 'x' }], 'urn:example:broken');
  const inv = JSON.parse(broken.get('inventory.json')!.toString('utf8'));
  inv.manifest[Object.keys(inv.manifest)[0]!] = ['v1/content/../../escape.txt'];
  broken.set('inventory.json', Buffer.from(JSON.stringify(inv)));
  const dir = storageRootWith(t, { broken });
  const root = await openStorageRoot(new FsStore(dir, { readOnly: true }));
  const refs = await collect(root.listObjects());
  t.equal(refs[0]?.claimedId, 'urn:example:broken');
  const err = await root.openObject('urn:example:broken').catch((e: unknown) => e);
  t.ok(hasCode(err, 'PATH_ESCAPE'), 'not NOT_FOUND: the object is there and unsafe');
});

t.test('an object added after the id index was built is found on the next lookup', async (t) => {
  const dir = storageRootWith(t, { 'a/one': buildObject([{ 'a.txt': '1' }], 'urn:example:one') });
  const store = new FsStore(dir, { readOnly: true });
  const eager = await openStorageRoot(store, { rescanIntervalMs: 0 });
  t.equal(await eager.resolveObjectRoot('urn:example:one'), 'a/one', 'index built');
  writeToDir(join(dir, 'b/two'), buildObject([{ 'b.txt': '2' }], 'urn:example:two'));
  t.equal(await eager.resolveObjectRoot('urn:example:two'), 'b/two', 'a miss walks the root again');
  const map = await getStorageMap(eager, 'urn:example:two');
  t.equal(map.files['b.txt']?.fullPath, 'v1/content/b.txt');
});

t.test(
  'within the rescan interval a miss is answered from the index; noteObject and invalidate update it',
  async (t) => {
    const dir = storageRootWith(t, { 'a/one': buildObject([{ 'a.txt': '1' }], 'urn:example:one') });
    const store = new FsStore(dir, { readOnly: true });
    const root = await openStorageRoot(store, { rescanIntervalMs: 60_000 });
    t.equal(await root.resolveObjectRoot('urn:example:one'), 'a/one');
    writeToDir(join(dir, 'b/two'), buildObject([{ 'b.txt': '2' }], 'urn:example:two'));
    writeToDir(join(dir, 'c/three'), buildObject([{ 'c.txt': '3' }], 'urn:example:three'));
    const miss = await root.resolveObjectRoot('urn:example:two').catch((e: unknown) => e);
    t.ok(hasCode(miss, 'NOT_FOUND'), 'no walk per unknown id inside the interval');
    root.noteObject('urn:example:two', 'b/two');
    t.equal(await root.resolveObjectRoot('urn:example:two'), 'b/two', 'noteObject (after a commit) is seen');
    root.invalidate();
    t.equal(
      await root.resolveObjectRoot('urn:example:three'),
      'c/three',
      'invalidate makes the next lookup walk',
    );
  },
);

t.test('a hierarchy deeper than MAX_HIERARCHY_DEPTH: listObjects stops with TooLargeError', async (t) => {
  const store = new MemoryStore();
  await store.write('0=ocfl_1.1', 'ocfl_1.1\n');
  const deep = Array.from({ length: 3000 }, () => 'd').join('/');
  await store.write(`${deep}/stray.txt`, 'x');
  await writeToStore(store, buildObject([{ 'a.txt': '1' }], 'urn:example:shallow'), 'shallow/obj');
  const root = await openStorageRoot(store);
  const found: StoredObjectRef[] = [];
  const err = await (async () => {
    for await (const ref of root.listObjects()) found.push(ref);
  })().catch((e: unknown) => e);
  t.ok(hasCode(err, 'TOO_LARGE'), 'a clear error');
  t.match((err as Error).message, new RegExp(`deeper than ${MAX_HIERARCHY_DEPTH} directory levels`));
  t.same(
    found.map((r) => r.id),
    ['urn:example:shallow'],
    'objects above the limit were yielded first',
  );
  const report = await validateStorageRoot(store);
  t.ok(report.errors.some((i) => i.code === 'E085' && /deeper than 512/.test(i.message)));
});

t.test(
  'a chain of 3,000 nested empty folders on disk finishes with a finding',
  { timeout: 120_000 },
  async (t) => {
    const dir = tempDir(t, 'deep');
    writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
    // Paths this deep pass PATH_MAX (4,096 bytes): build the chain with relative mkdirs from a
    // moving working directory, as an attacker's tar or rsync would.
    const cwd = process.cwd();
    t.teardown(() => {
      removeChain(dir, 3000);
      process.chdir(cwd);
    });
    process.chdir(dir);
    for (let built = 0; built < 3000; built += 500) {
      const step = Array.from({ length: 500 }, () => 'd').join('/');
      mkdirSync(step, { recursive: true });
      process.chdir(step);
    }
    process.chdir(cwd);
    const started = Date.now();
    const before = process.memoryUsage().heapUsed;
    const report = await validateStorageRoot(new FsStore(dir, { readOnly: true }));
    t.equal(report.valid, false);
    const deepest = report.errors.find((i) => i.code === 'E085');
    t.match(deepest?.message, /deeper than 512 levels/);
    t.equal(deepest?.path?.split('/').length, MAX_HIERARCHY_DEPTH + 1, 'stops one level past the limit');
    t.ok(Date.now() - started < 60_000, `walk took ${Date.now() - started} ms`);
    t.ok(process.memoryUsage().heapUsed - before < 256 * 1024 * 1024, 'bounded memory');
    const err = await collect(
      (await openStorageRoot(new FsStore(dir, { readOnly: true }))).listObjects(),
    ).catch((e: unknown) => e);
    t.ok(hasCode(err, 'TOO_LARGE'), 'listObjects stops with TooLargeError');
  },
);

/** Remove a chain of `depth` folders named `d` below `dir` bottom-up (rm -r recurses too deep). */
function removeChain(dir: string, depth: number): void {
  process.chdir(dir);
  for (let i = 0; i < depth; i++) process.chdir('d');
  for (let i = 0; i < depth; i++) {
    process.chdir('..');
    rmdirSync('d');
  }
}

t.test('a very wide directory is walked in linear time', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'wide');
  writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
  const width = 5_000;
  for (let i = 0; i < width; i++) mkdirSync(join(dir, `e${i}`));
  writeToDir(join(dir, 'obj'), buildObject([{ 'a.txt': '1' }], 'urn:example:wide'));
  const started = Date.now();
  const report = await validateStorageRoot(new FsStore(dir, { readOnly: true }), { fixity: false });
  t.equal(report.errors.filter((i) => i.code === 'E073').length, width, 'each empty directory reported');
  t.equal(report.objects.length, 1);
  const refs = await collect((await openStorageRoot(new FsStore(dir, { readOnly: true }))).listObjects());
  t.equal(refs.length, 1);
  t.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
});
