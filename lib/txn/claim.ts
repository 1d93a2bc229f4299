/**
 * Claiming the next version of an object: a conditional create of `vN/inventory.json` holding a
 * claim record (not an inventory). Only one writer can create that key, in any process on any
 * machine (the storage's conditional create is atomic on every backend: docs/storage.md), and it
 * stays in place — replaced by the real version inventory — so a writer whose base is stale can
 * never claim a committed version again, nor write into its directory.
 *
 * A claim carries a lease: the holder renews it (a conditional replace on the claim's etag)
 * while it works. A claim whose lease has run out belongs to a writer that died; the next writer
 * takes it over (exactly one taker wins: see {@link replaceClaim}) and clears what the dead
 * writer left in `vN/`. A real version inventory at the claim key is never taken over here: it is
 * either a committed version (the base was stale: conflict) or one whose writer died between the
 * version inventory and the root inventory, which only recovery (recover.ts) removes, after
 * checking the head.
 *
 * Giving a claim up ({@link releaseVersion}) deletes everything else in `vN/` first and the claim
 * last, so nobody can claim a directory that still holds someone's leftovers.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  AlreadyExistsError,
  ConflictError,
  hasCode,
  PreconditionFailedError,
  UnsupportedError,
} from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { mapLimit } from '../engine/concurrency.js';
import type { WritableStore } from '../storage/port.js';
import { discardCheckpoints } from './checkpoint.js';

/** The record a claim key holds while a version is being written. */
export interface ClaimRecord {
  strongroomClaim: 1;
  /** The transaction holding the claim (a retry of the same transaction may take it back). */
  txId: string;
  objectId: string;
  version: string;
  /** sha512 of the root inventory the transaction started from; null for a new object. */
  baseDigest: string | null;
  /** ISO instants. */
  claimed: string;
  expires: string;
  agent: string;
  /** The lease length the holder renews with (ms); absent in records of older writers. */
  leaseMs?: number;
  /** What the claim is for (default `commit`): a purge's claim marks its leftovers as a purge's. */
  purpose?: 'commit' | 'purge' | 'recover';
}

/** A claim held by this process. */
export interface HeldClaim {
  key: string;
  etag: string;
  record: ClaimRecord;
}

/** What a claim key holds when it is not ours. */
export type ForeignClaim =
  | { kind: 'claim'; etag: string; record: ClaimRecord; expired: boolean }
  | { kind: 'inventory'; etag: string; expired: boolean }
  | { kind: 'unknown'; etag: string; expired: boolean };

/** Default lease: how long a claim stays valid without renewal (2 minutes). */
export const DEFAULT_LEASE_MS = 120_000;

/** Longest lease a claim record is believed to have (a day): no record blocks a version longer. */
export const MAX_LEASE_MS = 24 * 3600_000;

/** A claim record is a few hundred bytes; anything larger at a claim key is not one. */
const CLAIM_MAX_BYTES = 64 * 1024;

/** A new transaction id. */
export function newTxId(): string {
  return randomUUID();
}

function encode(record: ClaimRecord): Buffer {
  return Buffer.from(JSON.stringify(record));
}

/** Parse a claim key's bytes: a claim record, a real inventory, or something else. */
export function readClaimBytes(bytes: Buffer): ClaimRecord | 'inventory' | 'unknown' {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'unknown';
  }
  const v = value as Partial<ClaimRecord> & { type?: unknown };
  if (v?.strongroomClaim === 1 && typeof v.txId === 'string' && typeof v.expires === 'string') {
    return v as ClaimRecord;
  }
  return typeof v?.type === 'string' && String(v.type).includes('ocfl.io') ? 'inventory' : 'unknown';
}

/**
 * Whether a claim record is expired at `now`: its expiry has passed (an unparseable one counts as
 * passed), or the key was not rewritten for twice the record's lease (capped at
 * {@link MAX_LEASE_MS}) — a holder renews every third of it, so a record announcing a far-future
 * expiry, or written by a clock far ahead, cannot hold the version forever.
 */
export function claimExpired(record: ClaimRecord, modified: number, now: number, leaseMs: number): boolean {
  const expires = Date.parse(record.expires);
  if (!(expires >= now)) return true;
  const lease = Math.min(MAX_LEASE_MS, Math.max(1000, Number(record.leaseMs) || leaseMs));
  return modified > 0 && now - modified > 2 * lease;
}

/**
 * Look at what holds a claim key (undefined when nothing does). A real inventory or anything
 * else counts as expired once it is older than `leaseMs`. Throws the store's errors.
 */
