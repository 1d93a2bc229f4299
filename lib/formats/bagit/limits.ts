/**
 * Size caps for the tag files a bag reader reads whole. Every one is someone else's file: past
 * its cap it is reported (`tag-file-too-large`) and not read, so a 2 GiB "bag-info.txt" cannot
 * exhaust memory or be cut short by a string limit and half-parsed. Manifests and fetch.txt can
 * legitimately be large (a line per payload file), so their cap is generous.
 */
import { manifestName } from './manifest.js';

/** `bagit.txt`: two short lines. 64 KiB. */
export const BAG_DECLARATION_MAX_BYTES = 64 * 1024;
/** `bag-info.txt` / `package-info.txt`: 16 MiB (long descriptions happen; megabytes do not). */
export const BAG_INFO_MAX_BYTES = 16 * 1024 * 1024;
/** `fetch.txt`: 256 MiB (about two million lines). */
export const FETCH_MAX_BYTES = 256 * 1024 * 1024;
/** Each payload or tag manifest: 256 MiB (about two million lines of SHA-512). */
export const MANIFEST_MAX_BYTES = 256 * 1024 * 1024;

/** The cap for one parsed tag file (see the constants above). */
export function tagFileLimit(path: string): number {
  if (path === 'bagit.txt') return BAG_DECLARATION_MAX_BYTES;
  if (path === 'bag-info.txt' || path === 'package-info.txt') return BAG_INFO_MAX_BYTES;
  if (path === 'fetch.txt') return FETCH_MAX_BYTES;
  return manifestName(path) === null ? BAG_INFO_MAX_BYTES : MANIFEST_MAX_BYTES;
}
