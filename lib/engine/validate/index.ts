/** OCFL validation through the storage port: objects, storage roots, lone inventories. */
export type { FixityProgress } from './fixity.js';
export { validateInventoryFile } from './inventory-file.js';
export { type ObjectValidationOptions, ObjectValidationReport, validateObject } from './object.js';
export {
  detectLocationKind,
  type StorageRootProgress,
  StorageRootReport,
  type StorageRootValidationOptions,
  validateStorageRoot,
} from './storage-root.js';
