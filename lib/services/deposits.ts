/**
 * Deposits (spec "Deposit"): working areas for files on their way into an Archival Group, and
 * their import jobs and exports. The service keeps records (lib/records) and working areas
 * (lib/txn/deposit-area.ts) in step, builds diff jobs (lib/services/diff.ts), and queues the
 * long work (imports, exports) for the job runner: a job is recorded `waiting` and runs after
 * the caller has its answer.
 *
 * Ids and paths, not URIs: the server maps them to its base URL.
 */
import {
  ConflictError,
  GoneError,
  InvalidInputError,
  NotFoundError,
  UnprocessableError,
} from '../core/errors.js';
import { type ImportJob, importJobChanges } from '../core/import-job.js';
import { quoteForMessage } from '../core/paths.js';
import { resourcePathToId } from '../core/resource-ids.js';
import { resolveVersion } from '../core/versions.js';
import type { DepositPage, DepositQueryInput } from '../records/deposit-query.js';
import { newRecordId } from '../records/ids.js';
import type {
  DepositRecord,
  DepositTemplate,
  ExportRecordMode,
  ImportJobRecord,
  ImportJobResultRecord,
} from '../records/model.js';
import type { DepositPatch, RecordStore } from '../records/port.js';
import type { JobQueue } from '../records/queue/port.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { createDepositArea, deleteDepositArea } from '../txn/deposit-area.js';
import { exportVersion } from '../txn/export.js';
import { sourceRoots } from '../txn/sources.js';
import type { RepositoryWriter } from '../txn/writer.js';
import { type DepositDiff, diffDeposit } from './diff.js';
import { checkJobAgainstHead } from './import-jobs.js';
import type { Repository } from './repository.js';

/** The queue of import jobs. */
export const IMPORT_QUEUE = 'import';
/** The queue of exports. */
export const EXPORT_QUEUE = 'export';

/** What the deposit service works with. */
export interface DepositServiceDeps {
  records: RecordStore;
  queue: JobQueue;
  writer: RepositoryWriter;
  repository: Repository;
  /** Location URI under which each deposit gets `{id}/` (no trailing slash). */
  depositsRoot: string;
  /** Base of repository ids, ending in `/` (e.g. `https://host/repository/`). */
  repositoryBase: string;
  /** How to open the deposit area (S3 settings). */
  store?: OpenStoreOptions;
}

/** Fields a caller sets when creating a deposit. */
export interface NewDepositInput {
  archivalGroupPath?: string | null;
  archivalGroupName?: string | null;
  submissionText?: string | null;
  template?: DepositTemplate;
}

/** The job as submitted: a full ImportJob, or a request to build the diff and run it. */
export type JobSubmission = { kind: 'job'; job: ImportJob } | { kind: 'diff'; originalId: string };

/** The deposit service; see the module doc. */
export class DepositService {
  constructor(readonly deps: DepositServiceDeps) {}

  private get records(): RecordStore {
    return this.deps.records;
  }

  /** The deposit, or NotFoundError. */
  async get(id: string): Promise<DepositRecord> {
    const found = await this.records.deposits.get(id);
    if (!found) throw new NotFoundError(`no deposit ${quoteForMessage(id)}`, { key: id });
    return found;
  }

  /** A page of deposits (every spec query parameter; see records/deposit-query.ts). */
  list(query: DepositQueryInput): Promise<DepositPage> {
    return this.records.deposits.list(query);
  }

  /** True when the group at `path` exists (an Archival Group). */
  async groupExists(path: string | null): Promise<boolean> {
    if (!path) return false;
    return (await this.deps.writer.kindOf(path)) === 'ArchivalGroup';
  }

  /**
   * Create a deposit and its working area. For an existing group the working area gets the
   * group's METS file (the empty deposit of the spec: the diff then knows every file). Throws
   * ConflictError (a Container at the path), GoneError (a tombstone there), the stores' errors.
   */
  async create(input: NewDepositInput, agent: string): Promise<DepositRecord> {
    const id = newRecordId();
    const files = `${this.deps.depositsRoot}/${id}/`;
    const template = input.template ?? 'None';
    const group = input.archivalGroupPath ?? null;
    if (group) await this.checkGroupPlace(group);
    const exists = await this.groupExists(group);
    const area = await createDepositArea(files, exists ? 'None' : template, {
      title: input.archivalGroupName ?? null,
      created: new Date().toISOString(),
      ...(this.deps.store && { store: this.deps.store }),
    });
    let metsETag = area.metsETag;
    if (exists && group) {
      const exported = await exportVersion(this.deps.repository.root, `info:fedora/${group}`, files, {
        mode: 'mets',
        ...(this.deps.store && { store: this.deps.store }),
      });
      metsETag = exported.metsETag;
    }
    return this.records.deposits.create({
      id,
      files,
      createdBy: agent,
      template,
      archivalGroupPath: group,
      archivalGroupName: input.archivalGroupName ?? null,
      submissionText: input.submissionText ?? null,
      metsETag,
      metsManaged: area.metsPath !== null,
    });
  }

