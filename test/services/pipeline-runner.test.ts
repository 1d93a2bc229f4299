/**
 * Pipeline runs through the durable queue: a run whose worker died is run again once its lease
 * expires, a run whose queue job died is completed with errors at start, a queued job whose record
 * is not there yet is put back rather than dropped, and the service refuses runs that must not
 * start. Memory state store; the real tools where a run executes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import {
  newRecordId,
  openMemoryStateStore,
  PIPELINE_QUEUE,
  PipelineRunner,
  PipelineService,
  pipelineTools,
} from '../../lib/index.js';
import { requireTools, toolsConfig, writeEicarDatabase } from '../helpers/tools.js';
import { tempDir } from '../txn/helpers.js';

async function setup(t: Test, withTools = true) {
  const tools = withTools ? requireTools(t) : null;
  if (withTools && !tools) return null;
  const dir = tempDir(t, 'pipeline-runner');
  const state = openMemoryStateStore();
  t.teardown(() => state.close());
  const area = join(dir, 'deposit');
  mkdirSync(join(area, 'objects'), { recursive: true });
  writeFileSync(join(area, 'objects', 'a.txt'), 'a clean file\n');
  const deposit = await state.records.deposits.create({
    id: newRecordId(),
    files: `${pathToFileURL(area).href}/`,
    createdBy: 'alice',
    template: 'RootLevel',
  });
  const runner = new PipelineRunner({
    records: state.records,
    queue: state.queue,
    tools: tools ? pipelineTools(toolsConfig(tools, writeEicarDatabase(dir))) : [],
    limits: { stagingDir: join(dir, 'staging'), toolTimeoutMs: 120_000 },
    workerId: 'test-runner',
  });
  const service = new PipelineService({ records: state.records, queue: state.queue });
  return { state, deposit, runner, service };
}

t.test('a run whose worker died mid-run is run again once its lease expires, and completes', async (t) => {
  const s = await setup(t);
  if (!s) return;
  const run = await s.service.start(s.deposit.id, 'alice');
  const crashed = await s.state.queue.claim(PIPELINE_QUEUE, { workerId: 'crashed', leaseMs: 20 });
  t.ok(crashed, 'another worker took it');
  const begun = '2020-01-01T00:00:00.000Z';
  await s.state.records.pipelineRuns.update(run.id, { status: 'processing', dateBegun: begun });
  await new Promise((r) => setTimeout(r, 60));
  t.equal(await s.runner.runOnce(), true, 'the expired lease is recovered and claimed');
  const done = await s.state.records.pipelineRuns.get(run.id);
  t.equal(done?.status, 'completed');
  t.same(done?.errors, []);
  t.equal(done?.dateBegun, begun, 'dateBegun is when the first attempt began');
  const job = await s.state.queue.get(crashed!.job.id);
  t.equal(job?.state, 'completed');
  t.equal(job?.attempts, 2);
});

t.test(
  'reconcile completes with errors a run whose queue job died, so no run stays unfinished',
  async (t) => {
    const s = await setup(t, false);
    if (!s) return;
    const run = await s.service.start(s.deposit.id, 'alice');
    const claim = await s.state.queue.claim(PIPELINE_QUEUE, { workerId: 'crashed', leaseMs: 60_000 });
    await s.state.queue.fail(claim!.job.id, claim!.leaseToken, { error: 'worker lost', final: true });
    await s.runner.reconcile();
    const after = await s.state.records.pipelineRuns.get(run.id);
    t.equal(after?.status, 'completedWithErrors');
    t.same(after?.errors, [{ message: 'worker lost' }]);
    t.ok(after?.dateFinished);
  },
);

t.test(
  'a queued job whose record is not written yet is put back for a later claim, not dropped',
  async (t) => {
    const s = await setup(t, false);
    if (!s) return;
    const { job } = await s.state.queue.enqueue(PIPELINE_QUEUE, { id: newRecordId() });
    t.equal(await s.runner.runOnce(), true);
    const after = await s.state.queue.get(job.id);
    t.equal(after?.state, 'pending');
    t.ok(Date.parse(after!.runAt) > Date.now(), 'retried a little later');
  },
);

t.test('the service refuses a run for a preserved deposit and one still being exported', async (t) => {
  const s = await setup(t, false);
  if (!s) return;
  await s.state.records.deposits.update(s.deposit.id, { status: 'exporting' });
  await t.rejects(s.service.start(s.deposit.id, 'alice'), { code: 'CONFLICT' });
  await s.state.records.deposits.update(s.deposit.id, { status: 'preserved', active: false });
  await t.rejects(s.service.start(s.deposit.id, 'alice'), { code: 'CONFLICT' });
  t.same(await s.state.records.pipelineRuns.list(s.deposit.id), [], 'nothing recorded');
  t.equal((await s.state.queue.counts(PIPELINE_QUEUE)).pending, 0, 'nothing queued');
});

t.test('stopping the runner during a run kills the tools and leaves the run for a retry', async (t) => {
  const s = await setup(t);
  if (!s) return;
  const run = await s.service.start(s.deposit.id, 'alice');
  s.runner.start();
  // Let it claim and start its tools, then stop with no grace: aborted, not recorded as failed.
  for (let i = 0; i < 200 && (await s.state.records.pipelineRuns.get(run.id))?.status === 'waiting'; i++)
    await new Promise((r) => setTimeout(r, 5));
  t.equal((await s.state.records.pipelineRuns.get(run.id))?.status, 'processing');
  await s.runner.stop(0);
  const after = await s.state.records.pipelineRuns.get(run.id);
  t.equal(after?.status, 'processing', 'an aborted run is not a failed run');
  const counts = await s.state.queue.counts(PIPELINE_QUEUE);
  t.same([counts.pending, counts.dead, counts.completed], [1, 0, 0], 'its queue job waits for a retry');
});
