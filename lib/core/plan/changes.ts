/**
 * The changes a transaction asks of one object, and checking them against its resources before
 * anything is written: every offending item is collected and the whole set refused together
 * (DECISIONS: a job is all of it or none of it).
 *
 * Rules (Fedora 6 semantics, FEDORA-OCFL §4.2–4.4):
 * - paths are safe relative paths (lib/core/paths.ts) that do not use Fedora's housekeeping
 *   names (`.fcrepo`, `fcr-container.nt`, `…~fcr-desc.nt`, `…~fcr-acl.nt`, `fcr:…`);
 * - a container or binary is created in a live container (the object root counts), never over
 *   a live resource; a tombstoned path may be used again (a new version of the group);
 * - `putBinary` on a live binary patches it; on a live container it is refused;
 * - `rename` and `delete` need a live resource; the object root is neither renamed nor deleted
 *   here (planVersion deletes it when its delete ends a set of deletes); a deleted container
 *   must be empty when all changes are applied.
 *
 * Pure module.
 */
import type { ItemProblem } from '../errors.js';
import { describePathProblem, pathSafetyProblems } from '../paths.js';
import { type ObjectTree, parentOf } from './object-tree.js';

/** Create a container (a folder) at `path`. */
export interface CreateContainerChange {
  op: 'createContainer';
  path: string;
  /** Original name (any UTF-8); default the last path element. */
  name?: string;
}

/** Add or replace the binary at `path` with the bytes at `source`. */
export interface PutBinaryChange {
  op: 'putBinary';
  path: string;
  /** Where the bytes are: a location URI (`file:///…`, `s3://bucket/key`). */
  source: string;
  /** Expected lowercase hex SHA-256 of the bytes (verified before the version commits). */
  sha256: string;
  size?: number;
  contentType?: string;
  /** Original name (any UTF-8); default the last path element. */
  name?: string;
  /**
   * What must stand at `path` before this change: `absent` (an add: nothing live there) or
   * `present` (a patch: a live binary). Default: either (add or patch).
   */
  expect?: 'absent' | 'present';
}

/** Change the stored name of the resource at `path`. */
export interface RenameChange {
  op: 'rename';
  path: string;
  name: string;
}

/** Delete the resource at `path` (a container only when empty at the end). Leaves a tombstone. */
export interface DeleteChange {
  op: 'delete';
  path: string;
}

/** One requested change. */
export type ObjectChange = CreateContainerChange | PutBinaryChange | RenameChange | DeleteChange;

