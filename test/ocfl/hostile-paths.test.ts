/**
 * Paths from an inventory never escape: content and logical paths with `..`, a leading `/`,
 * empty elements or NUL, or pointing into another object, never reach a storage map, a resource
 * model or a read. The validator reports them; every reader refuses the object.
 */
import t from 'tap';
import { MemoryCache } from '../../lib/cache/memory-cache.js';
import { objectCacheKey, storageMapCacheKey } from '../../lib/cache/port.js';
import { packStorageMap } from '../../lib/cache/storage-map-entry.js';
import { hasCode, PathEscapeError } from '../../lib/core/errors.js';
import { buildObjectResources, type FedoraHeader } from '../../lib/core/fedora/index.js';
import { buildStorageMap } from '../../lib/core/storage-map.js';
import { getObjectResources } from '../../lib/engine/fedora-resources.js';
import { readObject } from '../../lib/engine/object-reader.js';
import { getStorageMap } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { validateObject } from '../../lib/engine/validate/index.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { runCli } from '../helpers/cli.js';
import { buildObject } from './build-object.js';
import { HELLO_SHA512, inventoryText, objectWithInventory, storageRootWith } from './hostile-fixtures.js';

const D = HELLO_SHA512;
const ID = 'urn:example:hostile';

/** Content paths (manifest) that must never be used, with the validator's code for each. */
const CONTENT_PATHS: Array<[string, string, string]> = [
  ['into another object', 'v1/content/../../other/v1/content/secret.txt', 'E099'],
  ['absolute', '/etc/passwd', 'E100'],
  ['with an empty element', 'v1//content/a.txt', 'E099'],
  ['with a NUL', 'v1/content/a\u0000.txt', 'E098'],
  ['with a "." element', 'v1/./content/a.txt', 'E099'],
];

/** Logical paths (state) that must never become a map key or resource path. */
const LOGICAL_PATHS: Array<[string, string, string]> = [
  ['climbing out', '../../escape.txt', 'E052'],
  ['absolute', '/abs.txt', 'E053'],
  ['with an empty element', 'a//b.txt', 'E052'],
  ['with a NUL', 'a\u0000b.txt', 'E051'],
];

const versionsWith = (logical: string) =>
  `{"v1": {"created": "2024-01-01T00:00:00Z", "message": "m", "user": {"name": "n", "address": "mailto:n@example.org"}, "state": {"${D}": [${JSON.stringify(logical)}]}}}`;

/** A root with the hostile object at `hostile/` and an ordinary one at `other/` it points into. */
function hostileRoot(t: Parameters<typeof storageRootWith>[0], inventory: string): string {
  return storageRootWith(t, {
    hostile: objectWithInventory(inventory),
    other: buildObject([{ 'secret.txt': 'not yours' }], 'urn:example:other'),
  });
}

const cases = [
  ...CONTENT_PATHS.map(([label, path, code]) => ({
    label: `content path ${label}`,
    path,
    code,
    inventory: inventoryText({ manifest: `{"${D}": [${JSON.stringify(path)}]}` }),
  })),
  ...LOGICAL_PATHS.map(([label, path, code]) => ({
    label: `logical path ${label}`,
    path,
    code,
    inventory: inventoryText({ versions: versionsWith(path) }),
  })),
];

for (const c of cases) {
  t.test(`a ${c.label} is refused by every reader and reported by the validator`, async (t) => {
    const dir = hostileRoot(t, c.inventory);
    const store = new FsStore(dir, { readOnly: true });
    const shown = JSON.stringify(c.path).slice(1, -1);

    const read = await readObject(store, 'hostile').catch((e: unknown) => e);
    t.ok(hasCode(read, 'PATH_ESCAPE'), 'readObject refuses the object');
    t.match((read as Error).message, shown, 'the message names the path');

    const root = await openStorageRoot(store);
    const map = await getStorageMap(root, ID).catch((e: unknown) => e);
    t.ok(hasCode(map, 'PATH_ESCAPE'), 'getStorageMap refuses');
    const resources = await getObjectResources(root, ID).catch((e: unknown) => e);
    t.ok(hasCode(resources, 'PATH_ESCAPE'), 'getObjectResources refuses');

    const core = (() => {
      try {
        return buildStorageMap({
          inventory: JSON.parse(c.inventory),
          version: 'v1',
          storageType: 'file',
          root: dir,
          objectPath: 'hostile',
          archivalGroup: ID,
        });
      } catch (err) {
        return err;
      }
    })();
    t.ok(core instanceof PathEscapeError, 'the pure builder refuses a raw inventory too');

    const report = await validateObject(store, 'hostile');
    t.equal(report.valid, false, 'the validator calls it invalid');
    t.ok(report.has(c.code as never), `and reports ${c.code}`);
  });
}

