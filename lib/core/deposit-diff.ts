/**
 * The "diff" ImportJob of a deposit (Preservation API "Generate a diff Import Job", DECISIONS
 * "Import jobs"): what makes an Archival Group's next version match the deposit, from facts the
 * services layer has already gathered (each deposit file's resource path, SHA-256 and name; the
 * files a METS lists that the deposit does not hold; the group's current state).
 *
 * Rules:
 * - A deposit file the group lacks is added; one whose SHA-256 differs is patched; one that is
 *   the same is not listed (unchanged). A moved file is a delete plus an add: the transaction
 *   finds its bytes already stored by SHA-256 and does not copy them again.
 * - A file the METS lists but the deposit does not hold is unchanged when the group holds it
 *   (a partial deposit: only the changed files and the METS were put there), at that path or,
 *   uniquely, at one that differs only in letter case (a warning). The METS then may
 *   not give it another digest, and a file neither the deposit nor the group holds is an error.
 * - An export stub stands for the group's file at its path (unchanged); a stub for a path the
 *   group lacks, or for other content than the group holds there, is an error.
 * - Group files and folders that nothing above keeps are deleted; folders the kept files need,
 *   and folders the deposit or its METS has, are kept or added. Names that differ from the
 *   stored ones are renames.
 * - Each item's id is the group id joined with its resource path mapped by resource-ids.ts
 *   (deterministic and reversible); two entries mapping to one id, or a file where the group has
 *   a folder (and the reverse), are errors: the job could not be applied in one go.
 *
 * Nothing is thrown: every problem is returned, the caller refuses the whole job.
 *
 * Pure module.
 */
import type { ItemProblem } from './errors.js';
import type { ImportJob, ImportJobItem } from './import-job.js';
import { quoteForMessage } from './paths.js';
import { resourcePathToIdPath } from './resource-ids.js';
import type { VersionInfo } from './versions.js';

/** A file in the deposit, with its place in the group. */
export interface DepositFileFacts {
  /** Resource path inside the group (`objects/a b.tif`). */
  path: string;
  /** Its key in the deposit (for messages). */
  key: string;
  /** Location URI of the bytes. */
  origin: string;
  /** Lowercase hex SHA-256 of the bytes; may be absent only for a stub. */
  sha256?: string;
  size?: number;
  /** The name to record (the METS name, else the key's last segment). */
  name: string;
  contentType?: string;
  /** Set when the file is an export stub; `digest` is the SHA-256 the stub stands for, if it says. */
  stub?: { digest?: string };
}

/** A file the METS lists that the deposit does not hold. */
export interface DescribedFileFacts {
  path: string;
  /** Where the METS places it in the deposit (for messages). */
  key: string;
  name: string;
  /** The METS SHA-256, when it gives one. */
  sha256?: string;
}

/** A folder the deposit has (or its METS lists), with its place in the group. */
export interface DepositFolderFacts {
  path: string;
  name: string;
  origin?: string;
}

/** What the group holds at one binary path. */
export interface GroupBinaryState {
  sha256?: string;
  size?: number;
  name?: string;
}

/** The group's current state (its head version). */
export interface GroupState {
  version: VersionInfo;
  name?: string;
  binaries: ReadonlyMap<string, GroupBinaryState>;
  /** Every container path below the root ('' is not listed), with its stored name. */
  containers: ReadonlyMap<string, { name?: string }>;
}

/** What {@link planDepositDiff} works from. */
export interface DepositDiffInput {
  /** The group's id (an absolute URI under the repository base). */
  archivalGroup: string;
  archivalGroupName?: string;
  /** The deposit root URI. */
  source: string;
  files: readonly DepositFileFacts[];
  described?: readonly DescribedFileFacts[];
  folders?: readonly DepositFolderFacts[];
  /** Absent: the group does not exist yet. */
  group?: GroupState;
}

/** An ImportJob item with its resource type, as the API shows it. */
export interface DiffItem extends ImportJobItem {
  type: 'Container' | 'Binary';
}

/** The ImportJob a diff produces: every list present, `sourceVersion` as a Version object. */
export interface DiffImportJob extends ImportJob {
  type: 'ImportJob';
  isUpdate: boolean;
  source: string;
  sourceVersion: VersionInfo | null;
  created: string;
  createdBy?: string;
  lastModified: string;
  lastModifiedBy?: string;
  containersToAdd: DiffItem[];
  binariesToAdd: DiffItem[];
  containersToDelete: DiffItem[];
  binariesToDelete: DiffItem[];
  binariesToPatch: DiffItem[];
  containersToRename: DiffItem[];
  binariesToRename: DiffItem[];
}

