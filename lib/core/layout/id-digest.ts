/**
 * Hex digests of object ids, for the hashing layouts (0003, 0004). node:crypto only: the layout
 * must be computable synchronously and in pure core.
 */
import { createHash, getHashes } from 'node:crypto';
import { InvalidInputError } from '../errors.js';

/** OCFL algorithm name → node:crypto name (OCFL 1.1 §3.4 plus extension 0009's sha512/256). */
const NODE_NAMES: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha512: 'sha512',
  'blake2b-512': 'blake2b512',
  'sha512/256': 'sha512-256',
};

/** Hex length of each supported algorithm's digest. */
export const DIGEST_HEX_LENGTH: Record<string, number> = {
  md5: 32,
  sha1: 40,
  sha256: 64,
  sha512: 128,
  'blake2b-512': 128,
  'sha512/256': 64,
};

/** True when {@link digestId} can compute `algorithm` in this Node build. */
export function isLayoutDigestSupported(algorithm: string): boolean {
  const node = NODE_NAMES[algorithm];
  return node !== undefined && getHashes().includes(node);
}

/** Lowercase hex digest of the UTF-8 bytes of `id`. Throws InvalidInputError for an unsupported algorithm. */
export function digestId(algorithm: string, id: string): string {
  const node = NODE_NAMES[algorithm];
  if (node === undefined) {
    throw new InvalidInputError(`unsupported layout digest algorithm: ${algorithm}`, { key: algorithm });
  }
  return createHash(node).update(id, 'utf8').digest('hex');
}

/** Cut the first `count` chunks of `size` characters from `hex`. */
export function tuples(hex: string, size: number, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(hex.slice(i * size, (i + 1) * size));
  return out;
}
