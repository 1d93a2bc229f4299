/**
 * Paths as manifests and fetch files write them.
 *
 * BagIt 1.0 (RFC 8493 §2.1.3) percent-encodes exactly three things in a path: CR (`%0D`), LF
 * (`%0A`) and `%` itself (`%25`); nothing else is decoded, so `data/%7Efile` names a file called
 * `%7Efile`. Earlier versions encode nothing. Paths are relative to the bag root with `/`
 * separators; anything that is absolute (`/tmp/x`, `C:\x`, `\\server\x`) or climbs out with `..`
 * escapes the bag.
 */

/** The result of normalising one manifest or fetch path. */
export interface NormalizedPath {
  /** Bag-relative path without `.`/empty segments, or null when it is absolute or escapes. */
  path: string | null;
  /** Absolute path (POSIX root, drive letter or UNC). */
  absolute: boolean;
  /** `..` segments climb above the bag root. */
  escapes: boolean;
  /** Written with a leading `./`. */
  leadingDotSlash: boolean;
  /** Other lexical noise was removed (`a//b`, `a/./b`, `a/../b`). */
  changed: boolean;
}

/** Undo BagIt 1.0 percent-encoding (`%0A`, `%0D`, `%25`, either hex case); other `%` stay as written. */
export function decodeBagPath(raw: string): string {
  return raw.replace(/%(0[aAdD]|25)/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Encode a path for a BagIt 1.0 manifest: `%` → `%25`, LF → `%0A`, CR → `%0D`. */
export function encodeBagPath(path: string): string {
  return path.replace(/%/g, '%25').replace(/\n/g, '%0A').replace(/\r/g, '%0D');
}

/** True for `/x`, `C:\x`, `C:/x` and `\\server\x`: paths that point outside any bag. */
export function isAbsoluteBagPath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** Lexically normalise a bag-relative path (see {@link NormalizedPath}). Never throws. */
export function normalizeBagPath(written: string): NormalizedPath {
  const out: NormalizedPath = {
    path: null,
    absolute: false,
    escapes: false,
    leadingDotSlash: written.startsWith('./'),
    changed: false,
  };
  if (isAbsoluteBagPath(written)) {
    out.absolute = true;
    return out;
  }
  const kept: string[] = [];
  const segments = written.split('/');
  segments.forEach((seg, i) => {
    if (seg === '' || seg === '.') {
      if (!(i === 0 && out.leadingDotSlash)) out.changed = true;
      return;
    }
    if (seg === '..') {
      out.changed = true;
      if (kept.length === 0) out.escapes = true;
      else kept.pop();
      return;
    }
    kept.push(seg);
  });
  if (!out.escapes && kept.length > 0) out.path = kept.join('/');
  return out;
}

/** True when a bag-relative path lies in the payload directory `data/`. */
export function isPayloadPath(path: string): boolean {
  return path.startsWith('data/');
}

/** Key under which paths that differ only in Unicode normalization collide. */
export function normalizationKey(path: string): string {
  return path.normalize('NFC');
}

/** Key under which paths collide on a case-insensitive filesystem (also normalization-insensitive). */
export function caseKey(path: string): string {
  return path.normalize('NFC').toLowerCase();
}