t.test('strongroom storage-map fails on an escaping content path and prints no fullPath', async (t) => {
  const dir = hostileRoot(t, cases[0]!.inventory);
  const r = await runCli(['storage-map', dir, ID]);
  t.not(r.code, 0, 'non-zero exit');
  t.notMatch(r.stdout, /fullPath/, 'no map printed');
  t.match(r.stderr, /unsafe content path/);
});

t.test('an unsafe path far too long to print is shortened in the message', async (t) => {
  const long = `v1/content/${'x/'.repeat(5000)}../../../etc/passwd`;
  const dir = hostileRoot(t, inventoryText({ manifest: `{"${D}": [${JSON.stringify(long)}]}` }));
  const err = (await readObject(new FsStore(dir, { readOnly: true }), 'hostile').catch((e) => e)) as Error;
  t.ok(hasCode(err, 'PATH_ESCAPE'));
  t.ok(err.message.length < 600, `message is ${err.message.length} characters`);
});

t.test('a cached storage map never bypasses the path check', async (t) => {
  const dir = hostileRoot(t, cases[0]!.inventory);
  const store = new FsStore(dir, { readOnly: true });
  const cache = new MemoryCache();
  const root = await openStorageRoot(store, { cache });
  t.ok(hasCode(await getStorageMap(root, ID).catch((e) => e), 'PATH_ESCAPE'), 'cold call refuses');
  // Plant what an older build (schema 1, no gate) or a tampered cache file would hold, under the
  // key the current build looks up and under the schema-1 key.
  const probe = await root.probeObject(ID);
  const poisoned = packStorageMap(
    {
      version: { ocflVersion: 'v1', mementoDateTime: '', mementoTimestamp: '' },
      headVersion: { ocflVersion: 'v1', mementoDateTime: '', mementoTimestamp: '' },
      allVersions: [],
      storageType: 'file',
      root: dir,
      objectPath: 'hostile',
      files: { 'a.txt': { hash: D, fullPath: '../other/v1/content/secret.txt' } },
      hashes: { [D]: '../other/v1/content/secret.txt' },
      archivalGroup: ID,
    },
    ID,
  );
  const options = { version: undefined, fedoraBaseUrl: undefined, includeMutableHead: true };
  const current = storageMapCacheKey(probe.cacheKey!, options);
  t.match(probe.cacheKey!, /^s2:/, 'object keys carry schema 2');
  const legacy = storageMapCacheKey(
    objectCacheKey(probe.location, [probe.rootFiles.recorded!]).replace(/^s2:/, 's1:'),
    options,
  );
  await cache.put(legacy, poisoned);
  t.ok(hasCode(await getStorageMap(root, ID).catch((e) => e), 'PATH_ESCAPE'), 'a schema-1 entry is a miss');
  await cache.put(current, poisoned);
  const warm = await getStorageMap(root, ID).catch((e) => e);
  t.ok(hasCode(warm, 'PATH_ESCAPE'), 'a current-key entry with an unsafe path is refused on expansion');
});

t.test('a Fedora header id that climbs out of the object is refused by the resource model', async (t) => {
  const inventory = JSON.parse(
    inventoryText({
      manifest: `{"${D}": ["v1/content/a.txt"], "${'b'.repeat(128)}": ["v1/content/.fcrepo/fcr-root.json"], "${'c'.repeat(128)}": ["v1/content/.fcrepo/a.txt.json"]}`,
      versions: `{"v1": {"created": "2024-01-01T00:00:00Z", "state": {"${D}": ["a.txt"], "${'b'.repeat(128)}": [".fcrepo/fcr-root.json"], "${'c'.repeat(128)}": [".fcrepo/a.txt.json"]}}}`,
    }),
  );
  const headers = new Map<string, FedoraHeader>([
    [
      '.fcrepo/fcr-root.json',
      {
        id: 'info:fedora/ag',
        archivalGroup: true,
        objectRoot: true,
        deleted: false,
        digests: [],
        interactionModel: 'http://www.w3.org/ns/ldp#BasicContainer',
      },
    ],
    [
      '.fcrepo/a.txt.json',
      {
        id: 'info:fedora/ag/../../../etc/passwd',
        archivalGroup: false,
        objectRoot: false,
        deleted: false,
        digests: [],
        interactionModel: 'http://www.w3.org/ns/ldp#NonRDFSource',
        contentPath: 'a.txt',
      },
    ],
  ]);
  t.throws(() => buildObjectResources({ inventory, version: 'v1', headers }), {
    code: 'PATH_ESCAPE',
    message: /Fedora resource path/,
  });
  headers.get('.fcrepo/a.txt.json')!.id = 'info:fedora/ag/a.txt';
  const model = buildObjectResources({ inventory, version: 'v1', headers });
  t.ok(model.byPath.has('a.txt'), 'the same header with a safe id builds');
});
