import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import { LAYOUT_EXTENSIONS, layoutFromConfig } from '../../lib/core/layout/index.js';
import { openStorageRoot, type StoredObjectRef } from '../../lib/engine/storage-root.js';
import { corpusDir } from '../helpers/paths.js';
import {
  copyWritable,
  fsStore,
  migratedRoot,
  preReleaseRoot,
  rebuildRoot,
  reg0003Root,
  simpleRoot,
} from './helpers.js';

async function all(iter: AsyncIterable<StoredObjectRef>): Promise<StoredObjectRef[]> {
  const out: StoredObjectRef[] = [];
  for await (const ref of iter) out.push(ref);
  return out.sort((a, b) => a.objectRoot.localeCompare(b.objectRoot));
}

t.test(
  'a Fedora root without ocfl_layout.json is detected and gets the 0004 sha256 3×3 layout',
  async (t) => {
    const root = await openStorageRoot(fsStore(rebuildRoot));
    t.equal(root.specVersion, '1.0');
    t.equal(root.layoutSource, 'fedora-default');
    t.equal(root.layout?.extensionName, LAYOUT_EXTENSIONS.hashedNTuple);
    t.equal(
      root.objectRootFor('info:fedora/binary'),
      '7e0/d30/d33/7e0d30d33ceb9225f7bc989c8346778837fabedd8b55c0ca00d051d41d23a0a2',
    );
    const refs = await all(root.listObjects());
    t.same(
      refs.map((r) => r.id),
      ['info:fedora', 'info:fedora/binary', 'info:fedora/test'],
    );
    for (const ref of refs)
      t.equal(ref.objectRoot, root.objectRootFor(ref.id!), `${ref.id} sits where the layout says`);
  },
);

t.test('the same root found under a key prefix', async (t) => {
  const store = fsStore(dirname(rebuildRoot));
  const root = await openStorageRoot(store, { prefix: 'test-rebuild-invalid' });
  t.equal(root.prefix, 'test-rebuild-invalid');
  const object = await root.openObject('info:fedora/test');
  t.equal(
    object.key,
    'test-rebuild-invalid/863/b00/6d0/863b006d0a5f65b808669f030765a590ae1fa9b1cfc34bd5a1973bdc5907adf8',
  );
  t.equal(object.view.head, 'v2');
  const refs = await all(root.listObjects());
  t.equal(refs.length, 3);
  t.ok(refs.every((r) => r.key === `test-rebuild-invalid/${r.objectRoot}`));
});

t.test('a declared layout is read from ocfl_layout.json and its config', async (t) => {
  const root = await openStorageRoot(fsStore(migratedRoot));
  t.equal(root.layoutSource, 'declared');
  const object = await root.openObject('info:fedora/1711.dl:UWPAbout');
  t.equal(object.key, '9b4/ebf/059/9b4ebf059a37e0e30da97bfd4c5b21fee07fbc980bae3bab3f3aedfdbf6b3f51');
  const reg = await openStorageRoot(fsStore(reg0003Root));
  t.same(reg.layout?.config, {
    extensionName: LAYOUT_EXTENSIONS.hashAndIdNTuple,
    digestAlgorithm: 'sha256',
    tupleSize: 3,
    numberOfTuples: 4,
  });
  t.equal((await reg.openObject('ark:123/abc')).key, 'a47/817/83d/cec/ark%3a123%2fabc');
});

t.test(
  'without a layout, ids resolve by scanning; pre-release Fedora is not mistaken for 0004',
  async (t) => {
    const root = await openStorageRoot(fsStore(preReleaseRoot));
    t.equal(root.layoutSource, 'none');
    t.ok(
      hasCode(
        t.throws(() => root.objectRootFor('x')),
        'UNSUPPORTED',
      ),
    );
    t.equal(
      await root.resolveObjectRoot('ddf62d41-d04c-47f6-b0c4-d7691daa3554'),
      'd0/d3/74/ddf62d41-d04c-47f6-b0c4-d7691daa3554',
    );
    t.same(
      (await all(root.listObjects())).map((r) => r.id),
      [
        '39961a64-b435-4445-acda-56021249855e',
        '1199fa04-39f1-4888-9fd8-d49dfa5459dc',
        'ddf62d41-d04c-47f6-b0c4-d7691daa3554',
      ],
    );
    const missing = await root.openObject('nope').catch((e: unknown) => e);
    t.ok(hasCode(missing, 'NOT_FOUND'));
    const simple = await openStorageRoot(fsStore(simpleRoot));
    t.equal((await simple.openObject('ark:/12345/bcd987')).view.head, 'v3');
  },
);

t.test('a layout given in options wins; fedora:false turns detection off', async (t) => {
  const flat = layoutFromConfig(LAYOUT_EXTENSIONS.hashedNTuple);
  const root = await openStorageRoot(fsStore(rebuildRoot), { layout: flat });
  t.equal(root.layoutSource, 'option');
  const off = await openStorageRoot(fsStore(rebuildRoot), { fedora: false });
  t.equal(off.layoutSource, 'none');
  t.equal((await off.openObject('info:fedora/binary')).view.head, 'v1', 'scanning still finds it');
  const forced = await openStorageRoot(fsStore(preReleaseRoot), { fedora: true });
  t.equal(forced.layoutSource, 'fedora-default');
});

t.test('an unknown object under a layout is NotFound naming where we looked', async (t) => {
  const root = await openStorageRoot(fsStore(migratedRoot));
  const err = await root.openObject('info:fedora/absent').catch((e: unknown) => e);
  t.ok(hasCode(err, 'NOT_FOUND'));
  t.match((err as Error).message, /info:fedora\/absent.*looked at [0-9a-f]{3}\//);
});

t.test('a directory without 0=ocfl_1.x is not a storage root', async (t) => {
  const err = await openStorageRoot(fsStore(join(corpusDir, 'fcrepo'))).catch((e: unknown) => e);
  t.ok(hasCode(err, 'NOT_FOUND'));
  t.match((err as Error).message, /no 0=ocfl_1\.x/);
});

t.test('an unsupported declared layout is reported and ids are scanned instead', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-root-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await copyWritable(reg0003Root, dir);
  writeFileSync(
    join(dir, 'ocfl_layout.json'),
    JSON.stringify({ extension: '0010-differential-n-tuple-omit-prefix-storage-layout', description: 'x' }),
  );
  const root = await openStorageRoot(fsStore(dir));
  t.equal(root.layoutSource, 'none');
  t.match(root.layoutProblem, /not supported/);
  t.equal(await root.resolveObjectRoot('ark:123/abc'), 'a47/817/83d/cec/ark%3a123%2fabc');
});

t.test('a broken object is listed with its error, not fatal to the walk', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-root-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await copyWritable(simpleRoot, dir);
  writeFileSync(join(dir, 'ark%3A123%2Fabc', 'inventory.json'), '{ not json');
  const refs = await all((await openStorageRoot(fsStore(dir))).listObjects());
  t.equal(refs.length, 3);
  const broken = refs.find((r) => r.objectRoot === 'ark%3A123%2Fabc')!;
  t.equal(broken.id, undefined);
  t.ok(hasCode(broken.error, 'INVALID_OBJECT'));
});
