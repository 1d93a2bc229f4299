/**
 * Strongroom's public API for embedding the engine in other tools.
 *
 * The most used entry points are exported by name; each area is also exported whole as a
 * namespace (`ocfl`, `layouts`, `fedora`, `mets`, `bagit`, `tools`, ...) so names never clash.
 * Reading is everything but the writer: `openRepositoryWriter` (lib/txn) is the only way to change
 * a repository (transactions, repository structure, crash recovery).
 */

// caches
export {
  type InventoryCache,
  LmdbCache,
  type LmdbCacheOptions,
  MemoryCache,
  type MemoryCacheOptions,
  objectCacheKey,
} from './cache/index.js';
export * from './core/error-table.js';
export * from './core/errors.js';
// the write path: the only way to change a repository
export type { ContentPathMapper } from './core/fedora/content-paths.js';
/** Fedora 6 on OCFL: header parsing, naming rules, and the Preservation API resource model. */
export * as fedora from './core/fedora/index.js';
export type { Finding, FindingSeverity } from './core/findings.js';
export {
  IMPORT_JOB_LISTS,
  type ImportJob,
  type ImportJobItem,
  importJobChanges,
  type JobChanges,
  type VersionRef,
  versionName,
} from './core/import-job.js';
export {
  type DigestMap,
  INVENTORY_TYPES,
  type Inventory,
  type InventoryVersion,
  type OcflSpecVersion,
  type VersionUser,
} from './core/inventory.js';
/** Storage layouts: object id → object root path (OCFL extensions 0002, 0003, 0004, 0006, 0007). */
export * as layouts from './core/layout/index.js';
// whole areas, for everything else
/** OCFL rules as pure functions: validation codes, inventory parsing and validation, path and version-name rules. */
export * as ocfl from './core/ocfl/index.js';
export {
  assertSafeRelativePath,
  isSafeRelativePath,
  type PathSafetyOptions,
  pathSafetyProblems,
  type UnsafePathProblem,
} from './core/paths.js';
export type {
  AppliedChanges,
  CreateContainerChange,
  DeleteChange,
  ObjectChange,
  PutBinaryChange,
  RenameChange,
} from './core/plan/changes.js';
export type { CopiedContent, PlannedCopy, VersionPlan } from './core/plan/version-plan.js';
export {
  decodeIdSegment,
  encodeIdSegment,
  idPathToResourcePath,
  idToResourcePath,
  resourcePathToId,
  resourcePathToIdPath,
} from './core/resource-ids.js';
export type { StorageMap, StorageMapFile, StorageType } from './core/storage-map.js';
/** Version names, memento timestamps and version selectors. */
export * as versions from './core/versions.js';
export { openZipBagInStore, storeBagSource, storeRandomAccess } from './engine/bag-source.js';
export { getObjectResources, type ObjectResourcesOptions } from './engine/fedora-resources.js';
export {
  type InventoryFiles,
  type MutableHead,
  type ObjectProbe,
  type OcflObject,
  probeObject,
  type ReadObjectOptions,
  readObject,
  readProbedObject,
  type SidecarCheck,
} from './engine/object-reader.js';
export { getStorageMap, type StorageMapOptions } from './engine/storage-maps.js';
// reading and validating OCFL
export {
  type LayoutSource,
  type OpenStorageRootOptions,
  openStorageRoot,
  StorageRoot,
  type StoredObjectRef,
} from './engine/storage-root.js';
export { DEFAULT_RESCAN_INTERVAL_MS } from './engine/storage-root-index.js';
export {
  detectLocationKind,
  type FixityProgress,
  type ObjectValidationOptions,
  ObjectValidationReport,
  type StorageRootProgress,
  StorageRootReport,
  type StorageRootValidationOptions,
  validateInventoryFile,
  validateObject,
  validateStorageRoot,
} from './engine/validate/index.js';
export * as bagit from './formats/bagit/index.js';
export { openZipBag, readBagManifests, validateBag, zipBagSource } from './formats/bagit/index.js';
export type {
  BagLike,
  CombineInput,
  ListingEntry,
  MetsDirectoryLike,
  MetsFileLike,
  MetsLike,
  ToolsLike,
} from './formats/combine/inputs.js';
export { type CombinedDeposit, combineDeposit } from './formats/combine.js';
export * as mets from './formats/mets/index.js';
// formats
export { MetsDocument, type MetsModel, readMets, writeMets } from './formats/mets/index.js';
export type * from './formats/model.js';
export * as tools from './formats/tools/index.js';
export { readToolOutputs } from './formats/tools/index.js';
// hashing
export {
  type DigestFilesOptions,
  digestFiles,
  type FileDigestRequest,
  type FileDigestResult,
} from './hash/digest-files.js';
export {
  createDigester,
  type Digester,
  type DigestResult,
  DigestTransform,
  digestStream,
} from './hash/digesters.js';
export { closeDefaultPool, getDefaultPool, HashPool, type HashPoolOptions } from './hash/pool.js';
// durable state for the server: records (deposits, jobs, exports, agents, clients, activity) and the job queue
export * from './records/index.js';
export {
  ACTIVITY_PAGE_SIZE,
  type ActivityCollection,
  ActivityFeed,
  type ActivityPage,
} from './services/activity.js';
export { listAgentIds } from './services/agents.js';
export {
  type BinaryContent,
  type ChildObject,
  type Located,
  RepositoryBrowser,
  type RepositoryBrowserOptions,
  type StructureKind,
} from './services/browse.js';
export {
  readMetsAt,
  readToolOutputsAt,
  type ValidateBagAtOptions,
  validateBagAt,
} from './services/deposit-files.js';
export type { FilesystemView } from './services/deposit-filesystem.js';
export { DepositSourceCache, type DepositSourceCacheOptions } from './services/deposit-source-cache.js';
export {
  type AddToMetsResult,
  type DeleteItemsResult,
  type DeleteSelection,
  DepositWorkspace,
  type DepositWorkspaceDeps,
} from './services/deposit-workspace.js';
export {
  DepositService,
  type DepositServiceDeps,
  EXPORT_QUEUE,
  emptyJob,
  IMPORT_QUEUE,
  type JobSubmission,
  type NewDepositInput,
} from './services/deposits.js';
export {
  type DepositDiff,
  type DepositTemplate,
  type DiffDepositOptions,
  type DiffImportJob,
  type DiffItem,
  type DiffProgress,
  type DiffStats,
  diffDeposit,
} from './services/diff.js';
export {
  type HttpTemplateOptions,
  HttpTemplateResolver,
  type IdentityResolver,
  MAX_IDENTIFIER_CHARS,
  MAX_IDENTITY_BYTES,
  MappingFileResolver,
  type ResolvedGroup,
  type ResolvedIdentity,
  resolveArchivalGroup,
} from './services/identity.js';
export {
  type ExecuteImportJobOptions,
  executeImportJob,
  type ImportJobOutcome,
} from './services/import-jobs.js';
export { importMessage, JobRunner, type JobRunnerDeps, recordErrors } from './services/job-runner.js';
export { DEFAULT_MAX_KEPT_FILES } from './services/kept-objects.js';
export { type OpenedLocation, openLocation } from './services/locations.js';
export type { AddPlan, DeletePlan, MetsEditItem } from './services/mets-editing.js';
export { MAX_EDIT_ITEMS, MAX_EDIT_PATH_LENGTH, type SelectedItem } from './services/mets-selection.js';
// deposit pipelines: the real tools (Siegfried, ClamAV, ExifTool) over a deposit's objects, through the queue
export {
  MAX_RUN_ERRORS,
  type PipelineLimits,
  type PipelineRunInput,
  type PipelineRunOutcome,
  runPipeline,
} from './services/pipeline-run.js';
export { PipelineRunner, type PipelineRunnerDeps } from './services/pipeline-runner.js';
export {
  PIPELINE_QUEUE,
  PipelineService,
  type PipelineServiceDeps,
  pipelineDedupeKey,
} from './services/pipelines.js';
export { type PutFolderOptions, type PutProgress, type PutResult, putFolder } from './services/put.js';
export { type LeaseKeeper, QueueWorker, type QueueWorkerOptions } from './services/queue-worker.js';
// the storage-root-centred API: open a repository, then ask it by object id
export {
  type FileContent,
  type OpenRepositoryOptions,
  openRepository,
  type ReadFileOptions,
  Repository,
  type VersionSummary,
} from './services/repository.js';
export {
  indexedResources,
  SearchIndexer,
  type SearchIndexerDeps,
  type SearchOptions,
  type SearchResults,
  SearchService,
} from './services/search.js';
export {
  type ClamAvConfig,
  type ExifToolConfig,
  type PipelineTool,
  type PipelineToolsConfig,
  pipelineTools,
  type SiegfriedConfig,
  type ToolIssue,
  type ToolRun,
} from './services/tools/index.js';
export {
  type LocationValidation,
  type ValidateLocationOptions,
  validateLocation,
} from './services/validate-location.js';
export type { Guarantee, SyncDurability } from './storage/capabilities.js';
export type { SyncStrategy } from './storage/fs/fs-sync.js';
// storage: read-only stores only (writable ones are for lib/txn); S3 loads lazily in openStore
export { type OpenStoreOptions, openStore, parseLocation, type StorageLocation } from './storage/location.js';
export type { MemoryStore } from './storage/memory/memory-store.js';
export { MemoryStores } from './storage/memory/registry.js';
export {
  type CopyOptions,
  DEFAULT_READ_BYTES_LIMIT,
  type DeleteOptions,
  type ListEntry,
  type ListOptions,
  type LocalFileResolver,
  type LocalPathCapable,
  type OtherEntryType,
  type ReadableStore,
  type ReadBytesOptions,
  type ReadOptions,
  type StatResult,
  type StoreCapabilities,
  type StoreLocation,
  type WritableStore,
  type WriteOptions,
  type WriteResult,
} from './storage/port.js';
export type { S3Config, S3Connection } from './storage/s3/config.js';
export type { S3StoreOptions } from './storage/s3/s3-store.js';
export type { OpenWritableStoreOptions } from './storage/writable.js';
export { DEFAULT_LEASE_MS } from './txn/claim.js';
export type { CommitProgress, CommitResult } from './txn/commit.js';
export {
  type CreatedDepositArea,
  createDepositArea,
  type DepositAreaTemplate,
  deleteDepositArea,
} from './txn/deposit-area.js';
export {
  type ExportedFile,
  type ExportMode,
  type ExportOptions,
  type ExportProgress,
  type ExportResult,
  exportVersion,
  isExportStub,
  STUB_MAGIC,
  STUB_MAX_BYTES,
} from './txn/export.js';
export {
  type ObjectRecoveryOptions,
  type RecoverOptions,
  type RecoveryAction,
  type RecoveryFinding,
  type RecoverySituation,
  recoverObject,
} from './txn/recover.js';
export {
  type RecoverProgress,
  type RecoveryReport,
  recoverStorageRoot,
  type StorageRootRecoveryOptions,
} from './txn/recover-root.js';
export {
  type CommitOptions,
  type CommitRunner,
  type PutBinaryOptions,
  Transaction,
} from './txn/transaction.js';
export {
  type BeginOptions,
  type ObjectKind,
  type OpenRepositoryWriterOptions,
  openRepositoryWriter,
  RepositoryWriter,
  type WriterRecoverOptions,
} from './txn/writer.js';
