/**
 * The pipeline runner: claims queued pipeline runs from the durable queue (the same queue and
 * leases import jobs use, see job-runner.ts and docs/records.md) and runs them (pipeline-run.ts),
 * keeping the run's record in step: `processing` with `dateBegun` when claimed, `metadataCreated`
 * once the tools have run, then `completed`, or `completedWithErrors` listing what went wrong.
 *
 * Retries: a run is safe to repeat (it stages afresh and overwrites its own outputs), so a run
 * whose worker crashed is simply run again when its lease expires. Storage and local disk failures
 * are retried with the queue's backoff until its attempts run out; then, and for failures that
 * can never pass (a deposit that is gone), the run completes with errors. Nothing stays
 * unfinished: {@link PipelineRunner.reconcile} (run at start) closes the gaps a crash can leave
 * between records and queue.
 */
import { StrongroomError } from '../core/errors.js';
import { truncateForMessage } from '../core/paths.js';
import type { PipelineRunRecord, RecordError } from '../records/model.js';
import type { RecordStore } from '../records/port.js';
import type { ClaimedJob } from '../records/queue/port.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { type PipelineLimits, runPipeline } from './pipeline-run.js';
import { PIPELINE_QUEUE } from './pipelines.js';
import { QueueWorker, type QueueWorkerOptions } from './queue-worker.js';
import type { PipelineTool } from './tools/port.js';

/** What the runner needs. */
export interface PipelineRunnerDeps extends QueueWorkerOptions {
  records: RecordStore;
  tools: readonly PipelineTool[];
  limits: PipelineLimits;
  store?: OpenStoreOptions;
}

const UNFINISHED = new Set(['waiting', 'processing', 'metadataCreated']);

/** Runs queued pipeline runs; see the module doc. */
export class PipelineRunner extends QueueWorker {
  constructor(private readonly deps: PipelineRunnerDeps) {
    super(deps, 'pipeline', [PIPELINE_QUEUE]);
  }

  protected override runClaimed(_queue: string, claimed: ClaimedJob, signal: AbortSignal): Promise<void> {
    return this.run(claimed, signal);
  }

  private async run(claimed: ClaimedJob, signal: AbortSignal): Promise<void> {
    const { job: queued, leaseToken } = claimed;
    const id = String((queued.payload as { id?: unknown })?.id ?? '');
    const records = this.deps.records;
    const run = await records.pipelineRuns.get(id);
    if (!run && queued.attempts < queued.maxAttempts) {
      // Queued a moment before its record is written (PipelineService.start): look again soon.
      await this.deps.queue.fail(queued.id, leaseToken, {
        error: 'no record yet',
        retryAt: Date.now() + 2000,
      });
      return;
    }
    if (!run || !UNFINISHED.has(run.status)) {
      await this.deps.queue.complete(queued.id, leaseToken);
      return;
    }
    const lease = this.keepLease(queued.id, leaseToken);
    try {
      const deposit = await records.deposits.get(run.depositId);
      if (!deposit) {
        await this.finish(claimed, run, [{ message: `the deposit ${run.depositId} is gone` }]);
        return;
      }
      await records.pipelineRuns.update(id, {
        status: 'processing',
        ...(run.dateBegun === null && { dateBegun: new Date().toISOString() }),
      });
      const outcome = await runPipeline({
        depositUri: deposit.files,
        depositId: deposit.id,
        template: deposit.template,
        tools: this.deps.tools,
        limits: this.deps.limits,
        ...(this.deps.store && { store: this.deps.store }),
        signal,
        onToolsDone: async () => {
          await records.pipelineRuns.update(id, { status: 'metadataCreated' });
        },
      });
      await this.finish(claimed, run, outcome.errors);
      this.deps.log?.(
        'info',
        { run: id, files: outcome.files, outputs: outcome.outputs, errors: outcome.errors.length },
        'pipeline run finished',
      );
    } catch (err) {
      await this.failed(claimed, run, err, signal);
    } finally {
      lease.stop();
    }
  }

  private async finish(claimed: ClaimedJob, run: PipelineRunRecord, errors: RecordError[]): Promise<void> {
    await this.deps.records.pipelineRuns.update(run.id, {
      status: errors.length === 0 ? 'completed' : 'completedWithErrors',
      dateFinished: new Date().toISOString(),
      errors,
    });
    await this.deps.queue.complete(claimed.job.id, claimed.leaseToken);
  }

  private async failed(claimed: ClaimedJob, run: PipelineRunRecord, err: unknown, signal: AbortSignal) {
    const { job: queued, leaseToken } = claimed;
    const final = queued.attempts >= queued.maxAttempts;
    this.deps.log?.(
      final ? 'warn' : 'info',
      { run: run.id, err },
      final ? 'pipeline run failed' : 'pipeline run will be retried',
    );
    if (signal.aborted || !final) {
      // Shutting down, or a passing fault: the queue hands it out again.
      await this.deps.queue.fail(queued.id, leaseToken, { error: describe(err) }).catch(() => {});
      return;
    }
    await this.deps.records.pipelineRuns.update(run.id, {
      status: 'completedWithErrors',
      dateFinished: new Date().toISOString(),
      errors: [{ message: describe(err) }],
    });
    await this.deps.queue.fail(queued.id, leaseToken, { error: describe(err), final: true }).catch(() => {});
  }

  /** Extend the lease every third of its length while a run goes on. */
  /**
   * Close the gap a crash can leave: a run whose queue job died (its worker crashed on its last
   * attempt, so no one will finish it) completes with errors. A run that was recorded but never
   * queued cannot happen: the service queues first and records second, and a queued job whose
   * record never came is dropped by {@link runOnce}.
   */
  async reconcile(): Promise<void> {
    const { records, queue } = this.deps;
    let after: string | undefined;
    for (;;) {
      const dead = await queue.list(PIPELINE_QUEUE, { state: 'dead', limit: 1000, ...(after && { after }) });
      for (const job of dead) {
        const id = String((job.payload as { id?: unknown })?.id ?? '');
        const run = await records.pipelineRuns.get(id);
        if (!run || !UNFINISHED.has(run.status)) continue;
        await records.pipelineRuns.update(id, {
          status: 'completedWithErrors',
          dateFinished: new Date().toISOString(),
          errors: [{ message: job.lastError ?? 'the pipeline run failed' }],
        });
      }
      if (dead.length < 1000) break;
      after = dead[dead.length - 1]!.id;
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof StrongroomError) return truncateForMessage(`[${err.code}] ${err.message}`, 1000);
  const e = err as { code?: string; message?: string };
  return truncateForMessage(`${e?.code ? `[${e.code}] ` : ''}${e?.message ?? String(err)}`, 300);
}
