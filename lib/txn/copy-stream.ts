/**
 * The general copy: the source is streamed once through a digester (node:crypto: SHA-256 and the
 * inventory's algorithm) into the target store's `write`, which also refuses bytes whose SHA-256
 * is not the expected one where it can (S3 checksums, our own check on the filesystem). Works for
 * every pair of backends; the cheaper strategies (copy-local.ts, copy-server.ts) take the pairs
 * they can do better.
 */
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isExportStub, STUB_MAGIC, STUB_MAX_BYTES } from '../core/export-stub.js';
import type { CopiedContent } from '../core/plan/version-plan.js';
import { mapLimit } from '../engine/concurrency.js';
import { DigestTransform } from '../hash/digesters.js';
import { algorithmsFor, type CopyEnv, type CopyJob, stubError, verified } from './copy-job.js';

const MiB = 1 << 20;

/** Copy every job by streaming; results by content path. Rejects with the first failure. */
export async function streamCopies(
  jobs: readonly CopyJob[],
  env: CopyEnv,
  results: Map<string, CopiedContent>,
): Promise<void> {
  await mapLimit(jobs, env.concurrency, async (job) => {
    env.signal?.throwIfAborted();
    results.set(job.copy.contentPath, await streamCopy(job, env));
  });
}

/** Copy one job by streaming (see the module doc). Removes the target when verification fails. */
export async function streamCopy(job: CopyJob, env: CopyEnv): Promise<CopiedContent> {
  const { copy, source } = job;
  const hasher = new DigestTransform(algorithmsFor(env.algorithm), { highWaterMark: MiB });
  const flight = env.progress.start();
  let last = 0;
  let head: Buffer | undefined; // the first bytes, to recognise an export stub
  // Mid-file progress for large files, at most every MiB.
  const counter = new Transform({
    highWaterMark: MiB,
    transform(chunk: Buffer, _enc, done) {
      if (flight.bytes < STUB_MAGIC.length) {
        head = head
          ? Buffer.concat([head, chunk.subarray(0, STUB_MAGIC.length)])
          : chunk.subarray(0, STUB_MAGIC.length);
      }
      flight.bytes += chunk.length;
      if (flight.bytes - last >= MiB) {
        last = flight.bytes;
        env.progress.emit();
      }
      done(null, chunk);
    },
  });
  const readable = await source.store.read(source.key, env.signal ? { signal: env.signal } : {});
  const writing = env.store.write(job.target, counter, {
    sha256: copy.sha256,
    ...(copy.size !== undefined && { size: copy.size }),
    ...(env.signal && { signal: env.signal }),
  });
  const pumping = pipeline(readable, hasher, counter);
  try {
    await writing;
  } catch (err) {
    // The write stopped consuming (e.g. a fixity mismatch): stop reading too, then report it.
    readable.destroy();
    hasher.destroy();
    await pumping.catch(() => {});
    env.progress.finish(0, 0, flight);
    throw err;
  }
  await pumping;
  const { size, digests } = await hasher.result;
  try {
    if (size <= STUB_MAX_BYTES && head && isExportStub(head)) throw stubError(copy);
    // The store checked the SHA-256 too; this guards a store that did not (and costs nothing).
    const done = verified(copy, size, digests, env.algorithm);
    env.progress.finish(1, size, flight);
    return done;
  } catch (err) {
    env.progress.finish(0, 0, flight);
    await env.store.delete(job.target).catch(() => {});
    throw err;
  }
}