export async function inspectClaim(
  store: WritableStore,
  key: string,
  now: number,
  leaseMs: number,
): Promise<ForeignClaim | undefined> {
  let etag: string;
  let bytes: Buffer | undefined;
  let modified: number;
  try {
    const st = await store.stat(key);
    etag = st.etag ?? '';
    modified = st.modified?.getTime() ?? 0;
    if (st.size <= CLAIM_MAX_BYTES) bytes = await store.readBytes(key, { maxBytes: CLAIM_MAX_BYTES });
  } catch (err) {
    if (hasCode(err, 'NOT_FOUND')) return undefined;
    throw err;
  }
  const parsed = bytes === undefined ? 'inventory' : readClaimBytes(bytes);
  if (parsed === 'inventory' || parsed === 'unknown') {
    return { kind: parsed, etag, expired: now - modified > leaseMs };
  }
  return { kind: 'claim', etag, record: parsed, expired: claimExpired(parsed, modified, now, leaseMs) };
}

/** What a claim needs to know. */
export interface ClaimRequest {
  txId: string;
  objectId: string;
  version: string;
  baseDigest: string | null;
  agent: string;
  leaseMs?: number;
  now?: () => number;
  purpose?: ClaimRecord['purpose'];
}

/** The record `req` writes now. */
export function recordFor(req: ClaimRequest): ClaimRecord {
  const now = (req.now ?? Date.now)();
  const leaseMs = req.leaseMs ?? DEFAULT_LEASE_MS;
  return {
    strongroomClaim: 1,
    txId: req.txId,
    objectId: req.objectId,
    version: req.version,
    baseDigest: req.baseDigest,
    claimed: new Date(now).toISOString(),
    expires: new Date(now + leaseMs).toISOString(),
    agent: req.agent,
    leaseMs,
    ...(req.purpose !== undefined && req.purpose !== 'commit' && { purpose: req.purpose }),
  };
}

/**
 * Claim `key` for `req`. When the key is taken: an expired claim record, something that is
 * neither a claim nor an inventory and older than the lease, or our own transaction's claim is
 * taken over (`tookOver` true: the caller must clear the version directory; `resumed` true when
 * the claim was this transaction's own, whose checkpointed copies may be kept). A live claim, or
 * a version inventory (committed, or being committed), is a ConflictError.
 */
export async function claimVersion(
  store: WritableStore,
  key: string,
  req: ClaimRequest,
): Promise<HeldClaim & { tookOver: boolean; resumed: boolean }> {
  const record = recordFor(req);
  try {
    const res = await store.write(key, encode(record), { ifNoneMatch: true });
    return { key, etag: res.etag ?? '', record, tookOver: false, resumed: false };
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
  }
  const leaseMs = req.leaseMs ?? DEFAULT_LEASE_MS;
  const found = await inspectClaim(store, key, (req.now ?? Date.now)(), leaseMs);
  if (found === undefined) return claimVersion(store, key, req); // released meanwhile: try again
  if (found.kind === 'inventory') {
    throw new ConflictError(
      `${quoteForMessage(req.objectId)} ${req.version} already exists (committed, or being committed)`,
      { operation: 'claimVersion', key },
    );
  }
  const ours = found.kind === 'claim' && found.record.txId === req.txId;
  if (!found.expired && !ours) {
    const who =
      found.kind === 'claim'
        ? `transaction ${found.record.txId} (until ${found.record.expires})`
        : 'another writer';
    throw new ConflictError(`${quoteForMessage(req.objectId)} ${req.version} is being written by ${who}`, {
      operation: 'claimVersion',
      key,
    });
  }
  const etag = await takeOver(store, key, found.etag, record, req);
  return { key, etag, record, tookOver: true, resumed: ours };
}

/** {@link replaceClaim} with its failures as ConflictError. */
async function takeOver(
  store: WritableStore,
  key: string,
  etag: string,
  record: ClaimRecord,
  req: Pick<ClaimRequest, 'objectId' | 'version'>,
): Promise<string> {
  try {
    return await replaceClaim(store, key, etag, encode(record), record.leaseMs);
  } catch (err) {
    if (
      err instanceof PreconditionFailedError ||
      hasCode(err, 'NOT_FOUND') ||
      hasCode(err, 'ALREADY_EXISTS')
    ) {
      throw new ConflictError(
        `${quoteForMessage(req.objectId)} ${req.version}: another writer took the claim first`,
        { operation: 'claimVersion', key, cause: err },
      );
    }
    throw err;
  }
}

/**
 * Replace what holds claim key `key` (etag `etag`) with `bytes`, so that of racing takers
 * exactly one wins; resolves with the new etag. Where the store's conditional replace is atomic
 * (S3, memory) that is one conditional write. On the filesystem it is emulated (compare, then
 * rename: two takers could both pass the compare), so the takers of one etag first elect one of
 * themselves with an atomic conditional create of `takeover-<hash of the etag>` beside the
 * claim; only the elected one replaces it, then removes its election file. The claim key is never empty meanwhile, so nobody can
 * create a fresh claim in a gap. An election file left by a taker that died counts as abandoned
 * once older than `leaseMs`; the next election is then held on a name derived from it (never by
 * deleting it, which two takers could both do). Election files are cleared with the rest of the
 * version directory. Throws PreconditionFailedError or AlreadyExistsError when another writer got
 * there first, UnsupportedError when the store offers neither.
 */
