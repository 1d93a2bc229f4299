/**
 * Checkpoints of large copies, so that a transaction retried after a crash (the same transaction
 * id, see BeginOptions.id) resumes them instead of starting from zero.
 *
 * Where: one small JSON key per large copy, `vN/.strongroom-checkpoint-<hash of content path>.json`,
 * beside the claim in the version directory being written. Not in the claim record itself: the
 * claim is rewritten by the lease every few seconds with a conditional replace, and threading
 * every part's etag through that would tie the copy's pace to the lease's; a key per copy is
 * written only by that copy. Nothing in `vN/` is visible to readers before the root inventory
 * names the version, and every checkpoint key is removed before the version inventory is written
 * (a leftover key would be an extra file in the version).
 *
 * What: the multipart upload id, the parts uploaded so far with their etags, and the running
 * SHA-256 (and SHA-512 for sha512 inventories) state at the end of those parts (resumable-hash.ts);
 * once the copy is complete and verified, its result and the etag of the stored object, so a
 * retry keeps the object when its etag is still that one.
 *
 * Lifecycle: a retry of the same transaction keeps the checkpoints and the objects they vouch for
 * and removes everything else it left (`clearForResume`); any other takeover or rollback first
 * aborts the uploads the checkpoints name (`discardCheckpoints`), so no invisible multipart
 * upload is left costing storage.
 */
import { createHash } from 'node:crypto';
import { hasCode } from '../core/errors.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import { hasMultipart, type UploadedPart } from '../storage/transfer.js';
import type { SavedHashState } from './resumable-hash.js';

const PREFIX = '.strongroom-checkpoint-';

/** The record a checkpoint key holds. */
export interface CopyCheckpoint {
  strongroomCopyCheckpoint: 1;
  /** Where the copy goes, relative to the object root. */
  contentPath: string;
  /** The source URI, the expected SHA-256 and size: a checkpoint only resumes the same copy. */
  source: string;
  sha256: string;
  size: number;
  /** `upload`: bytes read here and sent as parts; `part-copy`: UploadPartCopy, then the copy read back. */
  mode: 'upload' | 'part-copy';
  partSize: number;
  uploadId: string;
  /** Parts 1..n, contiguous, each with its etag. */
  parts: UploadedPart[];
  /** Hash state at the end of what has been hashed (upload: the parts; part-copy: the read back). */
  hash?: SavedHashState;
  /** part-copy: the parts are assembled, the object exists with this etag; hashing it remains. */
  assembled?: { etag: string };
  /** Set once the copy is complete and verified. */
  done?: { digest: string; size: number; etag: string };
}

/** The checkpoint key of `contentPath` in `versionKey`. */
export function checkpointKey(versionKey: string, contentPath: string): string {
  const id = createHash('sha256').update(contentPath).digest('hex').slice(0, 32);
  return joinKey(versionKey, `${PREFIX}${id}.json`);
}

/** The object key a version key lies in ('' when the version key has no parent). */
function objectKeyOf(versionKey: string): string {
  const slash = versionKey.lastIndexOf('/');
  return slash < 0 ? '' : versionKey.slice(0, slash);
}

function isCheckpointKey(key: string): boolean {
  return key.slice(key.lastIndexOf('/') + 1).startsWith(PREFIX);
}

function parse(bytes: Buffer): CopyCheckpoint | undefined {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as Partial<CopyCheckpoint>;
    if (v?.strongroomCopyCheckpoint !== 1 || typeof v.uploadId !== 'string' || !Array.isArray(v.parts)) {
      return undefined;
    }
    return v as CopyCheckpoint;
  } catch {
    return undefined;
  }
}

/** The checkpoints of one commit's version directory. */
export class CopyCheckpoints {
  /** Checkpoints saved by this commit that are not done: work a retry can resume. */
  #open = new Set<string>();
  readonly #written = new Set<string>();

