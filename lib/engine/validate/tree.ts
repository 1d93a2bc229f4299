/**
 * Listing helpers for the validators: the direct children of a directory, and every file (plus
 * empty directories and links) below one.
 *
 * Paths returned are relative to the directory asked about, `/`-joined.
 *
 * Empty directories exist only on the filesystem backend (`kind: 'file'`), whose delimiter
 * listing reports them as prefixes; S3 and the memory store have no directories at all, so for
 * them one recursive listing (one paged LIST on S3, instead of one LIST per directory) gives the
 * same answer at a fraction of the cost.
 */
import type { ListEntry, OtherEntryType, ReadableStore } from '../../storage/port.js';
import { joinKey } from '../../storage/port.js';
import { mapLimit } from '../concurrency.js';

/** A file found by a listing. `path` is relative to the directory listed. */
export interface TreeFile {
  path: string;
  size: number;
  /** True when the store reports a symbolic link (filesystem backend). */
  symlink: boolean;
  /** Set for an entry that is not a readable file (FIFO, device, undecodable name): never read it. */
  special?: OtherEntryType;
}

/** Direct children of one directory. */
export interface Children {
  files: Map<string, TreeFile>;
  dirs: Set<string>;
}

/** List the direct children of `dir` ('' = store root). */
export async function listChildren(
  store: ReadableStore,
  dir: string,
  signal?: AbortSignal,
): Promise<Children> {
  const files = new Map<string, TreeFile>();
  const dirs = new Set<string>();
  const cut = dir === '' ? 0 : dir.length + 1;
  for await (const entry of store.list(dir, { delimiter: true, ...(signal && { signal }) })) {
    const name = entry.key.slice(cut);
    if (entry.kind === 'prefix') dirs.add(name);
    else files.set(name, toTreeFile(entry, name));
  }
  return { files, dirs };
}

/** Everything below one directory. */
export interface Tree {
  files: TreeFile[];
  /** Directories with nothing below them (filesystem only), relative paths. */
  emptyDirs: string[];
}

/** List every file below `dir` and, where the store has directories, the empty ones. */
export async function listTree(store: ReadableStore, dir: string, signal?: AbortSignal): Promise<Tree> {
  if (store.kind !== 'file') {
    const files: TreeFile[] = [];
    const cut = dir === '' ? 0 : dir.length + 1;
    for await (const entry of store.list(dir, { delimiter: false, ...(signal && { signal }) })) {
      if (entry.kind !== 'prefix') files.push(toTreeFile(entry, entry.key.slice(cut)));
    }
    return { files, emptyDirs: [] };
  }
  const tree: Tree = { files: [], emptyDirs: [] };
  await walk(store, dir, '', tree, signal);
  return tree;
}

async function walk(store: ReadableStore, root: string, rel: string, tree: Tree, signal?: AbortSignal) {
  const children = await listChildren(store, joinKey(root, rel), signal);
  if (children.files.size === 0 && children.dirs.size === 0 && rel !== '') tree.emptyDirs.push(rel);
  for (const f of children.files.values()) tree.files.push({ ...f, path: joinKey(rel, f.path) });
  await mapLimit([...children.dirs], 4, (d) => walk(store, root, joinKey(rel, d), tree, signal));
}

function toTreeFile(entry: Exclude<ListEntry, { kind: 'prefix' }>, path: string): TreeFile {
  if (entry.kind === 'other') return { path, size: 0, symlink: false, special: entry.type };
  return { path, size: entry.size, symlink: entry.symlink === true };
}
