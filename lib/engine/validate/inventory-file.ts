/**
 * Validating a lone inventory file (no object around it): every inventory-level rule, nothing
 * that needs the object's files. Used for inventories handed over on their own (ocfl-py's
 * `bad-inventories/*.json`, an inventory uploaded for inspection).
 */
import type { OcflSpecVersion } from '../../core/inventory.js';
import { ValidationReport } from '../../core/ocfl/codes.js';
import { parseInventory } from '../../core/ocfl/inventory-parse.js';

/**
 * Validate inventory bytes on their own. `specVersion` forces the rules of that version
 * (default: the version its `type` names, else 1.1); `path` is attached to every issue.
 * Never throws on bad input.
 */
export function validateInventoryFile(
  bytes: Uint8Array,
  options: { specVersion?: OcflSpecVersion; path?: string } = {},
): ValidationReport {
  const report = new ValidationReport();
  const parsed = parseInventory(bytes, {
    ...(options.specVersion && { expectedSpecVersion: options.specVersion }),
    ...(options.path !== undefined && { path: options.path }),
  });
  report.addAll(parsed.issues);
  return report;
}
