/**
 * Copying content into an object, verified: every byte that enters the repository is checked
 * against its expected SHA-256 before the version commits, and a mismatch fails the copy naming
 * the file, with nothing of it kept. Each pair of stores gets its cheapest verified path:
 *
 * | source → target | how | reads of the bytes here |
 * | --- | --- | --- |
 * | filesystem → filesystem | worker threads copy and hash with sync I/O, small files in batches (copy-local.ts) | one |
 * | S3 → S3, same endpoint | CopyObject with the server's full-object SHA-256; UploadPartCopy in parts above the single-copy limit (copy-server.ts, copy-multipart.ts) | none for sha256 inventories where the server computes SHA-256; else one read of the copy |
 * | anything → S3, large | multipart upload resumable from a checkpoint, hashed with resumable states (copy-multipart.ts) | one |
 * | anything else | one stream through node:crypto into the store's write (copy-stream.ts) | one |
 *
 * Content the object already holds is never copied: the planner matches it by SHA-256 and only
 * plans copies of new content (lib/core/plan/version-plan.ts). Copies run `concurrency` at a time
 * (worker copies: two tasks per pool thread).
 */
import type { CopiedContent, PlannedCopy } from '../core/plan/version-plan.js';
import { mapLimit } from '../engine/concurrency.js';
import type { HashPool } from '../hash/pool.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import { hasMultipart } from '../storage/transfer.js';
import type { CopyCheckpoints } from './checkpoint.js';
import { type CopyEnv, type CopyJob, type CopyProgress, ProgressTracker } from './copy-job.js';
import { isLocalPair, localCopies } from './copy-local.js';
import { multipartCopy } from './copy-multipart.js';
import { isServerPair, serverCopy } from './copy-server.js';
import { streamCopy } from './copy-stream.js';
import type { SourceAccess } from './sources.js';

export type { CopyProgress } from './copy-job.js';

/** Default {@link CopyContext.checkpointBytes}: 1 GiB. */
export const DEFAULT_CHECKPOINT_BYTES = 1024 * 1024 * 1024;

/** What {@link copyContent} needs. */
export interface CopyContext {
  store: WritableStore;
  /** Store key of the object root. */
  objectKey: string;
  sources: SourceAccess;
  /** Inventory digest algorithm. */
  algorithm: 'sha512' | 'sha256';
  /** Copies at once (default 8). */
  concurrency?: number;
  onProgress?: (p: CopyProgress) => void;
  signal?: AbortSignal;
  /** Where large copies save and find their checkpoints (absent: no checkpoints). */
  checkpoints?: CopyCheckpoints;
  /**
   * Copies into a multipart store (S3) of at least this many bytes are made resumable: part by
   * part, with hash-wasm states (slower than node:crypto) saved in checkpoints. Default
   * {@link DEFAULT_CHECKPOINT_BYTES}; smaller copies simply start again after a crash.
   */
  checkpointBytes?: number;
  /** Worker pool for filesystem copies (default: the shared hashing pool). */
  pool?: HashPool;
}

/**
 * Copy every planned file into the object. Resolves with each copy's inventory digest and size
 * by content path; rejects with the first failure (FixityMismatchError naming the file,
 * InvalidInputError for a source outside the allowed roots or a size mismatch, the stores'
 * errors, the signal's reason), after every copy in flight has settled.
 */
export async function copyContent(
  copies: readonly PlannedCopy[],
  ctx: CopyContext,
): Promise<Map<string, CopiedContent>> {
  const results = new Map<string, CopiedContent>();
  const progress = new ProgressTracker(
    copies.length,
    copies.reduce((n, c) => n + (c.size ?? 0), 0),
    ctx.onProgress,
  );
  progress.emit();
  const env: CopyEnv = {
    store: ctx.store,
    algorithm: ctx.algorithm,
    concurrency: ctx.concurrency ?? 8,
    progress,
    ...(ctx.checkpoints && { checkpoints: ctx.checkpoints }),
    ...(ctx.signal && { signal: ctx.signal }),
  };
  const jobs: CopyJob[] = [];
  for (const copy of copies) {
    ctx.signal?.throwIfAborted();
    const source = await ctx.sources.resolve(copy.source);
    jobs.push({ copy, source, target: joinKey(ctx.objectKey, copy.contentPath) });
  }
  const local = jobs.filter((j) => isLocalPair(j, env));
  const rest = jobs.filter((j) => !isLocalPair(j, env));
  await localCopies(local, env, results, ctx.pool);
  const checkpointBytes = ctx.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
  await mapLimit(rest, env.concurrency, async (job) => {
    env.signal?.throwIfAborted();
    results.set(job.copy.contentPath, await copyOne(job, env, checkpointBytes));
  });
  return results;
}

/** The cheapest verified path for one job that the workers do not take. */
async function copyOne(job: CopyJob, env: CopyEnv, checkpointBytes: number): Promise<CopiedContent> {
  const server = isServerPair(job, env);
  if (server) {
    const done = await serverCopy(job, env);
    if (done) return done;
  }
  if (!hasMultipart(env.store)) return streamCopy(job, env);
  const size = job.copy.size ?? (await job.source.store.stat(job.source.key)).size;
  if (server && size > (env.store as unknown as { singleCopyMaxBytes: number }).singleCopyMaxBytes) {
    return multipartCopy(job, env, size, 'part-copy');
  }
  if (size >= checkpointBytes) return multipartCopy(job, env, size, 'upload');
  return streamCopy(job, env);
}
