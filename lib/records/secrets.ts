/**
 * Client secrets: only a salted scrypt hash is stored, `scrypt$N$r$p$salt$hash` with base64url
 * salt and hash, so the parameters can be raised later without invalidating stored hashes.
 * Verification compares in constant time. A secret never appears in a message or an error.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '../core/errors.js';

/** Shortest secret accepted when a client is created or its secret changed. */
export const MIN_SECRET_CHARS = 16;
/** Longest secret accepted (hashing is not free; a megabyte "secret" is an attack). */
export const MAX_SECRET_CHARS = 1024;

/** scrypt cost parameters of new hashes: 32 MiB and ~50–100 ms per hash on a current core. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
/** Room above the 32 MiB that N = 2^15, r = 8 needs (Node's default cap is exactly 32 MiB). */
const MAX_MEMORY = 96 * 1024 * 1024;
/** Largest N a stored hash may ask for, so a tampered record cannot make verification hang. */
const MAX_N = 2 ** 20;

function derive(secret: string, salt: Buffer, params: ScryptOptions & { N: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_BYTES, { ...params, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * The stored form of `secret`. InvalidInputError when it is shorter than {@link MIN_SECRET_CHARS}
 * or longer than {@link MAX_SECRET_CHARS} characters.
 */
export async function hashClientSecret(secret: string): Promise<string> {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_CHARS || secret.length > MAX_SECRET_CHARS)
    throw new InvalidInputError(
      `a client secret must have ${MIN_SECRET_CHARS} to ${MAX_SECRET_CHARS} characters`,
      { operation: 'hashClientSecret' },
    );
  const salt = randomBytes(16);
  const key = await derive(secret, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * True when `secret` matches `stored` (from {@link hashClientSecret}). False, never an error, for
 * a wrong secret, an over-long one, or a stored value that is not a hash this code can check.
 */
export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!m || typeof secret !== 'string' || secret.length > MAX_SECRET_CHARS) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r < 1 || p < 1 || 128 * N * r > MAX_MEMORY) return false;
  const expected = Buffer.from(m[5]!, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  try {
    const key = await derive(secret, Buffer.from(m[4]!, 'base64url'), { N, r, p });
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random secret, made once: verifying against it when a client does not exist costs
 * the same as a real check, so response times do not reveal which client ids exist.
 */
export function dummySecretHash(): Promise<string> {
  dummy ??= hashClientSecret(randomBytes(24).toString('base64url'));
  return dummy;
}
