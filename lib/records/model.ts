/**
 * The records the Preservation API keeps besides the OCFL repository: deposits, import jobs as
 * submitted and their results, exports, pipeline runs, the activity log, agents and token clients.
 *
 * Records are plain JSON-shaped data, stored as they are here by every implementation (LMDB,
 * memory, later PostgreSQL). They hold what the API needs to answer, not its wire shapes: ids are
 * short record ids and agent ids, an Archival Group is its repository path, and the server turns
 * them into URIs under its configured base URL (which may change without touching the records).
 * Timestamps are ISO 8601 UTC with milliseconds (`toISOString()`), assigned by the store's clock
 * for `created` / `lastModified`, given by the caller for the rest.
 *
 * Every mutable record carries `revision` (1 on create, +1 on each write): the optimistic
 * concurrency token. An update may name the revision it was based on; a stale one fails with
 * ConflictError. The server can derive an HTTP ETag from it.
 */
import type { ImportJob, ImportJobItem } from '../core/import-job.js';

/** A deposit's status. `exportFailed` marks an export that could not finish (it never stays `exporting`). */
export type DepositStatus = 'new' | 'exporting' | 'preserved' | 'exportFailed';

/** Every {@link DepositStatus}. */
export const DEPOSIT_STATUSES: readonly DepositStatus[] = ['new', 'exporting', 'preserved', 'exportFailed'];

/** The layout a deposit was created with (write-only in the API; kept for the filesystem view). */
export type DepositTemplate = 'None' | 'RootLevel' | 'BagIt';

/** Every {@link DepositTemplate}. */
export const DEPOSIT_TEMPLATES: readonly DepositTemplate[] = ['None', 'RootLevel', 'BagIt'];

/** An error as the API lists it in `errors`: a message, and the id of what it is about when there is one. */
export interface RecordError {
  message: string;
  id?: string | null;
}

/** A deposit: a working area of files on its way to (or from) an Archival Group. */
export interface DepositRecord {
  id: string;
  revision: number;
  status: DepositStatus;
  /** Editable; false once an import job from it has succeeded. */
  active: boolean;
  /** Repository path of the Archival Group (no leading or trailing slash), or null when not chosen yet. */
  archivalGroupPath: string | null;
  archivalGroupName: string | null;
  submissionText: string | null;
  template: DepositTemplate;
  /** Location URI of the working area, ending in `/` (`file:///…/deposits/{id}/`, `s3://bucket/prefix/{id}/`). */
  files: string;
  /** ETag of the deposit's METS file as last seen or written by the platform, or null. */
  metsETag: string | null;
  /** True when the platform created the METS file and may rewrite it (part 2's METS editing). */
  metsManaged: boolean;
  created: string;
  createdBy: string;
  lastModified: string;
  lastModifiedBy: string;
  preserved: string | null;
  preservedBy: string | null;
  versionPreserved: string | null;
  exported: string | null;
  exportedBy: string | null;
  versionExported: string | null;
  /** Agent holding the deposit's lock, or null. */
  lockedBy: string | null;
  lockDate: string | null;
}

/** An ImportJob as it was submitted, stored under our id. Immutable. */
export interface ImportJobRecord {
  /** Our id; the job's ImportJobResult has the same id. */
  id: string;
  depositId: string;
  /** The `id` the job was submitted with (a diff URI, a foreign id), or null. */
  originalId: string | null;
  /** The job, lists complete (property names already matched to camelCase). */
  job: ImportJob;
  created: string;
  createdBy: string;
}

/** An import job's status. */
export type ImportJobStatus = 'waiting' | 'running' | 'completed' | 'completedWithErrors';

/** Every {@link ImportJobStatus}. */
export const IMPORT_JOB_STATUSES: readonly ImportJobStatus[] = [
  'waiting',
  'running',
  'completed',
  'completedWithErrors',
];

/** True for the statuses a job never leaves. */
export function isFinishedImportJobStatus(status: ImportJobStatus): boolean {
  return status === 'completed' || status === 'completedWithErrors';
}

/** How far a running job (import, export, pipeline) has got. Counts only; all optional but `itemsDone`. */
export interface JobProgress {
  itemsDone: number;
  itemsTotal?: number | null;
  bytesDone?: number | null;
  bytesTotal?: number | null;
}

/** The outcome lists of an ImportJobResult, filled when the job has finished. */
export interface ImportJobOutcomeLists {
  containersAdded: ImportJobItem[];
  binariesAdded: ImportJobItem[];
  containersDeleted: ImportJobItem[];
  binariesDeleted: ImportJobItem[];
  binariesPatched: ImportJobItem[];
  containersRenamed: ImportJobItem[];
  binariesRenamed: ImportJobItem[];
}

