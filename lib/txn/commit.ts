/**
 * Applying one version plan to one object, in the order docs/WRITE-PATH.md gives: read the base,
 * plan, claim `vN` (conditional create of `vN/inventory.json`), copy and verify content, write
 * headers and RDF, flush, version inventory + sidecar, then the root inventory + sidecar last:
 * the commit point, conditional on the base's etag. Until that last write nothing is visible to
 * readers; any failure before it removes what this transaction wrote and leaves the object at
 * its previous version.
 */
import { ConflictError, hasCode, PreconditionFailedError } from '../core/errors.js';
import type { ContentPathMapper } from '../core/fedora/content-paths.js';
import { digestBytes } from '../core/ocfl/digests.js';
import { serializeInventory } from '../core/ocfl/inventory-parse.js';
import { quoteForMessage } from '../core/paths.js';
import type { ObjectChange } from '../core/plan/changes.js';
import { finalizeVersion, headersNeeded, planVersion, type VersionPlan } from '../core/plan/version-plan.js';
import { mapLimit } from '../engine/concurrency.js';
import type { HashPool } from '../hash/pool.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import { type BaseCache, readBase, readHeaders } from './base.js';
import { CopyCheckpoints, clearForResume, discardCheckpoints } from './checkpoint.js';
import { claimVersion, DEFAULT_LEASE_MS, type HeldClaim, renewClaim } from './claim.js';
import { type CopyProgress, copyContent } from './copy.js';
import { writeSmallFiles } from './small-files.js';
import type { SourceAccess } from './sources.js';

/** One version to write. */
export interface CommitRequest {
  txId: string;
  /** Fedora id of the object root resource (the OCFL object id). */
  objectId: string;
  parentId: string;
  rootKind: 'ArchivalGroup' | 'Container';
  rootName?: string;
  changes: readonly ObjectChange[];
  agent: { name: string; address?: string };
  message?: string;
  /**
   * The head the caller built its changes on: `null` = the object must not exist yet,
   * undefined = whatever the head is now.
   */
  expectedHead?: string | null;
}

/** Where and how to write. */
export interface CommitContext {
  store: WritableStore;
  /** Store key of the object root. */
  objectKey: string;
  sources: SourceAccess;
  digestAlgorithm: 'sha512' | 'sha256';
  mapper: ContentPathMapper;
  concurrency?: number;
  leaseMs?: number;
  /** Copies of at least this many bytes into S3 are resumable (see CopyContext.checkpointBytes). */
  checkpointBytes?: number;
  /** Parsed root inventories to reuse, and to remember the new one in (see BaseCache). */
  baseCache?: BaseCache;
  /** Worker pool for filesystem copies and housekeeping files (default: the shared one). */
  pool?: HashPool;
  onProgress?: (p: CommitProgress) => void;
  signal?: AbortSignal;
  /** Clock (tests). */
  now?: () => number;
}

/** Progress of a commit: the step, and during `content` the copy counts. */
export interface CommitProgress extends CopyProgress {
  step: 'plan' | 'claim' | 'content' | 'housekeeping' | 'flush' | 'inventory' | 'commit' | 'done';
}

/** The version written. */
export interface CommitResult {
  objectId: string;
  version: string;
  /** ISO instant recorded as the version's `created`. */
  created: string;
  plan: VersionPlan;
}

/**
 * Write the next version. Throws ConflictError (the head moved, another writer holds the
 * version), UnprocessableError (changes that cannot be applied, each named),
 * FixityMismatchError (content whose SHA-256 differs), InvalidInputError (a source outside the
 * allowed roots), and the stores' errors; in every case the object stays at its previous version.
 */
