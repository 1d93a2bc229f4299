/**
 * Mapping keys to paths under a filesystem root, and keeping them there. Keys are checked
 * lexically (see assertKey: no `..`, no empty segments), and before anything touches the disk the
 * real path of the nearest existing ancestor is checked against the real root, so a symbolic
 * link inside the root cannot redirect a write (or read) elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import {
  AccessDeniedError,
  IoError,
  NotFoundError,
  PathEscapeError,
  StrongroomError,
} from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';

/** Name prefix of in-flight temp files; listings and reads never show such names. */
export const TEMP_PREFIX = '.strongroom-tmp-';

/** True for a directory entry name that is one of our temp files. */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** A fresh temp path beside `path` (same directory, so rename/link stay on one filesystem). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
}

/** True when `path` equals `root` or lies below it. */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Throw PathEscapeError unless the real location of `path` (or of its nearest existing
 * ancestor, for paths not yet created) lies inside `realRoot`.
 */
export async function assertRealInside(realRoot: string, path: string, key: string): Promise<void> {
  let probe = path;
  for (;;) {
    try {
      const real = await fsp.realpath(probe);
      if (!isInside(realRoot, real)) {
        throw new PathEscapeError(`${key} resolves outside the storage root`, { key });
      }
      return;
    } catch (err) {
      if (!isErrno(err, 'ENOENT') && !isErrno(err, 'ENOTDIR')) throw err;
      const up = dirname(probe);
      if (up === probe) return;
      probe = up;
    }
  }
}

/** True when `err` is a Node system error with this errno code. */
export function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === code;
}

/**
 * Translate a filesystem error into our taxonomy: missing (ENOENT, ENOTDIR, EISDIR when a file
 * was expected) → NotFoundError; no permission (EACCES, EPERM) → AccessDeniedError; our own
 * errors pass through; every other errno → IoError.
 */
export function fsError(err: unknown, operation: string, key: string): unknown {
  if (err instanceof StrongroomError) return err;
  if (err instanceof Error && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const code = (err as NodeJS.ErrnoException).code!;
    const shown = truncateForMessage(key);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      return new NotFoundError(`no file at ${shown}`, { operation, key, cause: err });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return new AccessDeniedError(`${operation} ${shown}: permission denied (${code})`, {
        operation,
        key,
        cause: err,
      });
    }
    if (/^E[A-Z]+$/.test(code)) {
      return new IoError(`${operation} ${shown}: ${code}`, { operation, key, cause: err });
    }
  }
  return err;
}
