/**
 * Deposits, ImportJobs and ImportJobResults as the Preservation API shows them (spec "Deposit",
 * "ImportJob", "ImportJobResult"): records hold ids and paths; these turn them into absolute
 * URLs under the base URL. Every list of an ImportJob is present (`[]` when empty); versions are
 * Version objects.
 */
import type {
  DepositRecord,
  ImportJob,
  ImportJobRecord,
  ImportJobResultRecord,
  VersionSummary,
} from '../../lib/index.js';
import { resourcePathToIdPath } from '../../lib/index.js';
import type { Urls } from './repository.js';

/** The server's URL builders, with deposits and agents. */
export interface ApiUrls extends Urls {
  deposit(id: string): string;
  agent(id: string): string;
  /** The agent id of an agent URI (or the value itself when it is an id). */
  agentId(uri: string): string;
  /** `<base>/repository/`. */
  repositoryBase: string;
}

/** Extend repository URL builders with deposits and agents. */
export function apiUrls(urls: Urls): ApiUrls {
  const agentBase = `${urls.base}/agents/`;
  return {
    ...urls,
    repositoryBase: `${urls.base}/repository/`,
    deposit: (id) => `${urls.base}/deposits/${id}`,
    agent: (id) => (/^[a-z][a-z0-9+.-]*:/i.test(id) ? id : `${agentBase}${encodeURIComponent(id)}`),
    agentId: (uri) => (uri.startsWith(agentBase) ? decodeURIComponent(uri.slice(agentBase.length)) : uri),
  };
}

const agentOrNull = (urls: ApiUrls, id: string | null) => (id === null ? null : urls.agent(id));

/**
 * A Deposit. `pipelineJobs` are the ProcessPipelineResults of the pipeline runs of this deposit,
 * oldest first (default none).
 */
export function depositJson(
  urls: ApiUrls,
  d: DepositRecord,
  groupExists: boolean,
  pipelineJobs: Record<string, unknown>[] = [],
): Record<string, unknown> {
  return {
    id: urls.deposit(d.id),
    type: 'Deposit',
    archivalGroup:
      d.archivalGroupPath === null
        ? null
        : `${urls.repositoryBase}${resourcePathToIdPath(d.archivalGroupPath)}`,
    archivalGroupExists: groupExists,
    archivalGroupName: d.archivalGroupName,
    submissionText: d.submissionText,
    files: d.files,
    status: d.status,
    active: d.active,
    preserved: d.preserved,
    preservedBy: agentOrNull(urls, d.preservedBy),
    versionPreserved: d.versionPreserved,
    exported: d.exported,
    exportedBy: agentOrNull(urls, d.exportedBy),
    versionExported: d.versionExported,
    metsETag: d.metsETag,
    lockedBy: agentOrNull(urls, d.lockedBy),
    lockDate: d.lockDate,
    pipelineJobs,
    created: d.created,
    createdBy: urls.agent(d.createdBy),
    lastModified: d.lastModified,
    lastModifiedBy: urls.agent(d.lastModifiedBy),
  };
}

const LISTS = [
  'containersToAdd',
  'binariesToAdd',
  'binariesToPatch',
  'binariesToDelete',
  'containersToDelete',
  'containersToRename',
  'binariesToRename',
] as const;

/** An ImportJob: the given fields plus every list, versions as Version objects. */
export function importJobJson(
  urls: ApiUrls,
  depositId: string,
  job: ImportJob & Record<string, unknown>,
  fields: {
    id: string;
    originalId?: string | null;
    sourceVersion?: VersionSummary | null;
    created?: string;
    createdBy?: string;
  },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...job,
    id: fields.id,
    type: 'ImportJob',
    deposit: urls.deposit(depositId),
    archivalGroup: job.archivalGroup,
  };
  if (fields.originalId !== undefined) out.originalId = fields.originalId;
  if (fields.sourceVersion !== undefined) out.sourceVersion = versionJson(fields.sourceVersion);
  if (fields.created !== undefined) out.created = fields.created;
  if (fields.createdBy !== undefined) out.createdBy = urls.agent(fields.createdBy);
  // A diff job carries the agent id it was built for; the API shows agents as URIs.
  if (typeof job.lastModifiedBy === 'string') out.lastModifiedBy = urls.agent(job.lastModifiedBy);
  for (const list of LISTS) out[list] = job[list] ?? [];
  return out;
}

/** A stored job as submitted. */
export function storedJobJson(
  urls: ApiUrls,
  record: ImportJobRecord,
  sourceVersion: VersionSummary | null | undefined,
) {
  return importJobJson(urls, record.depositId, record.job as ImportJob & Record<string, unknown>, {
    id: `${urls.deposit(record.depositId)}/importjobs/${record.id}`,
    originalId: record.originalId,
    ...(sourceVersion !== undefined && { sourceVersion }),
    created: record.created,
    createdBy: record.createdBy,
  });
}

function versionJson(v: VersionSummary | null): Record<string, unknown> | null {
  if (v === null) return null;
  return {
    ocflVersion: v.ocflVersion,
    mementoTimestamp: v.mementoTimestamp,
    mementoDateTime: v.mementoDateTime,
  };
}

/** An ImportJobResult. `versions` resolves version names to Version objects (null when unknown). */
export function resultJson(
  urls: ApiUrls,
  r: ImportJobResultRecord,
  versions: (name: string | null) => VersionSummary | null,
): Record<string, unknown> {
  const deposit = urls.deposit(r.depositId);
  const version = (name: string | null) => {
    const found = versions(name);
    return found ? versionJson(found) : name;
  };
  return {
    id: `${deposit}/importjobs/results/${r.id}`,
    type: 'ImportJobResult',
    importJob: `${deposit}/importjobs/${r.id}`,
    originalImportJob: r.originalImportJobId,
    originalImportJobId: r.originalImportJobId,
    deposit,
    archivalGroup: `${urls.repositoryBase}${resourcePathToIdPath(r.archivalGroupPath)}`,
    status: r.status,
    created: r.created,
    createdBy: urls.agent(r.createdBy),
    dateBegun: r.dateBegun,
    dateFinished: r.dateFinished,
    sourceVersion: version(r.sourceVersion),
    newVersion: version(r.newVersion),
    errors: r.errors,
    containersAdded: r.containersAdded,
    binariesAdded: r.binariesAdded,
    containersDeleted: r.containersDeleted,
    binariesDeleted: r.binariesDeleted,
    binariesPatched: r.binariesPatched,
    containersRenamed: r.containersRenamed,
    binariesRenamed: r.binariesRenamed,
    ...(r.progress && { progress: r.progress }),
  };
}
