import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hashedNTupleLayout } from '../../lib/core/layout/index.js';
import { openRepository } from '../../lib/services/repository.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { buildObject, writeToDir } from '../ocfl/build-object.js';
import { collect } from '../storage/contract-util.js';

/** A storage root (layout 0004) with two objects, one of two versions. */
function makeRoot(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-repo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
  writeFileSync(
    join(dir, 'ocfl_layout.json'),
    JSON.stringify({ extension: '0004-hashed-n-tuple-storage-layout', description: 'hashed' }),
  );
  const layout = hashedNTupleLayout();
  const books = buildObject(
    [
      { 'a.txt': 'first', 'b/c.txt': 'second' },
      { 'a.txt': 'first, changed', 'b/c.txt': 'second' },
    ],
    'urn:example:book',
  );
  writeToDir(join(dir, layout.objectRootFor('urn:example:book')), books);
  writeToDir(
    join(dir, layout.objectRootFor('urn:example:disk')),
    buildObject([{ 'x.bin': 'x' }], 'urn:example:disk'),
  );
  return dir;
}

t.test('a repository lists its ids and validates the root and one object', async (t) => {
  const repo = await openRepository(new FsStore(makeRoot(t), { readOnly: true }));
  t.same(await repo.listIds(), ['urn:example:book', 'urn:example:disk']);
  const report = await repo.validate();
  t.equal(report.valid, true, JSON.stringify(report.errors));
  t.equal(report.objects.length, 2);
  const one = await repo.validateObject('urn:example:book');
  t.equal(one.valid, true);
  t.equal(one.id, 'urn:example:book');
  await t.rejects(repo.validateObject('urn:example:missing'), { code: 'NOT_FOUND' });
});

t.test('versions, storage maps and resources follow the version asked for', async (t) => {
  const repo = await openRepository(new FsStore(makeRoot(t), { readOnly: true }));
  const versions = await repo.versions('urn:example:book');
  t.same(
    versions.map((v) => [v.ocflVersion, v.message]),
    [
      ['v1', 'version 1'],
      ['v2', 'version 2'],
    ],
  );
  const head = await repo.storageMap('urn:example:book');
  const v1 = await repo.storageMap('urn:example:book', { version: 'v1' });
  t.equal(head.version.ocflVersion, 'v2');
  t.equal(head.files['a.txt']?.fullPath, 'v2/content/a.txt');
  t.equal(v1.files['a.txt']?.fullPath, 'v1/content/a.txt');
  t.equal(head.files['b/c.txt']?.fullPath, 'v1/content/b/c.txt', 'unchanged content stays in v1');
  const resources = await repo.resources('urn:example:book', { version: 'v1' });
  t.equal(resources.source, 'ocfl', 'a plain OCFL object gets resources from its paths');
  t.same([...resources.byPath.keys()].sort(), ['', 'a.txt', 'b', 'b/c.txt']);
  t.equal(resources.version.ocflVersion, 'v1');
  await t.rejects(repo.storageMap('urn:example:book', { version: 'v9' }), { code: 'NOT_FOUND' });
});

t.test('readFile streams a logical file of a version, whole or a byte range', async (t) => {
  const repo = await openRepository(new FsStore(makeRoot(t), { readOnly: true }));
  const head = await repo.readFile('urn:example:book', 'a.txt');
  t.equal((await collect(head.stream)).toString(), 'first, changed');
  t.equal(head.size, 14);
  t.equal(head.digestAlgorithm, 'sha512');
  t.equal(head.version, 'v2');
  const old = await repo.readFile('urn:example:book', 'a.txt', {
    version: 'v1',
    range: { start: 1, end: 3 },
  });
  t.equal((await collect(old.stream)).toString(), 'irs');
  t.equal(old.size, 5, 'size is the whole file');
  await t.rejects(repo.readFile('urn:example:book', 'nope.txt'), { code: 'NOT_FOUND' });
  await t.rejects(repo.readFile('urn:example:nobody', 'a.txt'), { code: 'NOT_FOUND' });
});
