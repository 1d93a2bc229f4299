/**
 * readSmallFiles: many small files read whole, through the hashing workers on the filesystem,
 * with the store's answers for anything the workers cannot read as a plain file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readSmallFiles } from '../../lib/engine/small-reads.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';

function tempRoot(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-small-reads-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('hundreds of files come back whole and in the order asked, on disk and in memory', async (t) => {
  const root = tempRoot(t);
  const memory = new MemoryStore();
  const keys: string[] = [];
  for (let i = 0; i < 700; i++) {
    const key = `d${i % 9}/h${i}.json`;
    mkdirSync(join(root, `d${i % 9}`), { recursive: true });
    writeFileSync(join(root, key), `{"n":${i}}`.padEnd(i % 50, ' '));
    await memory.write(key, `{"n":${i}}`.padEnd(i % 50, ' '));
    keys.push(key);
  }
  keys.reverse();
  for (const store of [new FsStore(root), memory]) {
    const got = await readSmallFiles(store, keys, { maxBytes: 1024 });
    t.same(
      got.map((b) => JSON.parse(b.toString()).n),
      keys.map((k) => Number(/h(\d+)/.exec(k)![1])),
      store.constructor.name,
    );
  }
});

t.test('a link inside the root is followed, one leading out is refused, as the store does', async (t) => {
  const root = tempRoot(t);
  const outside = tempRoot(t);
  mkdirSync(join(root, 'h'));
  const keys: string[] = [];
  for (let i = 0; i < 100; i++) {
    writeFileSync(join(root, 'h', `f${i}`), `file ${i}`);
    keys.push(`h/f${i}`);
  }
  symlinkSync(join(root, 'h', 'f3'), join(root, 'h', 'inside'));
  const store = new FsStore(root);
  const inside = await readSmallFiles(store, [...keys, 'h/inside'], { maxBytes: 100 });
  t.equal(inside.at(-1)!.toString(), 'file 3');
  writeFileSync(join(outside, 'secret'), 'secret');
  symlinkSync(join(outside, 'secret'), join(root, 'h', 'out'));
  await t.rejects(readSmallFiles(store, [...keys, 'h/out'], { maxBytes: 100 }), { code: 'PATH_ESCAPE' });
});

t.test('a missing file, a file over the limit and a FIFO get the store’s errors', async (t) => {
  const root = tempRoot(t);
  const keys: string[] = [];
  for (let i = 0; i < 100; i++) {
    writeFileSync(join(root, `f${i}`), 'x');
    keys.push(`f${i}`);
  }
  writeFileSync(join(root, 'big'), 'y'.repeat(200));
  execFileSync('mkfifo', [join(root, 'pipe')]);
  const store = new FsStore(root);
  await t.rejects(readSmallFiles(store, [...keys, 'missing'], { maxBytes: 100 }), { code: 'NOT_FOUND' });
  await t.rejects(readSmallFiles(store, [...keys, 'big'], { maxBytes: 100 }), { code: 'TOO_LARGE' });
  await t.rejects(readSmallFiles(store, [...keys, 'pipe'], { maxBytes: 100 }), { code: 'NOT_FOUND' });
  await t.rejects(readSmallFiles(store, [...keys, '../escape'], { maxBytes: 100 }), {
    code: /INVALID_INPUT|PATH_ESCAPE/,
  });
});
