/**
 * Recognising parts of an inventory that are identical to a reference inventory already known to
 * be valid (no issues at all), so validation need not check them again. An object's version
 * inventories repeat most of the root inventory: the same version blocks and manifest entries,
 * tens of thousands of paths each. A part that is identical to a part of a valid inventory raises
 * no issue where it stands either, except where it relates to the rest of its own inventory
 * (state digests against the manifest, content locations against the versions), which the
 * callers still check. Internal to `lib/core/ocfl`.
 *
 * Pure module.
 */
import type { Inventory, InventoryVersion } from '../inventory.js';
import { isPlainObject } from './context.js';

/** Same strings in the same order (`raw` may hold anything). */
export function sameStrings(raw: unknown, ref: readonly string[] | undefined): boolean {
  if (raw === ref && ref !== undefined) return true; // shared by the streaming reader
  if (!ref || !Array.isArray(raw) || raw.length !== ref.length) return false;
  for (let i = 0; i < ref.length; i++) if (raw[i] !== ref[i]) return false;
  return true;
}

/** Same digests in the same order, each with the same strings in the same order. */
export function sameDigestMap(raw: unknown, ref: Record<string, string[]> | undefined): boolean {
  if (!ref || !isPlainObject(raw)) return false;
  if (raw === ref) return true;
  const keys = Object.keys(raw);
  const refKeys = Object.keys(ref);
  if (keys.length !== refKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== refKeys[i] || !sameStrings(raw[keys[i]!], ref[refKeys[i]!])) return false;
  }
  return true;
}

/**
 * The reference's version block when the raw block is identical to it (same keys, created,
 * message, user and state), else undefined.
 */
export function sameVersion(raw: unknown, ref: InventoryVersion | undefined): InventoryVersion | undefined {
  if (!ref || !isPlainObject(raw)) return undefined;
  const keys = Object.keys(raw).length;
  const expected = 2 + (ref.message !== undefined ? 1 : 0) + (ref.user !== undefined ? 1 : 0);
  if (keys !== expected || raw.created !== ref.created || raw.message !== ref.message) return undefined;
  if (ref.user !== undefined && !sameUser(raw.user, ref.user)) return undefined;
  return sameDigestMap(raw.state, ref.state) ? ref : undefined;
}

function sameUser(raw: unknown, ref: NonNullable<InventoryVersion['user']>): boolean {
  if (!isPlainObject(raw) || raw.name !== ref.name || raw.address !== ref.address) return false;
  return Object.keys(raw).length === (ref.address !== undefined ? 2 : 1);
}

/** A reference usable for `inventory`'s content: the same digest algorithm. */
export function usableReference(reference: Inventory | undefined, digestAlgorithm: unknown) {
  return reference && reference.digestAlgorithm === digestAlgorithm ? reference : undefined;
}
