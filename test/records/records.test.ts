/**
 * The records contract (contract.ts) on every implementation: memory, LMDB, and LMDB with the
 * exact-match listing path switched off (so both listing paths of lmdb-deposit-index.ts run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import t from 'tap';
import { newRecordId } from '../../lib/records/ids.js';
import { openLmdbRecords } from '../../lib/records/lmdb-records.js';
import { openMemoryRecords } from '../../lib/records/memory-records.js';
import { type RecordsSubject, recordsContract } from './contract.js';

function lmdbSubject(name: string, matchCandidateLimit?: number): RecordsSubject {
  return {
    name,
    async make(clock) {
      const dir = mkdtempSync(join(tmpdir(), 'strongroom-records-'));
      const options = {
        clock: clock.read,
        ...(matchCandidateLimit !== undefined && { matchCandidateLimit }),
      };
      let store = openLmdbRecords(dir, options);
      return {
        store,
        reopen: async () => {
          await store.close();
          store = openLmdbRecords(dir, options);
          return store;
        },
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

const subjects: RecordsSubject[] = [
  {
    name: 'memory records',
    async make(clock) {
      const store = openMemoryRecords({ clock: clock.read });
      return { store, cleanup: () => store.close() };
    },
  },
  lmdbSubject('LMDB records'),
  lmdbSubject('LMDB records, listing by walking the order index only', 0),
];

for (const subject of subjects) recordsContract(t, subject);

t.test(
  'LMDB: deposits written before the deposit search text existed are found after reopening',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-records-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const store = openLmdbRecords(dir);
    const id = newRecordId();
    await store.deposits.create({
      id,
      files: `file:///d/${id}/`,
      createdBy: 'tom',
      submissionText: 'Old Maps',
    });
    await store.close();
    // What an older build left: no search texts, no mark that they were written.
    const env = open({ path: dir, maxDbs: 32, compression: true });
    env.openDB('deposit-text', {}).clearSync();
    env.openDB('meta', {}).removeSync('deposit-text');
    await env.close();
    const again = openLmdbRecords(dir);
    t.teardown(() => again.close());
    t.same(
      (await again.deposits.search('old map')).deposits.map((d) => d.id),
      [id],
    );
  },
);