/** Who and when, for the job's common fields. */
export interface DiffStamp {
  /** ISO 8601 instant. */
  created: string;
  createdBy?: string;
}

type Wanted = { kind: 'file'; file: DepositFileFacts } | { kind: 'kept'; file: DescribedFileFacts };

/**
 * Plan the diff. Returns the job, every problem found (the job is only meaningful when there are
 * none) and warnings. Lists are sorted by id.
 */
export function planDepositDiff(
  input: DepositDiffInput,
  stamp: DiffStamp,
): { job: DiffImportJob; problems: ItemProblem[]; warnings: ItemProblem[] } {
  const problems: ItemProblem[] = [];
  const group = input.group;
  const job = emptyJob(input, stamp);
  const idOf = idMaker(input.archivalGroup);
  const warnings: ItemProblem[] = [];
  const wanted = wantedBinaries(input, problems, warnings);
  const folders = wantedFolders(input, wanted, problems);
  for (const [path, w] of wanted) {
    if (group?.containers.has(path)) {
      problems.push({ path: w.file.key, message: 'is a file here but a folder in the Archival Group' });
      continue;
    }
    const current = group?.binaries.get(path);
    const item: DiffItem = { id: idOf(path), type: 'Binary', name: w.file.name };
    if (w.kind === 'kept') keepDescribed(w.file, current, item, job, problems);
    else compareFile(w.file, current, item, job, problems);
  }
  for (const [path, folder] of folders) {
    if (group?.binaries.has(path)) {
      problems.push({ path, message: 'is a folder here but a file in the Archival Group' });
      continue;
    }
    const current = group?.containers.get(path);
    const item: DiffItem = { id: idOf(path), type: 'Container', name: folder.name };
    if (current === undefined) {
      if (folder.origin !== undefined) item.origin = folder.origin;
      job.containersToAdd.push(item);
    } else if (current.name !== undefined && current.name !== folder.name) job.containersToRename.push(item);
  }
  for (const path of group?.binaries.keys() ?? [])
    if (!wanted.has(path)) job.binariesToDelete.push({ id: idOf(path), type: 'Binary' });
  for (const path of group?.containers.keys() ?? [])
    if (!folders.has(path)) job.containersToDelete.push({ id: idOf(path), type: 'Container' });
  sortLists(job);
  return { job, problems, warnings };
}

function emptyJob(input: DepositDiffInput, stamp: DiffStamp): DiffImportJob {
  const name = input.archivalGroupName ?? input.group?.name;
  return {
    type: 'ImportJob',
    archivalGroup: input.archivalGroup,
    ...(name !== undefined && { archivalGroupName: name }),
    isUpdate: input.group !== undefined,
    source: input.source,
    sourceVersion: input.group ? { ...input.group.version } : null,
    created: stamp.created,
    ...(stamp.createdBy !== undefined && { createdBy: stamp.createdBy }),
    lastModified: stamp.created,
    ...(stamp.createdBy !== undefined && { lastModifiedBy: stamp.createdBy }),
    containersToAdd: [],
    binariesToAdd: [],
    containersToDelete: [],
    binariesToDelete: [],
    binariesToPatch: [],
    containersToRename: [],
    binariesToRename: [],
  };
}

/** Item ids: the group id, a slash, the id path of the resource path. */
function idMaker(archivalGroup: string): (path: string) => string {
  const base = `${archivalGroup.replace(/\/+$/, '')}/`;
  return (path) => `${base}${resourcePathToIdPath(path)}`;
}

function wantedBinaries(
  input: DepositDiffInput,
  problems: ItemProblem[],
  warnings: ItemProblem[],
): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  const add = (path: string, w: Wanted) => {
    const prior = wanted.get(path);
    if (prior === undefined) {
      wanted.set(path, w);
      return;
    }
    problems.push({
      path: w.file.key,
      message: `maps to the same id as ${quoteForMessage(prior.file.key)} (${quoteForMessage(path)})`,
    });
  };
  for (const file of input.files) add(file.path, { kind: 'file', file });
  const inGroup = groupPathMatcher(input.group);
  for (const file of input.described ?? []) {
    const path = inGroup(file.path);
    if (path !== file.path)
      warnings.push({ path: file.key, message: `matched to ${quoteForMessage(path)} (letter case differs)` });
    add(path, { kind: 'kept', file: { ...file, path } });
  }
  return wanted;
}

/**
 * The group binary path a METS path means: itself when the group has it, else the one group
 * path equal to it but for letter case (some METS writers lower-case paths), else itself.
 */
