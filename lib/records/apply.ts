/**
 * Applying a commit's operations inside one synchronous transaction of an embedded engine
 * (memory, LMDB). The rules of {@link RecordOp} live here once; an engine provides the
 * {@link RecordTx} primitives (get and put one record, keeping its own indexes) and runs
 * {@link applyOps} inside its transaction, so a throw anywhere leaves nothing applied.
 *
 * A PostgreSQL engine would apply the same rules in SQL, using the builders of build.ts.
 */
import {
  AlreadyExistsError,
  ConflictError,
  InvalidInputError,
  LockedError,
  NotFoundError,
} from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import {
  agentsOf,
  buildActivity,
  buildAgent,
  buildClient,
  buildDeposit,
  buildExport,
  buildImportJob,
  buildPipelineRun,
  nextActivityTime,
  patchClient,
  patchDeposit,
  patchExport,
  patchImportJobResult,
  patchPipelineRun,
} from './build.js';
import { CLIENT_ID_PATTERN, isAgentId, isRecordId } from './ids.js';
import {
  type ActivityRecord,
  type AgentRecord,
  type ClientRecord,
  type DepositRecord,
  type ExportRecord,
  type ImportJobRecord,
  type ImportJobResultRecord,
  isFinishedImportJobStatus,
  type PipelineRunRecord,
} from './model.js';
import type { RecordOp, RecordOpResult } from './port.js';

/** The primitives of one open transaction. Puts replace the record and keep the engine's indexes. */
export interface RecordTx {
  getDeposit(id: string): DepositRecord | undefined;
  putDeposit(next: DepositRecord, previous: DepositRecord | undefined): void;
  deleteDeposit(previous: DepositRecord): void;
  getImportJob(id: string): ImportJobRecord | undefined;
  putImportJob(record: ImportJobRecord): void;
  deleteImportJob(record: ImportJobRecord): void;
  getResult(id: string): ImportJobResultRecord | undefined;
  putResult(next: ImportJobResultRecord, previous: ImportJobResultRecord | undefined): void;
  deleteResult(previous: ImportJobResultRecord): void;
  /** Ids of every import job of a deposit. */
  resultIdsOfDeposit(depositId: string): string[];
  getExport(id: string): ExportRecord | undefined;
  putExport(next: ExportRecord, previous: ExportRecord | undefined): void;
  deleteExport(previous: ExportRecord): void;
  getPipelineRun(id: string): PipelineRunRecord | undefined;
  putPipelineRun(next: PipelineRunRecord, previous: PipelineRunRecord | undefined): void;
  deletePipelineRun(previous: PipelineRunRecord): void;
  /** Ids of every pipeline run of a deposit. */
  pipelineRunIdsOfDeposit(depositId: string): string[];
  /** Number of activities and the last one's endTime. */
  activityHead(): { count: number; lastEndTime: string | null };
  /** Append (its `seq` is count + 1). */
  appendActivity(record: ActivityRecord): void;
  getAgent(id: string): AgentRecord | undefined;
  putAgent(record: AgentRecord): void;
  getClient(clientId: string): ClientRecord | undefined;
  putClient(record: ClientRecord): void;
  deleteClient(previous: ClientRecord): void;
}

interface Revisioned {
  revision: number;
}

/** An id of the right shape; anything else cannot name a record (and never reaches an engine's keys). */
const ok = isRecordId;
const okClient = (id: unknown): id is string => typeof id === 'string' && CLIENT_ID_PATTERN.test(id);

function required<T>(record: T | undefined, what: string, id: unknown): T {
  if (record === undefined) {
    const shown = typeof id === 'string' ? quoteForMessage(id, 80) : typeof id;
    throw new NotFoundError(
      `${what} ${shown} not found`,
      typeof id === 'string' ? { key: id.slice(0, 200) } : {},
    );
  }
  return record;
}

function checkRevision(record: Revisioned, ifRevision: number | undefined, what: string, id: string): void {
  if (ifRevision === undefined) return;
  if (!Number.isSafeInteger(ifRevision) || ifRevision < 1)
    throw new InvalidInputError(`ifRevision must be a whole number ≥ 1`);
  if (record.revision !== ifRevision)
    throw new ConflictError(
      `${what} ${quoteForMessage(id, 80)} has changed (revision ${record.revision}, expected ${ifRevision})`,
      { key: id },
    );
}

