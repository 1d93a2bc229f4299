/**
 * Applying one version plan to one object, in the order docs/WRITE-PATH.md gives: read the base,
 * plan, claim `vN` (conditional create of `vN/inventory.json`), copy and verify content, write
 * headers and RDF, flush, version inventory + sidecar, then the root inventory + sidecar last:
 * the commit point, conditional on the base's etag. Until that last write nothing is visible to
 * readers; any failure before it removes what this transaction wrote and leaves the object at
 * its previous version. Leftovers of writers that died on the object are recovered first
 * (recover.ts); what guards each step on each backend is in docs/WRITE-PATH.md.
 */
import { createHash } from 'node:crypto';
import { ConflictError, hasCode, InvalidInputError, PreconditionFailedError } from '../core/errors.js';
import type { ContentPathMapper } from '../core/fedora/content-paths.js';
import type { Inventory } from '../core/inventory.js';
import { quoteForMessage } from '../core/paths.js';
import type { ObjectChange } from '../core/plan/changes.js';
import { finalizeVersion, headersNeeded, planVersion, type VersionPlan } from '../core/plan/version-plan.js';
import type { HashPool } from '../hash/pool.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import { type BaseCache, readBase, readHeaders } from './base.js';
import { CopyCheckpoints, clearForResume } from './checkpoint.js';
import { claimVersion, clearVersion, DEFAULT_LEASE_MS, releaseVersion } from './claim.js';
import { type CopyProgress, copyContent } from './copy.js';
import {
  KEEP_INVENTORY_BYTES,
  sidecarText,
  WHOLE_WRITE_BYTES,
  type WrittenInventory,
  writeInventory,
} from './inventory-write.js';
import { Lease } from './lease.js';
import { recoverObject } from './recover.js';
import { writeDeclaration } from './recover-steps.js';
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
  /**
   * Test hook: awaited before each step of {@link COMMIT_STEPS} (and `done`, after the last).
   * The crash harness (test/txn/crash-harness.test.ts) signals its parent from here and waits to
   * be killed, so every step boundary is tested. Not for production use: a slow hook holds the
   * claim (the lease keeps being renewed meanwhile).
   */
  onStep?: (step: CommitStep) => void | Promise<void>;
  signal?: AbortSignal;
  /** Clock (tests). */
  now?: () => number;
}

/**
 * The steps of a commit, in order, as {@link CommitContext.onStep} sees them: recovery of the
 * object's leftovers, reading the base and planning, the claim on vN, content copies, headers
 * and RDF, the bulk flush, the version inventory and its sidecar, the root inventory (the commit
 * point), the declaration (new objects only) and the root sidecar.
 */
export const COMMIT_STEPS = [
  'recover',
  'plan',
  'claim',
  'content',
  'housekeeping',
  'flush',
  'version-inventory',
  'version-sidecar',
  'root-inventory',
  'declaration',
  'root-sidecar',
  'done',
] as const;

/** One of {@link COMMIT_STEPS}. */
export type CommitStep = (typeof COMMIT_STEPS)[number];

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
  /**
   * Set when the version committed (readers see it) but a write after the commit point failed
   * (the root sidecar, a new object's declaration): what is missing. The next transaction on the
   * object or `strongroom recover` writes it.
   */
  pending?: string[];
}

/**
 * Write the next version. Throws ConflictError (the head moved, another writer holds the
 * version), UnprocessableError (changes that cannot be applied, each named),
 * FixityMismatchError (content whose SHA-256 differs), InvalidInputError (a source outside the
 * allowed roots), and the stores' errors; in every case the object stays at its previous version
 * — except a store error at the commit point itself whose outcome cannot be read back: then the
 * version is left for recovery to settle (see {@link writeRoot}).
 */
