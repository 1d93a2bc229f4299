/**
 * The Preservation API's ImportJob, and turning one into the changes of one transaction
 * (DECISIONS "Import jobs"): every id must lie inside the job's Archival Group and use the
 * permitted character set; what cannot be applied is collected item by item and the whole job
 * refused together. Order: containers to add (shallow first), binaries to add, binaries to patch,
 * renames, binaries to delete, containers to delete (deep first) — so a job that empties a
 * container and deletes it in one go is accepted.
 *
 * Pure module.
 */
import { type ItemProblem, UnprocessableError } from './errors.js';
import type { ObjectChange } from './plan/changes.js';
import { idToResourcePath, resourcePathToIdPath } from './resource-ids.js';

/** A Container or Binary as an ImportJob lists it. */
export interface ImportJobItem {
  /** The resource's id (a URI under the repository base). */
  id: string;
  /** Original name (any UTF-8). */
  name?: string;
  /** Where the bytes are (binaries to add or patch): a location URI in the deposit. */
  origin?: string;
  /** Lowercase hex SHA-256 (binaries). */
  digest?: string;
  contentType?: string;
  size?: number;
}

/** A version as the API shows it, or just its name. */
export type VersionRef = string | { ocflVersion: string };

/** An ImportJob (properties already matched to these names, whatever their case on the wire). */
export interface ImportJob {
  id?: string;
  type?: 'ImportJob';
  originalId?: string;
  deposit?: string;
  /** The group's id. */
  archivalGroup: string;
  archivalGroupName?: string;
  /** True when the group exists and is being updated; must match reality when given. */
  isUpdate?: boolean;
  source?: string;
  /** The head the job was built on; checked at execution (absent: the head then). */
  sourceVersion?: VersionRef | null;
  containersToAdd: ImportJobItem[];
  binariesToAdd: ImportJobItem[];
  binariesToPatch: ImportJobItem[];
  binariesToDelete: ImportJobItem[];
  containersToDelete: ImportJobItem[];
  containersToRename: ImportJobItem[];
  binariesToRename: ImportJobItem[];
}

/** The lists of an ImportJob, in the order they are applied. */
export const IMPORT_JOB_LISTS = [
  'containersToAdd',
  'binariesToAdd',
  'binariesToPatch',
  'containersToRename',
  'binariesToRename',
  'binariesToDelete',
  'containersToDelete',
] as const;

/** A job turned into changes. */
export interface JobChanges {
  /** Repository path of the group. */
  groupPath: string;
  changes: ObjectChange[];
  /** `vN` from `sourceVersion`, null for "must not exist", undefined for "whatever the head is". */
  expectedHead?: string | null;
  /** Each applied change's item, by list, with its resource path inside the group. */
  items: Array<{ list: (typeof IMPORT_JOB_LISTS)[number]; item: ImportJobItem; path: string }>;
}

/** The `vN` a version reference names, or undefined. */
export function versionName(ref: VersionRef | null | undefined): string | undefined {
  if (ref === null || ref === undefined) return undefined;
  return typeof ref === 'string' ? ref : ref.ocflVersion;
}

/**
 * `job` with its ids moved from the base URL they were written under to `repositoryBase` (ending
 * in `/`). Records keep a job as submitted, with absolute ids, but a server's public base URL may
 * change between submission and execution (a restart on another port or host): the job must still
 * name the same resources. The old base is what precedes the group's id path (of `groupPath`) in
 * `job.archivalGroup`; ids under another base are kept as they are (and refused as outside the
 * group when the job runs). Returns `job` itself when nothing moves.
 */
export function rebaseImportJob(job: ImportJob, groupPath: string, repositoryBase: string): ImportJob {
  const group = String(job.archivalGroup ?? '').replace(/\/+$/, '');
  const idPath = resourcePathToIdPath(groupPath);
  if (idPath === '' || !group.endsWith(idPath)) return job;
  const oldBase = group.slice(0, group.length - idPath.length);
  if (oldBase === repositoryBase || !oldBase.endsWith('/')) return job;
  const move = (id: string) => (id.startsWith(oldBase) ? `${repositoryBase}${id.slice(oldBase.length)}` : id);
  const out: ImportJob = { ...job, archivalGroup: move(job.archivalGroup) };
  for (const list of IMPORT_JOB_LISTS) {
    out[list] = (job[list] ?? []).map((item) =>
      typeof item?.id === 'string' ? { ...item, id: move(item.id) } : item,
    );
  }
  return out;
}

