/**
 * Hashing files on this machine's disk, the way the workers do it: small files with sync
 * open/fstat/read/close into one reused buffer (a sync call in a worker costs ~1 µs; an async
 * one on the main thread ≈30 µs), large files with 1 MiB reads, the next one in flight while the
 * current one is hashed.
 *
 * Containment is the store's job, not ours: paths arrive already resolved and checked by the
 * store's LocalFileResolver (storage port), on the condition that the last segment is opened
 * without following a link. So every open here is O_NOFOLLOW: a link gives ELOOP, reported as a
 * `link` outcome for the resolver to judge. O_NONBLOCK keeps a FIFO from blocking the open; fstat
 * then rejects anything not a regular file.
 */
import { closeSync, constants, fstatSync, openSync, read, readSync } from 'node:fs';
import { createDigester, type Digester } from './digesters.js';
import {
  type AbortFlag,
  abortRequested,
  type BatchOutcome,
  type BatchTask,
  type FileOutcome,
  type FileTask,
  type FileTaskOutcome,
  type ReadBatchOutcome,
  type ReadBatchTask,
  type ReadOutcome,
} from './tasks.js';

const MiB = 1 << 20;
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/** An error with an errno-like `code`, as workers report them. */
function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * A read-only fd for the regular file at `path` (opened without following a final link, see the
 * module doc). Throws errno errors (ELOOP for a link), NOT_FILE for anything but a regular file.
 */
export function openLocalFile(path: string): { fd: number; size: number } {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw codedError('NOT_FILE', `not a regular file: ${path}`);
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Keeps one digester per algorithm list, reset between files (BLAKE2b instances are costly). */
export class DigesterCache {
  readonly #byList = new Map<string, Digester>();

  /** A reset digester for `algorithms`. Rejects with UnsupportedError. */
  async get(algorithms: readonly string[]): Promise<Digester> {
    const key = algorithms.join('\n');
    let d = this.#byList.get(key);
    if (!d) {
      d = await createDigester(algorithms);
      this.#byList.set(key, d);
    }
    return d.reset();
  }
}

/** Read `fd` to its end into `digester` with sync reads through `buffer`. Returns bytes read. */
export function hashFdSync(fd: number, digester: Digester, buffer: Buffer): number {
  let size = 0;
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, null);
    if (n === 0) return size;
    digester.update(n === buffer.length ? buffer : buffer.subarray(0, n));
    size += n;
  }
}

/** A failed outcome from whatever was thrown. */
export function failedOutcome(err: unknown): FileOutcome {
  const code = (err as { code?: unknown }).code;
  return {
    status: 'failed',
    code: typeof code === 'string' ? code : 'EIO',
    message: err instanceof Error ? err.message : String(err),
  };
}

/**
 * Hash a batch of small files (see {@link BatchTask}). Stops early, leaving the rest
 * unattempted, when the abort flag is set or the byte budget is spent (never before the first).
 */
export async function hashBatch(
  task: BatchTask,
  cache = new DigesterCache(),
  buffer = Buffer.allocUnsafe(MiB),
): Promise<BatchOutcome> {
  const outcomes: FileOutcome[] = [];
  let spent = 0;
  for (let i = 0; i < task.paths.length; i++) {
    if (abortRequested(task.abort)) return { outcomes, aborted: true };
    if (i > 0 && spent >= task.budgetBytes) break;
    const digester = await cache.get(task.algorithmSets[task.sets[i]!]!);
    const outcome = hashSmallFile(task.paths[i]!, digester, buffer, task.largeBytes);
    if (outcome.status === 'done') spent += outcome.size;
    outcomes.push(outcome);
  }
  return { outcomes, aborted: false };
}

function hashSmallFile(path: string, digester: Digester, buffer: Buffer, largeBytes: number): FileOutcome {
  let fd: number | undefined;
  try {
    const opened = openLocalFile(path);
    fd = opened.fd;
    if (opened.size > largeBytes) return { status: 'large', size: opened.size };
    const size = hashFdSync(fd, digester, buffer);
    return { status: 'done', size, digests: digester.digest() };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') return { status: 'link' };
    return failedOutcome(err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readAt(fd: number, buffer: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, buffer.length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/**
 * Hash one (large) file with `chunkBytes` reads, two buffers alternating so the kernel copies
 * the next chunk while this thread hashes the current one. Stops at a chunk boundary when the
 * abort flag is set (outcome undefined, `aborted` true).
 */
export async function hashLargeFile(task: FileTask, cache = new DigesterCache()): Promise<FileTaskOutcome> {
  const digester = await cache.get(task.algorithms);
  let fd: number;
  try {
    fd = openLocalFile(task.path).fd;
  } catch (err) {
    return { outcome: failedOutcome(err), aborted: false };
  }
  try {
    const aborted = await pumpDoubleBuffered(fd, digester, task.chunkBytes ?? MiB, task.abort);
    if (aborted) return { aborted: true };
    return { outcome: { status: 'done', size: digester.size, digests: digester.digest() }, aborted: false };
  } catch (err) {
    return { outcome: failedOutcome(err), aborted: false };
  } finally {
    closeSync(fd);
  }
}

/** Feed the whole of `fd` to `digester`; true when stopped by the abort flag. */
async function pumpDoubleBuffered(
  fd: number,
  digester: Digester,
  chunkBytes: number,
  abort: AbortFlag | undefined,
): Promise<boolean> {
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  let position = 0;
  let current = 0;
  let pending = readAt(fd, buffers[0]!, 0);
  for (;;) {
    const n = await pending;
    if (n === 0) return false;
    if (abortRequested(abort)) return true;
    position += n;
    const next = 1 - current;
    pending = readAt(fd, buffers[next]!, position);
    try {
      digester.update(buffers[current]!.subarray(0, n));
    } catch (err) {
      await pending.catch(() => {}); // never close the fd under a read still in flight
      throw err;
    }
    current = next;
  }
}

/** Read a batch of small files whole (see {@link ReadBatchTask}); never throws. */
export function readBatch(task: ReadBatchTask): ReadBatchOutcome {
  const results: ReadOutcome[] = [];
  for (const path of task.files) {
    let opened: { fd: number; size: number };
    try {
      opened = openLocalFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      results.push(
        code === 'ELOOP' ? { status: 'link' } : { status: 'failed', code, message: (err as Error).message },
      );
      continue;
    }
    try {
      if (opened.size > task.maxBytes) {
        results.push({ status: 'large', size: opened.size });
        continue;
      }
      // One byte more than fstat said, so a file that grew since is noticed (and read by the store).
      // Its own ArrayBuffer (not the shared pool of allocUnsafe): the whole buffer is what is
      // copied back to the main thread.
      const bytes = new Uint8Array(opened.size + 1);
      let filled = 0;
      for (;;) {
        const n = readSync(opened.fd, bytes, filled, bytes.length - filled, null);
        if (n === 0) break;
        filled += n;
        if (filled === bytes.length) break;
      }
      results.push(
        filled > opened.size
          ? { status: 'large', size: filled }
          : { status: 'ok', bytes: bytes.subarray(0, filled) },
      );
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      results.push({ status: 'failed', code, message: (err as Error).message });
    } finally {
      closeSync(opened.fd);
    }
  }
  return { results };
}
