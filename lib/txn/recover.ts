/**
 * Recovery: finding and cleaning what a crashed (or killed) writer left in an object, so readers
 * keep seeing exactly the last committed version and nothing blocks the next commit forever.
 * Every commit runs it on its object first (commit.ts); `strongroom recover` runs it on every
 * object of a storage root (recover-root.ts).
 *
 * What a crash can leave, by the commit order (docs/WRITE-PATH.md), and what is done:
 * - a version directory above the head — a claim record, a version inventory whose root
 *   inventory never landed, or content with no inventory at all: deleted once its claim's lease
 *   has expired (a version inventory counts as expired when older than the lease); a live claim
 *   is another writer at work and is left alone;
 * - a root sidecar that does not match the root inventory (a crash between the two writes):
 *   rewritten when the root inventory's bytes are exactly `v<head>/inventory.json`'s, else left;
 * - a root inventory without the object declaration (a new object's declaration is written just
 *   after its root inventory): the declaration is written;
 * - an object without a root inventory: a first version that never committed (a claim, or a
 *   version inventory, and no declaration) or a purge part-way (its claim says `purge`): deleted
 *   once expired. A declared object with no root inventory and no claim is damage, not a crash
 *   of ours, and is only reported: preserved data is never thrown away on a guess.
 *
 * Every change is made while holding the claim on the next version (`v<head+1>`, or `v1` when
 * there is no root inventory), taken with the same atomic create or takeover a commit uses, so
 * recovery never races a writer: a writer needs that claim to commit anything. Nothing is ever
 * deleted at or below the head. Each finding is reported with what was (or, in a dry run, would
 * be) done and why.
 */
import type { Inventory } from '../core/inventory.js';
import { MAX_INVENTORY_BYTES } from '../core/ocfl/inventory-parse.js';
import { parseVersionName } from '../core/ocfl/version-names.js';
import { quoteForMessage, truncateForMessage } from '../core/paths.js';
import { nextVersionName } from '../core/plan/version-plan.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import {
  type ClaimRecord,
  DEFAULT_LEASE_MS,
  type ForeignClaim,
  inspectClaim,
  releaseVersion,
} from './claim.js';
import {
  acquireClaim,
  type ClaimingObject,
  deleteObjectUnder,
  readRoot,
  readSidecar,
  sameBytes,
  writeDeclaration,
} from './recover-steps.js';

/** What recovery does about one finding. */
export type RecoveryAction =
  | 'delete-version'
  | 'delete-object'
  | 'rewrite-sidecar'
  | 'write-declaration'
  | 'leave';

/** The situations recovery recognises (see the module doc). */
export type RecoverySituation =
  | 'abandoned-claim'
  | 'abandoned-version'
  | 'partial-version'
  | 'live-claim'
  | 'recent-version'
  | 'root-sidecar-mismatch'
  | 'unexplained-sidecar-mismatch'
  | 'missing-declaration'
  | 'unfinished-create'
  | 'unfinished-purge'
  | 'root-inventory-missing'
  | 'unreadable-root-inventory'
  | 'unrecognised';

/** One thing recovery found, and what it did (or would do). */
export interface RecoveryFinding {
  situation: RecoverySituation;
  action: RecoveryAction;
  /** True once done; false in a dry run, for `leave`, and when deferred to a writer at work. */
  applied: boolean;
  /** Store key of the object root. */
  objectKey: string;
  /** Store key the finding is about (a version directory, a sidecar, the object root). */
  key: string;
  objectId?: string;
  version?: string;
  /** Why, in words. */
  reason: string;
}

/** Options of {@link recoverObject} and `recoverStorageRoot`. */
export interface RecoverOptions {
  /** Only report what would be done (default false). */
  dryRun?: boolean;
  /**
   * Lease (ms) after which a version inventory or unknown file above the head counts as abandoned,
   * and the lease of recovery's own claims (default {@link DEFAULT_LEASE_MS}). Claim records
   * carry their own expiry.
   */
  leaseMs?: number;
  /** Clock (tests). */
  now?: () => number;
  signal?: AbortSignal;
}

/** Options of {@link recoverObject} alone. */
export interface ObjectRecoveryOptions extends RecoverOptions {
  /** The object's id when known (named in findings). */
  objectId?: string;
  /** Whether `id` belongs at this object root (storage-root walks check it with the layout). */
  belongsHere?: (id: string) => boolean;
  /** A claim of this transaction is left to it (a retried commit takes its own claim back). */
  ownTxId?: string;
  /**
   * The key is known to be this object's (the layout gave it): version directories with nothing
   * to vouch for them (no claim, no inventory) are still removed. Default false.
   */
  trustKey?: boolean;
  /** The root inventory as the caller just read it (a commit's base), so it is not read twice. */
  base?: { inventory: Inventory; digests: Record<string, string>; etag?: string };
}

