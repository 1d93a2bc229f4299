/**
 * Resolving keys to files for readers that open them by path themselves (the hashing workers):
 * the filesystem store's {@link LocalFileResolver}. The checks are the store's own: the key's
 * syntax and lexical containment (`localPath`), temp-file names, and the real path of the key's
 * directory against the real root, so a symbolic link to a folder cannot lead a reader out. The
 * last segment is left for the reader to open with `O_NOFOLLOW`; only a key that turns out to be
 * a link costs a second call ({@link FsLocalFiles.resolveLink}), which follows it and checks where
 * it leads.
 *
 * Directory answers are cached by directory key for the resolver's lifetime (one job): files of
 * one folder arrive in many batches. A folder below an already checked one costs one `lstat`:
 * a real directory there has the parent's real path plus its name, and only a link needs a full
 * `realpath` and a containment check. So even one folder per file (the worst layout) costs one
 * syscall per folder on the main thread.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { NotFoundError, PathEscapeError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import type { LocalFileResolver } from '../port.js';
import { fsError, isInside, isTempName } from './fs-paths.js';

const OUTSIDE = Symbol('outside');
const OPERATION = 'resolveLocalFile';

/** A directory's checked real path, the errno error that stopped it, or "outside the root". */
type DirAnswer = string | typeof OUTSIDE | Error;

/** `name` appended to directory `dir` (which may be the filesystem root). */
function under(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** The filesystem store's resolver; see the module doc. */
export class FsLocalFiles implements LocalFileResolver {
  readonly #root: string;
  readonly #localPath: (key: string) => string;
  /** Directory key ('' = the root) → answer. */
  readonly #dirs = new Map<string, DirAnswer>();

  /** @param root the store root; @param localPath the store's lexical key → path mapping. */
  constructor(root: string, localPath: (key: string) => string) {
    this.#root = root;
    this.#localPath = localPath;
  }

  /** See {@link LocalFileResolver.resolve}. */
  resolve(key: string): string {
    const path = this.#localPath(key); // checks the key; the rest works on the key's own text
    const slash = key.lastIndexOf('/');
    const name = key.slice(slash + 1);
    if (isTempName(name)) {
      throw new NotFoundError(`no file at ${truncateForMessage(key)}`, { operation: OPERATION, key });
    }
    const dirKey = slash < 0 ? '' : key.slice(0, slash);
    if (!this.#dirs.has(dirKey)) this.#check(dirKey, path.slice(0, path.length - name.length - 1));
    return under(this.#answer(dirKey, key), name);
  }

  /** See {@link LocalFileResolver.resolveLink}. */
  resolveLink(key: string): string {
    const path = this.resolve(key);
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch (err) {
      throw fsError(err, OPERATION, key);
    }
    if (!isInside(this.#answer('', key), real)) throw outside(key);
    return real;
  }

  /** The cached answer for `dirKey` as a real path, or the error it stands for (about `key`). */
  #answer(dirKey: string, key: string): string {
    const answer = this.#dirs.get(dirKey)!;
    if (answer === OUTSIDE) throw outside(key);
    if (answer instanceof Error) throw fsError(answer, OPERATION, key);
    return answer;
  }

  /** Answer `dirKey` (at `dir`) and every unanswered folder above it, from the top down. */
  #check(dirKey: string, dir: string): void {
    const chain: Array<[string, string]> = [];
    let k = dirKey;
    let p = dir;
    while (k !== '' && !this.#dirs.has(k)) {
      chain.push([k, p]);
      const slash = k.lastIndexOf('/');
      k = slash < 0 ? '' : k.slice(0, slash);
      p = p.slice(0, p.lastIndexOf(sep)) || sep;
    }
    if (k === '' && !this.#dirs.has('')) this.#dirs.set('', this.#realRoot());
    let parent = this.#dirs.get(k)!;
    for (let i = chain.length - 1; i >= 0; i--) {
      const [childKey, childPath] = chain[i]!;
      parent = typeof parent === 'string' ? this.#child(parent, childPath, childKey) : parent;
      this.#dirs.set(childKey, parent);
    }
  }

  #realRoot(): DirAnswer {
    try {
      return realpathSync.native(this.#root);
    } catch (err) {
      return err as Error;
    }
  }

  /** The answer for folder `path` (key `dirKey`) whose parent's real path is `realParent`. */
  #child(realParent: string, path: string, dirKey: string): DirAnswer {
    try {
      const st = lstatSync(path);
      if (st.isDirectory()) return under(realParent, dirKey.slice(dirKey.lastIndexOf('/') + 1));
      if (!st.isSymbolicLink()) return Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      const real = realpathSync.native(path);
      const realRoot = this.#dirs.get('');
      return typeof realRoot === 'string' && isInside(realRoot, real) ? real : OUTSIDE;
    } catch (err) {
      return err as Error;
    }
  }
}

function outside(key: string): PathEscapeError {
  return new PathEscapeError(`${truncateForMessage(key)} resolves outside the storage root`, {
    operation: OPERATION,
    key,
  });
}
