/**
 * The job runner: claims import and export jobs from the durable queue and runs them, keeping
 * records and queue in step (docs/records.md). An import job builds its diff when it was
 * submitted as one, executes as one transaction (lib/services/import-jobs.ts) whose id is the
 * job's, so a run interrupted by a crash takes its own claim back when retried; then records the
 * result, the deposit's preservation and the activity in one commit. Progress counts go to the
 * result while it runs; the lease is extended as it goes.
 *
 * Failures: a job that can never apply (unprocessable, a conflict, a fixity mismatch, a missing
 * group) completes with errors at once; storage and network failures are retried with backoff
 * until the queue's attempts run out, then complete with errors. Nothing stays `running`:
 * `reconcile()` (run at start) closes the gaps a crash can leave between records and queue.
 */
import { StrongroomError, UnprocessableError } from '../core/errors.js';
import { type ImportJob, rebaseImportJob, versionName } from '../core/import-job.js';
import { quoteForMessage } from '../core/paths.js';
import type { ImportJobOutcomeLists, ImportJobResultRecord, RecordError } from '../records/model.js';
import type { RecordOp, RecordStore } from '../records/port.js';
import type { ClaimedJob } from '../records/queue/port.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { exportVersion } from '../txn/export.js';
import type { RepositoryWriter } from '../txn/writer.js';
import { type DepositService, EXPORT_QUEUE, IMPORT_QUEUE } from './deposits.js';
import { executeImportJob, type ImportJobOutcome } from './import-jobs.js';
import { QueueWorker, type QueueWorkerOptions } from './queue-worker.js';
import type { Repository } from './repository.js';

/** What the runner needs. */
export interface JobRunnerDeps extends QueueWorkerOptions {
  records: RecordStore;
  writer: RepositoryWriter;
  repository: Repository;
  deposits: DepositService;
  /** Base of repository ids, ending in `/`. */
  repositoryBase: string;
  /** The agent URI of an agent id (recorded on versions and headers). */
  agentUri(agentId: string): string;
  store?: OpenStoreOptions;
  /**
   * Called once an import has committed a version of the group at `groupPath` (with the name the
   * job gave it, if any): e.g. to keep a browse index of this process up to date. Must not throw.
   */
  onImported?(groupPath: string, name: string | undefined): void;
}

const FINAL_CODES = new Set([
  'UNPROCESSABLE',
  'CONFLICT',
  'INVALID_INPUT',
  'FIXITY_MISMATCH',
  'NOT_FOUND',
  'GONE',
  'LOCKED',
  'PATH_ESCAPE',
  'MALFORMED',
  'INVALID_OBJECT',
  'UNSUPPORTED',
  'TOO_LARGE',
  'FORBIDDEN',
  'UNAUTHORIZED',
  'ACCESS_DENIED',
]);

/** The errors to record for a failure: each item of an UnprocessableError, else the message. */
export function recordErrors(err: unknown): RecordError[] {
  if (err instanceof UnprocessableError) {
    return err.problems.slice(0, 1000).map((p) => ({ message: `${p.path}: ${p.message}` }));
  }
  if (err instanceof StrongroomError) return [{ message: `[${err.code}] ${err.message}` }];
  return [{ message: 'internal error (a bug): the job could not run' }];
}

/** Runs queued imports and exports; see the module doc. */
export class JobRunner extends QueueWorker {
  constructor(private readonly deps: JobRunnerDeps) {
    super(deps, 'runner', [IMPORT_QUEUE, EXPORT_QUEUE]);
  }

  protected override runClaimed(queue: string, claimed: ClaimedJob, signal: AbortSignal): Promise<void> {
    return queue === IMPORT_QUEUE ? this.runImport(claimed, signal) : this.runExport(claimed, signal);
  }