const OBJECT_NAMASTE = /^0=ocfl_object_/;

/** A version directory and what holds its inventory key. */
interface VersionDir {
  name: string;
  number: number;
  key: string;
  inventoryKey: string;
  found: ForeignClaim | undefined;
  own: boolean;
}

/** Shared state of one object's recovery. */
interface Run {
  store: WritableStore;
  objectKey: string;
  opts: ObjectRecoveryOptions;
  leaseMs: number;
  now: number;
  finding(
    situation: RecoverySituation,
    action: RecoveryAction,
    key: string,
    reason: string,
    version?: string,
  ): RecoveryFinding;
}

/**
 * Recover the object rooted at store key `objectKey` (see the module doc). Resolves with the
 * findings (empty when there was nothing to do). Throws the store's errors; a writer that takes
 * the object meanwhile makes the affected findings `leave` rather than failing.
 */
export async function recoverObject(
  store: WritableStore,
  objectKey: string,
  opts: ObjectRecoveryOptions = {},
): Promise<RecoveryFinding[]> {
  opts = { ...opts }; // objectId is filled in from what is found
  const run: Run = {
    store,
    objectKey,
    opts,
    leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
    now: (opts.now ?? Date.now)(),
    finding: (situation, action, key, reason, version) => ({
      situation,
      action,
      applied: false,
      objectKey,
      key,
      ...(opts.objectId !== undefined && { objectId: truncateForMessage(opts.objectId, 512) }),
      ...(version !== undefined && { version }),
      reason,
    }),
  };
  const files: string[] = [];
  const dirNames: string[] = [];
  for await (const e of store.list(objectKey, {
    delimiter: true,
    ...(opts.signal && { signal: opts.signal }),
  })) {
    const name = e.key.slice(e.key.lastIndexOf('/') + 1);
    (e.kind === 'prefix' ? dirNames : files).push(name);
  }
  if (files.length === 0 && dirNames.length === 0) return [];
  return files.includes('inventory.json')
    ? recoverWithRoot(run, files, dirNames)
    : recoverWithoutRoot(run, files, await inspectVersions(run, dirNames, 0));
}

/** The version directories numbered above `above`, and what holds each one's inventory key. */
async function inspectVersions(run: Run, dirNames: string[], above: number): Promise<VersionDir[]> {
  const out: VersionDir[] = [];
  for (const name of dirNames) {
    const parsed = parseVersionName(name);
    if ('problem' in parsed || parsed.number <= above) continue;
    const key = joinKey(run.objectKey, name);
    const inventoryKey = joinKey(key, 'inventory.json');
    const found = await inspectClaim(run.store, inventoryKey, run.now, run.leaseMs);
    const own =
      found?.kind === 'claim' && run.opts.ownTxId !== undefined && found.record.txId === run.opts.ownTxId;
    out.push({ name, number: parsed.number, key, inventoryKey, found, own });
  }
  return out.sort((a, b) => a.number - b.number);
}

/** A finding for a version directory above the head, by what holds its inventory key. */
function versionFinding(run: Run, v: VersionDir): RecoveryFinding {
  const f = v.found;
  if (f === undefined) {
    return run.finding(
      'partial-version',
      'delete-version',
      v.key,
      'a version directory above the head with no inventory',
      v.name,
    );
  }
  if (f.kind === 'claim') {
    return f.expired
      ? run.finding(
          'abandoned-claim',
          'delete-version',
          v.key,
          `claim of transaction ${quoteForMessage(f.record.txId, 80)} expired at ${quoteForMessage(String(f.record.expires), 40)}`,
          v.name,
        )
      : run.finding(
          'live-claim',
          'leave',
          v.key,
          `transaction ${quoteForMessage(f.record.txId, 80)} holds it until ${quoteForMessage(String(f.record.expires), 40)}`,
          v.name,
        );
  }
  if (f.kind === 'inventory') {
    return f.expired
      ? run.finding(
          'abandoned-version',
          'delete-version',
          v.key,
          'a version inventory above the head, older than the lease: its root inventory never landed',
          v.name,
        )
      : run.finding(
          'recent-version',
          'leave',
          v.key,
          'a version inventory above the head written within the lease: its writer may be committing it',
          v.name,
        );
  }
  return f.expired
    ? run.finding(
        'partial-version',
        'delete-version',
        v.key,
        'its inventory key holds neither a claim nor an inventory, older than the lease',
        v.name,
      )
    : run.finding(
        'recent-version',
        'leave',
        v.key,
        'its inventory key holds neither a claim nor an inventory, written within the lease',
        v.name,
      );
}

