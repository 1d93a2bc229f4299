/**
 * Storage layouts: pure functions from an OCFL object id to the object root path inside a
 * storage root (https://ocfl.github.io/extensions/). Each layout is a value built from its
 * extension config; mapping an id never touches storage.
 */

/** A configured storage layout. */
export interface StorageLayout {
  /** Registered extension name, e.g. `0004-hashed-n-tuple-storage-layout`. */
  readonly extensionName: string;
  /** The effective parameters (defaults filled in), as they would appear in `config.json`. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Object root path relative to the storage root (`/`-separated, no leading or trailing `/`).
   * Throws InvalidInputError when this layout cannot map `id` (e.g. 0002 with a `/` in the id).
   */
  objectRootFor(id: string): string;
}

/** Extension names of the layouts this module implements. */
export const LAYOUT_EXTENSIONS = {
  flatDirect: '0002-flat-direct-storage-layout',
  hashAndIdNTuple: '0003-hash-and-id-n-tuple-storage-layout',
  hashedNTuple: '0004-hashed-n-tuple-storage-layout',
  flatOmitPrefix: '0006-flat-omit-prefix-storage-layout',
  nTupleOmitPrefix: '0007-n-tuple-omit-prefix-storage-layout',
} as const;
