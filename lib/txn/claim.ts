/**
 * Claiming the next version of an object: a conditional create of `vN/inventory.json` holding a
 * claim record (not an inventory). Only one writer can create that key, in any process on any
 * machine (the storage's conditional create is atomic on every backend: docs/storage.md), and it
 * stays in place — replaced by the real version inventory — so a writer whose base is stale can
 * never claim a committed version again, nor write into its directory.
 *
 * A claim carries a lease: the holder renews it (a conditional replace on the claim's etag)
 * while it works. A claim whose lease has run out belongs to a writer that died; the next writer
 * takes it over with a conditional replace (exactly one taker wins where replace is atomic) and
 * clears what the dead writer left in `vN/`. A real version inventory above the head (a crash
 * between the version inventory and the root inventory) counts as expired once it is older than
 * the lease.
 */
import { randomUUID } from 'node:crypto';
import { AlreadyExistsError, ConflictError, hasCode, PreconditionFailedError } from '../core/errors.js';
import type { WritableStore } from '../storage/port.js';

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

/** Look at what holds a claim key (undefined when nothing does). */
export async function inspectClaim(store: WritableStore, key: string, now: number, leaseMs: number) {
  let etag: string;
  let bytes: Buffer;
  let modified: number;
  try {
    const st = await store.stat(key);
    etag = st.etag ?? '';
    modified = st.modified?.getTime() ?? 0;
    bytes = await store.readBytes(key, { maxBytes: 64 * 1024 * 1024 });
  } catch (err) {
    if (hasCode(err, 'NOT_FOUND')) return undefined;
    throw err;
  }
  const parsed = readClaimBytes(bytes);
  if (parsed === 'inventory' || parsed === 'unknown') {
    return { kind: parsed, etag, expired: now - modified > leaseMs } satisfies ForeignClaim;
  }
  return {
    kind: 'claim',
    etag,
    record: parsed,
    expired: Date.parse(parsed.expires) < now,
  } satisfies ForeignClaim;
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
}

function recordFor(req: ClaimRequest): ClaimRecord {
  const now = (req.now ?? Date.now)();
  return {
    strongroomClaim: 1,
    txId: req.txId,
    objectId: req.objectId,
    version: req.version,
    baseDigest: req.baseDigest,
    claimed: new Date(now).toISOString(),
    expires: new Date(now + (req.leaseMs ?? DEFAULT_LEASE_MS)).toISOString(),
    agent: req.agent,
  };
}

/**
 * Claim `key` for `req`. When the key is taken: an expired claim, an abandoned version
 * inventory, or our own transaction's claim is taken over (`tookOver` true: the caller must
 * clear the version directory; `resumed` true when the claim was this transaction's own, whose
 * checkpointed copies may be kept); anything live is a ConflictError.
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
  const ours = found.kind === 'claim' && found.record.txId === req.txId;
  if (!found.expired && !ours) {
    const who =
      found.kind === 'claim'
        ? `transaction ${found.record.txId} (until ${found.record.expires})`
        : 'another writer';
    throw new ConflictError(`${req.objectId} ${req.version} is being written by ${who}`, {
      operation: 'claimVersion',
      key,
    });
  }
  try {
    const res = await store.write(key, encode(record), { ifMatch: found.etag });
    return { key, etag: res.etag ?? '', record, tookOver: true, resumed: ours };
  } catch (err) {
    if (err instanceof PreconditionFailedError || hasCode(err, 'NOT_FOUND')) {
      throw new ConflictError(`${req.objectId} ${req.version}: another writer took the claim first`, {
        operation: 'claimVersion',
        key,
        cause: err,
      });
    }
    throw err;
  }
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
