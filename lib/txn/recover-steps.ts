/**
 * The destructive steps shared by recovery and purge, each run while holding a claim on one of
 * the object's version keys (claim.ts), so no writer can commit into what is being removed.
 */
import { hasCode } from '../core/errors.js';
import { parseVersionName } from '../core/ocfl/version-names.js';
import { mapLimit } from '../engine/concurrency.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import { clearVersion, hasFiles, releaseVersion } from './claim.js';
import type { Lease } from './lease.js';

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
