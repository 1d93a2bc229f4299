/**
 * Entry point of a hashing worker thread (run by piscina, see pool.ts). One task at a time;
 * digesters are kept between tasks so BLAKE2b WebAssembly instances and the read buffer are
 * made once per thread, not once per batch.
 */
import { DigesterCache, hashBatch, hashLargeFile } from './local-files.js';
import type { BatchOutcome, FileTaskOutcome, HashTask } from './tasks.js';

const cache = new DigesterCache();
const buffer = Buffer.allocUnsafe(1 << 20);
/**
 * Directories found inside the store root during the current digestFiles() call. Files of one
 * folder spread over many batches; re-checking each folder per batch cost ≈10% on 4 KiB files.
 * A new call starts afresh, so a check is never older than the call that relies on it.
 */
let dirChecks: { run: number | undefined; dirs: Set<string> } = { run: undefined, dirs: new Set() };

function checkedDirsFor(task: HashTask): Set<string> {
  if (task.run === undefined) return new Set();
  if (dirChecks.run !== task.run) dirChecks = { run: task.run, dirs: new Set() };
  return dirChecks.dirs;
}

/** Run one hashing task (piscina calls the default export). */
export default function runHashTask(task: HashTask): Promise<BatchOutcome | FileTaskOutcome> {
  const dirs = checkedDirsFor(task);
  if (task.kind === 'batch') return hashBatch(task, cache, buffer, dirs);
  return hashLargeFile(task, cache, dirs);
}
