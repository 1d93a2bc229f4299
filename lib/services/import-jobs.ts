/**
 * Executing an ImportJob as one transaction (issue 10 §5, DECISIONS "Import jobs"): all of it or
 * none of it. Before anything is written: `isUpdate` must match whether the group exists, a job
 * for an existing group must give `sourceVersion` or say `isUpdate: true` (then it applies to the
 * head; a `null` sourceVersion with `isUpdate: true` means the same), `sourceVersion` (when given)
 * must be the head, every id must lie inside the group, adds must
 * not exist, patches and deletes must, and a container deleted must end up empty — each offending
 * item is named. Digests a hand-written job leaves out are computed from the bytes (one extra
 * read of those files). The result lists what was added, patched, deleted and renamed, by id.
 */
import { ConflictError } from '../core/errors.js';
import {
  type IMPORT_JOB_LISTS,
  type ImportJob,
  type ImportJobItem,
  importJobChanges,
  versionName,
} from '../core/import-job.js';
import { quoteForMessage } from '../core/paths.js';
import { mapLimit } from '../engine/concurrency.js';
import { digestStream } from '../hash/digesters.js';
import type { OpenStoreOptions } from '../storage/location.js';
import type { CommitProgress } from '../txn/commit.js';
import { sourceRoots } from '../txn/sources.js';
import type { ObjectKind, RepositoryWriter } from '../txn/writer.js';

/** Options of {@link executeImportJob}. */
export interface ExecuteImportJobOptions {
  /** The base of repository ids, ending in `/` (e.g. `https://host/repository/`). */
  repositoryBase: string;
  /** Location URIs the job's origins may point into (the deposit's working area). */
  sources: readonly string[];
  /** Who runs it (recorded on the version and the headers). */
  agent: { name: string; address?: string };
  message?: string;
  /** How to open the sources (S3 settings). */
  sourceStore?: OpenStoreOptions;
  /** A retry of the same job passes the same id (a crashed attempt's claim is taken back). */
  transactionId?: string;
  /** Called as the commit goes through its steps (copy counts during `content`). */
  onProgress?: (p: CommitProgress) => void;
  signal?: AbortSignal;
}

/** What an executed job did: ids of the items, by list. */
export interface ImportJobOutcome {
  /** The version written; null when the group already held exactly what the job asks for. */
  newVersion: string | null;
  /** With no new version: the head that already holds the job's content. */
  unchangedAt?: string;
  created: string;
  containersAdded: ImportJobItem[];
  binariesAdded: ImportJobItem[];
  binariesPatched: ImportJobItem[];
  binariesDeleted: ImportJobItem[];
  containersDeleted: ImportJobItem[];
  containersRenamed: ImportJobItem[];
  binariesRenamed: ImportJobItem[];
}

const RESULT_LIST: Record<
  (typeof IMPORT_JOB_LISTS)[number],
  keyof Omit<ImportJobOutcome, 'newVersion' | 'created' | 'unchangedAt'>
> = {
  containersToAdd: 'containersAdded',
  binariesToAdd: 'binariesAdded',
  binariesToPatch: 'binariesPatched',
  binariesToDelete: 'binariesDeleted',
  containersToDelete: 'containersDeleted',
  containersToRename: 'containersRenamed',
  binariesToRename: 'binariesRenamed',
};

/**
 * Run `job` against the repository. Throws UnprocessableError (items that cannot be applied, each
 * named), ConflictError (`isUpdate` or `sourceVersion` do not match, or the group moved meanwhile),
 * InvalidInputError (an origin outside the deposit), FixityMismatchError (bytes that do not match
 * their digest), and the stores' errors. Nothing is visible unless it all succeeds.
 */
export async function executeImportJob(
  writer: RepositoryWriter,
  job: ImportJob,
  options: ExecuteImportJobOptions,
): Promise<ImportJobOutcome> {
  const withDigests = await fillDigests(job, options);
  const plan = importJobChanges(withDigests, options.repositoryBase);
  const kind = await writer.kindOf(plan.groupPath);
  const exists = kind === 'ArchivalGroup';
  const expectedHead = checkIntent(job, plan.groupPath, kind);
  if (exists && plan.changes.length === 0) {
    // Nothing to change but perhaps the name: a job that asks for what is there already is done,
    // with no new version (an export imported back unchanged, a diff run twice).
    const head = await writer.headOf(plan.groupPath);
    if (head && (job.archivalGroupName === undefined || job.archivalGroupName === head.name)) {
      return {
        newVersion: null,
        unchangedAt: head.version,
        created: new Date().toISOString(),
        ...emptyLists(),
      };
    }
  }
  const tx = writer.begin(plan.groupPath, {
    agent: options.agent,
    sources: options.sources,
    ...(options.message !== undefined && { message: options.message }),
    ...(job.archivalGroupName !== undefined && !exists && { name: job.archivalGroupName }),
    ...(expectedHead !== undefined && { sourceVersion: expectedHead }),
    ...(job.isUpdate === false && expectedHead === undefined && { sourceVersion: null }),
    ...(options.transactionId !== undefined && { id: options.transactionId }),
  });
  for (const c of plan.changes) {
    if (c.op === 'createContainer') tx.createContainer(c.path, c.name !== undefined ? { name: c.name } : {});
    else if (c.op === 'rename') tx.rename(c.path, c.name);
    else if (c.op === 'delete') tx.delete(c.path);
    else tx.putBinary(c.path, { source: c.source, digest: c.sha256, ...optionalPut(c) });
  }
  if (exists && job.archivalGroupName !== undefined) tx.rename('', job.archivalGroupName);
  const result = await tx.commit({
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.signal && { signal: options.signal }),
  });
  const outcome: ImportJobOutcome = { newVersion: result.version, created: result.created, ...emptyLists() };
  for (const { list, item } of plan.items) outcome[RESULT_LIST[list]].push(item);
  return outcome;
}

