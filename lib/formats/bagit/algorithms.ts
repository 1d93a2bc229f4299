/**
 * Checksum algorithms as BagIt names them in `manifest-<alg>.txt`. RFC 8493 asks for SHA-512 and
 * SHA-256 and keeps MD5 and SHA-1 for older bags; real bags also use sha224, sha384 and SHA-3.
 * Names are matched case-insensitively and `sha-256` is read as `sha256`.
 */

/** What we know about one algorithm. */
export interface BagAlgorithm {
  /** BagIt (and OCFL) name: `sha256`. */
  name: string;
  /** Hex digest length. */
  hexLength: number;
  /** Name for node:crypto's createHash. */
  nodeName: string;
  /** MD5 and SHA-1 are collision-broken: fine for fixity, weak as identity. */
  weak: boolean;
}

const TABLE: BagAlgorithm[] = [
  { name: 'md5', hexLength: 32, nodeName: 'md5', weak: true },
  { name: 'sha1', hexLength: 40, nodeName: 'sha1', weak: true },
  { name: 'sha224', hexLength: 56, nodeName: 'sha224', weak: false },
  { name: 'sha256', hexLength: 64, nodeName: 'sha256', weak: false },
  { name: 'sha384', hexLength: 96, nodeName: 'sha384', weak: false },
  { name: 'sha512', hexLength: 128, nodeName: 'sha512', weak: false },
  { name: 'sha3-224', hexLength: 56, nodeName: 'sha3-224', weak: false },
  { name: 'sha3-256', hexLength: 64, nodeName: 'sha3-256', weak: false },
  { name: 'sha3-384', hexLength: 96, nodeName: 'sha3-384', weak: false },
  { name: 'sha3-512', hexLength: 128, nodeName: 'sha3-512', weak: false },
  { name: 'blake2b-512', hexLength: 128, nodeName: 'blake2b512', weak: false },
  { name: 'sha512/256', hexLength: 64, nodeName: 'sha512-256', weak: false },
];

const BY_NAME = new Map(TABLE.map((a) => [a.name, a]));
// A Map, not an object literal: `manifest-constructor.txt` must not find Object's constructor.
const ALIASES = new Map<string, string>([
  ['sha-1', 'sha1'],
  ['sha-224', 'sha224'],
  ['sha-256', 'sha256'],
  ['sha-384', 'sha384'],
  ['sha-512', 'sha512'],
  ['blake2b512', 'blake2b-512'],
  ['sha512-256', 'sha512/256'],
]);

/** Canonical lowercase name of a manifest algorithm label (unknown labels are lowercased only). */
export function canonicalAlgorithm(label: string): string {
  const lower = String(label).toLowerCase();
  return ALIASES.get(lower) ?? lower;
}

/** The algorithm for a (canonical or alias) name, or undefined when we cannot compute it. */
export function bagAlgorithm(label: string): BagAlgorithm | undefined {
  return BY_NAME.get(canonicalAlgorithm(label));
}