  /** Change `archivalGroup`, `archivalGroupName`, `submissionText`. Throws LockedError, ConflictError. */
  async patch(
    id: string,
    patch: Pick<DepositPatch, 'archivalGroupPath' | 'archivalGroupName' | 'submissionText'>,
    agent: string,
  ) {
    if (patch.archivalGroupPath) await this.checkGroupPlace(patch.archivalGroupPath);
    return this.records.deposits.update(id, patch, { by: agent, respectLockFor: agent });
  }

  /** Delete the deposit and its working area. Throws LockedError, ConflictError (a job running). */
  async delete(id: string, agent: string): Promise<void> {
    const deposit = await this.get(id);
    await this.records.deposits.delete(id, { respectLockFor: agent });
    await deleteDepositArea(deposit.files, this.deps.store ? { store: this.deps.store } : {});
  }

  /** The diff ImportJob of the deposit against its group's head (nothing is changed). */
  async diff(id: string, agent: string, jobId?: string): Promise<DepositDiff> {
    const deposit = await this.get(id);
    if (!deposit.archivalGroupPath) {
      throw new InvalidInputError("set the deposit's archivalGroup before asking for an import job");
    }
    await this.checkNewGroupPlace(deposit.archivalGroupPath);
    return diffDeposit({
      files: deposit.files,
      template: deposit.template,
      archivalGroup: resourcePathToId(this.deps.repositoryBase, deposit.archivalGroupPath),
      ...(deposit.archivalGroupName && { archivalGroupName: deposit.archivalGroupName }),
      repositoryBase: this.deps.repositoryBase,
      repository: this.deps.repository,
      ...(this.deps.store && { store: this.deps.store }),
      createdBy: agent,
      ...(jobId && { id: jobId }),
    });
  }

  /**
   * Record a job for the deposit (status `waiting`) and queue it; it runs after this returns.
   * A full job is checked now (ids inside the group, each item well-formed, origins inside the
   * deposit's working area: UnprocessableError);
   * a diff request is built by the runner. Throws ConflictError (another job waiting or running,
   * an inactive or exporting deposit, a job for another group, `isUpdate` or `sourceVersion` that
   * do not fit the group's head), LockedError.
   */
  async submitJob(
    depositId: string,
    submission: JobSubmission,
    agent: string,
  ): Promise<ImportJobResultRecord> {
    const deposit = await this.get(depositId);
    if (!deposit.archivalGroupPath) {
      throw new InvalidInputError("set the deposit's archivalGroup before running an import job");
    }
    await this.checkNewGroupPlace(deposit.archivalGroupPath);
    const archivalGroup = resourcePathToId(this.deps.repositoryBase, deposit.archivalGroupPath);
    let job: ImportJob;
    let originalId: string | null;
    if (submission.kind === 'diff') {
      job = emptyJob(archivalGroup);
      originalId = submission.originalId;
    } else {
      job = submission.job;
      if (job.archivalGroup !== archivalGroup) {
        throw new ConflictError(
          `the job is for ${quoteForMessage(job.archivalGroup)}, the deposit for ${quoteForMessage(archivalGroup)}`,
        );
      }
      importJobChanges(fillMissingDigests(job), this.deps.repositoryBase);
      refuseOriginsOutside(job, deposit.files);
      // A stale sourceVersion or a wrong isUpdate is the caller's to fix now (409), not a job
      // that fails later; the runner checks again, as the head may move in between.
      await checkJobAgainstHead(this.deps.writer, job, deposit.archivalGroupPath, async () => {
        const versions = await this.deps.repository.versions(`info:fedora/${deposit.archivalGroupPath}`);
        return versions.at(-1)?.ocflVersion;
      });
      originalId = job.id ?? null;
    }
    const id = newRecordId();
    const sourceVersion =
      typeof job.sourceVersion === 'string' ? job.sourceVersion : (job.sourceVersion?.ocflVersion ?? null);
    const result = await this.records.importJobs.create(
      {
        id,
        depositId,
        job,
        archivalGroupPath: deposit.archivalGroupPath,
        originalId,
        sourceVersion,
        createdBy: agent,
      },
      { respectLockFor: agent },
    );
    await this.deps.queue.enqueue(IMPORT_QUEUE, { id }, { dedupeKey: `import:${id}` });
    return result;
  }

  /** The job as submitted. */
  async job(depositId: string, jobId: string): Promise<ImportJobRecord> {
    const job = await this.records.importJobs.getJob(jobId);
    if (!job || job.depositId !== depositId)
      throw new NotFoundError(`no import job ${quoteForMessage(jobId)}`, { key: jobId });
    return job;
  }

  /** One result. */
  async result(depositId: string, jobId: string): Promise<ImportJobResultRecord> {
    const result = await this.records.importJobs.getResult(jobId);
    if (!result || result.depositId !== depositId)
      throw new NotFoundError(`no import job result ${quoteForMessage(jobId)}`, { key: jobId });
    return result;
  }

