/**
 * OCFL inventory types (OCFL 1.0 and 1.1, https://ocfl.io/1.1/spec/#inventory).
 *
 * These describe a *well-formed* inventory. Parsing untrusted bytes and reporting what is wrong
 * with them (E0xx/W0xx) is the job of the inventory parser/validator, which produces these types
 * only when the structure allows it.
 */

/** A digest (lowercase hex in practice; compare case-insensitively) → paths. */
export type DigestMap = Record<string, string[]>;

/** `versions.vN.user`. */
export interface VersionUser {
  name: string;
  address?: string;
}

/** One `versions.vN` block. */
export interface InventoryVersion {
  /** RFC 3339 date-time with time zone. */
  created: string;
  message?: string;
  user?: VersionUser;
  /** digest → logical paths. */
  state: DigestMap;
}

/** A whole inventory. */
export interface Inventory {
  id: string;
  /** `https://ocfl.io/1.1/spec/#inventory` or the 1.0 equivalent. */
  type: string;
  /** `sha512` or `sha256`. */
  digestAlgorithm: string;
  /** Name of the newest version directory, e.g. `v3`. */
  head: string;
  /** Defaults to `content` when absent. */
  contentDirectory?: string;
  /** digest → content paths (relative to the object root). */
  manifest: DigestMap;
  /** Version name → version block. */
  versions: Record<string, InventoryVersion>;
  /** algorithm → digest → content paths. */
  fixity?: Record<string, DigestMap>;
}

/** The inventory type URI for each OCFL spec version. */
export const INVENTORY_TYPES = {
  '1.0': 'https://ocfl.io/1.0/spec/#inventory',
  '1.1': 'https://ocfl.io/1.1/spec/#inventory',
} as const;

/** OCFL spec versions this engine reads. */
export type OcflSpecVersion = keyof typeof INVENTORY_TYPES;

/** Spec version named by an inventory `type`, or undefined when it is not one we know. */
export function specVersionOfType(type: string): OcflSpecVersion | undefined {
  for (const [v, uri] of Object.entries(INVENTORY_TYPES)) if (uri === type) return v as OcflSpecVersion;
  return undefined;
}

/** Parse a version directory name (`v1`, `v002`) to its number, or undefined when malformed. */
export function versionNumber(name: string): number | undefined {
  const m = /^v(\d+)$/.exec(name);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