  private async runImport(claimed: ClaimedJob, signal: AbortSignal): Promise<void> {
    const { job: queued, leaseToken } = claimed;
    const id = String((queued.payload as { id?: unknown })?.id ?? '');
    const records = this.deps.records;
    const result = await records.importJobs.getResult(id);
    const record = await records.importJobs.getJob(id);
    if (!result || !record || result.status === 'completed' || result.status === 'completedWithErrors') {
      await this.deps.queue.complete(queued.id, leaseToken);
      return;
    }
    const deposit = await records.deposits.get(record.depositId);
    const now = () => new Date().toISOString();
    if (result.status === 'waiting') {
      await records.importJobs.updateResult(id, { status: 'running', dateBegun: now() });
    }
    const lease = this.keepLease(queued.id, leaseToken);
    try {
      if (!deposit)
        throw new UnprocessableError('the deposit is gone', [{ path: record.depositId, message: 'deleted' }]);
      const agent = this.deps.agentUri(result.createdBy);
      const already = await this.committedEarlier(id, result.archivalGroupPath);
      if (already) {
        await this.recordSuccess(claimed, result, deposit.id, {
          newVersion: already,
          ...listsOf(record.job),
        });
        this.deps.onImported?.(result.archivalGroupPath, record.job.archivalGroupName);
        return;
      }
      // A stored job names resources under the base URL of its submission; run it under today's.
      let job: ImportJob = rebaseImportJob(record.job, result.archivalGroupPath, this.deps.repositoryBase);
      if (isDiffRequest(record)) {
        job = (await this.deps.deposits.diff(deposit.id, result.createdBy)).job;
        // The result names the version the job is based on (spec): known once the diff is built.
        const base = versionName(job.sourceVersion) ?? null;
        if (base !== result.sourceVersion) await records.importJobs.updateResult(id, { sourceVersion: base });
      }
      let last = 0;
      const outcome = await executeImportJob(this.deps.writer, job, {
        repositoryBase: this.deps.repositoryBase,
        sources: [deposit.files],
        agent: { name: agent, address: agent },
        message: importMessage(id),
        transactionId: id,
        ...(this.deps.store && { sourceStore: this.deps.store }),
        signal,
        onProgress: (p) => {
          if (Date.now() - last < 1000) return;
          last = Date.now();
          void records.importJobs
            .updateResult(id, {
              progress: {
                itemsDone: p.filesDone,
                itemsTotal: p.filesTotal,
                bytesDone: p.bytesDone,
                bytesTotal: p.bytesTotal,
              },
            })
            .catch(() => {});
        },
      });
      await this.recordSuccess(claimed, result, deposit.id, outcome);
      this.deps.onImported?.(result.archivalGroupPath, job.archivalGroupName);
      this.deps.log?.('info', { job: id, version: outcome.newVersion }, 'import job completed');
    } catch (err) {
      await this.importFailed(claimed, result, err, signal);
    } finally {
      lease.stop();
    }
  }

