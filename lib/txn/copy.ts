/**
 * Copying content into an object, verified, in one pass: the source is read once, hashed with
 * SHA-256 (the expected digest) and the inventory's algorithm on the way, and written; the store
 * refuses to keep bytes whose SHA-256 differs (FixityMismatchError, nothing stored), and a
 * declared size that does not match fails the copy too. Many copies run at once, bounded.
 */
import { pipeline } from 'node:stream/promises';
import { FixityMismatchError, InvalidInputError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import type { CopiedContent, PlannedCopy } from '../core/plan/version-plan.js';
import { mapLimit } from '../engine/concurrency.js';
import { DigestTransform } from '../hash/digesters.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import type { SourceAccess } from './sources.js';

/** Progress of the content step: files and bytes copied of the totals. */
export interface CopyProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  /** Sum of the declared sizes (0 when none are known). */
  bytesTotal: number;
}

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
}

/**
 * Copy every planned file into the object. Resolves with each copy's inventory digest and size
 * by content path; rejects with the first failure (FixityMismatchError naming the file,
 * InvalidInputError for a source outside the allowed roots or a size mismatch, the stores'
 * errors), after every copy in flight has settled.
 */
export async function copyContent(
  copies: readonly PlannedCopy[],
  ctx: CopyContext,
): Promise<Map<string, CopiedContent>> {
  const results = new Map<string, CopiedContent>();
  const progress: CopyProgress = {
    filesDone: 0,
    filesTotal: copies.length,
    bytesDone: 0,
    bytesTotal: copies.reduce((n, c) => n + (c.size ?? 0), 0),
  };
  ctx.onProgress?.({ ...progress });
  await mapLimit([...copies], ctx.concurrency ?? 8, async (copy) => {
    ctx.signal?.throwIfAborted();
    const done = await copyOne(copy, ctx);
    results.set(copy.contentPath, done);
    progress.filesDone++;
    progress.bytesDone += done.size;
    ctx.onProgress?.({ ...progress });
  });
  return results;
}

async function copyOne(copy: PlannedCopy, ctx: CopyContext): Promise<CopiedContent> {
  const source = await ctx.sources.resolve(copy.source);
  const algorithms = ctx.algorithm === 'sha256' ? ['sha256'] : [ctx.algorithm, 'sha256'];
  const hasher = new DigestTransform(algorithms);
  const readable = await source.store.read(source.key, ctx.signal ? { signal: ctx.signal } : {});
  const target = joinKey(ctx.objectKey, copy.contentPath);
  const writing = ctx.store.write(target, hasher, {
    sha256: copy.sha256,
    ...(copy.size !== undefined && { size: copy.size }),
    ...(ctx.signal && { signal: ctx.signal }),
  });
  const pumping = pipeline(readable, hasher);
  try {
    await writing;
  } catch (err) {
    // The write stopped consuming (e.g. a fixity mismatch): stop reading too, then report it.
    readable.destroy();
    hasher.destroy();
    await pumping.catch(() => {});
    throw err;
  }
  await pumping;
  const { size, digests } = await hasher.result;
  if (digests.sha256 !== copy.sha256) {
    // The store checked it too; this guards a store that did not (and costs nothing).
    await ctx.store.delete(target).catch(() => {});
    throw new FixityMismatchError(
      `SHA-256 of ${quoteForMessage(copy.source)} differs from the expected digest`,
      copy.sha256,
      digests.sha256!,
      {
        operation: 'copy',
        key: copy.source,
      },
    );
  }
  if (copy.size !== undefined && copy.size !== size) {
    await ctx.store.delete(target).catch(() => {});
    throw new InvalidInputError(
      `${quoteForMessage(copy.source)} is ${size} bytes, not the ${copy.size} declared`,
      {
        operation: 'copy',
        key: copy.source,
      },
    );
  }
  return { digest: digests[ctx.algorithm]!, size };
}
