/**
 * The hashing pool is a dependency: validateObject and validateStorageRoot hash through the pool
 * they are given (sized by the caller) and never start the shared default pool; the CLI sizes its
 * own pool with --threads.
 */
import { join } from 'node:path';
import t from 'tap';
import { validateObject } from '../../lib/engine/validate/object.js';
import { validateStorageRoot } from '../../lib/engine/validate/storage-root.js';
import { getDefaultPool, HashPool } from '../../lib/hash/pool.js';
import type { BatchOutcome, BatchTask } from '../../lib/hash/tasks.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { runCli } from '../helpers/cli.js';
import { corpusDir } from '../helpers/paths.js';

/** A one-thread pool that counts the files it was asked to hash. */
class CountingPool extends HashPool {
  files = 0;
  constructor() {
    super({ threads: 1 });
  }
  override runBatch(task: BatchTask): Promise<BatchOutcome> {
    this.files += task.paths.length;
    return super.runBatch(task);
  }
}

const objectDir = join(corpusDir, 'ocfl-fixtures/1.1/good-objects/spec-ex-full');
const rootDir = join(corpusDir, 'ocfl-py/extra_fixtures/1.0/good-storage-roots/simple-root');

t.test('validateObject and validateStorageRoot hash through the pool they are given', async (t) => {
  const pool = new CountingPool();
  t.teardown(() => pool.close());
  const report = await validateObject(new FsStore(objectDir, { readOnly: true }), '', { pool });
  t.ok(report.valid, 'the object is valid');
  t.ok(pool.files > 0, `the given pool hashed the content (${pool.files} files)`);
  const before = pool.files;
  const rootReport = await validateStorageRoot(new FsStore(rootDir, { readOnly: true }), { pool });
  t.ok(rootReport.objects.length > 0);
  t.ok(pool.files > before, 'the storage root’s objects were hashed by the same pool');
  t.equal(getDefaultPool().started, false, 'the shared default pool never started a thread');
});

t.test('validate --threads sizes the CLI’s pool; a bad count is a usage error', async (t) => {
  const ok = await runCli(['validate', '--threads', '1', objectDir]);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, /^VALID OCFL object/);
  for (const bad of ['0', '-1', '1.5', 'many']) {
    const run = await runCli(['validate', `--threads=${bad}`, objectDir]);
    t.equal(run.code, 2, `--threads=${bad} is a usage error`);
    t.match(run.stderr, /--threads takes a whole number/);
  }
});
