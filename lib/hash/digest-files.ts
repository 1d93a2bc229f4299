/**
 * Digest many stored files at once: the entry point validation and imports use for fixity.
 *
 * Stores with local paths (the filesystem backend) are hashed by the worker pool: small files in
 * batches (≈256 files / 8 MiB a task, sync reads inside the worker), each large file in a task
 * of its own (1 MiB double-buffered reads), with no per-file async fs call on the main thread
 * (see local-digest.ts). Other stores (memory, S3) are streamed through node:crypto on the main
 * thread, a bounded number at a time: those reads wait on the network, not on the CPU (see
 * stream-digest.ts and bench/hash/README.md for the figures behind both choices).
 */
import type { StrongroomError } from '../core/errors.js';
import { hasLocalPaths, type ReadableStore } from '../storage/port.js';
import { digestLocal } from './local-digest.js';
import { getDefaultPool, type HashPool } from './pool.js';
import { digestStreamed } from './stream-digest.js';

/**
 * What to digest: one key, with the algorithms wanted (OCFL names: sha512, sha256, sha1, md5,
 * blake2b-512, blake2b-160/256/384, sha512/256, size).
 */
export interface FileDigestRequest {
  key: string;
  algorithms: string[];
}

/** The outcome for one key: size and algorithm → lowercase hex, or the error that stopped it. */
export interface FileDigestResult {
  key: string;
  size: number;
  digests: Record<string, string>;
  error?: StrongroomError;
}

/** Options for {@link digestFiles}. */
export interface DigestFilesOptions {
  /** Progress callback, called as files finish (cumulative figures). */
  onProgress?: (progress: { files: number; bytes: number }) => void;
  signal?: AbortSignal;
  /**
   * Worker pool for stores with local paths (default: the shared pool of getDefaultPool(),
   * which the caller closes with closeDefaultPool()). Unused for other stores.
   */
  pool?: HashPool;
  /** Files streamed at once from stores without local paths (default 16). */
  concurrency?: number;
  /** Most files in one worker batch (default 256). */
  batchFiles?: number;
  /** A worker batch starts no new file after hashing this many bytes (default 8 MiB). */
  batchBytes?: number;
  /** Files larger than this get a worker task of their own (default 4 MiB). */
  largeFileBytes?: number;
}

/**
 * Digest every requested key. Results come back in request order. Per-file failures are
 * returned in `error`, never thrown: NotFoundError (missing key, not a regular file),
 * UnsupportedError (an algorithm this build cannot compute; nothing is read),
 * PathEscapeError (a link leading out of the store), InvalidInputError (malformed key), IoError
 * (also for every file of a task whose hashing worker died; the pool replaces the worker).
 * Aborting `signal` stops starting work, waits for work in flight to stop, then rejects with the
 * signal's reason.
 */
export async function digestFiles(
  store: ReadableStore,
  requests: FileDigestRequest[],
  options: DigestFilesOptions = {},
): Promise<FileDigestResult[]> {
  if (hasLocalPaths(store))
    return digestLocal(store, requests, { ...options, pool: options.pool ?? getDefaultPool() });
  return digestStreamed(store, requests, options);
}