  /**
   * The version an earlier attempt of job `id` committed, if any: a crash can fall between the
   * commit and the records, and the retry must then record that version, not apply the job twice.
   */
  private async committedEarlier(id: string, groupPath: string): Promise<string | undefined> {
    try {
      const versions = await this.deps.repository.versions(`info:fedora/${groupPath}`);
      return versions.find((v) => v.message === importMessage(id))?.ocflVersion;
    } catch (err) {
      if (err instanceof StrongroomError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  private async recordSuccess(
    claimed: ClaimedJob,
    result: ImportJobResultRecord,
    depositId: string,
    outcome: Pick<ImportJobOutcome, 'newVersion' | 'unchangedAt'> & ImportJobOutcomeLists,
  ): Promise<void> {
    const finished = new Date().toISOString();
    const version = outcome.newVersion;
    // No new version, no activity: the stream announces versions, and none was made.
    const activity: RecordOp[] =
      version === null
        ? []
        : [
            {
              op: 'appendActivity',
              activity: {
                type: version === 'v1' ? 'Create' : 'Update',
                archivalGroupPath: result.archivalGroupPath,
                version,
                actor: result.createdBy,
                importJobId: result.id,
                depositId,
              },
            },
          ];
    await this.deps.records.commit([
      {
        op: 'updateImportJobResult',
        id: result.id,
        patch: {
          status: 'completed',
          dateFinished: finished,
          newVersion: outcome.newVersion,
          containersAdded: outcome.containersAdded,
          binariesAdded: outcome.binariesAdded,
          binariesPatched: outcome.binariesPatched,
          binariesDeleted: outcome.binariesDeleted,
          containersDeleted: outcome.containersDeleted,
          containersRenamed: outcome.containersRenamed,
          binariesRenamed: outcome.binariesRenamed,
          progress: null,
        },
      },
      {
        op: 'updateDeposit',
        id: depositId,
        patch: {
          status: 'preserved',
          active: false,
          preserved: finished,
          preservedBy: result.createdBy,
          versionPreserved: version ?? outcome.unchangedAt ?? null,
        },
      },
      ...activity,
    ]);
    await this.deps.queue.complete(claimed.job.id, claimed.leaseToken, { newVersion: outcome.newVersion });
  }

  private async importFailed(
    claimed: ClaimedJob,
    result: ImportJobResultRecord,
    err: unknown,
    signal: AbortSignal,
  ) {
    const { job: queued, leaseToken } = claimed;
    const final =
      (err instanceof StrongroomError && FINAL_CODES.has(err.code)) || queued.attempts >= queued.maxAttempts;
    this.deps.log?.(
      final ? 'warn' : 'info',
      { job: result.id, err },
      final ? 'import job failed' : 'import job will be retried',
    );
    if (signal.aborted || !final) {
      // Shutting down, or a passing fault: the queue hands it out again; the result stays `running`.
      await this.deps.queue.fail(queued.id, leaseToken, { error: describe(err) }).catch(() => {});
      return;
    }
    await this.deps.records.importJobs.updateResult(result.id, {
      status: 'completedWithErrors',
      dateFinished: new Date().toISOString(),
      errors: recordErrors(err),
      progress: null,
    });
    await this.deps.queue.fail(queued.id, leaseToken, { error: describe(err), final: true }).catch(() => {});
  }

  private async runExport(claimed: ClaimedJob, signal: AbortSignal): Promise<void> {
    const { job: queued, leaseToken } = claimed;
    const id = String((queued.payload as { id?: unknown })?.id ?? '');
    const records = this.deps.records;
    const record = await records.exports.get(id);
    const deposit = await records.deposits.get(id);
    if (!record || !deposit || record.status === 'completed' || record.status === 'failed') {
      await this.deps.queue.complete(queued.id, leaseToken);
      return;
    }
    await records.exports.update(id, { status: 'running', dateBegun: new Date().toISOString() });
    const lease = this.keepLease(queued.id, leaseToken);
    try {
      const out = await exportVersion(
        this.deps.repository.root,
        `info:fedora/${record.archivalGroupPath}`,
        deposit.files,
        {
          mode: record.mode,
          ...(record.versionRequested && { version: record.versionRequested }),
          ...(this.deps.store && { store: this.deps.store }),
          signal,
        },
      );
      const finished = new Date().toISOString();
      const ok = out.errors.length === 0;
      await records.commit([
        {
          op: 'updateExport',
          id,
          patch: {
            status: ok ? 'completed' : 'failed',
            versionExported: out.version,
            dateFinished: finished,
            errors: out.errors.slice(0, 1000).map((e) => ({ message: `${e.path}: ${e.message}` })),
            progress: null,
          },
        },
        {
          op: 'updateDeposit',
          id,
          patch: {
            status: ok ? 'new' : 'exportFailed',
            exported: finished,
            exportedBy: record.createdBy,
            versionExported: out.version,
            metsETag: out.metsETag,
          },
        },
      ]);
      await this.deps.queue.complete(queued.id, leaseToken);
    } catch (err) {
      const final =
        (err instanceof StrongroomError && FINAL_CODES.has(err.code)) ||
        queued.attempts >= queued.maxAttempts;
      if (signal.aborted || !final) {
        await this.deps.queue.fail(queued.id, leaseToken, { error: describe(err) }).catch(() => {});
      } else {
        await records.commit([
          {
            op: 'updateExport',
            id,
            patch: { status: 'failed', dateFinished: new Date().toISOString(), errors: recordErrors(err) },
          },
          { op: 'updateDeposit', id, patch: { status: 'exportFailed' } },
        ]);
        await this.deps.queue
          .fail(queued.id, leaseToken, { error: describe(err), final: true })
          .catch(() => {});
      }
    } finally {
      lease.stop();
    }
  }

  /** Extend the lease every third of its length while a job runs. */
  /**
   * Close the gaps a crash can leave (docs/records.md): a result still unfinished whose queue
   * job is dead completes with errors; one with no live queue job is queued again. The same for
   * exports, so no deposit stays `exporting`.
   */
  async reconcile(): Promise<void> {
    const { records, queue } = this.deps;
    for (const r of await records.importJobs.listUnfinished({ limit: 1000 })) {
      const key = `import:${r.id}`;
      const job = await queue.latestByDedupeKey(IMPORT_QUEUE, key);
      if (job?.state === 'dead') {
        await records.importJobs.updateResult(r.id, {
          status: 'completedWithErrors',
          dateFinished: new Date().toISOString(),
          errors: [{ message: job.lastError ?? 'the job failed' }],
        });
      } else if (!job || (job.state !== 'pending' && job.state !== 'claimed')) {
        await queue.enqueue(IMPORT_QUEUE, { id: r.id }, { dedupeKey: key });
      }
    }
    for (const e of await records.exports.listUnfinished({ limit: 1000 })) {
      const key = `export:${e.id}`;
      const job = await queue.latestByDedupeKey(EXPORT_QUEUE, key);
      if (job?.state === 'dead') {
        await records.commit([
          {
            op: 'updateExport',
            id: e.id,
            patch: { status: 'failed', errors: [{ message: job.lastError ?? 'the export failed' }] },
          },
          { op: 'updateDeposit', id: e.id, patch: { status: 'exportFailed' } },
        ]);
      } else if (!job || (job.state !== 'pending' && job.state !== 'claimed')) {
        await queue.enqueue(EXPORT_QUEUE, { id: e.id }, { dedupeKey: key });
      }
    }
  }
}

/** The version message of import job `id`: how a retry recognises its own earlier commit. */
export function importMessage(id: string): string {
  return `Strongroom import job ${id}`;
}

function listsOf(job: ImportJob): ImportJobOutcomeLists {
  return {
    containersAdded: job.containersToAdd ?? [],
    binariesAdded: job.binariesToAdd ?? [],
    binariesPatched: job.binariesToPatch ?? [],
    binariesDeleted: job.binariesToDelete ?? [],
    containersDeleted: job.containersToDelete ?? [],
    containersRenamed: job.containersToRename ?? [],
    binariesRenamed: job.binariesToRename ?? [],
  };
}

function isDiffRequest(record: { originalId: string | null; job: ImportJob }): boolean {
  const lists = [
    record.job.containersToAdd,
    record.job.binariesToAdd,
    record.job.binariesToPatch,
    record.job.binariesToDelete,
    record.job.containersToDelete,
    record.job.containersToRename,
    record.job.binariesToRename,
  ];
  return (
    record.originalId !== null &&
    /\/importjobs\/diff$/.test(record.originalId) &&
    lists.every((l) => (l ?? []).length === 0)
  );
}

function describe(err: unknown): string {
  if (err instanceof StrongroomError) return `[${err.code}] ${err.message}`;
  return quoteForMessage(String((err as Error)?.message ?? err), 300);
}