async function recoverWithRoot(run: Run, files: string[], dirNames: string[]): Promise<RecoveryFinding[]> {
  const { store, objectKey } = run;
  const rootKey = joinKey(objectKey, 'inventory.json');
  const root = run.opts.base ?? (await readRoot(store, rootKey));
  const { inventory: inv, digests, etag } = root;
  const head = inv ? parseVersionName(inv.head) : undefined;
  if (!inv || !head || 'problem' in head) {
    return [
      run.finding(
        'unreadable-root-inventory',
        'leave',
        rootKey,
        'the root inventory does not parse: validate the object',
      ),
    ];
  }
  run.opts.objectId ??= inv.id;
  // Only what lies above the head is looked at: committed versions are never touched.
  const versions = await inspectVersions(run, dirNames, head.number);
  const findings = versions.filter((v) => !v.own).map((v) => versionFinding(run, v));
  const alg = inv.digestAlgorithm;
  const digest = digests[alg];
  const sidecarKey = joinKey(objectKey, `inventory.json.${alg}`);
  const recorded = files.includes(`inventory.json.${alg}`) ? await readSidecar(store, sidecarKey) : undefined;
  if (digest !== undefined && recorded !== digest) {
    const bytes = await store.readBytes(rootKey, { maxBytes: MAX_INVENTORY_BYTES });
    const same = await sameBytes(store, joinKey(objectKey, inv.head, 'inventory.json'), bytes);
    findings.push(
      same
        ? run.finding(
            'root-sidecar-mismatch',
            'rewrite-sidecar',
            sidecarKey,
            `the root sidecar does not match the root inventory, which is exactly ${inv.head}/inventory.json: a crash between the two writes`,
          )
        : run.finding(
            'unexplained-sidecar-mismatch',
            'leave',
            sidecarKey,
            `the root sidecar does not match the root inventory, which differs from ${inv.head}/inventory.json: not guessed at; validate the object`,
          ),
    );
  }
  if (!files.some((f) => OBJECT_NAMASTE.test(f))) {
    findings.push(
      run.finding(
        'missing-declaration',
        'write-declaration',
        joinKey(objectKey, '0=ocfl_object_1.1'),
        'the object has a root inventory but no declaration file',
      ),
    );
  }
  if (run.opts.dryRun || !findings.some((f) => f.action !== 'leave')) return findings;
  const nextName = nextVersionName(
    inv.head,
    Object.keys(inv.versions).some((n) => n.startsWith('v0')),
  );
  const nextNumber = head.number + 1;
  const next = versions.find((v) => v.number === nextNumber);
  if (next && (next.own || findings.some((f) => f.key === next.key && f.action === 'leave'))) {
    return defer(findings, `a writer holds ${nextName}: repaired once it is done`);
  }
  const dir = next?.key ?? joinKey(objectKey, nextName);
  const lease = await acquireClaim(claiming(run), dir, next?.found, {
    nextName,
    digest: digests.sha512 ?? null,
    rootEtag: etag,
  });
  if (!lease) return defer(findings, `another writer claimed ${nextName} meanwhile`);
  try {
    if ((await store.stat(rootKey)).etag !== etag) {
      await releaseVersion(store, dir, await lease.stop());
      return defer(findings, 'the object changed meanwhile: run recovery again');
    }
    for (const f of findings) {
      if (f.action === 'delete-version') {
        if (f.key !== dir) await store.deletePrefix(f.key); // the claimed one goes with the release
      } else if (f.action === 'rewrite-sidecar') {
        await store.write(sidecarKey, `${digest} inventory.json\n`);
        await store.sync([sidecarKey]);
      } else if (f.action === 'write-declaration') {
        await writeDeclaration(store, objectKey);
      } else continue;
      f.applied = true;
    }
  } catch (err) {
    lease.cancel(); // the claim expires by itself: a later run finishes
    throw err;
  }
  await releaseVersion(store, dir, await lease.stop());
  return findings;
}