export async function commitVersion(req: CommitRequest, ctx: CommitContext): Promise<CommitResult> {
  const now = ctx.now ?? Date.now;
  const leaseMs = ctx.leaseMs ?? DEFAULT_LEASE_MS;
  const progress: CommitProgress = { step: 'plan', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  const report = (step: CommitProgress['step'], extra: Partial<CopyProgress> = {}) => {
    Object.assign(progress, extra, { step });
    ctx.onProgress?.({ ...progress });
  };
  const step = async (name: CommitStep) => {
    await ctx.onStep?.(name);
  };
  report('plan');
  checkSources(req.changes, ctx.sources);
  await step('recover');
  let base = await readBase(ctx.store, ctx.objectKey, req.objectId, ctx.baseCache);
  // Leftovers of a writer that died on this object (an expired claim, a sidecar never written)
  // are cleaned first, so that nothing a crash left can block this commit.
  const recovered = await recoverObject(ctx.store, ctx.objectKey, {
    objectId: req.objectId,
    ownTxId: req.txId,
    trustKey: true,
    leaseMs,
    ...(ctx.now && { now: ctx.now }),
    ...(base.inventory &&
      base.digests && {
        base: {
          inventory: base.inventory,
          digests: base.digests,
          ...(base.etag !== undefined && { etag: base.etag }),
        },
      }),
  });
  await step('plan');
  if (recovered.some((f) => f.applied))
    base = await readBase(ctx.store, ctx.objectKey, req.objectId, ctx.baseCache);
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
  await step('claim');
  const versionKey = joinKey(ctx.objectKey, plan.version);
  const claimReq = {
    txId: req.txId,
    objectId: req.objectId,
    version: plan.version,
    baseDigest: base.digest ?? null,
    agent: req.agent.name,
    leaseMs,
    now,
  };
  const claimed = await claimVersion(ctx.store, joinKey(versionKey, 'inventory.json'), claimReq);
  // A retry of this same transaction keeps its checkpointed copies (checkpoint.ts).
  if (claimed.resumed) await clearForResume(ctx.store, versionKey, claimed.key);
  else if (claimed.tookOver) await clearVersion(ctx.store, versionKey, claimed.key);
  const checkpoints = new CopyCheckpoints(ctx.store, versionKey, claimed.resumed);
  const lease = new Lease(ctx.store, claimed, claimReq);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, lease.signal]) : lease.signal;
  const written: string[] = [];
  let committed = false;
  try {
    await step('content');
    const results = await copyContent(plan.copies, {
      store: ctx.store,
      objectKey: ctx.objectKey,
      sources: ctx.sources,
      algorithm: plan.digestAlgorithm,
      ...(ctx.concurrency !== undefined && { concurrency: ctx.concurrency }),
      onProgress: (p) => report('content', p),
      signal,
      checkpoints,
      ...(ctx.checkpointBytes !== undefined && { checkpointBytes: ctx.checkpointBytes }),
      ...(ctx.pool && { pool: ctx.pool }),
    });
    await checkpoints.removeAll();
    for (const c of plan.copies) written.push(joinKey(ctx.objectKey, c.contentPath));
    lease.check();
    report('housekeeping');
    await step('housekeeping');
    const { inventory, files } = finalizeVersion(plan, results);
    const small = files.map((f) => ({ key: joinKey(ctx.objectKey, f.contentPath), bytes: f.bytes }));
    written.push(...(await writeSmallFiles(ctx.store, small, ctx.concurrency ?? 8, ctx.pool)));
    report('flush');
    await step('flush');
    await ctx.store.sync(written);
    lease.check();
    report('inventory');
    await step('version-inventory');
    // Streamed and digested as it is written: no copy of a large inventory is held.
    const alg = plan.digestAlgorithm;
    const held = await lease.stop();
    const version = await writeInventory(
      ctx.store,
      held.key,
      inventory,
      { ifMatch: held.etag },
      KEEP_INVENTORY_BYTES,
    );
    lease.replaced(version.result.etag ?? '');
    const sidecar = sidecarText(version.digests[alg]!);
    await step('version-sidecar');
    const versionSidecar = joinKey(versionKey, `inventory.json.${alg}`);
    await ctx.store.write(versionSidecar, sidecar);
    await ctx.store.sync([held.key, versionSidecar]);
    report('commit');
    const { pending, etag: rootEtag } = await writeRoot(ctx, base, {
      inventory,
      written: version,
      sidecar,
      alg,
      objectId: req.objectId,
      step,
      claim: lease.held,
    });
    committed = true;
    const digests = { sha512: version.digests.sha512!, [alg]: version.digests[alg]! };
    const next = {
      inventory,
      digest: digests.sha512,
      digests,
      ...(rootEtag !== undefined && { etag: rootEtag }),
    };
    ctx.baseCache?.set(joinKey(ctx.objectKey, 'inventory.json'), rootEtag, version.size, next);
    report('done');
    await step('done');
    return {
      objectId: req.objectId,
      version: plan.version,
      created,
      plan,
      ...(pending.length > 0 && { pending }),
    };
  } catch (err) {
    lease.cancel();
    // Undo only what is certainly not committed, and only while the claim is still ours. An
    // interruption with resumable copies saved leaves the claim to expire and the checkpoints in
    // place, so a retry of this transaction (same id) resumes them.
    const resumable = checkpoints.resumable && isInterruption(err, ctx.signal);
    if (!committed && !lease.lost && !resumable && !unsettled.has(err as object)) {
      await releaseVersion(ctx.store, versionKey, lease.held).catch(() => {});
    }
    throw err;
  }
}

