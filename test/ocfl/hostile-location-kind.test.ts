/**
 * What a location is: a directory holding an inventory but no object declaration is an invalid
 * object (E003), not "not an OCFL object", whether validated alone or inside a storage root; a
 * location with nothing at all is NotFoundError, never an invalid report.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import { detectLocationKind, validateObject, validateStorageRoot } from '../../lib/engine/validate/index.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { runCli } from '../helpers/cli.js';
import { buildObject, writeToDir, writeToStore } from './build-object.js';
import { storageRootWith, tempDir } from './hostile-fixtures.js';

function withoutDeclaration() {
  const files = buildObject([{ 'a.txt': 'a' }]);
  files.delete('0=ocfl_object_1.1');
  return files;
}

t.test('an inventory without a declaration is an invalid object with E003', async (t) => {
  const dir = tempDir(t, 'kind');
  writeToDir(dir, withoutDeclaration());
  const store = new FsStore(dir, { readOnly: true });
  t.equal(await detectLocationKind(store, ''), 'object');
  const report = await validateObject(store, '');
  t.equal(report.valid, false);
  t.ok(report.has('E003'));
  t.equal(report.id, 'urn:example:obj', 'the rest of the object is still validated');
  const cli = await runCli(['validate', '--json', dir]);
  t.equal(cli.code, 1, 'invalid, not a usage error');
  const out = JSON.parse(cli.stdout);
  t.equal(out.kind, 'object');
  t.ok(out.errors.some((e: { code: string }) => e.code === 'E003'));
});

t.test('inside a storage root it is an object with E003, not stray files', async (t) => {
  const dir = storageRootWith(t, {
    'a/lost': withoutDeclaration(),
    'b/fine': buildObject([{ 'b.txt': 'b' }]),
  });
  const report = await validateStorageRoot(new FsStore(dir, { readOnly: true }));
  const lost = report.objects.find((o) => o.objectRoot === 'a/lost');
  t.ok(lost?.has('E003'), 'reported on the object');
  t.notOk(
    report.errors.some((i) => i.code === 'E072'),
    'its files are not E072',
  );
  t.equal(report.objects.find((o) => o.objectRoot === 'b/fine')?.valid, true);
});

t.test('nothing at the location is NotFoundError for detectLocationKind and validateObject', async (t) => {
  const dir = tempDir(t, 'kind');
  const missing = join(dir, 'does-not-exist');
  for (const store of [new FsStore(missing, { readOnly: true }), new MemoryStore()]) {
    t.ok(hasCode(await detectLocationKind(store, '').catch((e: unknown) => e), 'NOT_FOUND'), store.kind);
    t.ok(hasCode(await validateObject(store, '').catch((e: unknown) => e), 'NOT_FOUND'), store.kind);
  }
  const store = new MemoryStore();
  await writeToStore(store, buildObject([{ 'a.txt': 'a' }]), 'here');
  t.ok(hasCode(await validateObject(store, 'elsewhere').catch((e: unknown) => e), 'NOT_FOUND'));
  rmSync(dir, { recursive: true, force: true });
  const cli = await runCli(['validate', missing]);
  t.not(cli.code, 0);
  t.match(cli.stderr, /NOT_FOUND|does not exist|no such/i);
});
