/**
 * The records port: what the server and the job runners need from durable state, and nothing
 * about how it is stored. Implementations: LMDB (the embedded default), memory (tests), later
 * PostgreSQL; all pass one contract suite (test/records/contract.ts).
 *
 * Writes go through {@link RecordStore.commit}: a list of operations applied **atomically** (all
 * or none), each checked against the state left by the ones before it. Compound steps are one
 * commit, e.g. "record the import job's completion, mark the deposit preserved and append the
 * activity" (part 2 requires that a crash never separates them), or "create the export's deposit
 * and its export record". The per-collection methods are shorthands for one-operation commits.
 *
 * Conditions a commit enforces (and every implementation must): ids and fields valid
 * (InvalidInputError), creates of an existing id (AlreadyExistsError), updates of a missing record
 * (NotFoundError), a stale `ifRevision` (ConflictError), a deposit locked by another agent when
 * `respectLockFor` is given (LockedError), and the import-job rules of {@link RecordOp}.
 */
import type { ImportJob } from '../core/import-job.js';
import type { DepositPage, DepositQuery, DepositQueryInput } from './deposit-query.js';
import type {
  ActivityRecord,
  ActivityType,
  AgentRecord,
  ClientRecord,
  DepositRecord,
  DepositStatus,
  DepositTemplate,
  ExportRecord,
  ExportRecordMode,
  ExportStatus,
  ImportJobOutcomeLists,
  ImportJobRecord,
  ImportJobResultRecord,
  ImportJobStatus,
  JobProgress,
  PipelineRunRecord,
  PipelineRunStatus,
  RecordError,
} from './model.js';

/** A new deposit. `id` comes from `newRecordId()` so the caller can build `files` from it. */
export interface NewDeposit {
  id: string;
  files: string;
  createdBy: string;
  /** Default `new`; an export's deposit starts `exporting`. */
  status?: DepositStatus;
  template?: DepositTemplate;
  archivalGroupPath?: string | null;
  archivalGroupName?: string | null;
  submissionText?: string | null;
  metsETag?: string | null;
  metsManaged?: boolean;
  exported?: string | null;
  exportedBy?: string | null;
  versionExported?: string | null;
}

/** Changes to a deposit; a field set to null clears it. `id`, `files`, `created…` never change. */
export interface DepositPatch {
  status?: DepositStatus;
  active?: boolean;
  archivalGroupPath?: string | null;
  archivalGroupName?: string | null;
  submissionText?: string | null;
  metsETag?: string | null;
  metsManaged?: boolean;
  preserved?: string | null;
  preservedBy?: string | null;
  versionPreserved?: string | null;
  exported?: string | null;
  exportedBy?: string | null;
  versionExported?: string | null;
  lockedBy?: string | null;
  lockDate?: string | null;
  template?: DepositTemplate;
}

/** A submitted import job; its result is created with it, in status `waiting`. */
export interface NewImportJob {
  id: string;
  depositId: string;
  /** The job as submitted (lists complete). */
  job: ImportJob;
  /** Repository path of the job's Archival Group. */
  archivalGroupPath: string;
  /** The `id` it was submitted with, or null. */
  originalId?: string | null;
  /** The head it was built on (`vN`), or null. */
  sourceVersion?: string | null;
  createdBy: string;
}

/** Changes to an import job's result. A finished result (completed…) can no longer change. */
export interface ImportJobResultPatch extends Partial<ImportJobOutcomeLists> {
  status?: ImportJobStatus;
  dateBegun?: string | null;
  dateFinished?: string | null;
  newVersion?: string | null;
  sourceVersion?: string | null;
  errors?: RecordError[];
  progress?: JobProgress | null;
}

/** A new export; `id` is the id of the (already created, or created earlier in the same commit) deposit it fills. */
export interface NewExport {
  id: string;
  archivalGroupPath: string;
  versionRequested?: string | null;
  /** Default `full`. */
  mode?: ExportRecordMode;
  createdBy: string;
}

/** Changes to an export. */
export interface ExportPatch {
  status?: ExportStatus;
  versionExported?: string | null;
  dateBegun?: string | null;
  dateFinished?: string | null;
  errors?: RecordError[];
  progress?: JobProgress | null;
}

/** A new pipeline run of a deposit, in status `waiting`. */
export interface NewPipelineRun {
  id: string;
  depositId: string;
  createdBy: string;
  runUser?: string | null;
}

