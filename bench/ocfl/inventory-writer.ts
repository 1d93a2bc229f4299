/**
 * Write the inventories of a generated object: one per version directory plus the root copy,
 * each with its sidecar. Version `k`'s inventory holds the manifest entries of versions ≤ k and
 * the version blocks v1…vk, built from the same values so earlier blocks are identical in every
 * copy (E066), and the root inventory is byte-identical to the head version's (E064).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A version block as the generator knows it: digest → logical paths. */
export interface GeneratedVersion {
  name: string;
  created: string;
  message: string;
  state: Record<string, string[]>;
}

/** Everything needed to serialise the inventories. */
export interface GeneratedInventory {
  id: string;
  digestAlgorithm: 'sha512' | 'sha256';
  /** Per version (index 0 = v1): the manifest entries that version adds, digest → content paths. */
  added: Record<string, string[]>[];
  versions: GeneratedVersion[];
}

const USER = { name: 'Strongroom benchmark', address: 'mailto:bench@strongroom.invalid' };

/** The inventory of version `k` (1-based) as a plain JSON value. */
function inventoryAt(inv: GeneratedInventory, k: number): object {
  const manifest: Record<string, string[]> = {};
  for (const added of inv.added.slice(0, k)) Object.assign(manifest, added);
  const versions: Record<string, object> = {};
  for (const v of inv.versions.slice(0, k)) {
    versions[v.name] = { created: v.created, message: v.message, user: USER, state: v.state };
  }
  return {
    id: inv.id,
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: inv.digestAlgorithm,
    head: inv.versions[k - 1]!.name,
    contentDirectory: 'content',
    manifest,
    versions,
  };
}

/** Write `bytes` as `dir/inventory.json` + sidecar; returns the inventory digest. */
function writeWithSidecar(dir: string, bytes: Buffer, algorithm: string): string {
  const digest = createHash(algorithm).update(bytes).digest('hex');
  writeFileSync(join(dir, 'inventory.json'), bytes);
  writeFileSync(join(dir, `inventory.json.${algorithm}`), `${digest} inventory.json\n`);
  return digest;
}

/**
 * Write every version inventory and the root one under `objectRoot` (version directories must
 * exist). Returns the root inventory's size in bytes and digest.
 */
export function writeInventories(
  objectRoot: string,
  inv: GeneratedInventory,
): { bytes: number; digest: string } {
  let last = Buffer.alloc(0);
  for (let k = 1; k <= inv.versions.length; k++) {
    // Pretty-printed with 2 spaces, as most implementations write inventories.
    last = Buffer.from(JSON.stringify(inventoryAt(inv, k), null, 2), 'utf8');
    writeWithSidecar(join(objectRoot, inv.versions[k - 1]!.name), last, inv.digestAlgorithm);
  }
  const digest = writeWithSidecar(objectRoot, last, inv.digestAlgorithm);
  return { bytes: last.length, digest };
}
