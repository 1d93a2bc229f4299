/**
 * LmdbCache.open on a path it cannot use fails at once with IoError: no endless loop (lmdb's
 * recursive mkdir below /proc spun at full CPU), no SIGSEGV (lmdb memory-maps whatever file it
 * finds), no silent switch to single-file mode for a name with an extension. Each open runs in
 * a child process with a timeout, because a hang or a native crash cannot be caught in-process.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { LmdbCache } from '../../lib/cache/lmdb-cache.js';
import { repoRoot } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-lmdb-open-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const cacheModule = pathToFileURL(join(repoRoot, 'dist/lib/cache/lmdb-cache.js')).href;

/** Open the cache at `path` in a child process: what it printed, how it ended, how long it took. */
function openInChild(path: string) {
  const script = `
    const { LmdbCache } = await import(${JSON.stringify(cacheModule)});
    try {
      const cache = LmdbCache.open({ path: ${JSON.stringify(path)} });
      await cache.put('k', { v: 1 });
      console.log(JSON.stringify({ opened: true, value: await cache.get('k') }));
      await cache.close();
    } catch (err) {
      console.log(JSON.stringify({ opened: false, name: err.name, code: err.code, message: err.message }));
    }`;
  const started = Date.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  const ms = Date.now() - started;
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return { child, ms, outcome: line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {} };
}

function expectIoError(t: Test, path: string, why: RegExp) {
  const { child, ms, outcome } = openInChild(path);
  t.equal(child.signal, null, `ended by itself, not by a signal (${child.signal ?? 'none'})`);
  t.equal(child.status, 0, child.stderr);
  t.ok(ms < 10_000, `failed at once (${ms} ms)`);
  t.match(outcome, { opened: false, name: 'IoError', code: 'IO' });
  t.match(String(outcome['message']), why);
}

// A real LMDB data file to damage.
const good = join(dir, 'good');
const real = LmdbCache.open({ path: good });
await real.put('k', 'v');
await real.close();

t.test('a regular file where the directory should be', async (t) => {
  writeFileSync(join(dir, 'a-file'), 'x');
  expectIoError(t, join(dir, 'a-file'), /exists and is not a directory/);
});

t.test('a path below a regular file', async (t) => {
  writeFileSync(join(dir, 'parent-file'), 'x');
  expectIoError(t, join(dir, 'parent-file', 'cache'), /is not a directory/);
});

t.test('an existing regular file whose name has an extension is not opened as a database', async (t) => {
  writeFileSync(join(dir, 'notes.json'), '{"not": "lmdb"}');
  expectIoError(t, join(dir, 'notes.json'), /exists and is not a directory/);
});

t.test(
  'a path below /proc, where a recursive mkdir never returns',
  { skip: process.platform === 'linux' ? false : '/proc is Linux-only' },
  async (t) => {
    expectIoError(t, '/proc/strongroom-cache/nested', /cannot create/);
  },
);

t.test('a data.mdb that is not an LMDB file', async (t) => {
  mkdirSync(join(dir, 'junk'));
  writeFileSync(join(dir, 'junk', 'data.mdb'), Buffer.alloc(8192, 0x5a));
  expectIoError(t, join(dir, 'junk'), /data\.mdb is not an LMDB database/);
});

t.test('a truncated LMDB data.mdb', async (t) => {
  mkdirSync(join(dir, 'truncated'));
  writeFileSync(join(dir, 'truncated', 'data.mdb'), readFileSync(join(good, 'data.mdb')).subarray(0, 100));
  expectIoError(t, join(dir, 'truncated'), /truncated or damaged/);
});

mkdirSync(join(dir, 'fifo'));
const fifoMade = spawnSync('mkfifo', [join(dir, 'fifo', 'data.mdb')]).status === 0;
t.test(
  'a data.mdb that is a FIFO',
  { skip: fifoMade ? false : 'mkfifo is not available here' },
  async (t) => {
    expectIoError(t, join(dir, 'fifo'), /data\.mdb is not a regular file/);
  },
);

t.test(
  'a directory the process may not write',
  { skip: process.getuid?.() === 0 ? 'running as root, which may write anywhere' : false },
  async (t) => {
    mkdirSync(join(dir, 'read-only'));
    chmodSync(join(dir, 'read-only'), 0o555);
    expectIoError(t, join(dir, 'read-only'), /not writable/);
  },
);

t.test(
  'missing levels are created, a name with an extension is a directory, data survives a reopen',
  async (t) => {
    const path = join(dir, 'new', 'levels', 'cache.db');
    const first = openInChild(path);
    t.match(first.outcome, { opened: true, value: { v: 1 } });
    const again = LmdbCache.open({ path });
    t.same(await again.get('k'), { v: 1 }, 'the value written by the child is read back');
    await again.close();
    const reopened = LmdbCache.open({ path: good });
    t.equal(await reopened.get('k'), 'v', 'a real LMDB file passes the header checks');
    await reopened.close();
  },
);
