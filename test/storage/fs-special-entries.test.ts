import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import type { ListEntry } from '../../lib/storage/port.js';

function tempRoot(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-fs-special-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function listAll(store: FsStore, delimiter: boolean): Promise<ListEntry[]> {
  const out: ListEntry[] = [];
  for await (const e of store.list('', { delimiter })) out.push(e);
  return out;
}

t.test('a FIFO and a socket are listed as other entries, never as files or skipped', async (t) => {
  const root = tempRoot(t);
  mkdirSync(join(root, 'd'));
  execFileSync('mkfifo', [join(root, 'd', 'pipe')]);
  const server = createServer();
  await new Promise<void>((ok) => server.listen(join(root, 'd', 'sock'), ok));
  t.teardown(() => server.close());
  writeFileSync(join(root, 'd', 'plain.txt'), 'x');
  const entries = await listAll(new FsStore(root), false);
  t.same(
    entries.map((e) => [e.kind, e.key, e.kind === 'other' ? e.type : '']),
    [
      ['other', 'd/pipe', 'fifo'],
      ['file', 'd/plain.txt', ''],
      ['other', 'd/sock', 'socket'],
    ],
  );
});

t.test('a name that is not valid UTF-8 is listed as an undecodable-name entry', async (t) => {
  const root = tempRoot(t);
  // 0xff can never appear in UTF-8; the file is created through a Buffer path.
  writeFileSync(Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff]), Buffer.from('.txt')]), 'x');
  writeFileSync(join(root, 'good-\uFFFD.txt'), 'a real replacement character is a valid name');
  for (const delimiter of [true, false]) {
    const entries = await listAll(new FsStore(root), delimiter);
    t.same(
      entries.map((e) => [e.kind, e.kind === 'other' ? e.type : '']),
      [
        ['other', 'undecodable-name'],
        ['file', ''],
      ],
      `delimiter ${delimiter}`,
    );
    t.equal(entries[1]?.key, 'good-\uFFFD.txt');
  }
});

t.test('reading a FIFO as a file is refused at once, never waits for a writer', async (t) => {
  const root = tempRoot(t);
  execFileSync('mkfifo', [join(root, 'pipe')]);
  const store = new FsStore(root);
  await t.rejects(store.readBytes('pipe'), { code: 'NOT_FOUND' }, 'readBytes');
  await t.rejects(store.read('pipe'), { code: 'NOT_FOUND' }, 'read');
  await t.rejects(store.stat('pipe'), { code: 'NOT_FOUND' }, 'stat');
});

t.test('readBytes reads files of every size in full, each against its cap', async (t) => {
  const root = tempRoot(t);
  const store = new FsStore(root);
  for (const size of [0, 1, 4095, 65_536, 1_000_003]) {
    const bytes = Buffer.alloc(size, size % 251);
    writeFileSync(join(root, `f${size}`), bytes);
    t.ok((await store.readBytes(`f${size}`)).equals(bytes), `${size} bytes`);
    t.ok((await store.readBytes(`f${size}`, { maxBytes: size })).equals(bytes), `${size} bytes at the cap`);
    if (size > 0) await t.rejects(store.readBytes(`f${size}`, { maxBytes: size - 1 }), { code: 'TOO_LARGE' });
  }
  const aborted = AbortSignal.abort();
  await t.rejects(store.readBytes('f1', { signal: aborted }), { name: 'AbortError' });
});
