/**
 * The filesystem store's write steps, apart from the store's key handling: streaming a body into
 * a temp file, committing it under the write's conditions, moving a file, comparing etags and
 * pruning emptied directories. Every step that makes something visible is one `link(2)` or
 * `rename(2)`, so readers never see half a file.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AlreadyExistsError, PreconditionFailedError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import type { WriteOptions } from '../port.js';
import { isErrno, isInside, tempPathFor } from './fs-paths.js';
import { syncPath } from './fs-sync.js';
import { fsEtag } from './fs-walk.js';

/** Stream `body` into the new file `temp`, hashing as it goes; fsync it when `durable`. */
export async function writeTemp(
  temp: string,
  body: Readable | Buffer | string,
  durable: boolean,
  signal?: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const source =
    typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(source, counter, createWriteStream(temp, { flags: 'wx' }), signal ? { signal } : {});
  if (durable) await syncPath(temp);
  return { size, sha256: hash.digest('hex') };
}

/**
 * Move the finished `temp` to `path` under the write's conditions: `ifNoneMatch` links it (EEXIST
 * → AlreadyExistsError, atomically), `ifMatch` compares the etag and then renames (two steps).
 */
export async function commitTemp(
  temp: string,
  path: string,
  key: string,
  options: Pick<WriteOptions, 'ifNoneMatch' | 'ifMatch'>,
  operation: string,
  durable: boolean,
): Promise<void> {
  if (options.ifNoneMatch) {
    try {
      await fsp.link(temp, path);
    } catch (err) {
      if (isErrno(err, 'EEXIST')) throw alreadyExists(key, operation);
      throw err;
    }
    await fsp.unlink(temp);
  } else {
    if (options.ifMatch !== undefined) await checkEtag(path, key, options.ifMatch, operation);
    await fsp.rename(temp, path);
  }
  if (durable) await syncPath(dirname(path));
}

/**
 * Move the regular file `from` to `to`. Plain: one `rename(2)` (replaces `to`; of racing moves
 * of one source exactly one finds it). With `ifNoneMatch`: the source is first renamed to a temp
 * name beside it (so exactly one racer holds it), then linked to `to` (EEXIST → the source is
 * put back and AlreadyExistsError thrown), then the temp name removed.
 */
export async function moveFile(
  from: string,
  to: string,
  toKey: string,
  ifNoneMatch: boolean,
  durable: boolean,
): Promise<void> {
  if (!ifNoneMatch) {
    await fsp.rename(from, to);
  } else {
    const held = tempPathFor(from);
    await fsp.rename(from, held);
    try {
      await fsp.link(held, to);
    } catch (err) {
      // Put the source back; if someone wrote a new one meanwhile, theirs is the later write and stays.
      await fsp.link(held, from).catch(() => {});
      await fsp.unlink(held);
      if (isErrno(err, 'EEXIST')) throw alreadyExists(toKey, 'rename');
      throw err;
    }
    await fsp.unlink(held);
  }
  if (durable) {
    await syncPath(dirname(to));
    await syncPath(dirname(from));
  }
}

/** Throw PreconditionFailedError unless a regular file with etag `expected` is at `path`. */
export async function checkEtag(
  path: string,
  key: string,
  expected: string,
  operation: string,
): Promise<void> {
  const st = await fsp.stat(path).catch(() => undefined);
  if (!st?.isFile() || fsEtag(st) !== expected) {
    throw new PreconditionFailedError(
      `${truncateForMessage(key)} does not have etag ${truncateForMessage(expected, 80)}`,
      { operation, key },
    );
  }
}

/**
 * Remove now-empty directories from `dir` up to (not including) `root`. Returns the first
 * directory that stays (the one whose entry list changed last, to fsync for durability).
 */
export async function pruneEmpty(root: string, dir: string): Promise<string> {
  while (dir !== root && isInside(root, dir)) {
    try {
      await fsp.rmdir(dir);
    } catch {
      return dir; // not empty, already gone or not ours to remove: stop pruning
    }
    dir = dirname(dir);
  }
  return dir;
}

function alreadyExists(key: string, operation: string): AlreadyExistsError {
  return new AlreadyExistsError(`${truncateForMessage(key)} already exists`, { operation, key });
}
