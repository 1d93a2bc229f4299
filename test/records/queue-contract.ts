/**
 * The job-queue contract: every JobQueue implementation (memory, LMDB, later pg-boss) must pass
 * it. Run by queue.test.ts. Time is a test clock, so leases expire without sleeping.
 */
import type { Test } from 'tap';
import { ConflictError, InvalidInputError, NotFoundError, TooLargeError } from '../../lib/core/errors.js';
import type { JobQueue } from '../../lib/records/queue/port.js';
import { type TestClock, testClock } from './contract.js';

/** One implementation under test. */
export interface QueueSubject {
  name: string;
  make(
    clock: TestClock,
  ): Promise<{ queue: JobQueue; reopen?: () => Promise<JobQueue>; cleanup(): Promise<void> }>;
}

const worker = (workerId: string, leaseMs = 30_000) => ({ workerId, leaseMs });

/** Run the queue contract on `subject`. */
export function queueContract(t: Test, subject: QueueSubject): void {
  t.test(subject.name, async (t) => {
    const clock = testClock();
    const { queue, reopen, cleanup } = await subject.make(clock);
    t.teardown(cleanup);
    // Each subtest uses its own queue name, so they do not see each other's jobs.
    let n = 0;
    const fresh = () => `q-${++n}`;

    t.test('enqueue then claim: one claimer gets the job, with attempt 1 and a lease', async (t) => {
      const q = fresh();
      const { job, created } = await queue.enqueue(q, { importJob: 'abc123def456' });
      t.ok(created);
      t.match(job, {
        queue: q,
        state: 'pending',
        attempts: 0,
        maxAttempts: 3,
        payload: { importJob: 'abc123def456' },
      });
      const claim = await queue.claim(q, worker('w1'));
      t.ok(claim);
      t.match(claim!.job, { id: job.id, state: 'claimed', attempts: 1, workerId: 'w1' });
      t.equal(claim!.job.leaseExpires, new Date(clock.now + 30_000).toISOString());
      t.type(claim!.leaseToken, 'string');
      t.notOk('leaseToken' in claim!.job, 'the token is not part of the public job');
      t.equal(await queue.claim(q, worker('w2')), undefined, 'nothing left for a second claimer');
      const done = await queue.complete(job.id, claim!.leaseToken, { newVersion: 'v1' });
      t.match(done, { state: 'completed', result: { newVersion: 'v1' }, leaseExpires: null });
      t.equal(done.finished, new Date(clock.now).toISOString());
    });

    t.test('claim order: earliest runAt, then oldest; a future job waits for its time', async (t) => {
      const q = fresh();
      const later = await queue.enqueue(q, 'later', { runAt: clock.now + 10_000 });
      const a = await queue.enqueue(q, 'a');
      clock.advance(1);
      const b = await queue.enqueue(q, 'b');
      t.same(
        (await queue.peek(q, 10)).map((j) => j.payload),
        ['a', 'b', 'later'],
      );
      t.equal((await queue.claim(q, worker('w')))?.job.id, a.job.id);
      t.equal((await queue.claim(q, worker('w')))?.job.id, b.job.id);
      t.equal(await queue.claim(q, worker('w')), undefined, 'not before its runAt');
      clock.advance(10_000);
      t.equal((await queue.claim(q, worker('w')))?.job.id, later.job.id);
    });

    t.test('queues are separate', async (t) => {
      const q1 = fresh();
      const q2 = fresh();
      await queue.enqueue(q1, 1);
      t.equal(await queue.claim(q2, worker('w')), undefined);
      t.ok(await queue.claim(q1, worker('w')));
    });

    t.test(
      'a dedupe key held by a live job returns that job; once it finished, a new one is added',
      async (t) => {
        const q = fresh();
        const first = await queue.enqueue(q, { n: 1 }, { dedupeKey: 'import:abc' });
        const again = await queue.enqueue(q, { n: 2 }, { dedupeKey: 'import:abc' });
        t.equal(again.created, false);
        t.equal(again.job.id, first.job.id);
        t.same(again.job.payload, { n: 1 }, 'the first payload stays');
        t.equal((await queue.findByDedupeKey(q, 'import:abc'))?.id, first.job.id);
        const claim = await queue.claim(q, worker('w'));
        t.equal(
          (await queue.enqueue(q, {}, { dedupeKey: 'import:abc' })).created,
          false,
          'still held while claimed',
        );
        await queue.complete(claim!.job.id, claim!.leaseToken);
        t.equal(await queue.findByDedupeKey(q, 'import:abc'), undefined, 'released when completed');
        const third = await queue.enqueue(q, { n: 3 }, { dedupeKey: 'import:abc' });
        t.ok(third.created);
        t.not(third.job.id, first.job.id);
        t.equal(
          (await queue.latestByDedupeKey(q, 'import:abc'))?.id,
          third.job.id,
          'the newest job with the key',
        );
        t.equal(await queue.latestByDedupeKey(q, 'never-used'), undefined);
        const other = await queue.enqueue(fresh(), {}, { dedupeKey: 'import:abc' });
        t.ok(other.created, 'keys are per queue');
      },
    );

    t.test(
      'fail with a retry time: pending again, claimable from then; out of attempts it is dead',
      async (t) => {
        const q = fresh();
        const { job } = await queue.enqueue(q, 'x', { maxAttempts: 2, dedupeKey: 'k1' });
        const c1 = await queue.claim(q, worker('w'));
        const failed = await queue.fail(job.id, c1!.leaseToken, {
          error: 'S3 timeout',
          retryAt: clock.now + 5000,
        });
        t.match(failed, { state: 'pending', attempts: 1, lastError: 'S3 timeout', leaseExpires: null });
        t.equal(failed.runAt, new Date(clock.now + 5000).toISOString());
        t.equal(await queue.claim(q, worker('w')), undefined, 'not before the retry time');
        clock.advance(5000);
        const c2 = await queue.claim(q, worker('w'));
        t.equal(c2?.job.attempts, 2);
        const dead = await queue.fail(job.id, c2!.leaseToken, { error: 'again' });
        t.equal((await queue.findByDedupeKey(q, 'k1'))?.id, undefined, 'a dead job holds no key');
        t.match(
          await queue.latestByDedupeKey(q, 'k1'),
          { id: job.id, state: 'dead', lastError: 'again' },
          'but is found as the latest',
        );
        t.match(dead, { state: 'dead', attempts: 2, lastError: 'again' });
        t.ok(dead.finished);
        clock.advance(3_600_000);
        t.equal(await queue.claim(q, worker('w')), undefined, 'a dead job is never claimed');
      },
    );

    t.test(
      'fail without a retry time backs off exponentially; a final failure is dead at once',
      async (t) => {
        const q = fresh();
        const { job } = await queue.enqueue(q, 'x', { maxAttempts: 5 });
        const c1 = await queue.claim(q, worker('w'));
        const f1 = await queue.fail(job.id, c1!.leaseToken, { error: 'e1' });
        t.equal(Date.parse(f1.runAt) - clock.now, 1000);
        clock.advance(1000);
        const c2 = await queue.claim(q, worker('w'));
        const f2 = await queue.fail(job.id, c2!.leaseToken, { error: 'e2' });
        t.equal(Date.parse(f2.runAt) - clock.now, 2000);
        clock.advance(2000);
        const c3 = await queue.claim(q, worker('w'));
        t.match(await queue.fail(job.id, c3!.leaseToken, { error: 'cannot apply', final: true }), {
          state: 'dead',
          attempts: 3,
        });
        const long = 'x'.repeat(10_000);
        const { job: j2 } = await queue.enqueue(q, 'y');
        const c4 = await queue.claim(q, worker('w'));
        t.ok(
          (await queue.fail(j2.id, c4!.leaseToken, { error: long })).lastError!.length < 2100,
          'errors are cut',
        );
      },
    );

    t.test(
      'a crashed worker: its lease expires and the job is claimable again; the old token is refused',
      async (t) => {
        const q = fresh();
        const { job } = await queue.enqueue(q, 'x');
        const lost = await queue.claim(q, worker('crashed', 1000));
        clock.advance(999);
        t.equal(await queue.claim(q, worker('other')), undefined, 'still leased');
        clock.advance(1);
        const taken = await queue.claim(q, worker('other'));
        t.match(taken?.job, { id: job.id, attempts: 2, workerId: 'other' });
        await t.rejects(
          queue.complete(job.id, lost!.leaseToken),
          ConflictError,
          'the crashed worker cannot complete',
        );
        await t.rejects(queue.extend(job.id, lost!.leaseToken, 1000), ConflictError);
        await t.rejects(queue.fail(job.id, lost!.leaseToken, { error: 'late' }), ConflictError);
        t.equal((await queue.complete(job.id, taken!.leaseToken)).state, 'completed');
      },
    );

    t.test(
      'recoverExpired returns expired jobs to pending, or dead when their attempts are used',
      async (t) => {
        const q = fresh();
        const other = fresh();
        const a = await queue.enqueue(q, 'a', { maxAttempts: 1 });
        const b = await queue.enqueue(q, 'b', { maxAttempts: 3 });
        const c = await queue.enqueue(other, 'c');
        await queue.claim(q, worker('w', 100));
        await queue.claim(q, worker('w', 100));
        await queue.claim(other, worker('w', 100));
        t.equal(await queue.recoverExpired(q), 0, 'nothing expired yet');
        clock.advance(100);
        t.equal(await queue.recoverExpired(q), 2, 'both jobs of the queue recovered');
        t.match(await queue.get(a.job.id), { state: 'dead', lastError: /lease of worker w expired/ });
        t.match(await queue.get(b.job.id), { state: 'pending', attempts: 1, leaseExpires: null });
        t.equal((await queue.get(c.job.id))?.state, 'claimed', 'another queue is left alone');
        t.ok((await queue.recoverExpired()) >= 1, 'without a queue name, every queue');
        t.equal((await queue.get(c.job.id))?.state, 'pending');
        t.equal(await queue.recoverExpired(q), 0, 'recovering twice does nothing');
      },
    );

    t.test('extend keeps the lease alive past its first end', async (t) => {
      const q = fresh();
      const { job } = await queue.enqueue(q, 'x');
      const c = await queue.claim(q, worker('w', 1000));
      clock.advance(900);
      const extended = await queue.extend(job.id, c!.leaseToken, 1000);
      t.equal(extended.leaseExpires, new Date(clock.now + 1000).toISOString());
      clock.advance(900);
      t.equal(await queue.claim(q, worker('thief')), undefined, 'not claimable while extended');
      await t.rejects(queue.extend(job.id, 'forged-token', 1000), ConflictError);
      await t.rejects(queue.extend(job.id, c!.leaseToken, 0), InvalidInputError);
      await t.rejects(queue.extend(job.id, c!.leaseToken, 25 * 3600 * 1000), InvalidInputError);
    });

    t.test('cancel: a pending job only', async (t) => {
      const q = fresh();
      const a = await queue.enqueue(q, 'a', { dedupeKey: 'k' });
      t.match(await queue.cancel(a.job.id), { state: 'cancelled' });
      t.equal(await queue.claim(q, worker('w')), undefined);
      t.ok((await queue.enqueue(q, 'again', { dedupeKey: 'k' })).created, 'a cancelled job releases its key');
      const c = await queue.claim(q, worker('w'));
      await t.rejects(queue.cancel(c!.job.id), ConflictError, 'a claimed job cannot be cancelled');
      await t.rejects(queue.cancel('zzzzzzzzzzzz'), NotFoundError);
    });

    t.test('list, peek and counts for the status endpoints; purge of old finished jobs', async (t) => {
      const q = fresh();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await queue.enqueue(q, i)).job.id);
        clock.advance(1);
      }
      const c = await queue.claim(q, worker('w'));
      await queue.complete(c!.job.id, c!.leaseToken);
      await queue.claim(q, worker('w'));
      t.same(await queue.counts(q), { pending: 3, claimed: 1, completed: 1, dead: 0, cancelled: 0 });
      t.same(
        (await queue.list(q)).map((j) => j.id),
        ids,
      );
      t.same(
        (await queue.list(q, { state: 'pending' })).map((j) => j.id),
        ids.slice(2),
      );
      t.same(
        (await queue.list(q, { after: ids[1]!, limit: 2 })).map((j) => j.id),
        ids.slice(2, 4),
      );
      t.same(
        (await queue.peek(q, 2)).map((j) => j.id),
        ids.slice(2, 4),
      );
      clock.advance(10_000);
      t.equal(await queue.purge(q, clock.now - 20_000), 0, 'nothing finished that long ago');
      t.equal(await queue.purge(q, clock.now), 1);
      t.equal(await queue.get(ids[0]!), undefined, 'the completed job is gone');
      t.same(await queue.counts(q), { pending: 3, claimed: 1, completed: 0, dead: 0, cancelled: 0 });
    });

    t.test('hostile arguments are refused before anything is stored', async (t) => {
      const q = fresh();
      for (const name of ['', 'Upper', '../x', 'a'.repeat(41), '__proto__', 'a b'])
        await t.rejects(queue.enqueue(name, 1), InvalidInputError, JSON.stringify(name));
      await t.rejects(queue.enqueue(q, 'x'.repeat(70_000)), TooLargeError);
      await t.rejects(queue.enqueue(q, { n: 10n } as never), InvalidInputError, 'not JSON');
      await t.rejects(queue.enqueue(q, 1, { maxAttempts: 0 }), InvalidInputError);
      await t.rejects(queue.enqueue(q, 1, { dedupeKey: 'a\u0000b' }), InvalidInputError);
      await t.rejects(queue.enqueue(q, 1, { dedupeKey: '\u{1F600}'.repeat(200) }), InvalidInputError);
      await t.rejects(queue.claim(q, { workerId: '', leaseMs: 1000 }), InvalidInputError);
      await t.rejects(queue.claim(q, { workerId: 'w', leaseMs: Number.NaN }), InvalidInputError);
      await t.rejects(queue.list(q, { limit: 5000 }), InvalidInputError);
      await t.rejects(queue.list(q, { state: 'weird' as never }), InvalidInputError);
      t.same(await queue.counts(q), { pending: 0, claimed: 0, completed: 0, dead: 0, cancelled: 0 });
      t.equal(await queue.get('../../x'), undefined);
      await t.rejects(queue.complete('../../x', 'token'), NotFoundError);
      const polluting = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
      const { job } = await queue.enqueue(q, polluting);
      t.equal(({} as Record<string, unknown>)['polluted'], undefined);
      t.same((await queue.get(job.id))!.payload, { ok: 1 }, '__proto__ keys are dropped by every store');
    });

    if (reopen)
      t.test('jobs and leases survive closing and opening again', async (t) => {
        const q = fresh();
        const { job } = await queue.enqueue(q, 'durable');
        const c = await queue.claim(q, worker('w', 1000));
        const again = await reopen();
        t.match(await again.get(job.id), { state: 'claimed', payload: 'durable' });
        t.equal(
          (await again.complete(job.id, c!.leaseToken)).state,
          'completed',
          'the lease token still works',
        );
      });
  });
}
