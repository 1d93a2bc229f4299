/**
 * Checks before LMDB sees a cache directory. Left to itself, `lmdb`'s `open()` does things a
 * caller cannot recover from:
 * - it creates a missing directory with `mkdirSync(path, { recursive: true })`, which loops
 *   forever at full CPU where `mkdir` answers ENOENT although the parent exists (any path
 *   below `/proc`), so the process never returns;
 * - it treats a path with an extension (`cache.db`) as a single data file instead of a
 *   directory, and an existing regular file, FIFO or device there is memory-mapped as if it were
 *   a database;
 * - a `data.mdb` that is not an LMDB file (junk, a truncated copy, a FIFO) crashes the whole
 *   process with SIGSEGV inside the native module.
 *
 * So the directory is created here one level at a time (bounded by the path's depth), and an
 * existing `data.mdb`/`lock.mdb` must be a regular file, and `data.mdb` must start with two LMDB
 * meta pages. Beyond that header the files are trusted: a cache directory belongs to its
 * operator, not to depositors.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IoError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';

/** LMDB's meta-page magic, little-endian in the file. */
const LMDB_MAGIC = 0xbeefc0de;
/** Where the magic sits: after a 16-byte page header (LMDB 0.9) or 24 (lmdb-js's 0.9.90 fork). */
const MAGIC_OFFSETS = [24, 16];

function fail(path: string, why: string, cause?: unknown, what = 'LMDB cache'): IoError {
  return new IoError(`cannot open ${what} at ${quoteForMessage(path)}: ${why}`, {
    operation: 'open',
    key: path,
    ...(cause !== undefined && { cause }),
  });
}

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
}

/**
 * Make `path` an existing, writable directory fit for LMDB, creating missing levels. Throws
 * IoError (never hangs) when a level is not a directory, cannot be created or is not writable,
 * or when the LMDB files there are not LMDB files. `what` names the store in messages (default
 * `LMDB cache`).
 */
export function prepareLmdbDirectory(path: string, what = 'LMDB cache'): void {
  const dir = resolve(path);
  const missing: string[] = [];
  for (let p = dir; ; p = dirname(p)) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(p, { throwIfNoEntry: false });
    } catch (err) {
      // ENOTDIR: a level above is a file; the walk up finds it and says so.
      if (errnoOf(err) !== 'ENOTDIR')
        throw fail(path, `cannot inspect ${quoteForMessage(p)} (${errnoOf(err)})`, err, what);
      stat = undefined;
    }
    if (stat?.isDirectory()) break;
    if (stat) throw fail(path, `${quoteForMessage(p)} exists and is not a directory`, undefined, what);
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST' || !statSync(level).isDirectory()) {
        throw fail(path, `cannot create ${quoteForMessage(level)} (${errnoOf(err)})`, err, what);
      }
    }
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (err) {
    throw fail(path, `the directory is not writable (${errnoOf(err)})`, err, what);
  }
  checkLmdbFile(path, join(dir, 'lock.mdb'), false, what);
  checkLmdbFile(path, join(dir, 'data.mdb'), true, what);
}

/** An existing LMDB file must be a regular file; `data.mdb` must also start with its meta pages. */
function checkLmdbFile(path: string, file: string, isData: boolean, what: string): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return;
  const name = isData ? 'data.mdb' : 'lock.mdb';
  if (!stat.isFile()) throw fail(path, `${name} is not a regular file`, undefined, what);
  if (!isData || stat.size === 0) return; // an empty data file is initialised by LMDB
  const head = Buffer.alloc(64);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, head, 0, head.length, 0);
  } catch (err) {
    throw fail(path, `cannot read data.mdb (${errnoOf(err)})`, err, what);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const at = MAGIC_OFFSETS.find((o) => head.readUInt32LE(o) === LMDB_MAGIC);
  if (at === undefined) throw fail(path, 'data.mdb is not an LMDB database', undefined, what);
  // The first database record of the meta page holds the page size; both meta pages must exist.
  const pageSize = head.readUInt32LE(at + 24);
  const plausible = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  if (!plausible || stat.size < 2 * pageSize)
    throw fail(path, 'data.mdb is truncated or damaged', undefined, what);
}