  /** Every result of the deposit, oldest first. */
  async results(depositId: string): Promise<ImportJobResultRecord[]> {
    await this.get(depositId);
    return this.records.importJobs.listResults(depositId);
  }

  /**
   * Export a group version into a new deposit: the deposit is `exporting` until the runner has
   * copied the files, then `new`. `options.version` is `vN` or a memento timestamp (default: the
   * head when the export runs). Throws NotFoundError (no such group or version), InvalidInputError
   * (a malformed version), GoneError (a tombstone at the path).
   */
  async startExport(
    groupPath: string,
    options: { version?: string; mode?: ExportRecordMode },
    agent: string,
  ) {
    const kind = await this.deps.writer.kindOf(groupPath);
    if (kind === 'tombstone') throw tombstoned(groupPath);
    if (kind !== 'ArchivalGroup') {
      throw new NotFoundError(`no Archival Group at ${quoteForMessage(groupPath)}`, { key: groupPath });
    }
    // A memento timestamp names a version too: the record keeps its vN, and a version the group
    // lacks is refused now rather than as a failed export later.
    let version: string | undefined;
    if (options.version !== undefined) {
      const object = await this.deps.repository.root.openObject(`info:fedora/${groupPath}`);
      version = resolveVersion(object.view, options.version);
    }
    const id = newRecordId();
    const files = `${this.deps.depositsRoot}/${id}/`;
    await createDepositArea(files, 'None', this.deps.store ? { store: this.deps.store } : {});
    await this.records.commit([
      {
        op: 'createDeposit',
        deposit: {
          id,
          files,
          createdBy: agent,
          status: 'exporting',
          archivalGroupPath: groupPath,
          template: 'None',
        },
      },
      {
        op: 'createExport',
        export: {
          id,
          archivalGroupPath: groupPath,
          versionRequested: version ?? null,
          mode: options.mode ?? 'full',
          createdBy: agent,
        },
      },
    ]);
    await this.deps.queue.enqueue(EXPORT_QUEUE, { id }, { dedupeKey: `export:${id}` });
    return this.get(id);
  }

  /**
   * A group that does not exist yet can be created where the deposit says: refused now, before a
   * job runs, when its parent container is missing (ConflictError naming it) or it would sit
   * inside another group (ConflictError); a tombstoned parent is GoneError.
   */
  private async checkNewGroupPlace(path: string): Promise<void> {
    if ((await this.deps.writer.kindOf(path)) !== 'absent') return;
    try {
      await this.deps.writer.assertCreatable(path);
    } catch (err) {
      if (err instanceof NotFoundError) {
        throw new ConflictError(`${err.message}: create it before importing ${quoteForMessage(path)}`, {
          key: path,
        });
      }
      throw err;
    }
  }

  private async checkGroupPlace(path: string): Promise<void> {
    const kind = await this.deps.writer.kindOf(path);
    if (kind === 'Container')
      throw new ConflictError(`${quoteForMessage(path)} is a Container, not an Archival Group`, {
        key: path,
      });
    // A tombstone answers 410 like the resource itself, until it is purged (DECISIONS).
    if (kind === 'tombstone') throw tombstoned(path);
  }
}

/**
 * The runner reads a job's bytes only from the deposit's own working area (lib/txn/sources.ts);
 * an origin elsewhere is refused now, naming each item (UnprocessableError), not when it runs.
 */
function refuseOriginsOutside(job: ImportJob, files: string): void {
  const access = sourceRoots([files]);
  const problems = [...(job.binariesToAdd ?? []), ...(job.binariesToPatch ?? [])]
    .filter((b) => typeof b?.origin === 'string' && !access.allows(b.origin))
    .map((b) => ({
      path: String(b.id),
      message: `origin ${quoteForMessage(b.origin!)} is not inside the deposit's working area`,
    }));
  if (problems.length > 0) {
    throw new UnprocessableError(`${problems.length} origin(s) outside the deposit`, problems.slice(0, 1000));
  }
}

function tombstoned(path: string): GoneError {
  return new GoneError(`${quoteForMessage(path)} was deleted (purge it to use the path again)`, {
    key: path,
  });
}

/** A job with every list empty. */
export function emptyJob(archivalGroup: string): ImportJob {
  return {
    archivalGroup,
    containersToAdd: [],
    binariesToAdd: [],
    binariesToPatch: [],
    binariesToDelete: [],
    containersToDelete: [],
    containersToRename: [],
    binariesToRename: [],
  };
}

/** A copy whose binaries without a digest carry a placeholder, so the shape check can run (the runner computes them). */
function fillMissingDigests(job: ImportJob): ImportJob {
  const fill = (items: ImportJob['binariesToAdd']) =>
    (items ?? []).map((b) =>
      typeof b.digest === 'string' && b.digest !== '' ? b : { ...b, digest: '0'.repeat(64) },
    );
  return { ...job, binariesToAdd: fill(job.binariesToAdd), binariesToPatch: fill(job.binariesToPatch) };
}
