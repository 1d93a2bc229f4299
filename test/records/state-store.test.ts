/**
 * Opening the state store: records and queue in one LMDB environment under a data directory,
 * refused with IoError where the directory cannot be used and UnsupportedError where a newer
 * schema wrote it; separate openers of one directory in one process do not close each other.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConflictError, IoError, UnsupportedError } from '../../lib/core/errors.js';
import * as strongroom from '../../lib/index.js';
import { openStateEnvironment } from '../../lib/records/lmdb-env.js';
import { STATE_SCHEMA_VERSION } from '../../lib/records/schema.js';

const base = mkdtempSync(join(tmpdir(), 'strongroom-state-open-'));
t.teardown(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(base, `s${++n}`);

t.test('records and queue share one directory and survive reopening', async (t) => {
  const dir = join(fresh(), 'nested', 'state');
  const state = strongroom.openStateStore(dir);
  const id = strongroom.newRecordId();
  await state.records.deposits.create({ id, files: `file:///data/deposits/${id}/`, createdBy: 'admin' });
  const { job } = await state.queue.enqueue('import', { deposit: id }, { dedupeKey: id });
  await state.close();
  await state.close(); // idempotent
  const again = strongroom.openStateStore(dir);
  t.equal((await again.records.deposits.get(id))?.createdBy, 'admin');
  t.equal((await again.queue.findByDedupeKey('import', id))?.id, job.id);
  await again.close();
  await t.rejects(
    again.records.deposits.create({ id: strongroom.newRecordId(), files: 'file:///x/', createdBy: 'a' }),
    ConflictError,
  );
  await t.rejects(again.queue.enqueue('import', 1), ConflictError);
});

t.test('separate record and queue openers of one directory in one process close independently', async (t) => {
  const dir = fresh();
  const records = strongroom.openLmdbRecords(dir);
  const queue = strongroom.openLmdbQueue(dir);
  await records.close();
  t.ok((await queue.enqueue('work', 1)).created, 'the queue still works after the records closed');
  const records2 = strongroom.openLmdbRecords(dir);
  await queue.close();
  t.equal(await records2.activity.count(), 0, 'and the other way round');
  await records2.close();
});

t.test('a path that cannot hold the store is IoError at once', async (t) => {
  const file = join(fresh(), 'a-file');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, 'not a directory');
  t.throws(() => strongroom.openStateStore(file), IoError);
  t.throws(() => strongroom.openStateStore(join(file, 'below')), IoError);
  const junk = fresh();
  mkdirSync(junk);
  writeFileSync(join(junk, 'data.mdb'), Buffer.alloc(8192, 7));
  t.throws(() => strongroom.openStateStore(junk), {
    name: 'IoError',
    message: /state store.*not an LMDB database/,
  });
});

t.test('a directory written by a newer schema is refused, not misread', async (t) => {
  const dir = fresh();
  const env = openStateEnvironment({ path: dir });
  env.root.openDB('meta', {}).putSync('schema', STATE_SCHEMA_VERSION + 1);
  await env.release();
  t.throws(() => strongroom.openStateStore(dir), UnsupportedError);
});

t.test('the memory state store serves the same interfaces', async (t) => {
  const state = strongroom.openMemoryStateStore();
  const id = strongroom.newRecordId();
  await state.records.deposits.create({ id, files: `file:///d/${id}/`, createdBy: 'admin' });
  t.equal((await state.records.deposits.list()).total, 1);
  t.ok((await state.queue.enqueue('import', { id })).created);
  await state.close();
});