  /** @param resume true on a retry of the same transaction: existing checkpoints are used. */
  constructor(
    readonly store: WritableStore,
    readonly versionKey: string,
    readonly resume: boolean,
  ) {}

  /** True when some copy saved resumable progress that is not finished. */
  get resumable(): boolean {
    return this.#open.size > 0;
  }

  /** The saved checkpoint of `contentPath` when resuming (undefined otherwise, or when unreadable). */
  async load(contentPath: string): Promise<CopyCheckpoint | undefined> {
    if (!this.resume) return undefined;
    const key = checkpointKey(this.versionKey, contentPath);
    try {
      const found = parse(await this.store.readBytes(key, { maxBytes: 16 * 1024 * 1024 }));
      return found?.contentPath === contentPath ? found : undefined;
    } catch (err) {
      if (hasCode(err, 'NOT_FOUND')) return undefined;
      throw err;
    }
  }

  /** Write `record` (replacing the previous one). */
  async save(record: CopyCheckpoint): Promise<void> {
    const key = checkpointKey(this.versionKey, record.contentPath);
    await this.store.write(key, JSON.stringify(record));
    this.#written.add(key);
    if (record.done) this.#open.delete(key);
    else this.#open.add(key);
  }

  /** Forget `contentPath`'s checkpoint (a failed copy that must start again). */
  async drop(contentPath: string): Promise<void> {
    const key = checkpointKey(this.versionKey, contentPath);
    this.#open.delete(key);
    await this.store.delete(key);
  }

  /**
   * Remove every checkpoint key of the version (all copies are done): called before the version
   * inventory is written. Uploads of unfinished checkpoints are aborted.
   */
  async removeAll(): Promise<void> {
    await discardCheckpoints(this.store, this.versionKey);
    this.#open.clear();
  }
}

/** Checkpoint keys directly in `versionKey` and their records (unreadable ones undefined). */
async function listCheckpoints(
  store: WritableStore,
  versionKey: string,
): Promise<Array<{ key: string; record?: CopyCheckpoint }>> {
  const out: Array<{ key: string; record?: CopyCheckpoint }> = [];
  for await (const e of store.list(versionKey, { delimiter: true })) {
    if (e.kind !== 'file' || !isCheckpointKey(e.key)) continue;
    const bytes = await store.readBytes(e.key, { maxBytes: 16 * 1024 * 1024 }).catch(() => undefined);
    const record = bytes ? parse(bytes) : undefined;
    out.push(record ? { key: e.key, record } : { key: e.key });
  }
  return out;
}

/**
 * Abort the multipart uploads named by unfinished checkpoints in `versionKey` and delete every
 * checkpoint key. Returns how many keys were removed. Throws the store's errors.
 */
export async function discardCheckpoints(store: WritableStore, versionKey: string): Promise<number> {
  const found = await listCheckpoints(store, versionKey);
  for (const { key, record } of found) {
    if (record && !record.done && hasMultipart(store)) {
      const target = joinKey(objectKeyOf(versionKey), record.contentPath);
      await store.abortUpload(target, record.uploadId).catch(() => {});
    }
    await store.delete(key);
  }
  return found.length;
}

/**
 * Prepare `versionKey` for a retry of the transaction that wrote it: keep the claim, the
 * checkpoints and the finished objects they vouch for; delete everything else it left.
 */
export async function clearForResume(store: WritableStore, versionKey: string, claimKey: string) {
  const objectKey = objectKeyOf(versionKey);
  const keep = new Set<string>([claimKey]);
  for (const { key, record } of await listCheckpoints(store, versionKey)) {
    keep.add(key);
    if (record?.done || record?.assembled) keep.add(joinKey(objectKey, record.contentPath));
  }
  const doomed: string[] = [];
  for await (const e of store.list(versionKey, { delimiter: false }))
    if (!keep.has(e.key)) doomed.push(e.key);
  for (const key of doomed) await store.delete(key);
}
