/**
 * Writing a version's small housekeeping files (Fedora headers, container RDF): one per binary
 * and container, so as many as the content files. On a local store they go to the worker
 * threads in batches, written with sync I/O (temp file, then rename), because an async write per
 * file on the main thread costs several thread-pool round trips each (PERF-NOTES §3); elsewhere
 * (S3, memory) they are plain writes, `concurrency` (at least 32) at a time. Nothing is fsynced here: the
 * commit flushes the version in bulk.
 */
import { IoError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { mapLimit } from '../engine/concurrency.js';
import { getDefaultPool, type HashPool } from '../hash/pool.js';
import type { WritableStore } from '../storage/port.js';
import { hasLocalTargets } from '../storage/transfer.js';

const BATCH_FILES = 256;

/**
 * Write `files` (store key → bytes); returns the keys written. Throws the store's errors, or
 * IoError naming the first file a worker could not write.
 */
export async function writeSmallFiles(
  store: WritableStore,
  files: ReadonlyArray<{ key: string; bytes: Uint8Array }>,
  concurrency: number,
  pool: HashPool = getDefaultPool(),
): Promise<string[]> {
  if (!hasLocalTargets(store) || files.length < 16) {
    // Small PUTs are bound by latency, not bandwidth: at least 32 in flight.
    await mapLimit(files, Math.max(concurrency, 32), (f) => store.write(f.key, Buffer.from(f.bytes)));
    return files.map((f) => f.key);
  }
  const targets = store.localTargets();
  const batches: Array<Array<{ key: string; temp: string; to: string; bytes: Uint8Array }>> = [];
  for (let i = 0; i < files.length; i += BATCH_FILES) {
    batches.push(
      files.slice(i, i + BATCH_FILES).map((f) => {
        const { path, temp } = targets.prepare(f.key);
        return { key: f.key, temp, to: path, bytes: f.bytes };
      }),
    );
  }
  await mapLimit(batches, pool.threads * 2, async (batch) => {
    const out = await pool.runWriteBatch({
      kind: 'write-batch',
      files: batch.map(({ temp, to, bytes }) => ({ temp, to, bytes })),
    });
    if (out.failed) {
      const key = batch[out.failed.index]!.key;
      throw new IoError(`cannot write ${quoteForMessage(key)}: ${out.failed.code}`, {
        operation: 'write',
        key,
        cause: Object.assign(new Error(out.failed.message), { code: out.failed.code }),
      });
    }
  });
  return files.map((f) => f.key);
}