/** Changes to a pipeline run. */
export interface PipelineRunPatch {
  status?: PipelineRunStatus;
  dateBegun?: string | null;
  dateFinished?: string | null;
  errors?: RecordError[];
}

/** An activity to append; the store assigns `seq` and a strictly increasing `endTime`. */
export interface NewActivity {
  type: ActivityType;
  archivalGroupPath: string;
  version?: string | null;
  actor?: string | null;
  /** The import job it records (the stream links its ImportJobResult), and its deposit. */
  importJobId?: string | null;
  depositId?: string | null;
}

/** An agent to create or update (name and roles replaced when given). */
export interface AgentInput {
  id: string;
  name?: string;
  roles?: string[];
}

/** A new token client. `secretHash` comes from `hashClientSecret`; the plain secret never reaches the store. */
export interface NewClient {
  clientId: string;
  secretHash: string;
  roles: string[];
  agent: string;
  disabled?: boolean;
}

/** Changes to a token client. */
export interface ClientPatch {
  secretHash?: string;
  roles?: string[];
  agent?: string;
  disabled?: boolean;
}

/** Options shared by updates. */
export interface UpdateOptions {
  /** Apply only if the record is still at this revision; otherwise ConflictError. */
  ifRevision?: number;
  /** The agent making the change: becomes `lastModifiedBy` (unchanged when absent). */
  by?: string;
}

/** Options of deposit writes. */
export interface DepositWriteOptions extends UpdateOptions {
  /** Fail with LockedError if the deposit is locked by an agent other than this one. */
  respectLockFor?: string;
}

/**
 * One operation of a commit. Rules beyond field validity:
 * - `createImportJob`: the deposit must exist, be active, not `exporting`, be for the job's
 *   Archival Group (its `archivalGroupPath` set and equal), and have no import job `waiting` or
 *   `running` (ConflictError); the result starts `waiting`.
 * - `deleteDeposit`: removes its import jobs, results, pipeline runs and export record too;
 *   refused (ConflictError) while one of its import jobs is `running`, because a running job
 *   must be able to record what it committed.
 * - `updateImportJobResult`: a finished result cannot change (ConflictError).
 * - `createExport` / `createPipelineRun`: the deposit must exist (NotFoundError).
 */
export type RecordOp =
  | { op: 'createDeposit'; deposit: NewDeposit }
  | ({ op: 'updateDeposit'; id: string; patch: DepositPatch } & DepositWriteOptions)
  | { op: 'deleteDeposit'; id: string; ifRevision?: number; respectLockFor?: string }
  | { op: 'createImportJob'; job: NewImportJob; respectLockFor?: string }
  | ({ op: 'updateImportJobResult'; id: string; patch: ImportJobResultPatch } & UpdateOptions)
  | { op: 'createExport'; export: NewExport }
  | { op: 'updateExport'; id: string; patch: ExportPatch; ifRevision?: number }
  | { op: 'createPipelineRun'; run: NewPipelineRun }
  | ({ op: 'updatePipelineRun'; id: string; patch: PipelineRunPatch } & UpdateOptions)
  | { op: 'appendActivity'; activity: NewActivity }
  | { op: 'putAgent'; agent: AgentInput }
  | { op: 'createClient'; client: NewClient }
  | { op: 'updateClient'; clientId: string; patch: ClientPatch; ifRevision?: number }
  | { op: 'deleteClient'; clientId: string };

/** What one operation produced: the record as written, or null for a delete. */
export type RecordOpResult =
  | DepositRecord
  | ImportJobResultRecord
  | ExportRecord
  | PipelineRunRecord
  | ActivityRecord
  | AgentRecord
  | ClientRecord
  | null;

/** A page request on an id-ordered collection: items after `after` (an id), at most `limit`. */
export interface RecordListOptions {
  after?: string;
  /** Default 100, at most 1000. */
  limit?: number;
}

