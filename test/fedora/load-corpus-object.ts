/**
 * Test helper: load an object root from disk the simple way (fs, manifest lookups) so the pure
 * resource and storage-map builders can be tested on corpus objects without the engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FedoraHeader, isHeaderPath, parseFedoraHeader } from '../../lib/core/fedora/index.js';
import type { Inventory } from '../../lib/core/inventory.js';
import { versionFiles } from '../../lib/core/versions.js';

export function loadInventory(objectRoot: string, file = 'inventory.json'): Inventory {
  return JSON.parse(readFileSync(join(objectRoot, file), 'utf8')) as Inventory;
}

export function loadHeaders(
  objectRoot: string,
  inventory: Inventory,
  version: string,
): Map<string, FedoraHeader> {
  const out = new Map<string, FedoraHeader>();
  for (const f of versionFiles(inventory, version)) {
    if (isHeaderPath(f.logicalPath) && f.logicalPath.endsWith('.json')) {
      out.set(f.logicalPath, parseFedoraHeader(readFileSync(join(objectRoot, f.contentPath))));
    }
  }
  return out;
}
