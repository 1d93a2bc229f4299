/**
 * Purging an object: removing it entirely, as if it had never been. Like a commit it first
 * claims the next version (a claim record marked `purge`), so no writer can commit to the object
 * while it goes, and recovery knows leftovers of a purge that died part-way for what they are
 * and finishes the job once the claim's lease has run out.
 */
import { ConflictError, NotFoundError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { nextVersionName } from '../core/plan/version-plan.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import { readBase } from './base.js';
import { claimVersion, DEFAULT_LEASE_MS, newTxId, releaseVersion } from './claim.js';
import { Lease } from './lease.js';
import { deleteObjectUnder } from './recover-steps.js';

/**
 * Delete the object `objectId` at store key `objectKey` (see the module doc). Throws
 * NotFoundError when it has no root inventory, ConflictError when another writer holds its next
 * version or commits meanwhile, and the store's errors (a later `recover` finishes the purge).
 */
export async function purgeObject(
  store: WritableStore,
  objectKey: string,
  objectId: string,
  options: { leaseMs?: number; now?: () => number } = {},
): Promise<void> {
  const base = await readBase(store, objectKey, objectId);
  if (!base.inventory) {
    throw new NotFoundError(`nothing to purge at ${quoteForMessage(objectId)}`, { key: objectKey });
  }
  const version = nextVersionName(
    base.inventory.head,
    Object.keys(base.inventory.versions).some((n) => n.startsWith('v0')),
  );
  const req = {
    txId: newTxId(),
    objectId,
    version,
    baseDigest: base.digest ?? null,
    agent: 'strongroom purge',
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    ...(options.now && { now: options.now }),
    purpose: 'purge' as const,
  };
  const versionKey = joinKey(objectKey, version);
  const claimed = await claimVersion(store, joinKey(versionKey, 'inventory.json'), req);
  const lease = new Lease(store, claimed, req);
  const now = await store.stat(joinKey(objectKey, 'inventory.json')).catch(() => undefined);
  if (now?.etag !== base.etag) {
    await releaseVersion(store, versionKey, await lease.stop());
    throw new ConflictError(`${quoteForMessage(objectId)} changed while it was being purged`, {
      operation: 'purge',
      key: objectKey,
    });
  }
  await deleteObjectUnder(store, objectKey, lease);
}
