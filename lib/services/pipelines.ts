/**
 * Pipeline runs of deposits (spec "Tool outputs and pipelines"): asking for a run records it
 * `waiting` and queues it for the {@link PipelineRunner}; the run goes `processing` →
 * `metadataCreated` → `completed` or `completedWithErrors`. Runs are listed per deposit, oldest
 * first. Ids, not URIs: the server maps them to its base URL.
 */
import { ConflictError, LockedError, NotFoundError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { newRecordId } from '../records/ids.js';
import type { DepositRecord, PipelineRunRecord } from '../records/model.js';
import type { RecordStore } from '../records/port.js';
import type { JobQueue } from '../records/queue/port.js';

/** The queue of pipeline runs. */
export const PIPELINE_QUEUE = 'pipeline';

/** The queue dedupe key of run `id`. */
export function pipelineDedupeKey(id: string): string {
  return `pipeline:${id}`;
}

/** What the pipeline service works with. */
export interface PipelineServiceDeps {
  records: RecordStore;
  queue: JobQueue;
}

/** Requests and reads of pipeline runs; see the module doc. */
export class PipelineService {
  constructor(private readonly deps: PipelineServiceDeps) {}

  /**
   * Record a run of the deposit's tools (status `waiting`) and queue it; it runs after this
   * returns. Throws NotFoundError (no deposit), LockedError (locked by another agent),
   * ConflictError (the deposit is no longer active, is still being exported, or has a run that
   * has not finished: two runs would write the same outputs at once).
   */
  async start(depositId: string, agent: string): Promise<PipelineRunRecord> {
    const deposit = await this.deposit(depositId);
    if (deposit.lockedBy !== null && deposit.lockedBy !== agent) {
      throw new LockedError(`deposit ${quoteForMessage(depositId)} is locked by another agent`, {
        key: depositId,
      });
    }
    if (!deposit.active) throw new ConflictError('the deposit is no longer active (it was preserved)');
    if (deposit.status === 'exporting')
      throw new ConflictError('the deposit is still being exported; run the pipeline when it is new');
    const unfinished = (await this.deps.records.pipelineRuns.list(depositId, { limit: 1000 })).find(
      (r) => r.status === 'waiting' || r.status === 'processing' || r.status === 'metadataCreated',
    );
    if (unfinished) {
      throw new ConflictError(`pipeline run ${unfinished.id} of this deposit has not finished`, {
        key: unfinished.id,
      });
    }
    // Queue first, record second: a crash in between leaves a queued job without a record, which
    // the runner drops, never a `waiting` run that nothing will ever pick up.
    const id = newRecordId();
    const { job } = await this.deps.queue.enqueue(
      PIPELINE_QUEUE,
      { id },
      { dedupeKey: pipelineDedupeKey(id) },
    );
    try {
      return await this.deps.records.pipelineRuns.create({ id, depositId, createdBy: agent, runUser: agent });
    } catch (err) {
      await this.deps.queue.cancel(job.id).catch(() => {});
      throw err;
    }
  }

  /** Every run of the deposit, oldest first. Throws NotFoundError (no deposit). */
  async list(depositId: string): Promise<PipelineRunRecord[]> {
    await this.deposit(depositId);
    return this.deps.records.pipelineRuns.list(depositId, { limit: 1000 });
  }

  /** One run of the deposit. Throws NotFoundError (no deposit, or no such run of it). */
  async get(depositId: string, runId: string): Promise<PipelineRunRecord> {
    const run = await this.deps.records.pipelineRuns.get(runId);
    if (!run || run.depositId !== depositId)
      throw new NotFoundError(`no pipeline run ${quoteForMessage(runId)}`, { key: runId });
    return run;
  }

  private async deposit(id: string): Promise<DepositRecord> {
    const found = await this.deps.records.deposits.get(id);
    if (!found) throw new NotFoundError(`no deposit ${quoteForMessage(id)}`, { key: id });
    return found;
  }
}
