/**
 * Entry point of a hashing worker thread (run by piscina, see pool.ts). One task at a time;
 * digesters are kept between tasks so BLAKE2b WebAssembly instances and the read buffer are
 * made once per thread, not once per batch. Paths arrive checked by the store (see
 * local-files.ts), so a worker keeps no state about directories.
 */
import { copyBatch, copyLarge, writeBatch } from './local-copy.js';
import { DigesterCache, hashBatch, hashLargeFile, readBatch } from './local-files.js';
import type {
  BatchOutcome,
  CopyBatchOutcome,
  CopyFileOutcome,
  FileTaskOutcome,
  HashTask,
  ReadBatchOutcome,
  WriteBatchOutcome,
} from './tasks.js';

const cache = new DigesterCache();
const buffer = Buffer.allocUnsafe(1 << 20);

/** Run one hashing task (piscina calls the default export). */
export default function runHashTask(
  task: HashTask,
): Promise<
  BatchOutcome | FileTaskOutcome | CopyBatchOutcome | CopyFileOutcome | WriteBatchOutcome | ReadBatchOutcome
> {
  if (task.kind === 'batch') return hashBatch(task, cache, buffer);
  if (task.kind === 'copy-batch') return copyBatch(task, cache, buffer);
  if (task.kind === 'copy-file') return copyLarge(task, cache);
  if (task.kind === 'write-batch') return Promise.resolve(writeBatch(task));
  if (task.kind === 'read-batch') return Promise.resolve(readBatch(task));
  return hashLargeFile(task, cache);
}