function groupPathMatcher(group: GroupState | undefined): (path: string) => string {
  let folded: Map<string, string[]> | undefined;
  return (path) => {
    if (group === undefined || group.binaries.has(path)) return path;
    if (folded === undefined) {
      folded = new Map();
      for (const p of group.binaries.keys()) {
        const k = p.toLowerCase();
        const list = folded.get(k);
        if (list) list.push(p);
        else folded.set(k, [p]);
      }
    }
    const candidates = folded.get(path.toLowerCase()) ?? [];
    return candidates.length === 1 ? candidates[0]! : path;
  };
}

/** Folders of the next version: those given, and every ancestor of a wanted file. */
function wantedFolders(
  input: DepositDiffInput,
  wanted: ReadonlyMap<string, Wanted>,
  problems: ItemProblem[],
): Map<string, DepositFolderFacts> {
  const folders = new Map<string, DepositFolderFacts>();
  for (const f of input.folders ?? []) if (f.path !== '' && !folders.has(f.path)) folders.set(f.path, f);
  // Every ancestor once: a walk up stops at the first folder an earlier walk completed.
  const complete = new Set<string>();
  const ensureAncestors = (path: string) => {
    for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1)) {
      const dir = path.slice(0, at);
      if (complete.has(dir)) return;
      complete.add(dir);
      if (!folders.has(dir)) folders.set(dir, { path: dir, name: dir.slice(dir.lastIndexOf('/') + 1) });
    }
  };
  for (const path of [...folders.keys()]) ensureAncestors(path);
  for (const path of wanted.keys()) ensureAncestors(path);
  for (const [path, w] of wanted) {
    if (folders.has(path))
      problems.push({
        path: w.file.key,
        message: `a file and a folder map to the same id (${quoteForMessage(path)})`,
      });
  }
  for (const path of [...folders.keys()]) if (wanted.has(path)) folders.delete(path);
  return folders;
}

function compareFile(
  file: DepositFileFacts,
  current: GroupBinaryState | undefined,
  item: DiffItem,
  job: DiffImportJob,
  problems: ItemProblem[],
): void {
  if (file.stub !== undefined) {
    if (current === undefined) {
      problems.push({
        path: file.key,
        message:
          'is an export stub for a file the Archival Group does not hold; a stub is never stored as content',
      });
    } else if (file.stub.digest && current.sha256 && file.stub.digest !== current.sha256) {
      problems.push({
        path: file.key,
        message: 'is an export stub for other content than the Archival Group now holds there',
      });
    } else renameIfNeeded(current, item, job);
    return;
  }
  if (file.sha256 === undefined) {
    problems.push({ path: file.key, message: 'has no SHA-256' });
    return;
  }
  if (current !== undefined && current.sha256 === file.sha256) {
    if (current.size !== undefined && file.size !== undefined && current.size !== file.size) {
      problems.push({
        path: file.key,
        message: `its digest is the Archival Group's but its size is not (deposit ${file.size}, group ${current.size} bytes): the digest given for it is stale`,
      });
      return;
    }
    renameIfNeeded(current, item, job);
    return;
  }
  item.origin = file.origin;
  item.digest = file.sha256;
  if (file.size !== undefined) item.size = file.size;
  if (file.contentType !== undefined) item.contentType = file.contentType;
  (current === undefined ? job.binariesToAdd : job.binariesToPatch).push(item);
}

function keepDescribed(
  file: DescribedFileFacts,
  current: GroupBinaryState | undefined,
  item: DiffItem,
  job: DiffImportJob,
  problems: ItemProblem[],
): void {
  if (current === undefined) {
    problems.push({
      path: file.key,
      message: 'is listed in the METS but is neither in the deposit nor in the Archival Group',
    });
  } else if (file.sha256 !== undefined && current.sha256 !== undefined && file.sha256 !== current.sha256) {
    problems.push({
      path: file.key,
      message:
        'the METS gives it new content (another SHA-256 than the Archival Group holds) but the deposit does not hold it',
    });
  } else renameIfNeeded(current, item, job);
}

function renameIfNeeded(current: GroupBinaryState, item: DiffItem, job: DiffImportJob): void {
  if (current.name !== undefined && current.name !== item.name) job.binariesToRename.push(item);
}

const LISTS = [
  'containersToAdd',
  'binariesToAdd',
  'containersToDelete',
  'binariesToDelete',
  'binariesToPatch',
  'containersToRename',
  'binariesToRename',
] as const;

function sortLists(job: DiffImportJob): void {
  for (const list of LISTS) job[list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
