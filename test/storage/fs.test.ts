import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { fsError } from '../../lib/storage/fs/fs-paths.js';
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

t.test('sync flushes written keys and reports missing ones, in bulk and path by path', async (t) => {
  for (const syncStrategy of ['auto', 'syncfs', 'fsync'] as const) {
    const store = new FsStore(tempRoot(t), { syncStrategy });
    await store.write('a/1', 'x');
    await store.write('b/2', 'y');
    await store.sync(['a/1', 'b/2']);
    await t.rejects(store.sync(['a/1', 'nope']), { code: 'NOT_FOUND', key: 'nope' }, syncStrategy);
  }
});

t.test('many files are flushed with one syncfs of their filesystem, a few with an fsync each', async (t) => {
  const calls: string[][] = [];
  const real = await import('node:child_process');
  const { syncFiles } = await t.mockImport<typeof import('../../lib/storage/fs/fs-sync.js')>(
    new URL('../../lib/storage/fs/fs-sync.js', import.meta.url).href,
    {
      'node:child_process': {
        ...real,
        execFile: (file: string, args: string[], options: object, done: (...a: unknown[]) => void) => {
          calls.push([file, ...args]);
          return real.execFile(file, args, options, done as never);
        },
      },
    },
  );
  const root = tempRoot(t);
  const store = new FsStore(root);
  const keys = Array.from({ length: 200 }, (_, i) => `v1/content/d${i % 10}/f${i}`);
  for (const key of keys) await store.write(key, key);
  await syncFiles(keys.map((key) => ({ key, path: store.localPath(key) })));
  if (process.platform === 'linux') {
    t.equal(calls.length, 1, '200 files on one filesystem: one `sync -f`');
    t.equal(calls[0]?.[1], '-f');
  }
  calls.length = 0;
  await syncFiles(keys.slice(0, 2).map((key) => ({ key, path: store.localPath(key) })));
  t.equal(calls.length, 0, 'two files: fsynced directly, no process spawned');
});

t.test('refused filesystem operations are ACCESS_DENIED, not IO', async (t) => {
  const root = tempRoot(t);
  const store = new FsStore(root);
  await store.write('locked/f', 'x');
  const dir = join(root, 'locked');
  // Root ignores permission bits, but not the immutable attribute (ext4 and friends).
  const chattr = spawnSync('chattr', ['+i', dir]);
  if (chattr.status !== 0) {
    t.skip(
      `chattr +i is not available here: ${chattr.stderr?.toString().trim() ?? chattr.error}`,
      async () => {},
    );
    return;
  }
  t.teardown(() => spawnSync('chattr', ['-i', dir]));
  await t.rejects(store.write('locked/g', 'y'), {
    code: 'ACCESS_DENIED',
    operation: 'write',
    key: 'locked/g',
  });
  await t.rejects(store.delete('locked/f'), { code: 'ACCESS_DENIED', operation: 'delete' });
  t.equal((await store.readBytes('locked/f')).toString(), 'x', 'reading is still allowed');
});

t.test('errno codes map to the taxonomy and messages cut long keys', async (t) => {
  const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code });
  const long = `k/${'x'.repeat(500)}`;
  t.match(fsError(errno('EACCES'), 'read', 'a'), { code: 'ACCESS_DENIED', key: 'a', operation: 'read' });
  t.match(fsError(errno('EPERM'), 'write', 'a'), { code: 'ACCESS_DENIED' });
  t.match(fsError(errno('ENOENT'), 'read', 'a'), { code: 'NOT_FOUND' });
  const io = fsError(errno('EIO'), 'read', long) as Error;
  t.match(io, { code: 'IO', key: long });
  t.ok(io.message.length < 300, 'the key is cut in the message');
});

t.test('the local file resolver checks directories against the real root', async (t) => {
  const root = tempRoot(t);
  const outside = tempRoot(t);
  const store = new FsStore(root);
  await store.write('in/a.txt', 'a');
  writeFileSync(join(outside, 'secret'), 's');
  symlinkSync(outside, join(root, 'out'));
  symlinkSync(join(root, 'in'), join(root, 'alias-dir'));
  symlinkSync(join(root, 'in', 'a.txt'), join(root, 'in', 'link.txt'));
  symlinkSync(join(outside, 'secret'), join(root, 'in', 'leak.txt'));
  const files = store.localFiles();
  const realRoot = realpathSync(root);
  t.equal(files.resolve('in/a.txt'), join(realRoot, 'in', 'a.txt'));
  t.equal(
    files.resolve('alias-dir/a.txt'),
    join(realRoot, 'in', 'a.txt'),
    'a folder link inside is resolved',
  );
  t.throws(() => files.resolve('out/secret'), { code: 'PATH_ESCAPE', key: 'out/secret' });
  t.throws(() => files.resolve('missing/x'), { code: 'NOT_FOUND' });
  t.throws(() => files.resolve('../x'), { code: 'INVALID_INPUT' });
  t.throws(() => files.resolve('in/.strongroom-tmp-1'), { code: 'NOT_FOUND' });
  t.equal(files.resolve('in/link.txt'), join(realRoot, 'in', 'link.txt'), 'the last segment is left alone');
  t.equal(files.resolveLink('in/link.txt'), join(realRoot, 'in', 'a.txt'));
  t.throws(() => files.resolveLink('in/leak.txt'), { code: 'PATH_ESCAPE' });
  const missingRoot = new FsStore(join(root, 'nothing-here')).localFiles();
  t.throws(() => missingRoot.resolve('a'), { code: 'NOT_FOUND' });
});

t.test('rename on the filesystem is one rename(2) and prunes the emptied source folder', async (t) => {
  const root = tempRoot(t);
  const store = new FsStore(root);
  await store.write('stage/x/file', 'bytes');
  await store.rename('stage/x/file', 'final/file', { ifNoneMatch: true });
  t.same(readdirSync(root).sort(), ['final'], 'no temp files and no empty stage folders left');
  await store.write('dir/inner', 'i');
  await t.rejects(store.rename('dir', 'elsewhere'), { code: 'NOT_FOUND' }, 'a folder is not an object');
  await t.rejects(store.rename('final/file', 'x/.strongroom-tmp-1'), { code: 'INVALID_INPUT' });
});

t.test('a read-only store refuses renames and conditional deletes too', async (t) => {
  const root = tempRoot(t);
  const { etag } = await new FsStore(root).write('k', 'v');
  const store = new FsStore(root, { readOnly: true });
  await t.rejects(store.rename('k', 'k2'), { code: 'UNSUPPORTED' });
  await t.rejects(store.delete('k', { ifMatch: etag! }), { code: 'UNSUPPORTED' });
  t.equal(await store.exists('k'), true);
});
