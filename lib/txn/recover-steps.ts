/**
 * Steps shared by recovery and purge: taking a claim for recovery, and the destructive steps,
 * each run while holding a claim on one of the object's version keys (claim.ts), so no writer
 * can commit into what is being removed; and the small reads recovery compares with.
 */
import { hasCode } from '../core/errors.js';
import { canCompute, digestBytes } from '../core/ocfl/digests.js';
import { MAX_INVENTORY_BYTES, parseInventory } from '../core/ocfl/inventory-parse.js';
import { MAX_SIDECAR_BYTES } from '../core/ocfl/limits.js';
import { parseVersionName } from '../core/ocfl/version-names.js';
import { mapLimit } from '../engine/concurrency.js';
import { parseSidecar } from '../engine/object-reader.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import {
  type ClaimRecord,
  type ClaimRequest,
  clearVersion,
  type ForeignClaim,
  hasFiles,
  newTxId,
  recordFor,
  releaseVersion,
  replaceClaim,
} from './claim.js';
import { Lease } from './lease.js';

/** The object declaration's key under `objectKey`. */
export function declarationKey(objectKey: string): string {
  return joinKey(objectKey, '0=ocfl_object_1.1');
}

/** Write the object declaration where none is (a present one is left) and flush it. */
export async function writeDeclaration(store: WritableStore, objectKey: string): Promise<void> {
  const key = declarationKey(objectKey);
  await store.write(key, 'ocfl_object_1.1\n', { ifNoneMatch: true }).catch((err) => {
    if (!hasCode(err, 'ALREADY_EXISTS')) throw err;
  });
  await store.sync([key]);
}

/**
 * Delete the whole object at `objectKey` while holding `lease`, a claim on one of its version
 * keys (renewed meanwhile; stopped here). Order: the declaration, the root inventory (readers
 * see no object from then on), the other root files, directories that are not versions, then
 * the versions from the highest down, each with
 * its inventory last; the held version is released last of all (its claim deleted last), and
 * finally whatever listings do not show (temp files, empty directories) when no file is left.
 * A writer creating the object anew needs `v1`'s claim, which it can only get once `v1` holds
 * no inventory, by which time nothing of the old object remains to be deleted but the held
 * claim. Throws the store's errors (a later run continues where this one stopped).
 */
export async function deleteObjectUnder(
  store: WritableStore,
  objectKey: string,
  lease: Lease,
): Promise<void> {
  try {
    await deleteUnder(store, objectKey, lease);
  } catch (err) {
    lease.cancel(); // the claim expires by itself: recovery finishes later
    throw err;
  }
}

async function deleteUnder(store: WritableStore, objectKey: string, lease: Lease): Promise<void> {
  const claimKey = lease.held.key;
  const rootFiles: string[] = [];
  const versions: Array<{ key: string; number: number }> = [];
  const others: string[] = [];
  for await (const e of store.list(objectKey, { delimiter: true })) {
    const name = e.key.slice(e.key.lastIndexOf('/') + 1);
    if (e.kind !== 'prefix') {
      rootFiles.push(e.key);
      continue;
    }
    const v = parseVersionName(name);
    if ('problem' in v) others.push(e.key);
    else versions.push({ key: e.key, number: v.number });
  }
  const rootInventory = joinKey(objectKey, 'inventory.json');
  const declarations = rootFiles.filter((k) => /^0=ocfl_object_/.test(k.slice(k.lastIndexOf('/') + 1)));
  // The declaration first: an object is never left declared without its root inventory (which
  // readers could not tell from damage); then the root inventory, after which readers see none.
  await mapLimit(declarations, 4, (k) => store.delete(k));
  if (rootFiles.includes(rootInventory)) await store.delete(rootInventory);
  await mapLimit(
    rootFiles.filter((k) => k !== rootInventory && !declarations.includes(k)),
    16,
    (k) => store.delete(k),
  );
  await mapLimit(others, 4, (k) => store.deletePrefix(k));
  const heldDir = claimKey.slice(0, claimKey.lastIndexOf('/'));
  for (const v of versions.sort((a, b) => b.number - a.number)) {
    if (v.key === heldDir) continue;
    const inventory = joinKey(v.key, 'inventory.json');
    await clearVersion(store, v.key, inventory);
    await store.delete(inventory);
    // Above v1 nobody can claim while the object has no root inventory: remove temp files too.
    if (v.number > 1) await store.deletePrefix(v.key);
  }
  await releaseVersion(store, heldDir, await lease.stop());
  if (!(await hasFiles(store, objectKey))) await store.deletePrefix(objectKey);
}

