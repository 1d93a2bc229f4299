/**
 * Decoding tag files. `bagit.txt` names the character encoding of every other tag file
 * (`Tag-File-Character-Encoding`, an IANA charset name); bags made by real tools use UTF-8,
 * UTF-16 with a byte-order mark and ISO-8859-1. Lines may end in LF, CR or CRLF.
 *
 * ISO-8859-1 is decoded byte-for-code-point by hand: the WHATWG `TextDecoder('latin1')` is really
 * windows-1252, which maps 0x80–0x9F to other characters.
 */

/** A decoded tag file, with what went wrong if the bytes did not fit the encoding. */
export interface DecodedText {
  text: string;
  /** Why the bytes could not be decoded as declared (decoding then fell back); null when fine. */
  problem: string | null;
  /** The encoding label could not be used at all (decoded as UTF-8 instead). */
  unsupported: boolean;
}

import { truncateForMessage } from '../../core/paths.js';

const UTF8 = new Set(['utf8', 'utf-8']);
const UTF16 = new Set(['utf16', 'utf-16', 'ucs2', 'ucs-2']);
const UTF16LE = new Set(['utf16le', 'utf-16le']);
const UTF16BE = new Set(['utf16be', 'utf-16be']);
const LATIN1 = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'latin-1',
  'l1',
  'iso-ir-100',
  'cp819',
  'ibm819',
  'us-ascii',
  'ascii',
]);

/**
 * Decode tag-file bytes per the declared encoding label (case-insensitive; default UTF-8).
 * UTF-8 and UTF-16 byte-order marks are removed; UTF-16 without a BOM is read big-endian unless
 * the bytes plainly say otherwise. Never throws: bad bytes are replaced and reported in `problem`.
 */
export function decodeTagText(bytes: Uint8Array, encoding: string | null = 'UTF-8'): DecodedText {
  if (!(bytes instanceof Uint8Array)) return { text: '', problem: 'not bytes', unsupported: false };
  const label = (typeof encoding === 'string' ? encoding : 'UTF-8').trim().toLowerCase();
  if (UTF8.has(label)) return decodeWith('utf-8', stripUtf8Bom(bytes), 'UTF-8');
  if (UTF16.has(label)) return decodeUtf16(bytes);
  if (UTF16LE.has(label)) return decodeWith('utf-16le', stripBom16(bytes, 0xff, 0xfe), 'UTF-16LE');
  if (UTF16BE.has(label)) return decodeWith('utf-16be', stripBom16(bytes, 0xfe, 0xff), 'UTF-16BE');
  if (LATIN1.has(label)) return { text: latin1(bytes), problem: null, unsupported: false };
  try {
    return decodeWith(label, bytes, encoding ?? label);
  } catch {
    const fallback = decodeWith('utf-8', stripUtf8Bom(bytes), 'UTF-8');
    return { ...fallback, unsupported: true };
  }
}

/** Split text into lines at LF, CR or CRLF. A final terminator does not make an extra line. */
export function splitLines(text: string): string[] {
  if (typeof text !== 'string') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** True when the bytes start with a UTF-8 byte-order mark. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Which UTF-16 byte-order mark the bytes start with, if any. */
export function utf16Bom(bytes: Uint8Array): 'le' | 'be' | null {
  if (bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  return null;
}

function decodeUtf16(bytes: Uint8Array): DecodedText {
  const bom = utf16Bom(bytes);
  if (bom !== null) return decodeWith(`utf-16${bom}`, bytes.subarray(2), 'UTF-16');
  // No BOM: RFC 2781 says big-endian, but a NUL in the second byte of ASCII text means LE.
  const le = bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0;
  return decodeWith(le ? 'utf-16le' : 'utf-16be', bytes, 'UTF-16');
}

function decodeWith(whatwgLabel: string, bytes: Uint8Array, shown: string): DecodedText {
  const decoder = new TextDecoder(whatwgLabel, { fatal: true }); // throws RangeError if unknown
  try {
    return { text: decoder.decode(bytes), problem: null, unsupported: false };
  } catch {
    const text = new TextDecoder(whatwgLabel).decode(bytes);
    return { text, problem: `bytes are not valid ${truncateForMessage(shown, 40)}`, unsupported: false };
  }
}

function stripUtf8Bom(bytes: Uint8Array): Uint8Array {
  return hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
}

function stripBom16(bytes: Uint8Array, b0: number, b1: number): Uint8Array {
  return bytes.length >= 2 && bytes[0] === b0 && bytes[1] === b1 ? bytes.subarray(2) : bytes;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 8192; // String.fromCharCode's argument count is limited
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return out;
}