async function recoverWithoutRoot(
  run: Run,
  files: string[],
  versions: VersionDir[],
): Promise<RecoveryFinding[]> {
  const { objectKey } = run;
  if (versions.some((v) => v.own)) return []; // the retried transaction takes its claim back
  const claims = versions.flatMap((v) => (v.found?.kind === 'claim' ? [v.found.record] : []));
  // With a claim, the claim says whether its writer lives (other versions' inventories are a
  // purged object's, as old as their commits); without one, a recent version inventory may be a
  // creator about to write the root inventory.
  const live = versions
    .filter((v) => claims.length === 0 || v.found?.kind === 'claim')
    .map((v) => versionFinding(run, v))
    .filter((f) => f.action === 'leave');
  if (live.length > 0) {
    return live.map((f) => ({
      ...f,
      reason: `${f.reason} (an object without a root inventory: left to its writer)`,
    }));
  }
  const declared = files.some((f) => OBJECT_NAMASTE.test(f));
  let finding: RecoveryFinding | undefined;
  if (!(await vouchedFor(run, claims, versions))) {
    return [
      run.finding(
        'unrecognised',
        'leave',
        objectKey,
        'what it holds names an object that does not belong at this place in the layout: not touched',
      ),
    ];
  }
  if (claims.length > 0) {
    const purge = claims.some((c) => c.purpose === 'purge');
    finding = run.finding(
      purge ? 'unfinished-purge' : 'unfinished-create',
      'delete-object',
      objectKey,
      purge
        ? 'a purge stopped part-way (its expired claim remains): finishing it'
        : `a first version that never committed (claim of transaction ${quoteForMessage(claims[0]!.txId, 80)} expired)`,
    );
  } else if (!declared && (run.opts.trustKey || versions.some((v) => v.found?.kind === 'inventory'))) {
    finding = run.finding(
      'unfinished-create',
      'delete-object',
      objectKey,
      'a first version that never committed (no declaration, no root inventory)',
    );
  } else if (!declared) {
    return [
      run.finding(
        'unrecognised',
        'leave',
        objectKey,
        'version directories with no claim, inventory or declaration: not Strongroom leftovers that can be told apart; not touched',
      ),
    ];
  } else {
    return [
      run.finding(
        'root-inventory-missing',
        'leave',
        objectKey,
        'a declared object without a root inventory and no claim: damaged, not an unfinished write (a new object is declared only after its root inventory); not touched: validate it',
      ),
    ];
  }
  if (run.opts.dryRun) return [finding];
  const first = versions.find((v) => v.number === 1);
  const lease = await acquireClaim(claiming(run), first?.key ?? joinKey(objectKey, 'v1'), first?.found, {
    nextName: 'v1',
    digest: null,
  });
  if (!lease)
    return [
      { ...finding, action: 'leave', reason: `${finding.reason}; another writer claimed v1 meanwhile` },
    ];
  await deleteObjectUnder(run.store, objectKey, lease);
  finding.applied = true;
  return [finding];
}

/**
 * Whether the claims or the `v1` inventory found name an object the layout puts here (always
 * true without a layout check, i.e. when the caller knows the key is the object's).
 */
async function vouchedFor(run: Run, claims: ClaimRecord[], versions: VersionDir[]): Promise<boolean> {
  const belongs = run.opts.belongsHere ?? (() => true);
  let id: unknown = claims[0]?.objectId;
  const first = versions.find((v) => v.number === 1 && v.found?.kind === 'inventory');
  if (id === undefined && first) {
    try {
      const bytes = await run.store.readBytes(first.inventoryKey, { maxBytes: MAX_INVENTORY_BYTES });
      id = (JSON.parse(bytes.toString('utf8')) as { id?: unknown } | null)?.id;
    } catch {
      id = null;
    }
  }
  if (typeof id === 'string') run.opts.objectId ??= id;
  if (run.opts.trustKey || id === undefined) return true; // nothing names an object: the rules decide
  return typeof id === 'string' && claims.every((c) => belongs(c.objectId)) && belongs(id);
}

/** What taking a claim needs to know of `run`. */
function claiming(run: Run): ClaimingObject {
  return {
    store: run.store,
    objectKey: run.objectKey,
    leaseMs: run.leaseMs,
    ...(run.opts.objectId !== undefined && { objectId: run.opts.objectId }),
    ...(run.opts.now && { now: run.opts.now }),
  };
}

/** Turn the pending actions into `leave`, saying why. */
function defer(findings: RecoveryFinding[], why: string): RecoveryFinding[] {
  return findings.map((f) =>
    f.action === 'leave' || f.applied ? f : { ...f, action: 'leave', reason: `${f.reason}; ${why}` },
  );
}
