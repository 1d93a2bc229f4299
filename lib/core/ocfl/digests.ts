/**
 * Digest algorithm vocabulary and digest comparisons.
 *
 * Content addressing uses only sha512 or sha256 (E025). Fixity may use the spec's table (md5,
 * sha1, sha256, sha512, blake2b-512) or the names added by extension 0009 (blake2b-160/256/384,
 * sha512/256, size). Hex digests are case-insensitive values, so comparisons of a computed digest
 * with a stored one ignore case; only `state` keys must byte-match manifest keys (E050).
 *
 * Pure module (node:crypto only).
 */
import { hash } from 'node:crypto';
import type { OcflCode } from './codes.js';

/** Algorithms allowed for content addressing (`digestAlgorithm`). */
export const CONTENT_DIGEST_ALGORITHMS = ['sha512', 'sha256'] as const;

/**
 * Every fixity algorithm name we recognise, with the expected value shape: hex of a given
 * length, or `decimal` for `size`. The spec's table plus extension 0009.
 */
export const FIXITY_ALGORITHMS: Record<
  string,
  { hexLength?: number; decimal?: true; formatCode?: OcflCode }
> = {
  md5: { hexLength: 32 },
  sha1: { hexLength: 40, formatCode: 'E029' },
  sha256: { hexLength: 64, formatCode: 'E030' },
  sha512: { hexLength: 128, formatCode: 'E031' },
  'blake2b-512': { hexLength: 128, formatCode: 'E032' },
  'blake2b-160': { hexLength: 40 },
  'blake2b-256': { hexLength: 64 },
  'blake2b-384': { hexLength: 96 },
  'sha512/256': { hexLength: 64 },
  size: { decimal: true },
};

/** node:crypto names of the algorithms this build can compute (kept in step with lib/hash). */
const NODE_HASH_NAMES: Record<string, string> = {
  sha512: 'sha512',
  sha256: 'sha256',
  sha1: 'sha1',
  md5: 'md5',
  'blake2b-512': 'blake2b512',
  'sha512/256': 'sha512-256',
};

/** True when we can compute `algorithm` (OCFL name) ourselves. `size` counts as computable. */
export function canCompute(algorithm: string): boolean {
  return algorithm === 'size' || Object.hasOwn(NODE_HASH_NAMES, algorithm);
}

/**
 * Digest bytes with each named OCFL algorithm we can compute (others are skipped). Returns
 * algorithm → lowercase hex (`size` → decimal length).
 */
export function digestBytes(bytes: Uint8Array, algorithms: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const alg of algorithms) {
    if (alg === 'size') out[alg] = String(bytes.byteLength);
    // Own keys only: `constructor` must not hand Object to hash().
    else if (Object.hasOwn(NODE_HASH_NAMES, alg)) {
      // One-shot `hash` skips the Hash object: ≈3× cheaper on the small files a commit writes
      // (a header per resource); streaming callers use createHash.
      out[alg] = hash(NODE_HASH_NAMES[alg]!, bytes, 'hex');
    }
  }
  return out;
}

/** The code for a malformed fixity digest of `algorithm` (E029–E032 where the spec has one, else E057). */
export function fixityFormatCode(algorithm: string): OcflCode {
  return (Object.hasOwn(FIXITY_ALGORITHMS, algorithm) && FIXITY_ALGORITHMS[algorithm]!.formatCode) || 'E057';
}

/** Compare two digest values of the same algorithm, ignoring hex case. */
export function sameDigest(a: string, b: string): boolean {
  // Equal strings are the usual case; only differing ones pay for lower-casing.
  return a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());
}

/**
 * Is `value` well formed for `algorithm`? Unknown algorithms are accepted (we cannot tell).
 * Returns undefined when fine, else a short reason.
 */
export function digestFormatProblem(algorithm: string, value: string): string | undefined {
  if (!Object.hasOwn(FIXITY_ALGORITHMS, algorithm)) return undefined;
  const shape = FIXITY_ALGORITHMS[algorithm]!;
  if (shape.decimal) return /^(0|[1-9][0-9]*)$/.test(value) ? undefined : 'not a decimal byte count';
  if (!/^[0-9a-fA-F]+$/.test(value)) return 'not hex';
  if (value.length !== shape.hexLength) return `${value.length} hex digits, expected ${shape.hexLength}`;
  return undefined;
}