function checkLock(deposit: DepositRecord, agent: string | undefined): void {
  if (agent === undefined || deposit.lockedBy === null || deposit.lockedBy === agent) return;
  throw new LockedError(`deposit ${deposit.id} is locked by ${quoteForMessage(deposit.lockedBy, 80)}`, {
    key: deposit.id,
  });
}

function absent(record: unknown, what: string, id: string): void {
  if (record !== undefined)
    throw new AlreadyExistsError(`${what} ${quoteForMessage(id, 80)} already exists`, { key: id });
}

/**
 * Apply `ops` in order through `tx` at time `now` (ms since the epoch), registering every agent
 * the written records mention. Throws the first failure; the caller's transaction then discards
 * everything.
 */
export function applyOps(tx: RecordTx, ops: readonly RecordOp[], now: number): RecordOpResult[] {
  const at = new Date(now).toISOString();
  const results: RecordOpResult[] = [];
  for (const op of ops) {
    const result = applyOne(tx, op, now, at);
    if (result !== null) registerAgents(tx, result, at);
    results.push(result);
  }
  return results;
}

function registerAgents(tx: RecordTx, record: object, at: string): void {
  for (const id of agentsOf(record)) if (!tx.getAgent(id)) tx.putAgent(buildAgent({ id }, undefined, at));
}

function applyOne(tx: RecordTx, op: RecordOp, now: number, at: string): RecordOpResult {
  switch (op.op) {
    case 'createDeposit': {
      const record = buildDeposit(op.deposit, at);
      absent(tx.getDeposit(record.id), 'deposit', record.id);
      tx.putDeposit(record, undefined);
      return record;
    }
    case 'updateDeposit': {
      const current = required(ok(op.id) ? tx.getDeposit(op.id) : undefined, 'deposit', op.id);
      checkRevision(current, op.ifRevision, 'deposit', op.id);
      checkLock(current, op.respectLockFor);
      const next = patchDeposit(current, op.patch, op.by, at);
      tx.putDeposit(next, current);
      return next;
    }
    case 'deleteDeposit':
      deleteDeposit(tx, op.id, op.ifRevision, op.respectLockFor);
      return null;
    case 'createImportJob':
      return createImportJob(tx, op.job, op.respectLockFor, at);
    case 'updateImportJobResult': {
      const current = required(ok(op.id) ? tx.getResult(op.id) : undefined, 'import job', op.id);
      checkRevision(current, op.ifRevision, 'import job', op.id);
      if (isFinishedImportJobStatus(current.status))
        throw new ConflictError(`import job ${op.id} has finished (${current.status}) and cannot change`, {
          key: op.id,
        });
      const next = patchImportJobResult(current, op.patch, op.by, at);
      tx.putResult(next, current);
      return next;
    }
    case 'createExport': {
      const record = buildExport(op.export, at);
      required(tx.getDeposit(record.id), 'deposit', record.id);
      absent(tx.getExport(record.id), 'export', record.id);
      tx.putExport(record, undefined);
      return record;
    }
    case 'updateExport': {
      const current = required(ok(op.id) ? tx.getExport(op.id) : undefined, 'export', op.id);
      checkRevision(current, op.ifRevision, 'export', op.id);
      const next = patchExport(current, op.patch, at);
      tx.putExport(next, current);
      return next;
    }
    case 'createPipelineRun': {
      const record = buildPipelineRun(op.run, at);
      required(tx.getDeposit(record.depositId), 'deposit', record.depositId);
      absent(tx.getPipelineRun(record.id), 'pipeline run', record.id);
      tx.putPipelineRun(record, undefined);
      return record;
    }
    case 'updatePipelineRun': {
      const current = required(ok(op.id) ? tx.getPipelineRun(op.id) : undefined, 'pipeline run', op.id);
      checkRevision(current, op.ifRevision, 'pipeline run', op.id);
      const next = patchPipelineRun(current, op.patch, op.by, at);
      tx.putPipelineRun(next, current);
      return next;
    }
    case 'appendActivity': {
      const head = tx.activityHead();
      const record = buildActivity(op.activity, head.count + 1, nextActivityTime(head.lastEndTime, now));
      tx.appendActivity(record);
      return record;
    }
    case 'putAgent': {
      const existing = isAgentId(op.agent?.id) ? tx.getAgent(op.agent.id) : undefined;
      const record = buildAgent(op.agent, existing, at);
      tx.putAgent(record);
      return record;
    }
    case 'createClient': {
      const record = buildClient(op.client, at);
      absent(tx.getClient(record.clientId), 'client', record.clientId);
      tx.putClient(record);
      return record;
    }
    case 'updateClient': {
      const current = required(
        okClient(op.clientId) ? tx.getClient(op.clientId) : undefined,
        'client',
        op.clientId,
      );
      checkRevision(current, op.ifRevision, 'client', op.clientId);
      const next = patchClient(current, op.patch, at);
      tx.putClient(next);
      return next;
    }
    case 'deleteClient':
      tx.deleteClient(
        required(okClient(op.clientId) ? tx.getClient(op.clientId) : undefined, 'client', op.clientId),
      );
      return null;
    default:
      throw new InvalidInputError(
        `unknown record operation ${quoteForMessage(String((op as { op: unknown }).op))}`,
      );
  }
}

