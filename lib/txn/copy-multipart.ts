/**
 * Large copies into a multipart-capable store (S3), resumable after a crash (checkpoint.ts):
 *
 * - `upload`: the source is read once from where the checkpoint left off, cut into parts, each
 *   part hashed (SHA-256 and the inventory's algorithm, with resumable hash-wasm states) and
 *   uploaded (two in flight); after each part the checkpoint records the part etags and the hash
 *   state at the end of the contiguous uploaded prefix.
 * - `part-copy` (source on the same S3 endpoint, above the single-copy limit): UploadPartCopy
 *   ranges, checkpointed by part; once assembled, the copy is read back once and hashed, the hash
 *   state checkpointed every part's worth of bytes.
 *
 * A resumed copy checks the saved parts against ListParts (a part whose etag differs, or an
 * upload the server no longer has, starts the copy afresh) and continues after the last saved
 * part; bytes uploaded after the last checkpoint are uploaded again (at most two parts). A
 * mismatch of the final SHA-256 or size fails the copy naming the file and removes the upload or
 * the object.
 */
import { hasCode } from '../core/errors.js';
import type { CopiedContent } from '../core/plan/version-plan.js';
import type { MultipartCapable, UploadedPart } from '../storage/transfer.js';
import type { CopyCheckpoint, CopyCheckpoints } from './checkpoint.js';
import { algorithmsFor, type CopyEnv, type CopyJob, type InFlight, verified } from './copy-job.js';
import { ResumableHash, type SavedHashState } from './resumable-hash.js';

type MultipartStore = CopyEnv['store'] & MultipartCapable;

/** Parts uploaded at once by one copy. */
const PARTS_IN_FLIGHT = 2;

/** A copy of known `size` in `mode`, resumed from `checkpoints` where they hold one. */
export async function multipartCopy(
  job: CopyJob,
  env: CopyEnv,
  size: number,
  mode: 'upload' | 'part-copy',
): Promise<CopiedContent> {
  const store = env.store as MultipartStore;
  const checkpoints = env.checkpoints;
  const flight = env.progress.start();
  try {
    const record = await startOrResume(job, store, checkpoints, size, mode);
    if (record.done) {
      env.progress.finish(1, record.done.size, flight);
      return { digest: record.done.digest, size: record.done.size };
    }
    const done =
      mode === 'upload'
        ? await uploadParts(job, env, store, record, flight)
        : await copyParts(job, env, store, record, flight);
    env.progress.finish(1, done.size, flight);
    return done;
  } catch (err) {
    env.progress.finish(0, 0, flight);
    throw err;
  }
}

async function etagOf(store: MultipartStore, key: string): Promise<string | undefined> {
  return store.stat(key).then(
    (st) => st.etag,
    () => undefined,
  );
}

/** The saved checkpoint when it still describes this copy and the server still has its parts; else a new upload. */
async function startOrResume(
  job: CopyJob,
  store: MultipartStore,
  checkpoints: CopyCheckpoints | undefined,
  size: number,
  mode: 'upload' | 'part-copy',
): Promise<CopyCheckpoint> {
  const saved = await checkpoints?.load(job.copy.contentPath);
  const finished = saved?.done ?? saved?.assembled;
  if (saved && saved.source === job.copy.source && saved.sha256 === job.copy.sha256 && saved.size === size) {
    // A finished copy is kept only while the stored object is still the one it made.
    if (finished) {
      if ((await etagOf(store, job.target)) === finished.etag) return saved;
    } else if (saved.mode === mode && (await partsStillThere(store, job.target, saved))) return saved;
  }
  if (saved && !finished) await store.abortUpload(job.target, saved.uploadId).catch(() => {});
  const record: CopyCheckpoint = {
    strongroomCopyCheckpoint: 1,
    contentPath: job.copy.contentPath,
    source: job.copy.source,
    sha256: job.copy.sha256,
    size,
    mode,
    partSize: store.partSize,
    uploadId: await store.createUpload(job.target),
    parts: [],
  };
  // Saved before the first part, so a crash now still names the upload to abort or resume.
  await checkpoints?.save(record);
  return record;
}

async function partsStillThere(store: MultipartStore, key: string, saved: CopyCheckpoint): Promise<boolean> {
  try {
    const held = new Map((await store.listParts(key, saved.uploadId)).map((p) => [p.partNumber, p]));
    return saved.parts.every((p) => held.get(p.partNumber)?.etag === p.etag);
  } catch (err) {
    if (hasCode(err, 'NOT_FOUND')) return false;
    throw err;
  }
}