/** The object recovery is claiming a version of. */
export interface ClaimingObject {
  store: WritableStore;
  objectKey: string;
  objectId?: string;
  leaseMs: number;
  now?: () => number;
}

/** Read and parse the root inventory (`inventory` undefined when it does not parse). */
export async function readRoot(store: WritableStore, rootKey: string) {
  const etag = (await store.stat(rootKey)).etag;
  const bytes = await store.readBytes(rootKey, { maxBytes: MAX_INVENTORY_BYTES });
  const parsed = parseInventory(bytes, { path: 'inventory.json' });
  const alg = parsed.inventory?.digestAlgorithm;
  const digests = { ...parsed.digests };
  if (alg && !digests[alg] && canCompute(alg)) Object.assign(digests, digestBytes(bytes, [alg]));
  return { inventory: parsed.inventory, digests, etag };
}

/**
 * Take the claim on version directory `dir` of `run`'s object for recovery: create it, or take over what
 * `found` saw there (expired). A version inventory is taken over only while the root inventory
 * is still `rootEtag` (checked before and after: a writer that committed meanwhile gets its
 * inventory back). Resolves with the claim's lease (renewed while recovery works), undefined
 * when another writer won.
 */
export async function acquireClaim(
  run: ClaimingObject,
  dir: string,
  found: ForeignClaim | undefined,
  at: { nextName: string; digest: string | null; rootEtag?: string | undefined },
): Promise<Lease | undefined> {
  const { store } = run;
  const key = joinKey(dir, 'inventory.json');
  const req: ClaimRequest = {
    txId: `recover-${newTxId()}`,
    objectId: run.objectId ?? run.objectKey,
    version: at.nextName,
    baseDigest: at.digest,
    agent: 'strongroom recover',
    leaseMs: run.leaseMs,
    ...(run.now && { now: run.now }),
    purpose: 'recover',
  };
  const record: ClaimRecord = recordFor(req);
  const bytes = Buffer.from(JSON.stringify(record));
  const rootKey = joinKey(run.objectKey, 'inventory.json');
  const rootUnchanged = async () =>
    at.rootEtag === undefined || (await store.stat(rootKey).catch(() => undefined))?.etag === at.rootEtag;
  try {
    if (found === undefined) {
      const res = await store.write(key, bytes, { ifNoneMatch: true });
      return new Lease(store, { key, etag: res.etag ?? '', record }, req);
    }
    let saved: Buffer | undefined;
    if (found.kind === 'inventory') {
      if (!(await rootUnchanged())) return undefined;
      saved = await store.readBytes(key, { maxBytes: MAX_INVENTORY_BYTES });
    }
    const etag = await replaceClaim(store, key, found.etag, bytes, run.leaseMs);
    if (saved && !(await rootUnchanged())) {
      await store.write(key, saved, { ifMatch: etag }); // its writer committed after all: give it back
      return undefined;
    }
    return new Lease(store, { key, etag, record }, req);
  } catch (err) {
    if (hasCode(err, 'ALREADY_EXISTS') || hasCode(err, 'PRECONDITION_FAILED') || hasCode(err, 'NOT_FOUND')) {
      return undefined;
    }
    throw err;
  }
}

/** The digest a sidecar records (undefined when missing or not a sidecar). */
export async function readSidecar(store: WritableStore, key: string): Promise<string | undefined> {
  try {
    return parseSidecar((await store.readBytes(key, { maxBytes: MAX_SIDECAR_BYTES })).toString('utf8'));
  } catch (err) {
    if (hasCode(err, 'NOT_FOUND') || hasCode(err, 'TOO_LARGE')) return undefined;
    throw err;
  }
}

/** Whether `key` holds exactly `bytes`. */
export async function sameBytes(store: WritableStore, key: string, bytes: Buffer): Promise<boolean> {
  try {
    return (await store.readBytes(key, { maxBytes: bytes.length })).equals(bytes);
  } catch (err) {
    if (hasCode(err, 'NOT_FOUND') || hasCode(err, 'TOO_LARGE')) return false;
    throw err;
  }
}
