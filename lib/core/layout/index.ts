/** Storage layouts: id → object root path (see `types.ts`). */
export { flatDirectLayout } from './flat-direct.js';
export { encodeIdFor0003, type HashAndIdNTupleConfig, hashAndIdNTupleLayout } from './hash-and-id-n-tuple.js';
export { FEDORA_LAYOUT_CONFIG, type HashedNTupleConfig, hashedNTupleLayout } from './hashed-n-tuple.js';
export { digestId, isLayoutDigestSupported } from './id-digest.js';
export {
  type FlatOmitPrefixConfig,
  flatOmitPrefixLayout,
  type NTupleOmitPrefixConfig,
  nTupleOmitPrefixLayout,
} from './omit-prefix.js';
export {
  fedoraDefaultLayout,
  type LayoutDeclaration,
  layoutFromConfig,
  parseExtensionConfig,
  parseLayoutDeclaration,
  SUPPORTED_LAYOUTS,
} from './registry.js';
export { LAYOUT_EXTENSIONS, type StorageLayout } from './types.js';