export async function replaceClaim(
  store: WritableStore,
  key: string,
  etag: string,
  bytes: Buffer,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<string> {
  const caps = await store.capabilities();
  if (caps.conditionalReplace === 'atomic')
    return (await store.write(key, bytes, { ifMatch: etag })).etag ?? '';
  if (caps.conditionalCreate !== 'atomic') {
    throw new UnsupportedError(`${store.uri} cannot take over a claim safely`, {
      operation: 'replaceClaim',
      key,
    });
  }
  const election = await elect(store, key.slice(0, key.lastIndexOf('/')), etag, bytes, leaseMs);
  try {
    return (await store.write(key, bytes, { ifMatch: etag })).etag ?? '';
  } finally {
    // Ours alone (created exclusively); a late taker of the same etag then fails the compare.
    await store.delete(election).catch(() => undefined);
  }
}

/**
 * Win the election to take over the claim at etag `etag` in `dir` (see {@link replaceClaim});
 * resolves with the election file's key.
 */
async function elect(
  store: WritableStore,
  dir: string,
  etag: string,
  bytes: Buffer,
  leaseMs: number,
): Promise<string> {
  let name = `takeover-${shortHash(etag)}`;
  for (let round = 0; round < 8; round++) {
    const election = `${dir}/${name}`;
    try {
      await store.write(election, bytes, { ifNoneMatch: true });
      return election;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
    const st = await store.stat(election).catch(() => undefined);
    if (st === undefined) continue; // cleared meanwhile: stand again
    if (Date.now() - (st.modified?.getTime() ?? 0) <= leaseMs) {
      throw new PreconditionFailedError(`another writer is taking over ${dir}`, {
        operation: 'replaceClaim',
        key: election,
      });
    }
    name = `takeover-${shortHash(`${name}/${st.etag ?? ''}`)}`;
  }
  throw new PreconditionFailedError(`too many abandoned takeovers of ${dir}`, { operation: 'replaceClaim' });
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Extend a held claim's lease. Throws ConflictError when the claim was taken over (the holder
 * must stop writing).
 */
export async function renewClaim(
  store: WritableStore,
  claim: HeldClaim,
  req: ClaimRequest,
): Promise<HeldClaim> {
  const record = { ...recordFor(req), claimed: claim.record.claimed };
  try {
    const res = await store.write(claim.key, encode(record), { ifMatch: claim.etag });
    return { key: claim.key, etag: res.etag ?? '', record };
  } catch (err) {
    if (err instanceof PreconditionFailedError || hasCode(err, 'NOT_FOUND')) {
      throw new ConflictError(`lost the claim on ${req.objectId} ${req.version} (its lease ran out)`, {
        operation: 'renewClaim',
        key: claim.key,
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * Delete everything under `versionKey` except `keep` (the claim) when given. Sub-directories go
 * whole (`deletePrefix`: on the filesystem that also removes temp files a killed write left,
 * which listings never show).
 */
export async function clearVersion(store: WritableStore, versionKey: string, keep?: string): Promise<void> {
  // Multipart uploads named by copy checkpoints are invisible in listings: abort them first.
  await discardCheckpoints(store, versionKey);
  if (keep === undefined) {
    await store.deletePrefix(versionKey);
    return;
  }
  const files: string[] = [];
  const dirs: string[] = [];
  for await (const e of store.list(versionKey, { delimiter: true })) {
    if (e.kind === 'prefix') dirs.push(e.key);
    else if (e.key !== keep) files.push(e.key);
  }
  await mapLimit(dirs, 4, (d) => store.deletePrefix(d));
  await mapLimit(files, 16, (k) => store.delete(k));
}

/**
 * Give up a held claim on `versionKey`: clear the directory, delete the claim itself last (only
 * while it is still ours: a conditional delete), then remove what listings do not show (temp
 * files, empty directories) unless someone claimed the version meanwhile. Throws the store's
 * errors; a claim taken over meanwhile is left to its new holder.
 */
export async function releaseVersion(
  store: WritableStore,
  versionKey: string,
  claim: { key: string; etag: string },
): Promise<void> {
  await clearVersion(store, versionKey, claim.key);
  try {
    await store.delete(claim.key, { ifMatch: claim.etag });
  } catch (err) {
    if (err instanceof PreconditionFailedError) return;
    throw err;
  }
  if (!(await hasFiles(store, versionKey))) await store.deletePrefix(versionKey);
}

/** True when any file is stored below `prefix` (listings never show temp files). */
export async function hasFiles(store: WritableStore, prefix: string): Promise<boolean> {
  for await (const e of store.list(prefix, { delimiter: false })) if (e.kind !== 'prefix') return true;
  return false;
}
