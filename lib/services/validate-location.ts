/**
 * Validating whatever OCFL thing is at a location: an object, a storage root, or a lone
 * inventory file, detected from its declaration (an `inventory.json` without one is an object
 * with E003). One result shape for the CLI's `validate` and the server.
 */
import { InvalidObjectError } from '../core/errors.js';
import type { ValidationIssue } from '../core/ocfl/codes.js';
import { readInventoryBytes } from '../engine/inventory-reading.js';
import type { FixityProgress } from '../engine/validate/fixity.js';
import { validateInventoryFile } from '../engine/validate/inventory-file.js';
import { validateObject } from '../engine/validate/object.js';
import {
  detectLocationKind,
  type StorageRootProgress,
  validateStorageRoot,
} from '../engine/validate/storage-root.js';
import type { HashPool } from '../hash/pool.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { openLocation } from './locations.js';

/** What was validated and what was found. */
export interface LocationValidation {
  location: string;
  kind: 'object' | 'storage-root' | 'inventory';
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** Object id and head (objects). */
  id?: string;
  head?: string;
  /** Each object's verdict (storage roots). */
  objects?: Array<{
    objectRoot: string;
    id?: string;
    valid: boolean;
    errors: ValidationIssue[];
    warnings: ValidationIssue[];
  }>;
}

/** Options of {@link validateLocation}. */
export interface ValidateLocationOptions {
  /** Hash every content file (default true). */
  fixity?: boolean;
  /** Hashing threads (default: the shared pool). */
  pool?: HashPool;
  /** How to open the location (S3 settings). */
  store?: OpenStoreOptions;
  /** Objects: files and bytes hashed so far; storage roots: also objects found/done. */
  onProgress?: (p: FixityProgress & Partial<StorageRootProgress>) => void;
  signal?: AbortSignal;
}

/**
 * Validate the object, storage root or inventory file at `location`. Findings are in the result;
 * throws NotFoundError (nothing there), InvalidObjectError (not OCFL at all), TooLargeError (an
 * inventory beyond this reader), and the store's errors.
 */
export async function validateLocation(
  location: string,
  options: ValidateLocationOptions = {},
): Promise<LocationValidation> {
  const { store, file } = await openLocation(location, options.store);
  const common = {
    fixity: options.fixity ?? true,
    ...(options.pool && { pool: options.pool }),
    ...(options.signal && { signal: options.signal }),
  };
  if (file !== undefined) {
    const report = validateInventoryFile(await readInventoryBytes(store, file), { path: file });
    return { location, kind: 'inventory', ...report.toJSON() };
  }
  const kind = await detectLocationKind(store, '');
  if (kind === 'object') {
    const report = await validateObject(store, '', {
      ...common,
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
    const { objectRoot: _root, ...fields } = report.toJSON();
    return { location, kind, ...fields };
  }
  if (kind === 'storage-root') {
    const progress = options.onProgress;
    const report = await validateStorageRoot(store, {
      ...common,
      ...(progress && {
        onProgress: (p: StorageRootProgress) => progress({ ...p, totalFiles: 0, totalBytes: 0 }),
      }),
    });
    return {
      location,
      kind,
      valid: report.valid,
      errors: report.errors,
      warnings: report.warnings,
      objects: report.objects.map((o) => o.toJSON()),
    };
  }
  throw new InvalidObjectError(`${location} is not an OCFL object, storage root or inventory file`, {
    operation: 'validateLocation',
    key: location,
  });
}
