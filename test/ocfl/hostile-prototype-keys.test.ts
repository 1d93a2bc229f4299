/**
 * No prototype pollution: `__proto__`, `constructor`, `toString`, `hasOwnProperty` and
 * `prototype` as logical paths, content paths, manifest and state digests, fixity algorithm
 * names, version names, heads and extension names are ordinary strings everywhere: the
 * validator, the reader, the cache forms, storage maps and resource models.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { snapshotInventory, snapshotToInventory, snapshotView } from '../../lib/cache/inventory-snapshot.js';
import { expandStorageMap, packStorageMap } from '../../lib/cache/storage-map-entry.js';
import { buildObjectResources } from '../../lib/core/fedora/index.js';
import { parseInventory, serializeInventory } from '../../lib/core/ocfl/index.js';
import { buildStorageMap } from '../../lib/core/storage-map.js';
import { readObject } from '../../lib/engine/object-reader.js';
import { getStorageMap } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { validateObject, validateStorageRoot } from '../../lib/engine/validate/index.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { buildObject, writeToStore } from './build-object.js';
import {
  HELLO,
  HELLO_SHA512,
  inventoryText,
  objectWithInventory,
  storageRootWith,
} from './hostile-fixtures.js';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'];
const D = HELLO_SHA512;
const place = { storageType: 'memory', root: 'r', objectPath: 'o', archivalGroup: 'x' } as const;
const protoKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const before = protoKeys();

const versionsWith = (state: string, name = 'v1') =>
  `{${JSON.stringify(name)}: {"created": "2024-01-01T00:00:00Z", "message": "m", "user": {"name": "n", "address": "mailto:n@example.org"}, "state": ${state}}}`;

for (const name of NAMES) {
  t.test(`${name} as a logical path is an ordinary file in a valid object and in every map`, async (t) => {
    const text = inventoryText({ versions: versionsWith(`{"${D}": [${JSON.stringify(name)}]}`) });
    const store = new MemoryStore();
    await writeToStore(store, objectWithInventory(text), 'o');
    const report = await validateObject(store, 'o');
    t.equal(report.valid, true, JSON.stringify(report.errors));
    const object = await readObject(store, 'o');
    for (const inventory of [
      object.inventory(),
      object.view,
      snapshotView(snapshotInventory(object.inventory())),
    ]) {
      const map = buildStorageMap({ inventory, version: 'v1', ...place });
      t.ok(Object.hasOwn(map.files, name), 'an own key of files');
      t.equal(map.files[name]?.fullPath, 'v1/content/a.txt');
      t.match(JSON.stringify(map), `"${name}":{"hash"`, 'and in the JSON');
      const again = expandStorageMap(packStorageMap(map, 'x'));
      t.equal(again.files[name]?.fullPath, 'v1/content/a.txt', 'survives the cache form');
      const model = buildObjectResources({ inventory, version: 'v1' });
      t.equal(model.byPath.get(name)?.type, 'Binary');
    }
    const back = snapshotToInventory(snapshotInventory(object.inventory()));
    t.same(back.versions.v1?.state[D], [name]);
  });

  t.test(`${name} as a manifest and state digest is reported, not a crash`, async (t) => {
    const text = inventoryText({
      manifest: `{${JSON.stringify(name)}: ["v1/content/a.txt"]}`,
      versions: versionsWith(`{${JSON.stringify(name)}: ["a.txt"]}`),
    });
    const parsed = parseInventory(Buffer.from(text));
    t.ok(
      parsed.issues.some((i) => i.code === 'E031'),
      'not a sha512 digest',
    );
    t.same(Object.keys(parsed.inventory!.manifest), [name], 'kept as an own key');
    const store = new MemoryStore();
    await writeToStore(store, objectWithInventory(text), 'o');
    const report = await validateObject(store, 'o');
    t.equal(report.valid, false);
    const object = await readObject(store, 'o');
    const map = buildStorageMap({ inventory: object.inventory(), version: 'v1', ...place });
    t.equal(map.files['a.txt']?.hash, name.toLowerCase());
    t.ok(Object.hasOwn(map.hashes, name.toLowerCase()), 'hashes keep it too');
  });

  t.test(`${name} as a content file name, a fixity algorithm, a version name and a head`, async (t) => {
    const content = inventoryText({ manifest: `{"${D}": [${JSON.stringify(`v1/content/${name}`)}]}` });
    const store = new MemoryStore();
    await writeToStore(store, objectWithInventory(content, { [`v1/content/${name}`]: HELLO }), 'o');
    t.equal((await validateObject(store, 'o')).valid, true, 'content path');

    const fixity = parseInventory(
      Buffer.from(inventoryText({ fixity: `{${JSON.stringify(name)}: {"ab": ["v1/content/a.txt"]}}` })),
    );
    t.ok(
      fixity.issues.some((i) => i.code === 'E056'),
      'unknown fixity algorithm',
    );
    t.ok(Object.hasOwn(fixity.inventory!.fixity!, name));

    const version = inventoryText({ head: name, versions: versionsWith(`{"${D}": ["a.txt"]}`, name) });
    const vStore = new MemoryStore();
    await writeToStore(vStore, objectWithInventory(version), 'o');
    const vReport = await validateObject(vStore, 'o');
    t.ok(vReport.has('E104'), 'not a version name');
    const object = await readObject(vStore, 'o');
    t.equal(object.view.head, name);
    t.same(Object.keys(object.view.versions), [name]);

    const head = inventoryText({ head: name });
    const hStore = new MemoryStore();
    await writeToStore(hStore, objectWithInventory(head), 'o');
    t.ok((await validateObject(hStore, 'o')).has('E040'));
    await t.rejects(readObject(hStore, 'o'), {
      code: 'INVALID_OBJECT',
      message: /is not among the versions/,
    });
  });

  t.test(`${name} as an extension directory of an object and of a storage root`, async (t) => {
    const dir = storageRootWith(t, { obj: buildObject([{ 'a.txt': 'a' }]) });
    mkdirSync(join(dir, 'extensions', name), { recursive: true });
    writeFileSync(join(dir, 'extensions', name, 'config.json'), '{}');
    mkdirSync(join(dir, 'obj', 'extensions', name), { recursive: true });
    writeFileSync(join(dir, 'obj', 'extensions', name, 'notes.txt'), 'x');
    const report = await validateStorageRoot(new FsStore(dir, { readOnly: true }));
    t.ok(report.warnings.some((i) => i.code === 'W016' && i.path === `extensions/${name}`));
    t.ok(report.objects[0]?.warnings.some((i) => i.code === 'W013' && i.path === `extensions/${name}`));
    writeFileSync(join(dir, 'ocfl_layout.json'), JSON.stringify({ extension: name, description: 'x' }));
    const root = await openStorageRoot(new FsStore(dir, { readOnly: true }));
    t.match(root.layoutProblem, /not supported/, 'a layout named after Object.prototype is unknown');
  });
}

t.test('an object id spelled like a prototype key resolves through the id index', async (t) => {
  const dir = storageRootWith(t, {
    a: buildObject([{ 'a.txt': 'a' }], '__proto__'),
    b: buildObject([{ 'b.txt': 'b' }], 'constructor'),
  });
  const root = await openStorageRoot(new FsStore(dir, { readOnly: true }));
  t.equal(await root.resolveObjectRoot('__proto__'), 'a');
  t.equal(await root.resolveObjectRoot('constructor'), 'b');
  await t.rejects(root.resolveObjectRoot('toString'), { code: 'NOT_FOUND' });
  t.equal((await getStorageMap(root, '__proto__')).files['a.txt']?.fullPath, 'v1/content/a.txt');
});

t.test('serializeInventory writes prototype-key names like any other key', async (t) => {
  const text = inventoryText({
    manifest: '{"__proto__": ["v1/content/__proto__"]}',
    versions: versionsWith('{"__proto__": ["constructor"]}', '__proto__'),
    fixity: '{"__proto__": {"__proto__": ["v1/content/__proto__"]}}',
  });
  const parsed = parseInventory(Buffer.from(text));
  const again = JSON.parse(Buffer.from(serializeInventory(parsed.inventory!)).toString('utf8'));
  t.same(Object.keys(again.manifest), ['__proto__']);
  t.same(Object.keys(again.fixity), ['__proto__']);
  t.same(Object.keys(again.versions), ['__proto__']);
  const own = (o: unknown, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value as unknown;
  t.same(own(own(own(again.versions, '__proto__'), 'state'), '__proto__'), ['constructor']);
});

t.test('nothing above added a property to Object.prototype', async (t) => {
  t.equal(protoKeys(), before);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});