/** Deposits. */
export interface DepositRecords {
  /** The deposit, or undefined (also for a string that is not a record id). */
  get(id: string): Promise<DepositRecord | undefined>;
  /** A page of deposits (see deposit-query.ts for the semantics). InvalidInputError for a bad query. */
  list(query?: DepositQueryInput): Promise<DepositPage>;
  /** Create. AlreadyExistsError if the id is taken. */
  create(deposit: NewDeposit): Promise<DepositRecord>;
  /** Update. NotFoundError, ConflictError (stale revision), LockedError (see options). */
  update(id: string, patch: DepositPatch, options?: DepositWriteOptions): Promise<DepositRecord>;
  /** Delete with its jobs, results, pipeline runs and export record. NotFoundError, ConflictError, LockedError. */
  delete(id: string, options?: { ifRevision?: number; respectLockFor?: string }): Promise<void>;
  /**
   * Lock for `agent`; LockedError when another agent holds the lock and `force` is not set.
   * Taking a lock one already holds renews its date. Retries internally on concurrent changes.
   */
  lock(id: string, agent: string, options?: { force?: boolean }): Promise<DepositRecord>;
  /** Remove any lock (idempotent). NotFoundError for a missing deposit. */
  unlock(id: string): Promise<DepositRecord>;
  /**
   * Deposits (active or not) whose id, Archival Group path, name or submission text contains
   * `text`, case-insensitively (search/text.ts), newest first (by id); `page` is 0-based
   * (default 0), `pageSize` 1 … 1000 (default 20). InvalidInputError for a bad text or page.
   */
  search(text: string, options?: { page?: number; pageSize?: number }): Promise<DepositSearchPage>;
}

/** A page of a deposit search. */
export interface DepositSearchPage {
  deposits: DepositRecord[];
  /** Every match, on all pages. */
  total: number;
  /** 0-based. */
  page: number;
  pageSize: number;
}

/** Import jobs as submitted, and their results. */
export interface ImportJobRecords {
  /** Store a submitted job and its `waiting` result. See {@link RecordOp} for the rules. */
  create(job: NewImportJob, options?: { respectLockFor?: string }): Promise<ImportJobResultRecord>;
  /** The job as submitted, or undefined. */
  getJob(id: string): Promise<ImportJobRecord | undefined>;
  /** The job's result, or undefined. */
  getResult(id: string): Promise<ImportJobResultRecord | undefined>;
  /** Every result of a deposit, oldest first (bounded by `options.limit`, default 1000). */
  listResults(depositId: string, options?: RecordListOptions): Promise<ImportJobResultRecord[]>;
  /** Results still `waiting` or `running`, oldest first: what a starting runner must finish or requeue. */
  listUnfinished(options?: RecordListOptions): Promise<ImportJobResultRecord[]>;
  /** Update a result. NotFoundError, ConflictError (stale, or already finished). */
  updateResult(
    id: string,
    patch: ImportJobResultPatch,
    options?: UpdateOptions,
  ): Promise<ImportJobResultRecord>;
}

/** Export records, keyed by the id of the deposit they fill. */
export interface ExportRecords {
  /** The export, or undefined. */
  get(id: string): Promise<ExportRecord | undefined>;
  /** Create (the deposit must exist). */
  create(record: NewExport): Promise<ExportRecord>;
  /** Update. NotFoundError, ConflictError. */
  update(id: string, patch: ExportPatch, options?: { ifRevision?: number }): Promise<ExportRecord>;
  /** Exports not yet completed or failed, oldest first. */
  listUnfinished(options?: RecordListOptions): Promise<ExportRecord[]>;
}

/** Pipeline runs of deposits (part 2). */
export interface PipelineRunRecords {
  /** The run, or undefined. */
  get(id: string): Promise<PipelineRunRecord | undefined>;
  /** Every run of a deposit, oldest first. */
  list(depositId: string, options?: RecordListOptions): Promise<PipelineRunRecord[]>;
  /** Create a `waiting` run (the deposit must exist). */
  create(run: NewPipelineRun): Promise<PipelineRunRecord>;
  /** Update. NotFoundError, ConflictError. */
  update(id: string, patch: PipelineRunPatch, options?: UpdateOptions): Promise<PipelineRunRecord>;
}

/** The Archival Group activity log (part 2's activity stream). */
export interface ActivityLog {
  /** How many activities there are (= the last `seq`). */
  count(): Promise<number>;
  /** Activities with `seq` ≥ `fromSeq` (1-based), at most `limit` (≤ 1000), oldest first. */
  list(fromSeq: number, limit: number): Promise<ActivityRecord[]>;
  /** Append one activity on its own (a group deleted). Job completions append in their commit instead. */
  append(activity: NewActivity): Promise<ActivityRecord>;
}

/** Agents. */
export interface AgentRecords {
  /** The agent, or undefined. */
  get(id: string): Promise<AgentRecord | undefined>;
  /** Agents by id (code-point order), after `options.after`. */
  list(options?: RecordListOptions): Promise<AgentRecord[]>;
  /** Create or update an agent. */
  put(agent: AgentInput): Promise<AgentRecord>;
}

