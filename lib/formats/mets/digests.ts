/**
 * Digest labels and values as METS files write them, checked before they are believed.
 *
 * Producers spell algorithms many ways ("SHA-256", "SHA256", "sha-256", "hashlib.sha256()") and
 * sometimes label a value wrongly (Goobi exports carry SHA-1 values labelled "sha256"). A value
 * is accepted under an algorithm only when its hex length fits that algorithm: a 40-hex value is
 * never SHA-256, a 32-hex value never SHA-1. When label and length disagree, the value is kept
 * under the algorithm its length implies (each length below names exactly one algorithm we
 * know) and the disagreement is reported.
 */

import { quoteForMessage } from '../../core/paths.js';

/** Hex length of each algorithm we can check (a Map: a label `constructor` is just unknown). */
const HEX_LENGTH = new Map<string, number>([
  ['md5', 32],
  ['sha1', 40],
  ['sha224', 56],
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

/** The one algorithm each checked length implies. */
const ALGORITHM_BY_LENGTH = new Map<number, string>([...HEX_LENGTH].map(([alg, len]) => [len, alg]));

/**
 * Normalise an algorithm label: "SHA-256", "SHA256", "sha-256", "SHA 256" → "sha256";
 * "SHA-1" → "sha1"; "MD5" → "md5". Labels we do not know are lower-cased with separators removed.
 * Returns null for an empty label.
 */
export function normaliseAlgorithm(label: string | null | undefined): string | null {
  if (label === null || label === undefined) return null;
  const squashed = label
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  return squashed === '' ? null : squashed;
}

/**
 * Find an algorithm named inside free text, as in Archivematica's message-digest events
 * (`program="python"; module="hashlib.sha256()"`). Returns the normalised name or null.
 */
export function algorithmInText(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = /\b(sha-?(?:1|224|256|384|512)|md5)\b/i.exec(text);
  return m ? normaliseAlgorithm(m[1]) : null;
}

/** The outcome of checking one labelled digest. */
export type DigestVerdict =
  | { ok: true; algorithm: string; hex: string; relabelled: false }
  | { ok: true; algorithm: string; hex: string; relabelled: true; claimed: string | null }
  | { ok: false; reason: string };

/**
 * Check a digest value against its label. Hex is lower-cased; surrounding whitespace ignored.
 * Never throws: a verdict says what to keep, and why not when nothing can be kept.
 */
export function checkDigest(
  label: string | null | undefined,
  value: string | null | undefined,
): DigestVerdict {
  const hex = (value ?? '').trim().toLowerCase();
  if (hex === '') return { ok: false, reason: 'empty digest value' };
  const claimed = normaliseAlgorithm(label);
  if (!/^[0-9a-f]+$/.test(hex))
    return { ok: false, reason: `digest ${quoteForMessage(hex, 140)} is not hexadecimal` };
  const implied = ALGORITHM_BY_LENGTH.get(hex.length) ?? null;
  if (claimed !== null && !HEX_LENGTH.has(claimed)) {
    // An algorithm we cannot length-check (CRC32, BLAKE2...): keep it under its own name.
    return { ok: true, algorithm: claimed, hex, relabelled: false };
  }
  if (claimed !== null && HEX_LENGTH.get(claimed) === hex.length) {
    return { ok: true, algorithm: claimed, hex, relabelled: false };
  }
  if (implied === null) {
    return {
      ok: false,
      reason: `${hex.length}-hex digest fits no known algorithm${claimed ? ` (labelled ${quoteForMessage(String(label), 40)})` : ''}`,
    };
  }
  return { ok: true, algorithm: implied, hex, relabelled: true, claimed };
}

/** The METS CHECKSUMTYPE spelling of an algorithm we write ("SHA-256"). */
export function metsChecksumType(algorithm: string): string {
  const m = /^sha(\d+)$/.exec(algorithm);
  if (m) return `SHA-${m[1]}`;
  return algorithm.toUpperCase();
}
