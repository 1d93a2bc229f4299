/**
 * S3 → S3 on the same endpoint: the bytes never pass through this process when they need not.
 * One CopyObject per file (UploadPartCopy in parts above the single-copy limit: copy-multipart.ts),
 * with the server computing the copy's full-object SHA-256 where the probe found it does (AWS,
 * MinIO); that checksum is the verification.
 *
 * Reading back: a sha256 inventory needs nothing more. A sha512 inventory needs the SHA-512 of
 * the bytes, which no server computes, so the copy is read once (GET) and hashed; that read costs
 * a full transfer of every byte through this process (MinIO here serves ≈0.4 GB/s; SHA-512 runs
 * ≈0.85 GB/s a core) — the price of OCFL's default algorithm. It runs while other files' copies
 * proceed (bounded concurrency). Where the server computes no checksum (Ceph RGW) the same read
 * also yields the SHA-256.
 */
import { hasCode } from '../core/errors.js';
import { isExportStub, STUB_MAGIC, STUB_MAX_BYTES } from '../core/export-stub.js';
import type { CopiedContent } from '../core/plan/version-plan.js';
import { DigestTransform } from '../hash/digesters.js';
import { hasServerCopy, type ServerCopyCapable } from '../storage/transfer.js';
import { type CopyEnv, type CopyJob, stubError, verified } from './copy-job.js';

const MiB = 1 << 20;

/** True when `job`'s source can be copied into the target store server-side. */
export function isServerPair(job: CopyJob, env: CopyEnv): boolean {
  return hasServerCopy(env.store) && env.store.canCopyFrom(job.source.store.location);
}

/**
 * Copy one job server-side and verify it. Returns undefined when the copy cannot be one request
 * (too large: the caller copies it in parts) or the connection may not read the source (the
 * caller streams it). Throws FixityMismatchError / InvalidInputError (the copy is removed), the
 * store's errors.
 */
export async function serverCopy(job: CopyJob, env: CopyEnv): Promise<CopiedContent | undefined> {
  const store = env.store as CopyEnv['store'] & ServerCopyCapable;
  const { copy } = job;
  if (copy.size !== undefined && copy.size > store.singleCopyMaxBytes) return undefined;
  const flight = env.progress.start();
  let result: Awaited<ReturnType<ServerCopyCapable['copyFrom']>>;
  try {
    result = await store.copyFrom({ location: job.source.store.location, key: job.source.key }, job.target, {
      ...(env.signal && { signal: env.signal }),
      ...(copy.size !== undefined && { sizeHint: copy.size }),
    });
  } catch (err) {
    env.progress.finish(0, 0, flight);
    if (hasCode(err, 'TOO_LARGE') || hasCode(err, 'ACCESS_DENIED')) return undefined;
    throw err;
  }
  try {
    const head: { bytes?: Buffer } = {};
    const digests = await readBack(job, env, result.sha256, flight, head);
    // An export stub is never content. Small copies only (stubs are at most STUB_MAX_BYTES): the
    // marker's bytes come from the read back when there was one, else from a ranged read.
    if (result.size <= STUB_MAX_BYTES && isExportStub(head.bytes ?? (await readHead(job, env)))) {
      throw stubError(copy);
    }
    const done = verified(copy, result.size, digests, env.algorithm);
    env.progress.finish(1, result.size, flight);
    return done;
  } catch (err) {
    env.progress.finish(0, 0, flight);
    await env.store.delete(job.target).catch(() => {});
    throw err;
  }
}

/** The first bytes of the copy (as many as the stub marker has). */
async function readHead(job: CopyJob, env: CopyEnv): Promise<Buffer> {
  const body = await env.store.read(job.target, { start: 0, end: STUB_MAGIC.length - 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The digests of the copy: the server's SHA-256, and a read of the copy for what is missing
 * (`head`, when given, receives the first bytes of that read: none when nothing is read).
 */
export async function readBack(
  job: CopyJob,
  env: CopyEnv,
  serverSha256: string | undefined,
  flight: { bytes: number },
  head?: { bytes?: Buffer },
): Promise<Record<string, string | undefined>> {
  const need: string[] = [];
  if (env.algorithm !== 'sha256') need.push(env.algorithm);
  if (serverSha256 === undefined) need.push('sha256');
  if (need.length === 0) return { sha256: serverSha256 };
  const hasher = new DigestTransform(need, { highWaterMark: MiB });
  const body = await env.store.read(job.target, env.signal ? { signal: env.signal } : {});
  body.on('data', (chunk: Buffer) => {
    if (head && (head.bytes?.length ?? 0) < STUB_MAGIC.length) {
      head.bytes = Buffer.concat([head.bytes ?? Buffer.alloc(0), chunk]).subarray(0, STUB_MAGIC.length);
    }
    flight.bytes += chunk.length;
  });
  for await (const chunk of body.pipe(hasher)) void chunk;
  const { digests } = await hasher.result;
  return { sha256: serverSha256, ...digests };
}