function createImportJob(
  tx: RecordTx,
  input: Parameters<typeof buildImportJob>[0],
  respectLockFor: string | undefined,
  at: string,
): ImportJobResultRecord {
  const { job, result } = buildImportJob(input, at);
  const deposit = required(tx.getDeposit(job.depositId), 'deposit', job.depositId);
  checkLock(deposit, respectLockFor);
  if (!deposit.active)
    throw new ConflictError(
      `deposit ${deposit.id} is no longer active: an import job from it has succeeded`,
      {
        key: deposit.id,
      },
    );
  if (deposit.archivalGroupPath !== result.archivalGroupPath)
    throw new ConflictError(
      deposit.archivalGroupPath === null
        ? `deposit ${deposit.id} has no archival group yet: set it before running an import job`
        : `deposit ${deposit.id} is for ${quoteForMessage(deposit.archivalGroupPath, 120)}, the job for ${quoteForMessage(result.archivalGroupPath, 120)}`,
      { key: deposit.id },
    );
  if (deposit.status === 'exporting')
    throw new ConflictError(`deposit ${deposit.id} is still being exported`, { key: deposit.id });
  for (const id of tx.resultIdsOfDeposit(deposit.id)) {
    const other = tx.getResult(id);
    if (other && !isFinishedImportJobStatus(other.status))
      throw new ConflictError(`deposit ${deposit.id} already has an import job ${other.status} (${id})`, {
        key: deposit.id,
      });
  }
  absent(tx.getResult(job.id), 'import job', job.id);
  tx.putImportJob(job);
  tx.putResult(result, undefined);
  return result;
}

function deleteDeposit(
  tx: RecordTx,
  id: string,
  ifRevision: number | undefined,
  respectLockFor: string | undefined,
): void {
  const deposit = required(ok(id) ? tx.getDeposit(id) : undefined, 'deposit', id);
  checkRevision(deposit, ifRevision, 'deposit', id);
  checkLock(deposit, respectLockFor);
  const results = tx.resultIdsOfDeposit(id).map((jobId) => tx.getResult(jobId));
  const running = results.find((r) => r?.status === 'running');
  if (running)
    throw new ConflictError(
      `deposit ${id} has an import job running (${running.id}); delete it when it has finished`,
      {
        key: id,
      },
    );
  for (const result of results) {
    if (!result) continue;
    const job = tx.getImportJob(result.id);
    if (job) tx.deleteImportJob(job);
    tx.deleteResult(result);
  }
  for (const runId of tx.pipelineRunIdsOfDeposit(id)) {
    const run = tx.getPipelineRun(runId);
    if (run) tx.deletePipelineRun(run);
  }
  const exported = tx.getExport(id);
  if (exported) tx.deleteExport(exported);
  tx.deleteDeposit(deposit);
}