function emptyLists(): Omit<ImportJobOutcome, 'newVersion' | 'created' | 'unchangedAt'> {
  return {
    containersAdded: [],
    binariesAdded: [],
    binariesPatched: [],
    binariesDeleted: [],
    containersDeleted: [],
    containersRenamed: [],
    binariesRenamed: [],
  };
}

/**
 * Check `job`'s `isUpdate` and `sourceVersion` against what stands at its group's path now;
 * returns the head the commit must find (`null`: none; undefined: whatever the head is). Throws
 * ConflictError: `isUpdate` that does not match, a job for an existing group with neither a
 * `sourceVersion` nor `isUpdate: true` (DECISIONS: a hand-written job states its intent).
 * `sourceVersion: null` with `isUpdate: true` means "not given" (clients send the null the
 * spec's examples show): the job applies to the head.
 */
function checkIntent(job: ImportJob, groupPath: string, kind: ObjectKind): string | null | undefined {
  const exists = kind === 'ArchivalGroup';
  if (job.isUpdate === true && !exists) {
    throw new ConflictError(
      `isUpdate is true but there is no Archival Group at ${quoteForMessage(groupPath)}`,
    );
  }
  if (job.isUpdate === false && kind !== 'absent') {
    throw new ConflictError(`isUpdate is false but ${quoteForMessage(groupPath)} already exists`);
  }
  const named =
    job.sourceVersion === undefined || job.sourceVersion === null
      ? job.sourceVersion
      : versionName(job.sourceVersion);
  const expected = job.isUpdate === true && named === null ? undefined : named;
  if (exists && job.isUpdate !== true && expected === undefined) {
    throw new ConflictError(
      `${quoteForMessage(groupPath)} exists: a job without sourceVersion must say isUpdate: true`,
    );
  }
  return expected;
}

/**
 * Refuse now what executing `job` would refuse about its group as it is now (see
 * {@link executeImportJob}): `isUpdate` that does not match, neither `sourceVersion` nor
 * `isUpdate: true` for an existing group, a `sourceVersion` that is not the head. Lets a server
 * answer 409 at submission; execution checks again, as the head may move in between. Throws
 * ConflictError, InvalidInputError (a group id outside the base), the stores' errors.
 */
export async function checkJobAgainstHead(
  writer: RepositoryWriter,
  job: ImportJob,
  groupPath: string,
  head: () => Promise<string | undefined>,
): Promise<void> {
  const kind = await writer.kindOf(groupPath);
  const expected = checkIntent(job, groupPath, kind);
  if (expected === undefined) return;
  const current = kind === 'ArchivalGroup' ? await head() : undefined;
  if ((current ?? null) !== expected) {
    throw new ConflictError(
      `sourceVersion is ${expected ?? 'null (a new group)'} but the head of ${quoteForMessage(groupPath)} is ${current ?? 'absent'}`,
      { key: groupPath },
    );
  }
}

function optionalPut(c: {
  size?: number;
  contentType?: string;
  name?: string;
  expect?: 'absent' | 'present';
}) {
  return {
    ...(c.size !== undefined && { size: c.size }),
    ...(c.contentType !== undefined && { contentType: c.contentType }),
    ...(c.name !== undefined && { name: c.name }),
    ...(c.expect !== undefined && { expect: c.expect }),
  };
}

/** The job with a SHA-256 for every binary to add or patch that has an origin but no digest. */
async function fillDigests(job: ImportJob, options: ExecuteImportJobOptions): Promise<ImportJob> {
  const missing = [...(job.binariesToAdd ?? []), ...(job.binariesToPatch ?? [])].filter(
    (b) => typeof b?.origin === 'string' && (typeof b.digest !== 'string' || b.digest === ''),
  );
  if (missing.length === 0) return job;
  const access = sourceRoots(options.sources, options.sourceStore ?? {});
  const found = new Map<ImportJobItem, string>();
  await mapLimit(missing, 8, async (item) => {
    const { store, key } = await access.resolve(item.origin!);
    const stream = await store.read(key, options.signal ? { signal: options.signal } : {});
    const { digests } = await digestStream(
      stream,
      ['sha256'],
      options.signal ? { signal: options.signal } : {},
    );
    found.set(item, digests.sha256!);
  });
  const fill = (items: ImportJobItem[] | undefined) =>
    (items ?? []).map((b) => (found.has(b) ? { ...b, digest: found.get(b)! } : b));
  return { ...job, binariesToAdd: fill(job.binariesToAdd), binariesToPatch: fill(job.binariesToPatch) };
}
