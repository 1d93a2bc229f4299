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
  type ParsedInventory,
  type ParseInventoryOptions,
  parseInventory,
  serializeInventory,
} from './inventory-parse.js';
export {
  type InventoryValidation,
  type InventoryValidationOptions,
  validateInventory,
} from './inventory-validate.js';
export { isRfc3339 } from './inventory-versions.js';
export { findPathClashes, type PathClashes, type PathProblem, pathProblems, splitFirst } from './paths.js';
export {
  checkVersionSequence,
  parseVersionName,
  type VersionIssueSink,
  type VersionName,
} from './version-names.js';
