/**
 * A separate process working on a state store directory, for the multi-process tests of
 * test/records/lmdb-processes.test.ts. Usage: `node state-worker.js <mode> <dir> [<arg>]`.
 *
 * - `drain <dir> <goFile>`: print `ready`, wait for `goFile` to exist, then claim and complete jobs
 *   of queue `work` until none is left, printing `claimed <id>` for each.
 * - `claim-and-hang <dir> <leaseMs>`: claim one job of queue `work`, print `claimed <id>`, then
 *   wait to be killed (a worker that crashes holding a lease).
 * - `churn <dir>`: print `ready`, then create deposits and enqueue, claim and complete jobs as fast
 *   as it can until killed (a process killed in the middle of writing).
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { newRecordId } from '../../lib/records/ids.js';
import { openStateStore } from '../../lib/records/state-store.js';

const [mode, dir, arg] = process.argv.slice(2);
if (!mode || !dir) throw new Error('usage: state-worker <mode> <dir> [arg]');
const state = openStateStore(dir);
const me = `${mode}-${process.pid}`;

if (mode === 'drain') {
  console.log('ready');
  while (!existsSync(arg!)) await sleep(2);
  for (;;) {
    const claim = await state.queue.claim('work', { workerId: me, leaseMs: 60_000 });
    if (!claim) break;
    console.log(`claimed ${claim.job.id}`);
    await sleep(1); // some work, so the other process gets its turns
    await state.queue.complete(claim.job.id, claim.leaseToken);
  }
  await state.close();
} else if (mode === 'claim-and-hang') {
  const claim = await state.queue.claim('work', { workerId: me, leaseMs: Number(arg) });
  console.log(`claimed ${claim?.job.id ?? 'none'}`);
  await sleep(600_000);
} else if (mode === 'churn') {
  console.log('ready');
  for (let i = 0; ; i++) {
    const id = newRecordId();
    await state.records.commit([
      { op: 'createDeposit', deposit: { id, files: `file:///d/${id}/`, createdBy: 'churn' } },
      { op: 'appendActivity', activity: { type: 'Create', archivalGroupPath: `churn/${id}`, version: 'v1' } },
    ]);
    await state.queue.enqueue('churn', { i });
    const claim = await state.queue.claim('churn', { workerId: me, leaseMs: 60_000 });
    if (claim && i % 2 === 0) await state.queue.complete(claim.job.id, claim.leaseToken);
  }
} else throw new Error(`unknown mode ${mode}`);