/**
 * The changes of `job` (ids under `repositoryBase`, e.g. `https://host/repository/`). Every
 * binary to add or patch needs an origin and a digest (the caller fills digests it can find
 * first). Throws UnprocessableError listing each offending item.
 */
export function importJobChanges(job: ImportJob, repositoryBase: string): JobChanges {
  const problems: ItemProblem[] = [];
  let groupPath = '';
  try {
    groupPath = idToResourcePath(repositoryBase, job.archivalGroup);
    if (groupPath === '')
      problems.push({ path: job.archivalGroup, message: 'the repository root is not an Archival Group' });
  } catch (err) {
    problems.push({ path: String(job.archivalGroup), message: (err as Error).message });
  }
  const groupBase = `${repositoryBase}${job.archivalGroup.slice(repositoryBase.length).replace(/\/+$/, '')}/`;
  const out: JobChanges = { groupPath, changes: [], items: [] };
  const seen = new Map<string, string>();
  for (const list of IMPORT_JOB_LISTS) {
    const items = [...(job[list] ?? [])];
    if (list === 'containersToAdd') items.sort((a, b) => depth(a.id) - depth(b.id));
    if (list === 'containersToDelete') items.sort((a, b) => depth(b.id) - depth(a.id));
    for (const item of items) {
      const path = itemPath(item, groupBase, problems);
      if (path === undefined) continue;
      const change = changeFor(list, item, path, problems);
      if (!change) continue;
      const key = `${change.op}:${path}`;
      if (seen.has(key)) {
        problems.push({ path: item.id, message: `listed twice (also in ${seen.get(key)})` });
        continue;
      }
      seen.set(key, list);
      out.changes.push(change);
      out.items.push({ list, item, path });
    }
  }
  if (problems.length > 0) {
    throw new UnprocessableError(`${problems.length} item(s) of the import job cannot be applied`, problems);
  }
  if (job.sourceVersion !== undefined) {
    out.expectedHead = job.sourceVersion === null ? null : (versionName(job.sourceVersion) ?? null);
  }
  return out;
}

function depth(id: string): number {
  return String(id).split('/').length;
}

function itemPath(item: ImportJobItem, groupBase: string, problems: ItemProblem[]): string | undefined {
  if (typeof item?.id !== 'string') {
    problems.push({ path: String(item?.id), message: 'an item without an id' });
    return undefined;
  }
  if (!item.id.startsWith(groupBase)) {
    problems.push({ path: item.id, message: 'not inside the Archival Group' });
    return undefined;
  }
  try {
    return idToResourcePath(groupBase, item.id);
  } catch (err) {
    problems.push({ path: item.id, message: (err as Error).message });
    return undefined;
  }
}

function changeFor(
  list: (typeof IMPORT_JOB_LISTS)[number],
  item: ImportJobItem,
  path: string,
  problems: ItemProblem[],
): ObjectChange | undefined {
  const name = typeof item.name === 'string' && item.name !== '' ? item.name : undefined;
  switch (list) {
    case 'containersToAdd':
      return { op: 'createContainer', path, ...(name !== undefined && { name }) };
    case 'binariesToAdd':
    case 'binariesToPatch': {
      if (typeof item.origin !== 'string' || item.origin === '') {
        problems.push({ path: item.id, message: 'an origin (where the bytes are) is required' });
        return undefined;
      }
      if (typeof item.digest !== 'string' || !/^[0-9a-fA-F]{64}$/.test(item.digest)) {
        problems.push({ path: item.id, message: 'a SHA-256 digest is required' });
        return undefined;
      }
      return {
        op: 'putBinary',
        path,
        source: item.origin,
        sha256: item.digest.toLowerCase(),
        expect: list === 'binariesToAdd' ? 'absent' : 'present',
        ...(typeof item.size === 'number' && { size: item.size }),
        ...(typeof item.contentType === 'string' && { contentType: item.contentType }),
        ...(name !== undefined && { name }),
      };
    }
    case 'containersToRename':
    case 'binariesToRename':
      if (name === undefined) {
        problems.push({ path: item.id, message: 'a new name is required' });
        return undefined;
      }
      return { op: 'rename', path, name };
    case 'binariesToDelete':
    case 'containersToDelete':
      return { op: 'delete', path };
  }
}
