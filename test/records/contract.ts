/**
 * The records contract: every RecordStore implementation (memory, LMDB, later PostgreSQL) must
 * pass it. Run by records.test.ts; a new implementation adds a subject there.
 *
 * The deposit-listing part checks the store against an oracle written here, independently of
 * lib/records/deposit-query.ts: UTF-8 byte order for strings, nulls last, ties by id.
 */
import type { Test } from 'tap';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidInputError,
  LockedError,
  NotFoundError,
  TooLargeError,
} from '../../lib/core/errors.js';
import type { ImportJob } from '../../lib/core/import-job.js';
import type { DepositQueryInput } from '../../lib/records/deposit-query.js';
import { newRecordId } from '../../lib/records/ids.js';
import type { DepositRecord } from '../../lib/records/model.js';
import type { RecordStore } from '../../lib/records/port.js';

/** A controllable clock: `now` in ms, moved by `advance`. */
export interface TestClock {
  now: number;
  advance(ms: number): void;
  read(): number;
}

/** A clock starting at 2025-01-01. */
export function testClock(): TestClock {
  const clock: TestClock = {
    now: Date.parse('2025-01-01T00:00:00.000Z'),
    advance: (ms) => {
      clock.now += ms;
    },
    read: () => clock.now,
  };
  return clock;
}

/** One implementation under test. */
export interface RecordsSubject {
  name: string;
  /** A fresh, empty store on `clock`; `reopen` (persistent stores) closes and opens it again. */
  make(clock: TestClock): Promise<{
    store: RecordStore;
    reopen?: () => Promise<RecordStore>;
    cleanup(): Promise<void>;
  }>;
}

function job(group: string): ImportJob {
  return {
    id: 'https://example.org/deposits/x/importjobs/diff',
    type: 'ImportJob',
    archivalGroup: `https://example.org/repository/${group}`,
    isUpdate: false,
    containersToAdd: [{ id: `https://example.org/repository/${group}/objects`, name: 'objects' }],
    binariesToAdd: [
      {
        id: `https://example.org/repository/${group}/objects/a.txt`,
        name: 'a.txt',
        origin: 'file:///d/objects/a.txt',
        digest: 'ab'.repeat(32),
        size: 3,
        contentType: 'text/plain',
      },
    ],
    binariesToPatch: [],
    binariesToDelete: [],
    containersToDelete: [],
    containersToRename: [],
    binariesToRename: [],
  };
}

const files = (id: string) => `file:///data/deposits/${id}/`;