/** The names of {@link ImportJobOutcomeLists}. */
export const IMPORT_OUTCOME_LISTS: ReadonlyArray<keyof ImportJobOutcomeLists> = [
  'containersAdded',
  'binariesAdded',
  'containersDeleted',
  'binariesDeleted',
  'binariesPatched',
  'containersRenamed',
  'binariesRenamed',
];

/** The state of an import job: what the API answers at `…/importjobs/results/{id}`. */
export interface ImportJobResultRecord extends ImportJobOutcomeLists {
  /** Same id as its {@link ImportJobRecord}. */
  id: string;
  revision: number;
  depositId: string;
  archivalGroupPath: string;
  /** The submitted job's own `id`, or null. */
  originalImportJobId: string | null;
  status: ImportJobStatus;
  created: string;
  createdBy: string;
  lastModified: string;
  lastModifiedBy: string;
  dateBegun: string | null;
  dateFinished: string | null;
  /** The head the job was built on (`vN`), or null for a new group / whatever the head is. */
  sourceVersion: string | null;
  newVersion: string | null;
  errors: RecordError[];
  progress: JobProgress | null;
}

/** How an export writes files: everything, only the METS file, or stubs (size, digest, origin). */
export type ExportRecordMode = 'full' | 'mets' | 'stub';

/** An export's status. */
export type ExportStatus = 'waiting' | 'running' | 'completed' | 'failed';

/** An export of an Archival Group version into a new deposit; keyed by that deposit's id. */
export interface ExportRecord {
  /** The id of the deposit the export fills. */
  id: string;
  revision: number;
  archivalGroupPath: string;
  /** The version asked for, or null for the head at the time the export ran. */
  versionRequested: string | null;
  /** The version actually exported, once known. */
  versionExported: string | null;
  mode: ExportRecordMode;
  status: ExportStatus;
  created: string;
  createdBy: string;
  lastModified: string;
  dateBegun: string | null;
  dateFinished: string | null;
  errors: RecordError[];
  progress: JobProgress | null;
}

/** A pipeline run's status (ProcessPipelineResult). */
export type PipelineRunStatus =
  | 'waiting'
  | 'processing'
  | 'metadataCreated'
  | 'completed'
  | 'completedWithErrors';

/** Every {@link PipelineRunStatus}. */
export const PIPELINE_RUN_STATUSES: readonly PipelineRunStatus[] = [
  'waiting',
  'processing',
  'metadataCreated',
  'completed',
  'completedWithErrors',
];

/** A run of the tool pipeline over a deposit (part 2): a ProcessPipelineResult. */
export interface PipelineRunRecord {
  id: string;
  revision: number;
  depositId: string;
  status: PipelineRunStatus;
  /** Short name of who ran it (`runUser`). */
  runUser: string | null;
  created: string;
  createdBy: string;
  lastModified: string;
  lastModifiedBy: string;
  dateBegun: string | null;
  dateFinished: string | null;
  errors: RecordError[];
}

/** The kind of an activity: IIIF Change Discovery's Create, Update and Delete. */
export type ActivityType = 'Create' | 'Update' | 'Delete';

/**
 * One entry of the Archival Group activity stream. `seq` counts from 1 without gaps (page n of
 * the stream is a key range); `endTime` is strictly increasing through the whole log, even for
 * entries written in the same millisecond.
 */
export interface ActivityRecord {
  seq: number;
  type: ActivityType;
  archivalGroupPath: string;
  /** The version the activity produced (Create, Update), or null. */
  version: string | null;
  endTime: string;
  /** Agent id of who caused it, or null. */
  actor: string | null;
  /** The import job whose completion it records (Create, Update), or null. */
  importJobId?: string | null;
  /** The deposit of that import job, or null. */
  depositId?: string | null;
}

/**
 * An agent: whoever created, modified, preserved or exported something. Every agent id a record
 * mentions is registered automatically (name = id, no roles) in the same commit.
 */
export interface AgentRecord {
  /** The agent id: the last segment of its URI. */
  id: string;
  revision: number;
  name: string;
  roles: string[];
  created: string;
  lastModified: string;
}

/**
 * A client allowed to get tokens (OAuth2 client credentials). Only a salted scrypt hash of its
 * secret is kept (see secrets.ts); the secret itself is never stored.
 */
export interface ClientRecord {
  clientId: string;
  revision: number;
  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  secretHash: string;
  roles: string[];
  /** The agent id recorded as createdBy etc. for this client's calls. */
  agent: string;
  disabled: boolean;
  created: string;
  lastModified: string;
}
