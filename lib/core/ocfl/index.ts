/** OCFL rules as pure functions: validation codes, inventory parsing and validation, path and version-name rules. */
export {
  type CodeInfo,
  isOcflCode,
  OCFL_CODES,
  type OcflCode,
  type Severity,
  type ValidationIssue,
  ValidationReport,
} from './codes.js';
export {
  CONTENT_DIGEST_ALGORITHMS,
  canCompute,
  digestBytes,
  digestFormatProblem,
  FIXITY_ALGORITHMS,
  sameDigest,
} from './digests.js';
export { isRegisteredExtension, MUTABLE_HEAD_EXTENSION, REGISTERED_EXTENSIONS } from './extensions.js';
export {
  duplicateKeyIssues,
  InventoryParser,
  type InventoryParserOptions,
  MAX_INVENTORY_BYTES,
  type ParsedInventory,
  type ParseInventoryOptions,
  parseInventory,
  STREAMING_THRESHOLD_BYTES,
  serializeInventory,
} from './inventory-parse.js';
export { inventoryChunks } from './inventory-serialize.js';
export {
  type InventoryValidation,
  type InventoryValidationOptions,
  validateInventory,
} from './inventory-validate.js';
export { isRfc3339 } from './inventory-versions.js';
export {
  MAX_DECLARATION_BYTES,
  MAX_EXTENSION_CONFIG_BYTES,
  MAX_HIERARCHY_DEPTH,
  MAX_LAYOUT_FILE_BYTES,
  MAX_SIDECAR_BYTES,
} from './limits.js';
export { assertInventoryPathsSafe, assertSafeInventoryPath, INVENTORY_PATH_SAFETY } from './path-safety.js';
export { findPathClashes, type PathClashes, type PathProblem, pathProblems, splitFirst } from './paths.js';
export {
  checkVersionSequence,
  parseVersionName,
  type VersionIssueSink,
  type VersionName,
} from './version-names.js';
