/**
 * Copying local files while hashing them, in one pass, the way the workers do it (PERF-NOTES
 * §3–5): small files with sync open/read/hash/write/close into one reused buffer, large files
 * with 1 MiB reads, the next one in flight while the current one is hashed and written. Nothing
 * is fsynced here: the transaction flushes the whole version once (`store.sync`) before its
 * commit point.
 *
 * Each copy writes a temp file created with O_EXCL and renames it over the final path only when
 * its SHA-256 (and size, when declared) match; on any failure the temp file is removed, so a
 * wrong or partial file is never visible. Sources are opened as in local-files.ts (O_NOFOLLOW:
 * a link comes back as `link` for the source store's resolver to judge; O_NONBLOCK and fstat
 * refuse anything but a regular file).
 */
import { closeSync, constants, openSync, read, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { isExportStub, STUB_MAX_BYTES } from '../core/export-stub.js';
import type { Digester } from './digesters.js';
import { type DigesterCache, failedOutcome, openLocalFile } from './local-files.js';
import {
  abortRequested,
  type CopyBatchOutcome,
  type CopyBatchTask,
  type CopyFileOutcome,
  type CopyFileTask,
  type CopyOutcome,
  type CopySpec,
  type WriteBatchOutcome,
  type WriteBatchTask,
} from './tasks.js';

const MiB = 1 << 20;
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
}

function failed(side: 'source' | 'target', err: unknown): CopyOutcome {
  const f = failedOutcome(err) as { code: string; message: string };
  return { status: 'failed', side, code: f.code, message: f.message };
}

/**
 * Rename into place when the digest and size match and the file is not an export stub (`head`:
 * whether its first bytes carry the stub marker); else drop the temp file.
 */
function settle(spec: CopySpec, size: number, digests: Record<string, string>, head: boolean): CopyOutcome {
  if (head && size <= STUB_MAX_BYTES) {
    rmSync(spec.temp, { force: true });
    return { status: 'stub', size };
  }
  if (digests.sha256 !== spec.sha256 || (spec.size !== undefined && spec.size !== size)) {
    rmSync(spec.temp, { force: true });
    return { status: 'mismatch', size, digests };
  }
  try {
    renameSync(spec.temp, spec.to);
  } catch (err) {
    rmSync(spec.temp, { force: true });
    return failed('target', err);
  }
  return { status: 'done', size, digests };
}

/** Copy a batch of small files (see {@link CopyBatchTask}). */
export async function copyBatch(
  task: CopyBatchTask,
  cache: DigesterCache,
  buffer: Buffer,
): Promise<CopyBatchOutcome> {
  const outcomes: CopyOutcome[] = [];
  const digester = await cache.get(task.algorithms);
  for (const spec of task.files) {
    if (abortRequested(task.abort)) return { outcomes, aborted: true };
    outcomes.push(copySmall(spec, digester.reset(), buffer, task.largeBytes));
  }
  return { outcomes, aborted: false };
}

function copySmall(spec: CopySpec, digester: Digester, buffer: Buffer, largeBytes: number): CopyOutcome {
  let src: number;
  let size: number;
  try {
    ({ fd: src, size } = openLocalFile(spec.from));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') return { status: 'link' };
    return failed('source', err);
  }
  let out: number | undefined;
  let side: 'source' | 'target' = 'target';
  try {
    if (size > largeBytes) return { status: 'large', size };
    out = openSync(spec.temp, TEMP_FLAGS, 0o666);
    let stub: boolean | undefined;
    for (;;) {
      side = 'source';
      const n = readSync(src, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
      stub ??= isExportStub(chunk);
      digester.update(chunk);
      side = 'target';
      writeAll(out, chunk);
    }
    side = 'target';
    closeSync(out);
    out = undefined;
    return settle(spec, digester.size, digester.digest(), stub === true);
  } catch (err) {
    if (out !== undefined) closeSync(out);
    rmSync(spec.temp, { force: true });
    return failed(side, err);
  } finally {
    closeSync(src);
  }
}

function readAt(fd: number, buffer: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, buffer.length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/**
 * Copy one large file: two buffers alternate, so the kernel reads the next chunk while this
 * thread hashes and writes the current one. Stops at a chunk boundary when the abort flag is set
 * (outcome undefined, nothing kept).
 */
export async function copyLarge(task: CopyFileTask, cache: DigesterCache): Promise<CopyFileOutcome> {
  const spec = task.file;
  const digester = await cache.get(task.algorithms);
  let src: number;
  try {
    src = openLocalFile(spec.from).fd;
  } catch (err) {
    return { outcome: failed('source', err), aborted: false };
  }
  let out: number | undefined;
  let pending: Promise<number> | undefined;
  let side: 'source' | 'target' = 'target';
  try {
    out = openSync(spec.temp, TEMP_FLAGS, 0o666);
    const chunk = task.chunkBytes ?? MiB;
    const buffers = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
    let position = 0;
    let current = 0;
    let stub: boolean | undefined;
    pending = readAt(src, buffers[0]!, 0);
    for (;;) {
      side = 'source';
      const n = await pending;
      pending = undefined;
      if (n === 0) break;
      if (abortRequested(task.abort)) {
        closeSync(out);
        out = undefined;
        rmSync(spec.temp, { force: true });
        return { aborted: true };
      }
      position += n;
      const next = 1 - current;
      pending = readAt(src, buffers[next]!, position);
      const bytes = buffers[current]!.subarray(0, n);
      stub ??= isExportStub(bytes);
      digester.update(bytes);
      side = 'target';
      writeAll(out, bytes);
      if (task.progress) task.progress[0] = position;
      current = next;
    }
    closeSync(out);
    out = undefined;
    return { outcome: settle(spec, digester.size, digester.digest(), stub === true), aborted: false };
  } catch (err) {
    await pending?.catch(() => {}); // never close the fd under a read still in flight
    if (out !== undefined) closeSync(out);
    rmSync(spec.temp, { force: true });
    return { outcome: failed(side, err), aborted: false };
  } finally {
    closeSync(src);
  }
}

/** Write in-memory files (see {@link WriteBatchTask}); stops at the first failure. */
export function writeBatch(task: WriteBatchTask): WriteBatchOutcome {
  for (const [index, file] of task.files.entries()) {
    let fd: number | undefined;
    try {
      fd = openSync(file.temp, TEMP_FLAGS, 0o666);
      writeAll(fd, file.bytes);
      closeSync(fd);
      fd = undefined;
      renameSync(file.temp, file.to);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      rmSync(file.temp, { force: true });
      const f = failedOutcome(err) as { code: string; message: string };
      return { written: index, failed: { index, code: f.code, message: f.message } };
    }
  }
  return { written: task.files.length };
}
