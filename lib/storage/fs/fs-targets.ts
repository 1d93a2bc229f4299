/**
 * New local files for trusted writers (the transaction module's copy workers): the filesystem
 * store's {@link LocalTargetResolver}. Each key's directory is created once per job, after the
 * real path of its nearest existing ancestor was checked to lie inside the real root (so a link
 * planted in the tree cannot make us create folders elsewhere), and the final path is then taken
 * from the store's read-side resolver, which checks the created directory's real path again.
 * The writer creates the temp file with O_EXCL and renames it over the final path: nothing is
 * visible before the rename, as with the store's own writes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidInputError, PathEscapeError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import type { LocalTarget, LocalTargetResolver } from '../transfer.js';
import type { FsLocalFiles } from './fs-local.js';
import { fsError, isErrno, isInside, isTempName, TEMP_PREFIX } from './fs-paths.js';

const OPERATION = 'localTarget';

/** See the module doc. */
export class FsLocalTargets implements LocalTargetResolver {
  readonly #root: string;
  readonly #files: FsLocalFiles;
  readonly #localPath: (key: string) => string;
  /** Directories (paths) created and checked in this job. */
  readonly #made = new Set<string>();
  #realRoot?: string;
  /**
   * Temp names: one random part per job and a counter (a `randomBytes` call per file cost
   * ≈25 µs under load, 0.5 s for 20,000 files). The writer creates them with O_EXCL, so a clash
   * with anything fails instead of overwriting.
   */
  readonly #nonce = randomBytes(6).toString('hex');
  #count = 0;

  constructor(root: string, files: FsLocalFiles, localPath: (key: string) => string) {
    this.#root = root;
    this.#files = files;
    this.#localPath = localPath;
  }

  /** See {@link LocalTargetResolver.prepare}. */
  prepare(key: string): LocalTarget {
    const lexical = this.#localPath(key);
    if (isTempName(key.slice(key.lastIndexOf('/') + 1))) {
      throw new InvalidInputError(`keys may not use the temp-file name prefix: ${truncateForMessage(key)}`, {
        operation: OPERATION,
        key,
      });
    }
    const dir = dirname(lexical);
    if (!this.#made.has(dir)) {
      this.#checkAncestor(dir, key);
      try {
        mkdirSync(dir, { recursive: true });
      } catch (err) {
        throw fsError(err, OPERATION, key);
      }
      this.#made.add(dir);
    }
    const path = this.#files.resolve(key);
    return {
      path,
      temp: join(dirname(path), `${TEMP_PREFIX}${this.#nonce}-${(this.#count++).toString(36)}`),
    };
  }

  /** PathEscapeError unless the nearest existing ancestor of `dir` is really inside the root. */
  #checkAncestor(dir: string, key: string): void {
    try {
      mkdirSync(this.#root, { recursive: true });
      this.#realRoot ??= realpathSync.native(this.#root);
    } catch (err) {
      throw fsError(err, OPERATION, key);
    }
    for (let probe = dir; ; probe = dirname(probe)) {
      try {
        const real = realpathSync.native(probe);
        if (!isInside(this.#realRoot, real)) {
          throw new PathEscapeError(`${truncateForMessage(key)} resolves outside the storage root`, {
            operation: OPERATION,
            key,
          });
        }
        return;
      } catch (err) {
        if (!isErrno(err, 'ENOENT') && !isErrno(err, 'ENOTDIR')) throw fsError(err, OPERATION, key);
        if (dirname(probe) === probe) return;
      }
    }
  }
}
