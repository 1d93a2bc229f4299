/**
 * Reading many small files whole (Fedora headers: one per binary, 100,000 for a large group).
 * On the filesystem each async read is several thread-pool round trips on the main thread
 * (path check, open, fstat, read, close: ≈0.1 ms a file here); the hashing workers read them in
 * batches with sync I/O instead, after the store's LocalFileResolver has resolved and checked
 * every path. Whatever a worker cannot read as a plain file (a link, an error, a file over the
 * limit) is read again through the store, which follows an in-root link or throws its own error.
 */
import { getDefaultPool, type HashPool } from '../hash/pool.js';
import { hasLocalPaths, type ReadableStore } from '../storage/port.js';
import { mapLimit } from './concurrency.js';

/** Options of {@link readSmallFiles}. */
export interface SmallReadOptions {
  /** Largest file read (the store's TooLargeError past it). */
  maxBytes: number;
  /** Store reads at once when the workers are not used (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Worker pool (default: the shared hashing pool). */
  pool?: HashPool;
}

/** Files per worker task. */
const BATCH = 256;
/** Below this many files the workers are not worth a round trip. */
const MIN_FOR_WORKERS = 64;

/**
 * The bytes of every key, in the order of `keys`. Throws what `store.readBytes` throws for a key
 * (NotFoundError, TooLargeError, PathEscapeError, …), the signal's reason.
 */
export async function readSmallFiles(
  store: ReadableStore,
  keys: readonly string[],
  options: SmallReadOptions,
): Promise<Buffer[]> {
  const { maxBytes, signal } = options;
  const viaStore = (key: string) => store.readBytes(key, { maxBytes, ...(signal && { signal }) });
  if (!hasLocalPaths(store) || keys.length < MIN_FOR_WORKERS) {
    return mapLimit(keys, options.concurrency ?? 8, viaStore);
  }
  const resolver = store.localFiles();
  const paths = keys.map((key) => {
    try {
      return resolver.resolve(key);
    } catch {
      return undefined; // read through the store below, which throws the right error
    }
  });
  const out: Buffer[] = new Array(keys.length);
  const batches: number[][] = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    batches.push(Array.from({ length: Math.min(BATCH, keys.length - i) }, (_, j) => i + j));
  }
  const pool = options.pool ?? getDefaultPool();
  await mapLimit(batches, 4, async (batch) => {
    signal?.throwIfAborted();
    const local = batch.filter((i) => paths[i] !== undefined);
    const { results } = await pool.runReadBatch({
      kind: 'read-batch',
      files: local.map((i) => paths[i]!),
      maxBytes,
    });
    const retry: number[] = batch.filter((i) => paths[i] === undefined);
    local.forEach((index, j) => {
      const r = results[j]!;
      if (r.status === 'ok') out[index] = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
      else retry.push(index);
    });
    for (const index of retry) out[index] = await viaStore(keys[index]!);
  });
  return out;
}