/** Token clients. */
export interface ClientRecords {
  /** The client, or undefined. */
  get(clientId: string): Promise<ClientRecord | undefined>;
  /** Clients by id, after `options.after`. */
  list(options?: RecordListOptions): Promise<ClientRecord[]>;
  /** Create a client with `secret` (hashed with scrypt here; never stored). AlreadyExistsError. */
  create(client: {
    clientId: string;
    secret: string;
    roles: string[];
    agent?: string;
  }): Promise<ClientRecord>;
  /**
   * The client when `secret` is its secret and it is not disabled; undefined otherwise (unknown
   * client, wrong secret, disabled), taking about as long in every case so timing reveals nothing.
   */
  verify(clientId: string, secret: string): Promise<ClientRecord | undefined>;
  /** Change roles, agent, disabled, or the secret (re-hashed). NotFoundError, ConflictError. */
  update(
    clientId: string,
    patch: { secret?: string; roles?: string[]; agent?: string; disabled?: boolean },
    options?: { ifRevision?: number },
  ): Promise<ClientRecord>;
  /** Delete. NotFoundError. */
  delete(clientId: string): Promise<void>;
}

/** Durable records: deposits, import jobs and results, exports, pipeline runs, activity, agents, clients. */
export interface RecordStore {
  /** Deposits. */
  readonly deposits: DepositRecords;
  /** Import jobs and their results. */
  readonly importJobs: ImportJobRecords;
  /** Exports. */
  readonly exports: ExportRecords;
  /** Pipeline runs. */
  readonly pipelineRuns: PipelineRunRecords;
  /** The activity log. */
  readonly activity: ActivityLog;
  /** Agents. */
  readonly agents: AgentRecords;
  /** Token clients. */
  readonly clients: ClientRecords;
  /** Apply `ops` atomically, in order; the result of each, in order. Throws (and applies nothing) on the first failing op. */
  commit(ops: readonly RecordOp[]): Promise<RecordOpResult[]>;
  /** Release resources; the store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * What a storage engine implements; {@link RecordStore} is built on it by `createRecordStore`.
 * Reads take ids already checked to be record ids (or agent / client ids) and bounded limits.
 */
export interface RecordEngine {
  /** Apply ops atomically (see {@link RecordStore.commit}). */
  commit(ops: readonly RecordOp[]): Promise<RecordOpResult[]>;
  /** A deposit. */
  getDeposit(id: string): Promise<DepositRecord | undefined>;
  /** A page of deposits for a validated query. */
  listDeposits(query: DepositQuery): Promise<DepositPage>;
  /** Deposits whose folded search text (search/text.ts `depositHaystack`) holds `needle`, newest id first. */
  searchDeposits(needle: string, page: number, pageSize: number): Promise<DepositSearchPage>;
  /** A submitted job. */
  getImportJob(id: string): Promise<ImportJobRecord | undefined>;
  /** A job's result. */
  getImportJobResult(id: string): Promise<ImportJobResultRecord | undefined>;
  /** Results of a deposit by id. */
  listImportJobResults(
    depositId: string,
    after: string | undefined,
    limit: number,
  ): Promise<ImportJobResultRecord[]>;
  /** Unfinished results by id. */
  listUnfinishedImportJobResults(after: string | undefined, limit: number): Promise<ImportJobResultRecord[]>;
  /** An export. */
  getExport(id: string): Promise<ExportRecord | undefined>;
  /** Unfinished exports by id. */
  listUnfinishedExports(after: string | undefined, limit: number): Promise<ExportRecord[]>;
  /** A pipeline run. */
  getPipelineRun(id: string): Promise<PipelineRunRecord | undefined>;
  /** Pipeline runs of a deposit by id. */
  listPipelineRuns(depositId: string, after: string | undefined, limit: number): Promise<PipelineRunRecord[]>;
  /** Number of activities. */
  countActivity(): Promise<number>;
  /** Activities from `fromSeq`. */
  listActivity(fromSeq: number, limit: number): Promise<ActivityRecord[]>;
  /** An agent. */
  getAgent(id: string): Promise<AgentRecord | undefined>;
  /** Agents by id. */
  listAgents(after: string | undefined, limit: number): Promise<AgentRecord[]>;
  /** A client. */
  getClient(clientId: string): Promise<ClientRecord | undefined>;
  /** Clients by id. */
  listClients(after: string | undefined, limit: number): Promise<ClientRecord[]>;
  /** Release resources. */
  close(): Promise<void>;
}
