/**
 * Assembling the WorkingDirectory tree from a flat list of files and directory paths. Children
 * are sorted by path (code-unit order) so the same deposit always gives the same JSON.
 */
import type { WorkingDirectory, WorkingFile } from '../model.js';
import { dirnameOf } from './align.js';

/** A directory with nothing known about it yet. */
export function emptyDirectory(localPath: string): WorkingDirectory {
  return {
    type: 'WorkingDirectory',
    localPath,
    name: null,
    modified: null,
    metadata: [],
    accessRestrictions: [],
    rightsStatement: null,
    files: [],
    directories: [],
  };
}

/** Every directory path implied by the files and given directories, including '' (the root). */
export function allDirectoryPaths(filePaths: Iterable<string>, directories: Iterable<string>): Set<string> {
  const out = new Set<string>(['']);
  const addWithAncestors = (dir: string) => {
    for (let d = dir; d !== '' && !out.has(d); d = dirnameOf(d)) out.add(d);
  };
  for (const f of filePaths) addWithAncestors(dirnameOf(f));
  for (const d of directories) addWithAncestors(d);
  return out;
}

function byPath(a: { localPath: string }, b: { localPath: string }): number {
  return a.localPath < b.localPath ? -1 : a.localPath > b.localPath ? 1 : 0;
}

/**
 * Link files and directories into a tree. `directories` must hold every directory path (see
 * {@link allDirectoryPaths}), including the root ''. Returns the root.
 */
export function linkTree(
  files: readonly WorkingFile[],
  directories: Map<string, WorkingDirectory>,
): WorkingDirectory {
  const root = directories.get('') ?? emptyDirectory('');
  directories.set('', root);
  for (const dir of [...directories.values()].sort(byPath)) {
    if (dir.localPath === '') continue;
    directories.get(dirnameOf(dir.localPath))!.directories.push(dir);
  }
  for (const f of [...files].sort(byPath)) directories.get(dirnameOf(f.localPath))!.files.push(f);
  return root;
}
