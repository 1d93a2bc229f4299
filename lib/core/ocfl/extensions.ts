/**
 * Names registered in the OCFL extensions repository (https://ocfl.github.io/extensions/), used
 * to tell registered extension directories from unregistered ones (W013 in objects, W016 in
 * storage roots) and to accept a layout name in `ocfl_layout.json` (E071). Obsolete names stay
 * registered. `initial` is registered by its own extension document.
 *
 * Pure module.
 */

/** Registered extension names. */
export const REGISTERED_EXTENSIONS: ReadonlySet<string> = new Set([
  '0001-digest-algorithms',
  '0002-flat-direct-storage-layout',
  '0003-hash-and-id-n-tuple-storage-layout',
  '0004-hashed-n-tuple-storage-layout',
  '0005-mutable-head',
  '0006-flat-omit-prefix-storage-layout',
  '0007-n-tuple-omit-prefix-storage-layout',
  '0008-schema-registry',
  '0009-digest-algorithms',
  '0010-differential-n-tuple-omit-prefix-storage-layout',
  '0011-direct-clean-path-layout',
  '0012-hash-and-no-prefix-id-n-tuple-storage-layout',
  'initial',
]);

/** The mutable-head object extension's directory name (extension 0005). */
export const MUTABLE_HEAD_EXTENSION = '0005-mutable-head';

/** True when `name` is a registered extension name. */
export function isRegisteredExtension(name: string): boolean {
  return REGISTERED_EXTENSIONS.has(name);
}
