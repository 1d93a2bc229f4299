/**
 * A hashing worker thread that dies in the middle of a task (here: `process.exit(1)` when it is
 * handed a file named `crash-me`) must cost only the files of that task, each with an IoError
 * that says the worker failed; digestFiles() must return (no hang), and the same pool must keep
 * hashing afterwards (piscina replaces the dead thread). A worker module that cannot load at all
 * fails its tasks the same way.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { IoError } from '../../lib/core/errors.js';
import { digestFiles, type FileDigestRequest } from '../../lib/hash/digest-files.js';
import { HashPool } from '../../lib/hash/pool.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { repoRoot } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-crash-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const store = new FsStore(join(dir, 'store'));
const names = ['a.txt', 'b.txt', 'crash-me', 'c.txt', 'd.txt', 'big-crash-me'];
const content = (name: string) =>
  Buffer.from(`content of ${name}\n`.repeat(name.startsWith('big') ? 4096 : 1));
for (const name of names) await store.write(name, content(name));
const sha256 = (name: string) => createHash('sha256').update(content(name)).digest('hex');
const requests: FileDigestRequest[] = names.map((key) => ({ key, algorithms: ['sha256'] }));

// The real worker, except that a task naming a `crash-me` file kills the thread mid-task.
const realWorker = pathToFileURL(join(repoRoot, 'dist/lib/hash/worker.js')).href;
const crashing = join(dir, 'crashing-worker.mjs');
writeFileSync(
  crashing,
  `import run from ${JSON.stringify(realWorker)};
export default function (task) {
  const paths = task.kind === 'batch' ? task.paths : [task.path];
  if (paths.some((p) => p.endsWith('crash-me'))) process.exit(1);
  return run(task);
}
`,
);

t.test(
  'a worker dying mid-task fails only that task’s files with an IoError, then the pool recovers',
  async (t) => {
    const pool = new HashPool({ threads: 1, workerModule: pathToFileURL(crashing) });
    t.teardown(() => pool.close());
    // One file per batch, and `big-crash-me` (64 KiB) above the large-file limit: both the batch
    // path and the single large-file path meet a dying worker.
    const results = await digestFiles(store, requests, { pool, batchFiles: 1, largeFileBytes: 16 * 1024 });
    for (const [i, name] of names.entries()) {
      const r = results[i]!;
      if (name.endsWith('crash-me')) {
        t.type(r.error, IoError, `${name}: IoError`);
        t.match(r.error?.message, new RegExp(`^cannot digest "${name}": `), 'names the file');
        t.match(r.error?.message, /hashing worker thread failed: .*exited/, 'says the worker died');
        t.same(r.digests, {});
      } else {
        t.equal(r.error, undefined, `${name}: no error`);
        t.equal(r.digests['sha256'], sha256(name), `${name}: hashed`);
      }
    }
    const again = await digestFiles(store, [{ key: 'a.txt', algorithms: ['sha256'] }], { pool });
    t.equal(again[0]?.digests['sha256'], sha256('a.txt'), 'the same pool hashes again after the crash');
  },
);

t.test('a worker whose module cannot load fails every file with an IoError, no hang', async (t) => {
  const broken = join(dir, 'broken-worker.mjs');
  writeFileSync(broken, `throw new TypeError('this worker cannot load');\n`);
  const pool = new HashPool({ threads: 1, workerModule: pathToFileURL(broken) });
  t.teardown(() => pool.close());
  const results = await digestFiles(store, requests.slice(0, 2), { pool });
  for (const r of results) {
    t.type(r.error, IoError);
    t.match(r.error?.message, /hashing worker thread failed/);
  }
});