/** What applying the changes did, by path (each path listed once, in request order). */
export interface AppliedChanges {
  containersAdded: string[];
  binariesAdded: string[];
  binariesPatched: string[];
  /** Binaries and containers deleted. */
  deleted: string[];
  renamed: string[];
  /** The last putBinary for each path, which is the one stored. */
  puts: Map<string, PutBinaryChange>;
  /** New name by path, for created, renamed or put resources that were given one. */
  names: Map<string, string>;
  problems: ItemProblem[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/** What is wrong with `path` as a resource path inside an object, or undefined. */
export function resourcePathProblem(path: string): string | undefined {
  const unsafe = pathSafetyProblems(path);
  if (unsafe.length > 0) return `unsafe path: ${describePathProblem(unsafe[0]!)}`;
  const elements = path.split('/');
  if (elements[0] === '.fcrepo') return 'paths starting with .fcrepo are reserved for Fedora headers';
  for (const el of elements) {
    if (el === 'fcr-container.nt' || el.startsWith('fcr:') || /~fcr-(desc|acl)(\.nt)?$/.test(el)) {
      return `${JSON.stringify(el)} is a name Fedora reserves for its own files`;
    }
  }
  return undefined;
}

/**
 * Apply `changes` in order to `tree` (which is modified: it becomes the new version's tree,
 * with placeholder digests for changed entries). Problems are collected in the result, never
 * thrown.
 */
export function applyChanges(tree: ObjectTree, changes: readonly ObjectChange[]): AppliedChanges {
  const out: AppliedChanges = {
    containersAdded: [],
    binariesAdded: [],
    binariesPatched: [],
    deleted: [],
    renamed: [],
    puts: new Map(),
    names: new Map(),
    problems: [],
  };
  // Membership by Set beside each list: `includes` per change made 100,000 adds quadratic.
  const members = new Map<string[], Set<string>>();
  const setOf = (list: string[]) => {
    let set = members.get(list);
    if (!set) {
      set = new Set(list);
      members.set(list, set);
    }
    return set;
  };
  const note = (list: string[], path: string) => {
    const set = setOf(list);
    if (!set.has(path)) {
      set.add(path);
      list.push(path);
    }
  };
  const undelete = (path: string): boolean => {
    const set = setOf(out.deleted);
    if (!set.has(path)) return false;
    set.delete(path);
    out.deleted.splice(out.deleted.indexOf(path), 1);
    return true;
  };
  const fail = (path: string, message: string) => out.problems.push({ path, message });
  for (const change of changes) {
    const path = change.path;
    if (change.op === 'rename' && path === '') {
      // The object's own root: renamed, never created or deleted here.
      if (typeof change.name !== 'string' || change.name === '') fail('', 'a new name is required');
      else {
        note(out.renamed, '');
        out.names.set('', change.name);
      }
      continue;
    }
    const pathProblem = typeof path === 'string' ? resourcePathProblem(path) : 'not a string';
    if (pathProblem) {
      fail(String(path), pathProblem);
      continue;
    }
    const existing = tree.get(path);
    const live = tree.isLive(path);
    switch (change.op) {
      case 'createContainer': {
        if (live) fail(path, `a ${existing!.kind} already exists here`);
        else if (!parentIsContainer(tree, path)) fail(path, 'its parent is not an existing container');
        else {
          undelete(path);
          tree.set(path, { kind: 'container', headerDigest: '' });
          note(out.containersAdded, path);
          if (change.name !== undefined) out.names.set(path, change.name);
        }
        break;
      }
      case 'putBinary': {
        if (!HEX64.test(change.sha256 ?? '')) fail(path, 'sha256 must be 64 lowercase hex digits');
        else if (live && existing!.kind === 'container') fail(path, 'a container exists here');
        else if (change.expect === 'absent' && live)
          fail(path, 'a binary already exists here (add, not patch)');
        else if (change.expect === 'present' && !live) fail(path, 'no binary exists here to patch');
        else if (!parentIsContainer(tree, path)) fail(path, 'its parent is not an existing container');
        else {
          const wasDeleted = undelete(path);
          if ((live || wasDeleted) && !setOf(out.binariesAdded).has(path)) note(out.binariesPatched, path);
          else note(out.binariesAdded, path);
          tree.set(path, { kind: 'binary', headerDigest: '' });
          out.puts.set(path, change);
          if (change.name !== undefined) out.names.set(path, change.name);
        }
        break;
      }
      case 'rename': {
        if (!live) fail(path, 'nothing exists here to rename');
        else if (typeof change.name !== 'string' || change.name === '') fail(path, 'a new name is required');
        else {
          note(out.renamed, path);
          out.names.set(path, change.name);
        }
        break;
      }
      case 'delete': {
        if (!live) fail(path, 'nothing exists here to delete');
        else {
          tree.set(path, { kind: 'tombstone', headerDigest: '' });
          note(out.deleted, path);
          out.puts.delete(path);
        }
        break;
      }
      default:
        fail(String(path), `unknown change ${JSON.stringify((change as { op?: unknown }).op)}`);
    }
  }
  for (const path of out.deleted) {
    if (tree.isLive(path)) continue; // re-created after the delete
    const left = [...tree.childrenOf(path)];
    if (left.length > 0)
      fail(path, `the container is not empty (${left.length} item(s) left, e.g. ${left[0]})`);
  }
  return out;
}

function parentIsContainer(tree: ObjectTree, path: string): boolean {
  const parent = parentOf(path);
  const entry = tree.get(parent);
  return entry !== undefined && entry.kind === 'container';
}
