/**
 * The "diff" ImportJob of a deposit (Preservation API "Generate a diff Import Job", DECISIONS
 * "Import jobs"): read the deposit's working area and the Archival Group's head, and produce the
 * job that makes the group's next version match the deposit. Reading only: nothing is written.
 *
 * Sources, each read once: the listing (diff/listing.ts, diff/layout.ts), the METS file (found
 * by diff/sources.ts, aligned by diff/mets-facts.ts; optional, but once there it must list every
 * file), a BagIt `manifest-sha256.txt`, the group's resources (diff/group.ts), and — only for
 * files that will be added or patched and have no METS content type — the tool outputs under
 * `metadata/`. Digests come from the METS (SHA-256 only) or the manifest; where both give one
 * they must agree, as must the METS size and the listed size (diff/facts.ts). Files with neither
 * get an S3 full-object checksum or are hashed, and stubs are found (diff/digests.ts). The pure
 * rules that turn these facts into a job are in lib/core/deposit-diff.ts.
 *
 * For 100,000 files the work beyond listing and parsing the METS is a few passes over Maps keyed
 * by path; no request is made per file when the METS or manifest gives its digest.
 */

import { type DiffImportJob, planDepositDiff } from '../core/deposit-diff.js';
import { InvalidInputError, type ItemProblem, UnprocessableError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { idToResourcePath } from '../core/resource-ids.js';
import type { HashPool } from '../hash/pool.js';
import { type OpenStoreOptions, openStore } from '../storage/location.js';
import type { ReadableStore } from '../storage/port.js';
import { type FileDigestState, settleDigests } from './diff/digests.js';
import { described, digestState, fileFacts, fillContentTypes, folderFacts } from './diff/facts.js';
import { readGroup } from './diff/group.js';
import {
  ancestorFolders,
  type DepositLayout,
  type DepositTemplate,
  depositLayout,
  groupPathOf,
  originMaker,
  splitContent,
} from './diff/layout.js';
import { type ListedFile, listDeposit } from './diff/listing.js';
import { type AlignedMets, alignMets } from './diff/mets-facts.js';
import { findMetsFile, readBagDigests, readDepositMets } from './diff/sources.js';
import { openLocation } from './locations.js';
import type { Repository } from './repository.js';

export type { DiffImportJob, DiffItem } from '../core/deposit-diff.js';
export type { DepositTemplate } from './diff/layout.js';

/** Options of {@link diffDeposit}. */
export interface DiffDepositOptions {
  /** The deposit's working area: a folder (path or `file:///…/`) or `s3://bucket/prefix/`. */
  files: string;
  /** The deposit's template (default None): BagIt puts the content under `data/`. */
  template?: DepositTemplate;
  /** The group's id, under `repositoryBase`. */
  archivalGroup: string;
  /** The name for the group (default: its current name, when it exists). */
  archivalGroupName?: string;
  /** Base of repository ids, ending in `/` (e.g. `https://host/repository/`). */
  repositoryBase: string;
  /** The repository holding the group; absent (or no group there): the job creates it. */
  repository?: Repository;
  /** How to open the working area (S3 settings). */
  store?: OpenStoreOptions;
  /** Hashing threads for local files (default: the shared pool). */
  pool?: HashPool;
  /** Fields copied into the job as given. */
  id?: string;
  originalId?: string;
  deposit?: string;
  createdBy?: string;
  /** The job's `created` (default: now). */
  now?: Date;
  /** Store requests in flight: listings, HEADs, small reads, streamed hashes (default 16). */
  concurrency?: number;
  /** Called as the deposit is listed and hashed. */
  onProgress?: (p: DiffProgress) => void;
  signal?: AbortSignal;
}

/** Where a diff is. */
export type DiffProgress =
  | { phase: 'list' | 'mets' | 'group' | 'plan' }
  | { phase: 'hash'; files: number; bytes: number; totalFiles: number };

/** What a diff found. */
export interface DepositDiff {
  job: DiffImportJob;
  /** Things worth knowing that did not stop the diff (letter-case matches, METS and BagIt defects). */
  warnings: ItemProblem[];
  stats: DiffStats;
}

/** Where the digests came from, and what it cost. */
export interface DiffStats {
  files: number;
  metsFile: string | null;
  digests: { METS: number; BagIt: number; S3: number; computed: number };
  stubs: number;
  headRequests: number;
  stubReads: number;
}

/**
 * Diff the deposit at `options.files` against the group. Throws UnprocessableError naming each
 * problem (unreadable entries, a METS that misses files or cannot be read, sources that disagree,
 * files outside a bag's `data/`, stubs for files the group lacks, ids that collide, METS entries
 * neither the deposit nor the group holds), InvalidInputError (a group id outside the base),
 * ConflictError (the id names something that is not an Archival Group), NotFoundError (a local
 * working area that does not exist), GoneError, and the stores' errors. Nothing is written.
 */
export async function diffDeposit(options: DiffDepositOptions): Promise<DepositDiff> {
  const groupPath = groupPathFrom(options);
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const signal = options.signal;
  const store = await openWorkingArea(options.files, options.store);
  options.onProgress?.({ phase: 'list' });
  const [listing, group] = await Promise.all([
    listDeposit(store, { concurrency, ...(signal && { signal }) }),
    readGroup(options.repository, groupPath),
  ]);
  const problems: ItemProblem[] = [...listing.unreadable];
  const warnings: ItemProblem[] = [];
  const layout = depositLayout(options.template);
  const { content } = splitContent(layout, listing.files, problems);
  const contentKeys = new Set(content.map((f) => f.key));
  const folderKeys = new Set([...listing.folders, ...ancestorFolders(contentKeys)]);
  options.onProgress?.({ phase: 'mets' });
  const mets = await readMets(store, content, layout, { contentKeys, folderKeys, problems, warnings });
  const bag =
    layout.contentRoot === 'data'
      ? await readBagDigests(store, new Set(listing.files.map((f) => f.key)))
      : undefined;
  warnings.push(...(bag?.warnings ?? []));
  for (const key of bag?.sha256.keys() ?? [])
    if (!contentKeys.has(key))
      problems.push({ path: key, message: 'is in the BagIt manifest but not in the deposit' });
  const states = content.map((f) => digestState(f, mets, bag?.sha256, problems));
  refuseIf(problems, options.files);
  const groupFile = (key: string) => group?.binaries.get(groupPathOf(layout, key)!);
  const counts = await settleDigests(store, states, {
    concurrency,
    groupFile,
    ...(options.pool && { pool: options.pool }),
    ...(signal && { signal }),
    ...(options.onProgress && { onHashProgress: (p) => options.onProgress!({ phase: 'hash', ...p }) }),
  });
  for (const st of states) {
    if (st.stub === undefined && st.claimedSize !== undefined && st.claimedSize !== st.size)
      problems.push({
        path: st.key,
        message: `sizes differ: deposit ${st.size}, METS ${st.claimedSize} bytes`,
      });
  }
  refuseIf(problems, options.files);
  options.onProgress?.({ phase: 'plan' });
  const originOf = originMaker(options.files);
  const files = states.map((s) => fileFacts(s, layout, mets, originOf));
  await fillContentTypes(store, files, listing.files, groupFile, concurrency);
  const {
    job,
    problems: planProblems,
    warnings: planWarnings,
  } = planDepositDiff(
    {
      archivalGroup: options.archivalGroup,
      ...(options.archivalGroupName !== undefined && { archivalGroupName: options.archivalGroupName }),
      source: options.files,
      files,
      described: described(mets, layout, problems),
      folders: folderFacts(folderKeys, mets, layout, originOf, problems),
      ...(group && { group }),
    },
    {
      created: (options.now ?? new Date()).toISOString(),
      ...(options.createdBy !== undefined && { createdBy: options.createdBy }),
    },
  );
  problems.push(...planProblems);
  warnings.push(...planWarnings);
  refuseIf(problems, options.files);
  if (options.id !== undefined) job.id = options.id;
  if (options.originalId !== undefined) job.originalId = options.originalId;
  if (options.deposit !== undefined) job.deposit = options.deposit;
  return { job: ordered(job), warnings, stats: statsOf(states, mets, counts) };
}

/**
 * The working area, read-only. A local folder must exist: a mistyped path must not read as an
 * empty deposit (whose diff deletes the whole group). S3 has no folders to check.
 */
async function openWorkingArea(files: string, options: OpenStoreOptions | undefined): Promise<ReadableStore> {
  if (/^(s3|memory):\/\//i.test(files)) return openStore(files, options);
  const { store, file } = await openLocation(files, options);
  if (file !== undefined)
    throw new InvalidInputError(`${quoteForMessage(files)} is a file, not a deposit folder`, { key: files });
  return store;
}

function groupPathFrom(options: DiffDepositOptions): string {
  const path = idToResourcePath(options.repositoryBase, options.archivalGroup);
  if (path === '')
    throw new InvalidInputError('the repository root is not an Archival Group', {
      key: options.archivalGroup,
    });
  return path;
}

function refuseIf(problems: ItemProblem[], files: string): void {
  if (problems.length === 0) return;
  throw new UnprocessableError(
    `the deposit at ${quoteForMessage(files)} cannot be diffed: ${problems.length} problem(s)`,
    problems,
  );
}

async function readMets(
  store: ReadableStore,
  content: readonly ListedFile[],
  layout: DepositLayout,
  ctx: {
    contentKeys: Set<string>;
    folderKeys: Set<string>;
    problems: ItemProblem[];
    warnings: ItemProblem[];
  },
): Promise<AlignedMets | undefined> {
  const found = findMetsFile(content, layout.metsBases);
  if (found.problem) ctx.problems.push(found.problem);
  if (found.file === undefined) return undefined;
  const read = await readDepositMets(store, found.file);
  // A stub exported in place of the METS stands for the group's METS, like any other stub.
  if (read.stub) return undefined;
  return alignMets(read.model, found.file.key, ctx.contentKeys, ctx.folderKeys, ctx.problems, ctx.warnings);
}

/** The job with its properties in the spec's order: id, type, originalId, deposit first. */
function ordered(job: DiffImportJob): DiffImportJob {
  const { id, type, originalId, deposit, ...rest } = job;
  return {
    ...(id !== undefined && { id }),
    type,
    ...(originalId !== undefined && { originalId }),
    ...(deposit !== undefined && { deposit }),
    ...rest,
  };
}

function statsOf(
  states: readonly FileDigestState[],
  mets: AlignedMets | undefined,
  counts: { headRequests: number; stubReads: number },
): DiffStats {
  const digests = { METS: 0, BagIt: 0, S3: 0, computed: 0 };
  let stubs = 0;
  for (const s of states) {
    if (s.stub !== undefined) stubs++;
    else if (s.from !== undefined) digests[s.from]++;
  }
  return {
    files: states.length,
    metsFile: mets?.metsKey ?? null,
    digests,
    stubs,
    headRequests: counts.headRequests,
    stubReads: counts.stubReads,
  };
}
