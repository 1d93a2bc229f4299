/**
 * Making written files durable in bulk. An fsync per file forces a journal commit each time:
 * measured here, 5,000 new 4 KiB files took 15.9 s to fsync one after another and 1.75 s sixteen
 * at a time, but 0.12 s with one `syncfs(2)` of their filesystem (PERF-NOTES §5: write a version's
 * files, flush them once, then commit). Node has no binding for syncfs, so on Linux we run GNU
 * coreutils' `sync -f <path>` (which is exactly `syncfs` on that path's filesystem) once per
 * filesystem the files live on; the spawn costs ≈17 ms, so a handful of paths is fsynced directly
 * instead. Where `sync -f` is not available (not Linux, no GNU sync), every file and directory is
 * fsynced, a few at a time.
 *
 * syncfs flushes data and metadata (directory entries included) of the whole filesystem, so one
 * call per device covers every file and every directory that names it.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fsp, lstatSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { IoError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import { fsError } from './fs-paths.js';

/** Below this many paths (files + directories) fsync each one instead of spawning `sync -f`. */
export const BULK_SYNC_THRESHOLD = 16;
/** fsyncs in flight at once when fsyncing path by path (the libuv pool has 4 threads). */
const FSYNC_CONCURRENCY = 16;

/** How `syncFiles` flushes: `auto` (default) picks by count and availability. */
export type SyncStrategy = 'auto' | 'syncfs' | 'fsync';

/** A file to make durable: its store key (for errors) and its path. */
export interface SyncTarget {
  key: string;
  path: string;
}

let syncBinary: string | null | undefined;

/** The GNU `sync` binary that understands `-f`, or null (not Linux, not installed, refused `-f`). */
function findSyncBinary(): string | null {
  if (syncBinary === undefined) {
    syncBinary =
      process.platform === 'linux'
        ? (['/usr/bin/sync', '/bin/sync'].find((p) => existsSync(p)) ?? null)
        : null;
  }
  return syncBinary;
}

/**
 * Make every target file and the directories naming them durable. Throws NotFoundError for a
 * target that is not there (checked with one sync lstat each: a few µs, where an async stat per
 * file would cost a thread-pool round trip), IoError when the flush fails.
 *
 * With `root` (the store's root directory), fsyncing path by path also covers every directory
 * between a file and the root: a write creates missing parent directories (a new object's
 * `ab1/c2d/…/v1/content/`), and their entries in their own parents are durable only once those
 * parents are fsynced too. syncfs covers them anyway.
 */
export async function syncFiles(
  targets: SyncTarget[],
  strategy: SyncStrategy = 'auto',
  root?: string,
): Promise<void> {
  const devices = new Map<number, string>();
  const dirs = new Set<string>();
  for (const { key, path } of targets) {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(path);
    } catch (err) {
      throw fsError(err, 'sync', key);
    }
    const dir = dirname(path);
    dirs.add(dir);
    if (!devices.has(st.dev)) devices.set(st.dev, dir);
  }
  if (targets.length === 0) return;
  const bulk =
    strategy === 'syncfs' || (strategy === 'auto' && targets.length + dirs.size >= BULK_SYNC_THRESHOLD);
  if (bulk && findSyncBinary() !== null) {
    let done = true;
    for (const path of devices.values()) done = (await syncFilesystem(path)) && done;
    if (done) return;
  }
  if (root !== undefined) for (const dir of [...dirs]) addAncestors(dirs, dir, root);
  await fsyncEach([...targets.map((t) => t.path), ...dirs]);
}

/** Add the directories above `dir` up to and including `root` (none when `dir` is not inside it). */
function addAncestors(dirs: Set<string>, dir: string, root: string): void {
  const prefix = root.endsWith(sep) ? root : root + sep;
  if (!dir.startsWith(prefix) && dir !== root) return;
  for (let d = dir; d !== root && d.startsWith(prefix); d = dirname(d)) dirs.add(dirname(d));
}

/**
 * `sync -f path`: true when it ran, false when this `sync` turned out not to know `-f` (then it
 * is not asked again). Throws IoError when syncfs itself reported a failure.
 */
function syncFilesystem(path: string): Promise<boolean> {
  const binary = findSyncBinary();
  if (binary === null) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    execFile(binary, ['-f', path], { encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (!err) return resolve(true);
      if (
        (err as NodeJS.ErrnoException).code === 'ENOENT' ||
        /invalid option|unrecognized option/i.test(stderr)
      ) {
        syncBinary = null;
        return resolve(false);
      }
      const why = truncateForMessage(stderr.trim() || err.message, 300);
      reject(
        new IoError(`flushing the filesystem of ${truncateForMessage(path)} failed: ${why}`, {
          operation: 'sync',
          cause: err,
        }),
      );
    });
  });
}

/** fsync each path (files, then directories), {@link FSYNC_CONCURRENCY} at a time. */
export async function fsyncEach(paths: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++]!;
      await syncPath(path).catch((err) => {
        throw fsError(err, 'sync', path);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(FSYNC_CONCURRENCY, paths.length) }, worker));
}

/** fsync one file or directory by path. Throws the errno error. */
export async function syncPath(path: string): Promise<void> {
  const handle = await fsp.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