export async function commitVersion(req: CommitRequest, ctx: CommitContext): Promise<CommitResult> {
  const now = ctx.now ?? Date.now;
  const progress: CommitProgress = { step: 'plan', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  const report = (step: CommitProgress['step'], extra: Partial<CopyProgress> = {}) => {
    Object.assign(progress, extra, { step });
    ctx.onProgress?.({ ...progress });
  };
  report('plan');
  const base = await readBase(ctx.store, ctx.objectKey, req.objectId, ctx.baseCache);
  checkExpectedHead(req, base.inventory?.head);
  const headers = await readHeaders(ctx.store, ctx.objectKey, base.inventory, headersNeeded(req.changes));
  const created = new Date(now()).toISOString();
  const plan = planVersion({
    objectId: req.objectId,
    parentId: req.parentId,
    rootKind: req.rootKind,
    ...(req.rootName !== undefined && { rootName: req.rootName }),
    ...(base.inventory && { base: base.inventory }),
    baseHeaders: headers,
    changes: req.changes,
    created,
    agent: req.agent,
    ...(req.message !== undefined && { message: req.message }),
    digestAlgorithm: ctx.digestAlgorithm,
    mapper: ctx.mapper,
  });
  report('claim');
  const versionKey = joinKey(ctx.objectKey, plan.version);
  const claimReq = {
    txId: req.txId,
    objectId: req.objectId,
    version: plan.version,
    baseDigest: base.digest ?? null,
    agent: req.agent.name,
    leaseMs: ctx.leaseMs ?? DEFAULT_LEASE_MS,
    now,
  };
  const claimed = await claimVersion(ctx.store, joinKey(versionKey, 'inventory.json'), claimReq);
  // A retry of this same transaction keeps its checkpointed copies (checkpoint.ts).
  if (claimed.resumed) await clearForResume(ctx.store, versionKey, claimed.key);
  else if (claimed.tookOver) await clearVersion(ctx.store, versionKey, claimed.key);
  const checkpoints = new CopyCheckpoints(ctx.store, versionKey, claimed.resumed);
  const lease = new Lease(ctx.store, claimed, claimReq);
  const written: string[] = [];
  let committed = false;
  try {
    const results = await copyContent(plan.copies, {
      store: ctx.store,
      objectKey: ctx.objectKey,
      sources: ctx.sources,
      algorithm: plan.digestAlgorithm,
      ...(ctx.concurrency !== undefined && { concurrency: ctx.concurrency }),
      onProgress: (p) => report('content', p),
      ...(ctx.signal && { signal: ctx.signal }),
      checkpoints,
      ...(ctx.checkpointBytes !== undefined && { checkpointBytes: ctx.checkpointBytes }),
      ...(ctx.pool && { pool: ctx.pool }),
    });
    await checkpoints.removeAll();
    for (const c of plan.copies) written.push(joinKey(ctx.objectKey, c.contentPath));
    lease.check();
    report('housekeeping');
    const { inventory, files } = finalizeVersion(plan, results);
    const small = files.map((f) => ({ key: joinKey(ctx.objectKey, f.contentPath), bytes: f.bytes }));
    written.push(...(await writeSmallFiles(ctx.store, small, ctx.concurrency ?? 8, ctx.pool)));
    report('flush');
    await ctx.store.sync(written);
    lease.check();
    report('inventory');
    const bytes = Buffer.from(serializeInventory(inventory));
    const alg = plan.digestAlgorithm;
    const sidecar = `${digestBytes(bytes, [alg])[alg]} inventory.json\n`;
    const held = await lease.stop();
    await ctx.store.write(held.key, bytes, { ifMatch: held.etag });
    const versionSidecar = joinKey(versionKey, `inventory.json.${alg}`);
    await ctx.store.write(versionSidecar, sidecar);
    await ctx.store.sync([held.key, versionSidecar]);
    report('commit');
    const rootEtag = await writeRoot(ctx, base, bytes, sidecar, alg, req.objectId);
    committed = true;
    const digest =
      alg === 'sha512' ? sidecar.slice(0, sidecar.indexOf(' ')) : digestBytes(bytes, ['sha512']).sha512!;
    const next = { inventory, digest, ...(rootEtag !== undefined && { etag: rootEtag }) };
    ctx.baseCache?.set(joinKey(ctx.objectKey, 'inventory.json'), rootEtag, bytes.length, next);
    report('done');
    return { objectId: req.objectId, version: plan.version, created, plan };
  } catch (err) {
    lease.cancel();
    // Interrupted with resumable copies saved: leave the claim to expire and the checkpoints in
    // place, so a retry of this transaction (same id) resumes them; anything else is undone.
    const resumable = checkpoints.resumable && isInterruption(err, ctx.signal);
    if (!committed && !lease.lost && !resumable) await clearVersion(ctx.store, versionKey).catch(() => {});
    throw err;
  }
}

function checkExpectedHead(req: CommitRequest, head: string | undefined): void {
  if (req.expectedHead === undefined) return;
  if (req.expectedHead === null && head !== undefined) {
    throw new ConflictError(`${quoteForMessage(req.objectId)} already exists (head ${head})`, {
      key: req.objectId,
    });
  }
  if (req.expectedHead !== null && head !== req.expectedHead) {
    const now = head === undefined ? 'does not exist' : `is at ${head}`;
    throw new ConflictError(`${quoteForMessage(req.objectId)} ${now}, not ${req.expectedHead}`, {
      key: req.objectId,
    });
  }
}

/** An abort, or a storage failure that a retry may get past (not a refusal of the content). */
function isInterruption(err: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || hasCode(err, 'IO');
}

/**
 * Delete everything under a version directory (keeping `keep`, the claim, when given), after
 * aborting the multipart uploads its copy checkpoints name.
 */
async function clearVersion(store: WritableStore, versionKey: string, keep?: string): Promise<void> {
  await discardCheckpoints(store, versionKey);
  if (keep === undefined) {
    await store.deletePrefix(versionKey);
    return;
  }
  const keys: string[] = [];
  for await (const e of store.list(versionKey, { delimiter: false })) if (e.key !== keep) keys.push(e.key);
  await mapLimit(keys, 16, (k) => store.delete(k));
}

/** The commit point: the declaration (new objects), the root inventory, then its sidecar. */
async function writeRoot(
  ctx: CommitContext,
  base: { inventory?: unknown; etag?: string },
  bytes: Buffer,
  sidecar: string,
  alg: string,
  objectId: string,
): Promise<string | undefined> {
  const rootKey = joinKey(ctx.objectKey, 'inventory.json');
  const sidecarKey = joinKey(ctx.objectKey, `inventory.json.${alg}`);
  if (!base.inventory) {
    const declaration = joinKey(ctx.objectKey, '0=ocfl_object_1.1');
    await ctx.store.write(declaration, 'ocfl_object_1.1\n', { ifNoneMatch: true }).catch((err) => {
      if (!hasCode(err, 'ALREADY_EXISTS')) throw err;
    });
    await ctx.store.sync([declaration]);
  }
  let written: { etag?: string };
  try {
    if (base.inventory) written = await ctx.store.write(rootKey, bytes, { ifMatch: base.etag ?? '' });
    else written = await ctx.store.write(rootKey, bytes, { ifNoneMatch: true });
  } catch (err) {
    if (err instanceof PreconditionFailedError || hasCode(err, 'ALREADY_EXISTS')) {
      throw new ConflictError(`${quoteForMessage(objectId)} changed while this version was written`, {
        operation: 'commit',
        key: rootKey,
        cause: err,
      });
    }
    throw err;
  }
  await ctx.store.write(sidecarKey, sidecar);
  await ctx.store.sync([rootKey, sidecarKey]);
  return written.etag;
}

/** Keeps a claim's lease alive while the transaction works. */
class Lease {
  private claim: HeldClaim;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();
  private failure: unknown;
  lost = false;

  constructor(
    private readonly store: WritableStore,
    claim: HeldClaim,
    private readonly req: Parameters<typeof renewClaim>[2],
  ) {
    this.claim = claim;
    const every = Math.max(1000, Math.floor((req.leaseMs ?? DEFAULT_LEASE_MS) / 3));
    this.timer = setInterval(() => {
      this.renewing = this.renewing.then(() => this.renew());
    }, every);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    if (this.failure) return;
    try {
      this.claim = await renewClaim(this.store, this.claim, this.req);
    } catch (err) {
      this.failure = err;
      if (hasCode(err, 'CONFLICT')) this.lost = true;
    }
  }

  /** Throw if a renewal failed (the claim may be lost: stop writing). */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Stop renewing and return the claim as last renewed. Throws if a renewal failed. */
  async stop(): Promise<HeldClaim> {
    clearInterval(this.timer);
    await this.renewing;
    this.check();
    return this.claim;
  }

  cancel(): void {
    clearInterval(this.timer);
  }
}
