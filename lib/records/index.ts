/**
 * Durable state of the Preservation API server: the records port (deposits, import jobs and
 * results, exports, pipeline runs, activity, agents, token clients) and the job queue port, with
 * LMDB (embedded default) and memory implementations. `openStateStore(dir)` opens both.
 */
export { MAX_ERROR_MESSAGE_CHARS, MAX_JOB_ITEMS, MAX_RECORD_ERRORS } from './build.js';
export { MAX_GROUP_PATH_BYTES, MAX_NAME_CHARS, MAX_TEXT_CHARS } from './checks.js';
export {
  compareDeposits,
  type DateRange,
  DEFAULT_DEPOSIT_PAGE_SIZE,
  DEPOSIT_DATE_FIELDS,
  DEPOSIT_MATCH_FIELDS,
  DEPOSIT_ORDER_FIELDS,
  type DepositDateField,
  type DepositMatchField,
  type DepositOrderField,
  type DepositPage,
  type DepositQuery,
  type DepositQueryInput,
  depositQuery,
  MAX_DEPOSIT_PAGE,
  MAX_DEPOSIT_PAGE_SIZE,
  matchesDepositQuery,
  type ParseDepositQueryOptions,
  parseDepositQuery,
} from './deposit-query.js';
export {
  AGENT_ID_PATTERN,
  assertRecordId,
  CLIENT_ID_PATTERN,
  isAgentId,
  isRecordId,
  isTimestamp,
  newRecordId,
  RECORD_ID_PATTERN,
  ROLE_PATTERN,
  TIMESTAMP_PATTERN,
  VERSION_PATTERN,
} from './ids.js';
export { type LmdbRecordsOptions, openLmdbRecords } from './lmdb-records.js';
export { openMemoryRecords } from './memory-records.js';
export {
  type ActivityRecord,
  type ActivityType,
  type AgentRecord,
  type ClientRecord,
  DEPOSIT_STATUSES,
  DEPOSIT_TEMPLATES,
  type DepositRecord,
  type DepositStatus,
  type DepositTemplate,
  type ExportRecord,
  type ExportRecordMode,
  type ExportStatus,
  IMPORT_JOB_STATUSES,
  IMPORT_OUTCOME_LISTS,
  type ImportJobOutcomeLists,
  type ImportJobRecord,
  type ImportJobResultRecord,
  type ImportJobStatus,
  isFinishedImportJobStatus,
  type JobProgress,
  PIPELINE_RUN_STATUSES,
  type PipelineRunRecord,
  type PipelineRunStatus,
  type RecordError,
} from './model.js';
export type {
  ActivityLog,
  AgentInput,
  AgentRecords,
  ClientPatch,
  ClientRecords,
  DepositPatch,
  DepositRecords,
  DepositSearchPage,
  DepositWriteOptions,
  ExportPatch,
  ExportRecords,
  ImportJobRecords,
  ImportJobResultPatch,
  NewActivity,
  NewClient,
  NewDeposit,
  NewExport,
  NewImportJob,
  NewPipelineRun,
  PipelineRunPatch,
  PipelineRunRecords,
  RecordListOptions,
  RecordOp,
  RecordOpResult,
  RecordStore,
  UpdateOptions,
} from './port.js';
export { type LmdbQueueOptions, openLmdbQueue } from './queue/lmdb-queue.js';
export { openMemoryQueue } from './queue/memory-queue.js';
export {
  type ClaimedJob,
  type ClaimOptions,
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueOptions,
  type FailOptions,
  type JobQueue,
  type JsonValue,
  MAX_ATTEMPTS_LIMIT,
  MAX_LEASE_MS,
  MAX_PAYLOAD_BYTES,
  QUEUE_JOB_STATES,
  type QueueJob,
  type QueueJobState,
  type QueueListOptions,
} from './queue/port.js';
export { STATE_SCHEMA_VERSION } from './schema.js';
export { openMemoryResourceIndex } from './search/memory-search-index.js';
export type {
  GroupUpdate,
  IndexedResource,
  ResourceHit,
  ResourceIndex,
  ResourceSearchPage,
} from './search/port.js';
export {
  DEFAULT_SEARCH_PAGE_SIZE,
  foldForSearch,
  MAX_SEARCH_PAGE,
  MAX_SEARCH_PAGE_SIZE,
  MAX_SEARCH_TEXT_CHARS,
  type SearchPageRequest,
  searchNeedle,
  searchPage,
} from './search/text.js';
export { hashClientSecret, MAX_SECRET_CHARS, MIN_SECRET_CHARS, verifyClientSecret } from './secrets.js';
export {
  openMemoryStateStore,
  openStateStore,
  type StateStore,
  type StateStoreOptions,
} from './state-store.js';
export type { RecordStoreOptions } from './store.js';
