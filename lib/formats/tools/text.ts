/**
 * Turning tool-output bytes into text and lines. Tool outputs arrive from workstations of every
 * kind: UTF-8 with or without a BOM (Siegfried on Windows writes one), UTF-16 with a BOM (PowerShell
 * redirection `>` writes UTF-16LE), and occasionally legacy single-byte text. We decode all of them
 * rather than reject, and say what we did, because a mis-decoded name would silently fail to match
 * the deposit's files.
 */
import type { ToolProblem } from './problems.js';

/** Decoded text plus the encoding we used. */
export interface DecodedText {
  text: string;
  /** 'utf-8', 'utf-16le', 'utf-16be' or 'windows-1252' (fallback for bytes that are not UTF-8). */
  encoding: string;
}

/**
 * Decode tool-output bytes: BOMs select UTF-8/UTF-16 (and are removed); otherwise strict UTF-8,
 * falling back to windows-1252 when the bytes are not valid UTF-8 (a `TOOL_ENCODING` warning is
 * pushed to `problems` with `path`). Strings are passed through with only a leading BOM removed.
 * Never throws.
 */
export function decodeToolText(
  input: Uint8Array | string,
  problems?: ToolProblem[],
  path?: string,
): DecodedText {
  if (typeof input === 'string') return { text: stripBom(input), encoding: 'utf-8' };
  if (!(input instanceof Uint8Array)) {
    // A caller passed something else (an embedder's mistake, a JSON value): nothing to read.
    problems?.push({
      code: 'TOOL_SYNTAX',
      severity: 'warning',
      message: `input is ${input === null ? 'null' : typeof input}, not bytes or text; nothing read`,
      ...(path === undefined ? {} : { path }),
    });
    return { text: '', encoding: 'utf-8' };
  }
  const b = input;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(b.subarray(3)), encoding: 'utf-8' };
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), encoding: 'utf-16le' };
  }
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), encoding: 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8' };
  } catch {
    problems?.push({
      code: 'TOOL_ENCODING',
      severity: 'warning',
      message: 'not valid UTF-8; decoded as windows-1252',
      ...(path === undefined ? {} : { path }),
    });
    return { text: decodeSingleByte(b), encoding: 'windows-1252' };
  }
}

function decodeSingleByte(b: Uint8Array): string {
  try {
    return new TextDecoder('windows-1252').decode(b);
  } catch {
    // Builds without the legacy encodings: latin-1 is the closest we can do without a table.
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  }
}

/** Remove one leading U+FEFF. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Split into lines on LF, CRLF or lone CR; a final line terminator does not add an empty line. */
export function splitLines(text: string): string[] {
  if (typeof text !== 'string') return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A non-empty string, or null for empty/whitespace-only/undefined. Trims. */
export function nonEmpty(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const t = value.trim();
  return t === '' ? null : t;
}

/** Parse a non-negative decimal integer; null for anything else. */
export function parseCount(value: string | null | undefined): number | null {
  const t = nonEmpty(value);
  if (t === null || !/^\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}