/** Every source must lie in an allowed root, even one whose bytes the object already holds. */
function checkSources(changes: readonly ObjectChange[], sources: SourceAccess): void {
  const outside = changes.filter((c) => c.op === 'putBinary' && !sources.allows(c.source));
  if (outside.length === 0) return;
  const first = outside[0] as { source: string };
  const more = outside.length > 1 ? ` (and ${outside.length - 1} more)` : '';
  throw new InvalidInputError(
    `source ${quoteForMessage(first.source)}${more} is not inside the allowed source locations`,
    { operation: 'commit', key: first.source },
  );
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

/** Errors at the commit point whose outcome could not be read back: the version is left to recovery. */
const unsettled = new WeakSet<object>();

/** What {@link writeRoot} writes. */
interface RootWrite {
  inventory: Inventory;
  /** The version inventory written: the root inventory is the same bytes (size, digests). */
  written: WrittenInventory;
  sidecar: string;
  alg: string;
  objectId: string;
  step: (name: CommitStep) => Promise<void>;
  /** The version inventory we wrote over our claim (key and etag). */
  claim: { key: string; etag: string };
}

/**
 * The commit point: the root inventory — conditional on the base's etag (a conditional create
 * for a new object) and durable before it is visible (on the filesystem: temp file, fsync,
 * rename, fsync of the directory) — then, for a new object, its declaration, then the root
 * sidecar. The declaration comes after the root inventory so that a crash never leaves a
 * declared object without one (which would look like damage, not like an unfinished write);
 * readers find an object by its root inventory. Resolves once the root inventory is in place,
 * with what could not be written after it (not undone: readers do not need those files; the
 * next transaction or `recover` writes them). Throws ConflictError when the head moved or our version inventory is no
 * longer ours (a writer paused past its lease). Another store error at the root inventory is
 * checked by reading the root back: ours → committed; not ours → rethrown (nothing visible);
 * unreadable → rethrown and marked {@link unsettled}, so the caller leaves the version to
 * recovery instead of deleting what may be committed.
 */
async function writeRoot(
  ctx: CommitContext,
  base: { inventory?: unknown; etag?: string },
  w: RootWrite,
): Promise<{ pending: string[]; etag?: string }> {
  const rootKey = joinKey(ctx.objectKey, 'inventory.json');
  const sidecarKey = joinKey(ctx.objectKey, `inventory.json.${w.alg}`);
  await w.step('root-inventory');
  // Our claim, now our version inventory, must still be ours: a writer paused past its lease may
  // have been taken over, and its version deleted, while it slept.
  const mine = await ctx.store.stat(w.claim.key).catch(() => undefined);
  if (mine?.etag !== w.claim.etag) {
    throw new ConflictError(`${quoteForMessage(w.objectId)}: this transaction's claim was taken over`, {
      operation: 'commit',
      key: w.claim.key,
    });
  }
  let written: { etag?: string } = {};
  try {
    const options = base.inventory ? { ifMatch: base.etag ?? '' } : { ifNoneMatch: true };
    // The same canonical bytes again (kept from the version copy, else streamed once more);
    // size and SHA-256 known from the version copy.
    const rootOptions = {
      ...options,
      durable: true,
      size: w.written.size,
      ...(w.written.result.sha256 !== undefined && { sha256: w.written.result.sha256 }),
    };
    written = w.written.bytes
      ? await ctx.store.write(rootKey, w.written.bytes, rootOptions)
      : (await writeInventory(ctx.store, rootKey, w.inventory, rootOptions)).result;
  } catch (err) {
    if (err instanceof PreconditionFailedError || hasCode(err, 'ALREADY_EXISTS')) {
      throw new ConflictError(`${quoteForMessage(w.objectId)} changed while this version was written`, {
        operation: 'commit',
        key: rootKey,
        cause: err,
      });
    }
    const landed = await rootHolds(ctx.store, rootKey, w.written);
    if (landed === undefined && typeof err === 'object' && err !== null) unsettled.add(err);
    if (landed !== true) throw err;
  }
  // Committed. What follows only completes the object's files; a failure is reported, not undone.
  const pending: string[] = [];
  const after = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      pending.push(
        `${what} was not written (${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'})`,
      );
    }
  };
  if (!base.inventory) {
    await w.step('declaration');
    await after('the object declaration', () => writeDeclaration(ctx.store, ctx.objectKey));
  }
  await w.step('root-sidecar');
  await after('the root sidecar', async () => {
    await ctx.store.write(sidecarKey, w.sidecar);
    await ctx.store.sync([sidecarKey]);
  });
  return { pending, ...(written.etag !== undefined && { etag: written.etag }) };
}

/** Whether the root inventory now holds the bytes written (undefined: it cannot be read). */
async function rootHolds(
  store: WritableStore,
  key: string,
  written: WrittenInventory,
): Promise<boolean | undefined> {
  try {
    const hash = createHash('sha512');
    if (written.size <= WHOLE_WRITE_BYTES) {
      hash.update(await store.readBytes(key, { maxBytes: written.size }));
    } else {
      if ((await store.stat(key)).size !== written.size) return false;
      const stream = await store.read(key);
      for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
    }
    return hash.digest('hex') === written.digests.sha512;
  } catch (err) {
    return hasCode(err, 'NOT_FOUND') || hasCode(err, 'TOO_LARGE') ? false : undefined;
  }
}
