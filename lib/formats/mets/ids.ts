/**
 * Element IDs for the METS we write. IDs must be valid xs:ID (NCName): paths cannot be used as
 * they are (spaces, `/`, `&`, non-ASCII are common in deposits — the Leeds API's path-built IDs
 * are not valid IDs). Each file or directory gets a key from the SHA-256 of its path, 16 hex
 * digits, which every element for it shares behind a letter prefix (FILE_, PHYS_, ADM_, TECH_,
 * DMD_, EVT_). The key depends only on the path, so the same deposit always gets the same IDs
 * and an item keeps its IDs across edits. Two paths whose 16-digit keys collide (about one in
 * 10^19 pairs) are told apart by lengthening the later one's key, in path order.
 */
import { createHash } from 'node:crypto';

const KEY_LENGTHS = [16, 24, 32, 64];

/** Assign a key to every path (the order of `paths` does not matter). */
export function assignKeys(paths: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(paths)].sort(comparePaths);
  const used = new Set<string>();
  const keys = new Map<string, string>();
  for (const p of sorted) {
    const hex = createHash('sha256').update(p, 'utf8').digest('hex');
    const key = KEY_LENGTHS.map((n) => hex.slice(0, n)).find((k) => !used.has(k)) ?? hex;
    used.add(key);
    keys.set(p, key);
  }
  return keys;
}

/** The IDs of one item's elements. */
export interface ItemIds {
  file: string;
  phys: string;
  adm: string;
  tech: string;
  dmd: string;
  event: string;
}

/** Build an item's element IDs from its key. */
export function itemIds(key: string): ItemIds {
  return {
    file: `FILE_${key}`,
    phys: `PHYS_${key}`,
    adm: `ADM_${key}`,
    tech: `TECH_${key}`,
    dmd: `DMD_${key}`,
    event: `EVT_${key}`,
  };
}

/** IDs of the root div and the object's own dmdSec. */
export const ROOT_IDS = { phys: 'PHYS_ROOT', dmd: 'DMD_ROOT' } as const;

/** Code-unit order: deterministic and locale-independent. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