/** Read the source from the checkpoint on, upload the remaining parts, complete, verify. */
async function uploadParts(
  job: CopyJob,
  env: CopyEnv,
  store: MultipartStore,
  record: CopyCheckpoint,
  flight: InFlight,
): Promise<CopiedContent> {
  const algorithms = algorithmsFor(env.algorithm);
  const resumeFrom = record.parts.length > 0 && record.hash ? record.hash : undefined;
  if (!resumeFrom) record.parts = [];
  const hash = await ResumableHash.create(algorithms, resumeFrom);
  flight.bytes = hash.offset;
  const source = await job.source.store.read(job.source.key, {
    start: hash.offset,
    ...(env.signal && { signal: env.signal }),
  });
  const uploader = new PartUploader(job, env, store, record, flight);
  let part = Buffer.allocUnsafe(record.partSize);
  let filled = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      for (let off = 0; off < chunk.length; ) {
        const n = Math.min(chunk.length - off, part.length - filled);
        chunk.copy(part, filled, off, off + n);
        filled += n;
        off += n;
        if (filled === part.length) {
          hash.update(part);
          await uploader.add(part, hash.save());
          part = Buffer.allocUnsafe(record.partSize);
          filled = 0;
        }
      }
    }
    if (filled > 0 || record.parts.length + uploader.pending === 0) {
      const last = part.subarray(0, filled);
      hash.update(last);
      await uploader.add(last, hash.save());
    }
    await uploader.drain();
  } catch (err) {
    source.destroy();
    await uploader.settle();
    throw err;
  }
  let done: CopiedContent;
  try {
    done = verified(job.copy, hash.offset, hash.digest(), env.algorithm);
  } catch (err) {
    await store.abortUpload(job.target, record.uploadId).catch(() => {});
    await env.checkpoints?.drop(job.copy.contentPath).catch(() => {});
    throw err;
  }
  const { etag } = await store.completeUpload(job.target, record.uploadId, record.parts);
  await env.checkpoints?.save({ ...record, done: { ...done, etag: etag ?? '' } });
  return done;
}

/** Uploads parts a few at a time and checkpoints the contiguous prefix as parts finish. */
class PartUploader {
  readonly #running = new Map<number, Promise<void>>();
  readonly #finished = new Map<number, { part: UploadedPart; state: SavedHashState }>();
  #nextNumber: number;
  #failure: { error: unknown } | undefined;
  #saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly job: CopyJob,
    private readonly env: CopyEnv,
    private readonly store: MultipartStore,
    private readonly record: CopyCheckpoint,
    private readonly flight: InFlight,
  ) {
    this.#nextNumber = record.parts.length + 1;
  }

  get pending(): number {
    return this.#running.size;
  }

  /** Upload `body` as the next part (waits while too many are in flight). */
  async add(body: Buffer, state: SavedHashState): Promise<void> {
    while (this.#running.size >= PARTS_IN_FLIGHT) await Promise.race(this.#running.values());
    if (this.#failure) throw this.#failure.error;
    const n = this.#nextNumber++;
    const run = this.store
      .uploadPart(
        this.job.target,
        this.record.uploadId,
        n,
        body,
        this.env.signal ? { signal: this.env.signal } : {},
      )
      .then(
        (part) => {
          this.#finished.set(n, { part, state });
          this.#advance();
        },
        (error) => {
          this.#failure ??= { error };
        },
      )
      .finally(() => this.#running.delete(n));
    this.#running.set(n, run);
  }

  /** Move finished parts onto the record in order and save a checkpoint for the new prefix. */
  #advance(): void {
    let moved: SavedHashState | undefined;
    for (let n = this.record.parts.length + 1; this.#finished.has(n); n++) {
      const { part, state } = this.#finished.get(n)!;
      this.#finished.delete(n);
      this.record.parts.push(part);
      this.flight.bytes = state.offset;
      moved = state;
    }
    if (!moved) return;
    this.record.hash = moved;
    const snapshot: CopyCheckpoint = { ...this.record, parts: [...this.record.parts] };
    this.env.progress.emit();
    const checkpoints = this.env.checkpoints;
    if (checkpoints) this.#saving = this.#saving.then(() => checkpoints.save(snapshot));
  }

  /** Wait for every part and checkpoint; throws the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    if (this.#failure) throw this.#failure.error;
  }

  /** Wait for everything in flight, failures included. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#running.values());
    await this.#saving.catch((error) => {
      this.#failure ??= { error };
    });
  }
}

/** Server-side part copies, then one read of the assembled copy to hash it (both checkpointed). */
async function copyParts(
  job: CopyJob,
  env: CopyEnv,
  store: MultipartStore,
  record: CopyCheckpoint,
  flight: InFlight,
): Promise<CopiedContent> {
  const opts = env.signal ? { signal: env.signal } : {};
  const source = { location: job.source.store.location, key: job.source.key };
  if (!record.assembled) {
    const total = Math.ceil(record.size / record.partSize) || 1;
    for (let n = record.parts.length + 1; n <= total; n++) {
      env.signal?.throwIfAborted();
      const start = (n - 1) * record.partSize;
      const end = Math.min(start + record.partSize, record.size) - 1;
      record.parts.push(
        await store.uploadPartCopy(job.target, record.uploadId, n, source, { start, end }, opts),
      );
      await env.checkpoints?.save({ ...record, parts: [...record.parts] });
    }
    const { etag } = await store.completeUpload(job.target, record.uploadId, record.parts);
    record.assembled = { etag: etag ?? '' };
    delete record.hash;
    await env.checkpoints?.save(record);
  }
  const hash = await ResumableHash.create(algorithmsFor(env.algorithm), record.hash);
  const body = await store.read(job.target, { start: hash.offset, ...opts });
  let sinceSave = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    hash.update(chunk);
    flight.bytes = hash.offset;
    sinceSave += chunk.length;
    if (sinceSave >= record.partSize) {
      sinceSave = 0;
      env.progress.emit();
      await env.checkpoints?.save({ ...record, hash: hash.save() });
    }
  }
  let done: CopiedContent;
  try {
    done = verified(job.copy, hash.offset, hash.digest(), env.algorithm);
  } catch (err) {
    await store.delete(job.target).catch(() => {});
    await env.checkpoints?.drop(job.copy.contentPath).catch(() => {});
    throw err;
  }
  await env.checkpoints?.save({ ...record, done: { ...done, etag: record.assembled.etag } });
  return done;
}