/** Run the records contract on `subject`. */
export function recordsContract(t: Test, subject: RecordsSubject): void {
  t.test(subject.name, async (t) => {
    const clock = testClock();
    const { store, reopen, cleanup } = await subject.make(clock);
    t.teardown(cleanup);
    const newDeposit = async (extra: Partial<Parameters<RecordStore['deposits']['create']>[0]> = {}) => {
      const id = newRecordId(clock.now);
      return store.deposits.create({
        id,
        files: files(id),
        createdBy: 'tom',
        archivalGroupPath: 'g',
        ...extra,
      });
    };

    t.test(
      'a new deposit has the defaults, revision 1, and the store clock as created and lastModified',
      async (t) => {
        const d = await newDeposit({ archivalGroupPath: 'library/group-1', archivalGroupName: 'Group 1' });
        t.match(d, {
          revision: 1,
          status: 'new',
          active: true,
          template: 'None',
          archivalGroupPath: 'library/group-1',
          archivalGroupName: 'Group 1',
          submissionText: null,
          created: '2025-01-01T00:00:00.000Z',
          lastModified: '2025-01-01T00:00:00.000Z',
          createdBy: 'tom',
          lastModifiedBy: 'tom',
          preserved: null,
          lockedBy: null,
          metsManaged: false,
        });
        t.same(await store.deposits.get(d.id), d, 'read back equal');
        t.match(
          await store.agents.get('tom'),
          { id: 'tom', name: 'tom', roles: [] },
          'createdBy registered as an agent',
        );
      },
    );

    t.test('creating an id twice is AlreadyExistsError and leaves the first deposit', async (t) => {
      const d = await newDeposit({ submissionText: 'first' });
      await t.rejects(
        store.deposits.create({ id: d.id, files: files(d.id), createdBy: 'ann' }),
        AlreadyExistsError,
      );
      t.equal((await store.deposits.get(d.id))?.submissionText, 'first');
    });

    t.test('bad fields are one InvalidInputError naming each field', async (t) => {
      const id = newRecordId(clock.now);
      const err = await store.deposits
        .create({
          id,
          files: 'file:///data/deposits/no-slash',
          createdBy: 'not an agent',
          archivalGroupPath: '../escape',
          submissionText: 'x'.repeat(20_001),
          status: 'bogus' as never,
        })
        .catch((e: unknown) => e);
      t.type(err, InvalidInputError);
      for (const field of ['files', 'createdBy', 'archivalGroupPath', 'submissionText', 'status'])
        t.match((err as Error).message, field, `names ${field}`);
      t.equal(await store.deposits.get(id), undefined, 'nothing stored');
      await t.rejects(
        store.deposits.create({ id: '../../etc', files: files('x'), createdBy: 'tom' }),
        InvalidInputError,
        'a malformed id is refused',
      );
      await t.rejects(
        newDeposit({ archivalGroupPath: `${'é'.repeat(600)}` }),
        InvalidInputError,
        'a group path over 1024 UTF-8 bytes is refused',
      );
    });

    t.test('malformed or unknown ids read as undefined and update as NotFoundError', async (t) => {
      for (const id of ['', '../x', 'A'.repeat(10), 'abc\u0000def', '__proto__', 'x'.repeat(100)])
        t.equal(await store.deposits.get(id), undefined, JSON.stringify(id));
      await t.rejects(store.deposits.update('../x', { submissionText: 'a' }), NotFoundError);
      await t.rejects(store.deposits.update(newRecordId(clock.now), { submissionText: 'a' }), NotFoundError);
      await t.rejects(store.deposits.delete('zzzzzzzzzzzz'), NotFoundError);
    });

    t.test(
      'an update bumps revision and lastModified; a stale ifRevision is ConflictError and changes nothing',
      async (t) => {
        const d = await newDeposit();
        clock.advance(1500);
        const u = await store.deposits.update(
          d.id,
          { submissionText: 'note', archivalGroupName: 'N' },
          { by: 'ann' },
        );
        t.match(u, { revision: 2, submissionText: 'note', lastModifiedBy: 'ann', createdBy: 'tom' });
        t.equal(u.lastModified, '2025-01-01T00:00:01.500Z');
        t.equal(u.created, d.created);
        await t.rejects(
          store.deposits.update(d.id, { submissionText: 'stale' }, { ifRevision: 1 }),
          ConflictError,
        );
        t.equal((await store.deposits.get(d.id))?.submissionText, 'note');
        const v = await store.deposits.update(d.id, { submissionText: null }, { ifRevision: 2 });
        t.equal(v.submissionText, null, 'null clears a field');
        t.equal(v.revision, 3);
      },
    );

    t.test(
      'patches copy only known fields: __proto__ and strangers are ignored, nothing is polluted',
      async (t) => {
        const d = await newDeposit();
        const hostile = JSON.parse(
          '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "id": "other", "files": "s3://x/", "revision": 99, "created": "1999-01-01T00:00:00.000Z", "submissionText": "ok"}',
        );
        const u = await store.deposits.update(d.id, hostile);
        t.equal(u.submissionText, 'ok');
        t.equal(u.id, d.id);
        t.equal(u.files, d.files);
        t.equal(u.revision, 2);
        t.equal(u.created, d.created);
        t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype untouched');
        t.notOk(Object.hasOwn(u, 'polluted'));
        const listed = await store.deposits.list(
          JSON.parse('{"__proto__": {"showAll": true}, "pageSize": 5}'),
        );
        t.equal(listed.pageSize, 5, 'a query object with __proto__ is read by own properties only');
      },
    );

    t.test('records handed out are copies: mutating one does not change the store', async (t) => {
      const d = await newDeposit({ submissionText: 'kept' });
      d.submissionText = 'mutated';
      t.equal((await store.deposits.get(d.id))?.submissionText, 'kept');
      const again = await store.deposits.get(d.id);
      (again as DepositRecord).submissionText = 'mutated too';
      t.equal((await store.deposits.get(d.id))?.submissionText, 'kept');
    });

    t.test(
      'locks: holder, LockedError for others, force, idempotent unlock, respectLockFor on writes',
      async (t) => {
        const d = await newDeposit();
        clock.advance(10);
        const locked = await store.deposits.lock(d.id, 'ann');
        t.match(locked, { lockedBy: 'ann', lockDate: new Date(clock.now).toISOString() });
        await t.rejects(store.deposits.lock(d.id, 'bob'), LockedError);
        t.equal((await store.deposits.lock(d.id, 'ann')).lockedBy, 'ann', 'the holder may lock again');
        await t.rejects(
          store.deposits.update(d.id, { submissionText: 'x' }, { respectLockFor: 'bob' }),
          LockedError,
        );
        t.equal(
          (await store.deposits.update(d.id, { submissionText: 'x' }, { respectLockFor: 'ann' }))
            .submissionText,
          'x',
        );
        await t.rejects(store.deposits.delete(d.id, { respectLockFor: 'bob' }), LockedError);
        await t.rejects(
          store.importJobs.create(
            {
              id: newRecordId(clock.now),
              depositId: d.id,
              job: job('g'),
              archivalGroupPath: 'g',
              createdBy: 'bob',
            },
            { respectLockFor: 'bob' },
          ),
          LockedError,
        );
        t.equal((await store.deposits.lock(d.id, 'bob', { force: true })).lockedBy, 'bob', 'force takes it');
        t.match(await store.deposits.unlock(d.id), { lockedBy: null, lockDate: null });
        t.match(await store.deposits.unlock(d.id), { lockedBy: null }, 'unlock is idempotent');
        await t.rejects(store.deposits.unlock(newRecordId(clock.now)), NotFoundError);
        await t.rejects(store.deposits.lock(d.id, 'not an agent'), InvalidInputError);
      },
    );

    t.test(
      'import jobs: stored as submitted, a waiting result, one unfinished job per deposit',
      async (t) => {
        const d = await newDeposit({ archivalGroupPath: 'g1' });
        const id = newRecordId(clock.now);
        const submitted = job('g1');
        const result = await store.importJobs.create({
          id,
          depositId: d.id,
          job: submitted,
          archivalGroupPath: 'g1',
          originalId: submitted.id!,
          createdBy: 'tom',
        });
        t.match(result, {
          id,
          status: 'waiting',
          depositId: d.id,
          originalImportJobId: submitted.id,
          dateBegun: null,
          newVersion: null,
          errors: [],
          binariesAdded: [],
        });
        t.same((await store.importJobs.getJob(id))?.job, submitted, 'the job as submitted');
        await t.rejects(
          store.importJobs.create({
            id: newRecordId(clock.now),
            depositId: d.id,
            job: submitted,
            archivalGroupPath: 'g1',
            createdBy: 'tom',
          }),
          ConflictError,
          'a second job while one waits',
        );
        t.same((await store.importJobs.listUnfinished()).map((r) => r.id).includes(id), true);
        const running = await store.importJobs.updateResult(id, {
          status: 'running',
          dateBegun: new Date(clock.now).toISOString(),
          progress: { itemsDone: 1, itemsTotal: 2 },
        });
        t.match(running, { status: 'running', revision: 2, progress: { itemsDone: 1, itemsTotal: 2 } });
        const done = await store.importJobs.updateResult(id, {
          status: 'completedWithErrors',
          dateFinished: new Date(clock.now).toISOString(),
          errors: [{ message: 'boom', id: 'https://example.org/repository/g1/a' }],
        });
        t.equal(done.status, 'completedWithErrors');
        await t.rejects(
          store.importJobs.updateResult(id, { status: 'running' }),
          ConflictError,
          'finished is final',
        );
        t.notOk(
          (await store.importJobs.listUnfinished()).some((r) => r.id === id),
          'no longer unfinished',
        );
        const second = newRecordId(clock.now);
        await store.importJobs.create({
          id: second,
          depositId: d.id,
          job: submitted,
          archivalGroupPath: 'g1',
          createdBy: 'tom',
        });
        t.same(
          (await store.importJobs.listResults(d.id)).map((r) => r.id),
          [id, second],
          'oldest first, after a failure a new job may run',
        );
        t.same(await store.importJobs.listResults('../x'), []);
        await t.rejects(
          store.importJobs.create({
            id: newRecordId(clock.now),
            depositId: newRecordId(clock.now),
            job: submitted,
            archivalGroupPath: 'g1',
            createdBy: 'tom',
          }),
          NotFoundError,
          'the deposit must exist',
        );
      },
    );

    t.test(
      'a submitted job with __proto__ keys is stored without them, the same by every store',
      async (t) => {
        const d = await newDeposit();
        const hostile = { ...job('g'), ...JSON.parse('{"__proto__": {"polluted": true}}') } as ImportJob;
        hostile.binariesToAdd = JSON.parse(
          '[{"id": "https://example.org/repository/g/x", "__proto__": {"polluted": true}}]',
        );
        const id = newRecordId(clock.now);
        await store.importJobs.create({
          id,
          depositId: d.id,
          job: hostile,
          archivalGroupPath: 'g',
          createdBy: 'tom',
        });
        const stored = (await store.importJobs.getJob(id))!.job;
        t.same(stored.binariesToAdd, [{ id: 'https://example.org/repository/g/x' }]);
        t.notOk(Object.hasOwn(stored, '__proto__'));
        t.equal(Object.getPrototypeOf(stored.binariesToAdd[0]), Object.prototype);
        t.equal(({} as Record<string, unknown>)['polluted'], undefined);
      },
    );

    t.test(
      'import jobs are refused for inactive and exporting deposits, and for another group',
      async (t) => {
        for (const archivalGroupPath of [null, 'other/group'])
          await t.rejects(
            store.importJobs.create({
              id: newRecordId(clock.now),
              depositId: (await newDeposit({ archivalGroupPath })).id,
              job: job('g'),
              archivalGroupPath: 'g',
              createdBy: 'tom',
            }),
            {
              name: 'ConflictError',
              message: archivalGroupPath ? /is for "other\/group"/ : /no archival group/,
            },
          );
        const inactive = await newDeposit();
        await store.deposits.update(inactive.id, { active: false, status: 'preserved' });
        const exporting = await newDeposit({ status: 'exporting' });
        for (const d of [inactive, exporting])
          await t.rejects(
            store.importJobs.create({
              id: newRecordId(clock.now),
              depositId: d.id,
              job: job('g'),
              archivalGroupPath: 'g',
              createdBy: 'tom',
            }),
            ConflictError,
          );
      },
    );

    t.test('errors are bounded: long messages cut, long lists summarised', async (t) => {
      const d = await newDeposit();
      const id = newRecordId(clock.now);
      await store.importJobs.create({
        id,
        depositId: d.id,
        job: job('g'),
        archivalGroupPath: 'g',
        createdBy: 'tom',
      });
      const errors = Array.from({ length: 1500 }, (_, i) => ({ message: `e${i} ${'x'.repeat(5000)}` }));
      const r = await store.importJobs.updateResult(id, { errors });
      t.equal(r.errors.length, 1001);
      t.ok(r.errors[0]!.message.length < 2100);
      t.match(r.errors[1000]!.message, /500 more errors/);
    });

    t.test('an import job listing more than a million items is TooLargeError', async (t) => {
      const d = await newDeposit();
      const big = job('g');
      big.binariesToDelete = new Array(1_000_001).fill({ id: 'x' });
      await t.rejects(
        store.importJobs.create({
          id: newRecordId(clock.now),
          depositId: d.id,
          job: big,
          archivalGroupPath: 'g',
          createdBy: 'tom',
        }),
        TooLargeError,
      );
    });

    t.test('a commit is atomic: completion, deposit and activity together, or none of them', async (t) => {
      const d = await newDeposit({ archivalGroupPath: 'atomic/group' });
      const id = newRecordId(clock.now);
      await store.importJobs.create({
        id,
        depositId: d.id,
        job: job('atomic/group'),
        archivalGroupPath: 'atomic/group',
        createdBy: 'tom',
      });
      const running = await store.importJobs.updateResult(id, { status: 'running' });
      const activityBefore = await store.activity.count();
      const at = new Date(clock.now).toISOString();
      await t.rejects(
        store.commit([
          {
            op: 'updateImportJobResult',
            id,
            patch: { status: 'completed', newVersion: 'v1', dateFinished: at },
          },
          {
            op: 'appendActivity',
            activity: { type: 'Create', archivalGroupPath: 'atomic/group', version: 'v1' },
          },
          { op: 'updateDeposit', id: d.id, patch: { status: 'preserved' }, ifRevision: 99 },
        ]),
        ConflictError,
      );
      t.equal((await store.importJobs.getResult(id))?.status, 'running', 'result untouched');
      t.equal((await store.importJobs.getResult(id))?.revision, running.revision);
      t.equal(await store.activity.count(), activityBefore, 'no activity');
      t.equal((await store.deposits.get(d.id))?.status, 'new', 'deposit untouched');
      const out = await store.commit([
        {
          op: 'updateImportJobResult',
          id,
          patch: { status: 'completed', newVersion: 'v1', dateFinished: at },
          by: 'tom',
        },
        {
          op: 'appendActivity',
          activity: { type: 'Create', archivalGroupPath: 'atomic/group', version: 'v1', actor: 'tom' },
        },
        {
          op: 'updateDeposit',
          id: d.id,
          patch: {
            status: 'preserved',
            active: false,
            preserved: at,
            preservedBy: 'tom',
            versionPreserved: 'v1',
          },
          ifRevision: 1,
        },
      ]);
      t.equal(out.length, 3);
      t.match(out[2], { status: 'preserved', active: false, versionPreserved: 'v1' });
      t.equal(await store.activity.count(), activityBefore + 1);
      t.match(await store.deposits.get(d.id), { status: 'preserved', preservedBy: 'tom' });
    });

    t.test(
      'a commit with an unknown op or a non-list is InvalidInputError and applies nothing',
      async (t) => {
        const before = await store.activity.count();
        await t.rejects(
          store.commit([
            { op: 'appendActivity', activity: { type: 'Delete', archivalGroupPath: 'a/b' } },
            { op: 'dropEverything' } as never,
          ]),
          InvalidInputError,
        );
        t.equal(await store.activity.count(), before);
        await t.rejects(store.commit('nope' as never), InvalidInputError);
        await t.rejects(store.commit([null as never]), InvalidInputError);
      },
    );

    t.test('deleting a deposit removes its jobs, runs and export; refused while a job runs', async (t) => {
      const d = await newDeposit();
      const jobId = newRecordId(clock.now);
      await store.importJobs.create({
        id: jobId,
        depositId: d.id,
        job: job('g'),
        archivalGroupPath: 'g',
        createdBy: 'tom',
      });
      const runId = newRecordId(clock.now);
      await store.pipelineRuns.create({ id: runId, depositId: d.id, createdBy: 'tom' });
      await store.exports.create({ id: d.id, archivalGroupPath: 'g', createdBy: 'tom' });
      await store.importJobs.updateResult(jobId, { status: 'running' });
      await t.rejects(store.deposits.delete(d.id), ConflictError);
      await store.importJobs.updateResult(jobId, { status: 'completedWithErrors' });
      await store.deposits.delete(d.id);
      t.equal(await store.deposits.get(d.id), undefined);
      t.equal(await store.importJobs.getJob(jobId), undefined);
      t.equal(await store.importJobs.getResult(jobId), undefined);
      t.equal(await store.pipelineRuns.get(runId), undefined);
      t.equal(await store.exports.get(d.id), undefined);
      t.same(await store.importJobs.listResults(d.id), []);
    });

    t.test('an export: its deposit and record in one commit, finished together', async (t) => {
      const id = newRecordId(clock.now);
      const at = new Date(clock.now).toISOString();
      await store.commit([
        {
          op: 'createDeposit',
          deposit: {
            id,
            files: files(id),
            createdBy: 'ann',
            status: 'exporting',
            archivalGroupPath: 'g/x',
            exported: at,
            exportedBy: 'ann',
          },
        },
        {
          op: 'createExport',
          export: { id, archivalGroupPath: 'g/x', versionRequested: 'v2', createdBy: 'ann' },
        },
      ]);
      t.match(await store.exports.get(id), {
        status: 'waiting',
        mode: 'full',
        versionRequested: 'v2',
        versionExported: null,
      });
      t.ok((await store.exports.listUnfinished()).some((e) => e.id === id));
      await store.commit([
        { op: 'updateExport', id, patch: { status: 'completed', versionExported: 'v2', dateFinished: at } },
        { op: 'updateDeposit', id, patch: { status: 'new', versionExported: 'v2' } },
      ]);
      t.match(await store.deposits.get(id), { status: 'new', versionExported: 'v2', exportedBy: 'ann' });
      t.notOk((await store.exports.listUnfinished()).some((e) => e.id === id));
      await t.rejects(
        store.exports.create({ id: newRecordId(clock.now), archivalGroupPath: 'g', createdBy: 'ann' }),
        NotFoundError,
        'an export needs its deposit',
      );
    });

    t.test('pipeline runs: created waiting, listed per deposit oldest first, updated', async (t) => {
      const d = await newDeposit();
      const a = await store.pipelineRuns.create({
        id: newRecordId(clock.now),
        depositId: d.id,
        createdBy: 'tom',
        runUser: 'tom',
      });
      const b = await store.pipelineRuns.create({
        id: newRecordId(clock.now),
        depositId: d.id,
        createdBy: 'tom',
      });
      t.match(a, { status: 'waiting', runUser: 'tom', errors: [] });
      t.same(
        (await store.pipelineRuns.list(d.id)).map((r) => r.id),
        [a.id, b.id],
      );
      const u = await store.pipelineRuns.update(a.id, {
        status: 'completedWithErrors',
        errors: [{ message: 'sf missing' }],
      });
      t.match(u, { status: 'completedWithErrors', revision: 2, errors: [{ message: 'sf missing' }] });
      await t.rejects(store.pipelineRuns.update(a.id, { status: 'done' as never }), InvalidInputError);
    });

    t.test(
      'activity: seq without gaps, endTime strictly increasing even when the clock stands still',
      async (t) => {
        const start = await store.activity.count();
        const frozen = clock.now;
        const made = [];
        for (let i = 0; i < 5; i++)
          made.push(
            await store.activity.append({
              type: i === 0 ? 'Create' : 'Update',
              archivalGroupPath: 'act/g',
              version: `v${i + 1}`,
            }),
          );
        clock.now = frozen - 60_000; // a clock stepped back
        made.push(await store.activity.append({ type: 'Delete', archivalGroupPath: 'act/g' }));
        clock.now = frozen;
        t.same(
          made.map((a) => a.seq),
          [1, 2, 3, 4, 5, 6].map((n) => start + n),
        );
        for (let i = 1; i < made.length; i++)
          t.ok(
            Date.parse(made[i]!.endTime) > Date.parse(made[i - 1]!.endTime),
            `endTime ${i} after ${i - 1}`,
          );
        t.equal(await store.activity.count(), start + 6);
        const listed = await store.activity.list(start + 2, 3);
        t.same(
          listed.map((a) => a.seq),
          [start + 2, start + 3, start + 4],
        );
        t.same(listed[0], made[1]);
        t.same(await store.activity.list(start + 100, 10), []);
        await t.rejects(store.activity.list(0, 10), InvalidInputError);
        await t.rejects(store.activity.list(1, 5000), InvalidInputError);
      },
    );

    t.test('activity: the import job and deposit it records come back with it', async (t) => {
      const d = await newDeposit();
      const jobId = newRecordId(clock.now);
      const a = await store.activity.append({
        type: 'Create',
        archivalGroupPath: 'act/linked',
        version: 'v1',
        actor: 'tom',
        importJobId: jobId,
        depositId: d.id,
      });
      t.match(a, { importJobId: jobId, depositId: d.id });
      t.same((await store.activity.list(a.seq, 1))[0], a);
      const plain = await store.activity.append({ type: 'Delete', archivalGroupPath: 'act/linked' });
      t.notOk(plain.importJobId, 'none given, none kept');
      await t.rejects(
        store.activity.append({ type: 'Update', archivalGroupPath: 'act/linked', importJobId: '../x' }),
        InvalidInputError,
      );
    });

    t.test('agents: every agent a record names is known; put sets name and roles', async (t) => {
      const d = await newDeposit();
      await store.deposits.update(
        d.id,
        { preservedBy: 'user0001@example.org', exportedBy: 'api-user-7' },
        { by: 'ann' },
      );
      const ids = (await store.agents.list({ limit: 1000 })).map((a) => a.id);
      for (const who of ['tom', 'ann', 'user0001@example.org', 'api-user-7']) t.ok(ids.includes(who), who);
      t.same(
        [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
        ids,
        'in id order',
      );
      const a = await store.agents.put({
        id: 'ann',
        name: 'Ann Archivist',
        roles: ['admin', 'depositor', 'admin'],
      });
      t.match(a, { name: 'Ann Archivist', roles: ['admin', 'depositor'] });
      const page = await store.agents.list({ after: ids[0]!, limit: 2 });
      t.same(
        page.map((x) => x.id),
        ids.slice(1, 3),
      );
      await t.rejects(store.agents.put({ id: 'has space' }), InvalidInputError);
      await t.rejects(store.agents.put({ id: 'ok', roles: ['Not A Role'] }), InvalidInputError);
      await t.rejects(store.agents.list({ limit: 100_000 }), InvalidInputError);
    });

    t.test('clients: the secret is hashed, verified in constant form, never stored', async (t) => {
      const secret = 'correct horse battery staple';
      const c = await store.clients.create({ clientId: 'goobi', secret, roles: ['depositor'] });
      t.match(c, { clientId: 'goobi', agent: 'goobi', roles: ['depositor'], disabled: false, revision: 1 });
      t.notMatch(c.secretHash, secret);
      t.match(c.secretHash, /^scrypt\$/);
      t.notMatch(JSON.stringify(await store.clients.list()), secret);
      t.match(await store.clients.verify('goobi', secret), { clientId: 'goobi' });
      t.equal(await store.clients.verify('goobi', 'wrong secret, long enough'), undefined);
      t.equal(await store.clients.verify('nobody', secret), undefined);
      t.equal(await store.clients.verify('../x', secret), undefined);
      await t.rejects(store.clients.create({ clientId: 'goobi', secret, roles: [] }), AlreadyExistsError);
      await t.rejects(
        store.clients.create({ clientId: 'short', secret: 'tooshort', roles: [] }),
        InvalidInputError,
      );
      await t.rejects(store.clients.create({ clientId: 'bad id', secret, roles: [] }), InvalidInputError);
      const disabled = await store.clients.update('goobi', { disabled: true });
      t.equal(disabled.revision, 2);
      t.equal(await store.clients.verify('goobi', secret), undefined, 'a disabled client cannot get tokens');
      await store.clients.update(
        'goobi',
        { disabled: false, secret: 'a brand new secret value' },
        { ifRevision: 2 },
      );
      t.equal(await store.clients.verify('goobi', secret), undefined, 'the old secret no longer works');
      t.ok(await store.clients.verify('goobi', 'a brand new secret value'));
      await t.rejects(store.clients.update('goobi', { roles: ['admin'] }, { ifRevision: 1 }), ConflictError);
      await store.clients.delete('goobi');
      t.equal(await store.clients.get('goobi'), undefined);
      await t.rejects(store.clients.delete('goobi'), NotFoundError);
    });

    t.test(
      'deposit search: id, group path, name and submission text, any case, NFC, newest first, paged, following writes',
      async (t) => {
        const tag = `zq${newRecordId(clock.now).slice(-4)}`;
        clock.advance(5);
        const a = await newDeposit({ archivalGroupPath: `lib/${tag}-alpha`, archivalGroupName: null });
        clock.advance(5);
        const b = await newDeposit({ archivalGroupName: `The ${tag.toUpperCase()} Letters` });
        clock.advance(5);
        const c = await newDeposit({ submissionText: `notes about ${tag} and Cafe\u0301 menus` });
        clock.advance(5);
        await newDeposit({ submissionText: 'nothing to see' });
        const found = await store.deposits.search(tag);
        t.same(
          found.deposits.map((d) => d.id),
          [c.id, b.id, a.id],
          'group path, name (other case) and text match; newest first',
        );
        t.match(found, { total: 3, page: 0, pageSize: 20 });
        t.same(
          (await store.deposits.search(a.id.toUpperCase())).deposits.map((d) => d.id),
          [a.id],
          'by id',
        );
        t.same(
          (await store.deposits.search('CAFÉ')).deposits.map((d) => d.id),
          [c.id],
          'a composed needle finds decomposed text',
        );
        const second = await store.deposits.search(tag, { page: 1, pageSize: 2 });
        t.same(
          second.deposits.map((d) => d.id),
          [a.id],
        );
        t.equal(second.total, 3);
        t.same((await store.deposits.search(tag, { page: 5 })).deposits, []);
        await store.deposits.update(b.id, { archivalGroupName: 'renamed' });
        await store.deposits.delete(a.id);
        t.same(
          (await store.deposits.search(tag)).deposits.map((d) => d.id),
          [c.id],
          'patched and deleted deposits stop matching',
        );
        await t.rejects(store.deposits.search(`${tag}\u0001`), InvalidInputError, 'control characters');
        await t.rejects(store.deposits.search('   '), InvalidInputError, 'an empty text');
        await t.rejects(store.deposits.search(tag, { pageSize: 0 }), InvalidInputError);
        await t.rejects(store.deposits.search(tag, { page: -1 }), InvalidInputError);
      },
    );

    t.test('deposit listing matches the oracle for every order, direction, filter and page', async (t) => {
      await listingAgainstOracle(t, store, clock);
    });

    if (reopen)
      t.test('everything survives closing and opening again', async (t) => {
        const d = await newDeposit({ submissionText: 'durable' });
        const count = await store.activity.count();
        const again = await reopen();
        t.equal((await again.deposits.get(d.id))?.submissionText, 'durable');
        t.equal(await again.activity.count(), count);
        t.ok((await again.agents.get('tom')) !== undefined);
      });
  });
}

/** Deposits with varied fields, then random queries compared with an independent filter-and-sort. */
async function listingAgainstOracle(t: Test, store: RecordStore, clock: TestClock): Promise<void> {
  const prefix = `oracle-${newRecordId(clock.now)}`;
  // mulberry32: a small seeded generator whose low bits are not periodic (unlike a plain LCG).
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
  const groups = [
    `${prefix}/a`,
    `${prefix}/b`,
    `${prefix}/B`,
    `${prefix}/\uffee`,
    `${prefix}/\u{1F600}`,
    `${prefix}/é`,
  ];
  const agents = ['tom', 'ann', 'bob', 'zoe', 'u@example.org'];
  clock.advance(10_000); // no deposit of an earlier test shares a millisecond with these
  const mine = new Map<string, DepositRecord>();
  for (let i = 0; i < 120; i++) {
    if (rand(3) > 0) clock.advance(rand(3)); // many in the same millisecond
    const id = newRecordId(clock.now);
    const d = await store.deposits.create({
      id,
      files: files(id),
      createdBy: agents[rand(agents.length)]!,
      ...(rand(4) > 0 && { archivalGroupPath: groups[rand(groups.length)]! }),
    });
    mine.set(id, d);
    const patch: Record<string, unknown> = {};
    if (rand(2)) {
      patch['preserved'] = new Date(clock.now - rand(5) * 1000).toISOString();
      patch['preservedBy'] = agents[rand(agents.length)]!;
      patch['status'] = 'preserved';
      patch['active'] = rand(3) === 0;
    }
    if (rand(3) === 0) {
      patch['exported'] = new Date(clock.now - rand(5) * 1000).toISOString();
      patch['exportedBy'] = agents[rand(agents.length)]!;
      if (!patch['status']) patch['status'] = rand(2) ? 'exporting' : 'new';
    }
    if (Object.keys(patch).length > 0 || rand(2)) {
      clock.advance(rand(2));
      mine.set(
        id,
        await store.deposits.update(id, patch, rand(2) ? { by: agents[rand(agents.length)]! } : {}),
      );
    }
  }
  const all = [...mine.values()];
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  const orderFields = [
    'archivalGroupPath',
    'status',
    'exported',
    'exportedBy',
    'preserved',
    'preservedBy',
    'lastModified',
    'lastModifiedBy',
    'created',
    'createdBy',
  ] as const;
  const oracle = (
    q: Required<Pick<DepositQueryInput, 'orderBy' | 'ascending' | 'showAll' | 'page' | 'pageSize'>> &
      DepositQueryInput,
  ) => {
    const dates = q.dates ?? {};
    const match = q.match ?? {};
    const hit = all.filter((d) => {
      if (!q.showAll && !d.active) return false;
      for (const [f, v] of Object.entries(match))
        if ((d as unknown as Record<string, unknown>)[f] !== v) return false;
      for (const [f, r] of Object.entries(dates)) {
        const v = (d as unknown as Record<string, string | null>)[f];
        if (v === null || v === undefined) return false;
        if (r?.after !== undefined && !(Date.parse(v) > r.after)) return false;
        if (r?.before !== undefined && !(Date.parse(v) < r.before)) return false;
      }
      return true;
    });
    const dir = q.ascending ? 1 : -1;
    hit.sort((a, b) => {
      const x = (a as unknown as Record<string, string | null>)[q.orderBy]!;
      const y = (b as unknown as Record<string, string | null>)[q.orderBy]!;
      if ((x === null) !== (y === null)) return x === null ? 1 : -1;
      if (x !== null && y !== null && x !== y) {
        // Timestamps are canonical ISO strings, so byte order is time order for them too.
        return dir * Buffer.compare(bytes(x), bytes(y));
      }
      return dir * Buffer.compare(bytes(a.id), bytes(b.id));
    });
    const start = (q.page - 1) * q.pageSize;
    return { ids: hit.slice(start, start + q.pageSize).map((d) => d.id), total: hit.length };
  };
  const times = all.map((d) => Date.parse(d.created));
  const mid = times[Math.floor(times.length / 2)]!;
  let checked = 0;
  for (let i = 0; i < 300; i++) {
    const q = {
      orderBy: orderFields[rand(orderFields.length)]!,
      ascending: rand(2) === 1,
      showAll: rand(3) > 0,
      page: 1 + rand(4),
      pageSize: [1, 7, 25, 1000][rand(4)]!,
      match: {} as Record<string, string>,
      dates: {} as Record<string, { after?: number; before?: number }>,
    };
    // Scope every query to this test's deposits via one of the groups or a date window on created.
    const scope = rand(3);
    if (scope === 0) q.match['archivalGroupPath'] = groups[rand(groups.length)]!;
    else q.dates['created'] = { after: times[0]! - 1, ...(rand(2) && { before: mid }) };
    if (rand(3) === 0) q.match['createdBy'] = agents[rand(agents.length)]!;
    if (rand(4) === 0) q.match['status'] = ['new', 'preserved', 'exporting'][rand(3)]!;
    if (rand(4) === 0) q.match['preservedBy'] = agents[rand(agents.length)]!;
    if (rand(4) === 0) q.dates['preserved'] = { after: mid - 3000 };
    if (rand(5) === 0) q.dates['lastModified'] = { before: mid + rand(3000) };
    const got = await store.deposits.list(q as DepositQueryInput);
    const want = oracle(q);
    t.same(
      { ids: got.deposits.map((d) => d.id), total: got.total },
      want,
      `query ${i}: ${JSON.stringify(q)}`,
      { diagnostic: false },
    );
    if (want.ids.length > 0) checked++;
    if (got.total !== want.total || got.deposits.length !== want.ids.length) break;
  }
  t.ok(checked > 100, `most queries returned deposits (${checked})`);

  // Unfiltered listings (the index-only path): the store holds other tests' deposits too, so
  // compare the order of ours within the whole list, and the pages with the whole list.
  for (const orderBy of orderFields)
    for (const ascending of [true, false])
      for (const showAll of [true, false]) {
        const whole = await store.deposits.list({ orderBy, ascending, showAll, pageSize: 1000 });
        t.ok(whole.total < 1000 && whole.total === whole.deposits.length, 'one page holds all');
        const ours = whole.deposits.map((d) => d.id).filter((id) => mine.has(id));
        const want = oracle({ orderBy, ascending, showAll, page: 1, pageSize: 1000 }).ids;
        t.same(
          ours,
          want,
          `unfiltered ${orderBy} ${ascending ? 'asc' : 'desc'} ${showAll ? 'all' : 'active'}`,
        );
        const paged: string[] = [];
        for (let page = 1; paged.length < whole.total; page++) {
          const p = await store.deposits.list({ orderBy, ascending, showAll, page, pageSize: 7 });
          t.equal(p.total, whole.total);
          if (p.deposits.length === 0) break;
          paged.push(...p.deposits.map((d) => d.id));
        }
        t.same(
          paged,
          whole.deposits.map((d) => d.id),
          'pages of 7 concatenate to the whole list',
        );
      }
  const defaults = await store.deposits.list();
  t.match(defaults, { page: 1, pageSize: 100 });
  t.ok(
    defaults.deposits.every((d) => d.active),
    'active only by default',
  );
  for (let i = 1; i < defaults.deposits.length; i++)
    t.ok(defaults.deposits[i - 1]!.created >= defaults.deposits[i]!.created, 'newest first by default');
  await t.rejects(store.deposits.list({ pageSize: 1001 }), InvalidInputError);
  await t.rejects(store.deposits.list({ page: 0 }), InvalidInputError);
  await t.rejects(store.deposits.list({ orderBy: 'secret' as never }), InvalidInputError);
  await t.rejects(store.deposits.list({ match: { createdBy: 'a b' } }), InvalidInputError);
}
