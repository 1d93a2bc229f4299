import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { hasLocalPaths } from '../../lib/storage/port.js';
import { runStorageContract } from './contract.js';
import { collect, describe } from './contract-util.js';

function tempRoot(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-fs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

runStorageContract(t, 'fs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-fs-contract-'));
  return {
    store: new FsStore(join(dir, 'root')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

runStorageContract(t, 'fs durable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-fs-durable-'));
  return {
    store: new FsStore(dir, { durable: true }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

t.test('keys are real files below the root and localPath names them', async (t) => {
  const root = tempRoot(t);
  const store = new FsStore(root);
  await store.write('a/b/c.txt', 'hello');
  t.ok(hasLocalPaths(store));
  t.equal(store.localPath('a/b/c.txt'), join(root, 'a', 'b', 'c.txt'));
  t.same(readdirSync(join(root, 'a', 'b')), ['c.txt']);
  t.match(store.uri, /^file:\/\/\//);
});

t.test('a key that would escape the root through a symlink is PATH_ESCAPE', async (t) => {
  const root = tempRoot(t);
  const outside = tempRoot(t);
  writeFileSync(join(outside, 'secret'), 'secret');
  mkdirSync(join(root, 'obj'));
  symlinkSync(outside, join(root, 'obj', 'link'));
  const store = new FsStore(root);
  await t.rejects(store.write('obj/link/evil', 'x'), { code: 'PATH_ESCAPE' });
  t.same(readdirSync(outside), ['secret'], 'nothing was written outside');
  await t.rejects(store.readBytes('obj/link/secret'), { code: 'PATH_ESCAPE' });
  await t.rejects(store.exists('obj/link/secret'), { code: 'PATH_ESCAPE' });
  await t.rejects(store.copy('obj/link/secret', 'stolen'), { code: 'PATH_ESCAPE' });
  await t.rejects(store.deletePrefix('obj/link'), { code: 'PATH_ESCAPE' });
  await t.rejects(store.write('../escape', 'x'), { code: 'INVALID_INPUT' });
});

t.test('symlinks are listed, flagged and not followed', async (t) => {
  const root = tempRoot(t);
  const store = new FsStore(root);
  await store.write('o/real.txt', 'data');
  symlinkSync('real.txt', join(root, 'o', 'alias.txt'));
  symlinkSync('/', join(root, 'o', 'dirlink'));
  const entries = await collect(store.list('o', { delimiter: false }));
  t.same(
    entries.map((e) => [e.key, e.kind === 'file' && e.symlink === true]),
    [
      ['o/alias.txt', true],
      ['o/dirlink', true],
      ['o/real.txt', false],
    ],
  );
  t.same(describe(await collect(store.list('o'))), ['file:o/alias.txt', 'file:o/dirlink', 'file:o/real.txt']);
});

t.test('empty directories are listed as prefixes with a delimiter, and not without', async (t) => {
  const root = tempRoot(t);
  mkdirSync(join(root, 'obj', 'v1', 'content'), { recursive: true });
  mkdirSync(join(root, 'obj', 'v2'));
  const store = new FsStore(root);
  t.same(describe(await collect(store.list('obj'))), ['prefix:obj/v1', 'prefix:obj/v2']);
  t.same(describe(await collect(store.list('obj/v1'))), ['prefix:obj/v1/content']);
  t.same(await collect(store.list('obj', { delimiter: false })), []);
});

t.test('temp files are invisible to list, stat and exists, and writes cannot use their names', async (t) => {
  const root = tempRoot(t);
  const store = new FsStore(root);
  await store.write('d/real', 'r');
  writeFileSync(join(root, 'd', '.strongroom-tmp-abc'), 'partial');
  t.same(describe(await collect(store.list('d'))), ['file:d/real']);
  t.equal(await store.exists('d/.strongroom-tmp-abc'), false);
  await t.rejects(store.stat('d/.strongroom-tmp-abc'), { code: 'NOT_FOUND' });
  await t.rejects(store.write('d/.strongroom-tmp-x', 'y'), { code: 'INVALID_INPUT' });
});

t.test('a failed write leaves no temp file and keeps the old content', async (t) => {
  const root = tempRoot(t);
  const store = new FsStore(root);
  await store.write('f', 'old');
  const failing = new Readable({
    read() {
      this.push(Buffer.from('partial'));
      this.destroy(new Error('source broke'));
    },
  });
  await t.rejects(store.write('f', failing), { message: 'source broke' });
  await t.rejects(store.write('f', 'new', { ifNoneMatch: true }), { code: 'ALREADY_EXISTS' });
  t.same(readdirSync(root), ['f'], 'no temp files left');
  t.equal((await store.readBytes('f')).toString(), 'old');
});

t.test('a read-only store refuses every write with UNSUPPORTED', async (t) => {
  const root = tempRoot(t);
  await new FsStore(root).write('k', 'v');
  const store = new FsStore(root, { readOnly: true });
  t.equal((await store.readBytes('k')).toString(), 'v');
  await t.rejects(store.write('k2', 'v'), { code: 'UNSUPPORTED' });
  await t.rejects(store.copy('k', 'k2'), { code: 'UNSUPPORTED' });
  await t.rejects(store.delete('k'), { code: 'UNSUPPORTED' });
  await t.rejects(store.deletePrefix('k'), { code: 'UNSUPPORTED' });
});

t.test('a store whose root does not exist yet reads as empty and creates it on write', async (t) => {
  const root = join(tempRoot(t), 'later');
  const store = new FsStore(root);
  t.same(await collect(store.list('')), []);
  await t.rejects(store.stat('x'), { code: 'NOT_FOUND' });
  await store.delete('x');
  t.equal(await store.deletePrefix('x'), 0);
  await store.write('x', '1');
  t.equal(await store.exists('x'), true);
});

t.test('sync flushes written keys and reports missing ones', async (t) => {
  const store = new FsStore(tempRoot(t));
  await store.write('a/1', 'x');
  await store.write('b/2', 'y');
  await store.sync(['a/1', 'b/2']);
  await t.rejects(store.sync(['nope']), { code: 'NOT_FOUND' });
});
