/**
 * Optional validation of an extension-0005 mutable head (`extensions/0005-mutable-head/`).
 *
 * OCFL itself ignores extension contents, so an object with a head is validated as the object
 * at its last committed version first; this adds the head's own checks, reported with paths
 * under the extension directory and the nearest OCFL codes: the head inventory is a valid
 * inventory whose content paths may lie in `head/<contentDirectory>/` (and its sidecar is right),
 * its head is the root's next version (E040), it repeats the committed versions exactly (E066,
 * W011, E037), its content files are in its manifest (E023) and exist (E092), and their digests
 * are checked with the rest of the object's content.
 */

import type { Inventory } from '../../core/inventory.js';
import type { ValidationReport } from '../../core/ocfl/codes.js';
import { q } from '../../core/ocfl/context.js';
import { MUTABLE_HEAD_EXTENSION } from '../../core/ocfl/extensions.js';
import { parseVersionName } from '../../core/ocfl/version-names.js';
import type { ReadableStore } from '../../storage/port.js';
import { compareWithRoot } from './compare.js';
import type { FixityPlan } from './fixity.js';
import { childrenOf, type ObjectListing } from './object-scan.js';
import { type InventoryCache, loadInventory } from './sidecar.js';

const HEAD_DIR = `extensions/${MUTABLE_HEAD_EXTENSION}/head`;

/** What {@link validateMutableHead} needs from the object validation in progress. */
export interface MutableHeadContext {
  store: ReadableStore;
  objectRoot: string;
  listing: ObjectListing;
  /** The root (last committed) inventory. */
  root: Inventory;
  report: ValidationReport;
  cache: InventoryCache;
  plan: FixityPlan;
}

/** Validate the mutable head, when it has an inventory (a head being created may not yet). */
export async function validateMutableHead(ctx: MutableHeadContext): Promise<void> {
  const children = childrenOf(ctx.listing, HEAD_DIR);
  if (!children.files.has('inventory.json')) return;
  const contentRoot = `${HEAD_DIR}/${ctx.root.contentDirectory ?? 'content'}`;
  const loaded = await loadInventory(
    { store: ctx.store, objectRoot: ctx.objectRoot, dir: HEAD_DIR, children },
    ctx.report,
    ctx.cache,
    { extraContentRoots: [contentRoot], strayCode: 'E015' },
  );
  const head = loaded.parsed.inventory;
  if (!head) return;
  const path = `${HEAD_DIR}/inventory.json`;
  checkHeadNumber(head, ctx.root, path, ctx.report);
  compareWithRoot(head, { name: ctx.root.head, inventory: ctx.root, path }, 'v1', ctx.report);
  checkHeadContent(ctx.listing, head, contentRoot, path, ctx.report);
  ctx.plan.addInventory(head, path);
}

function checkHeadNumber(head: Inventory, root: Inventory, path: string, report: ValidationReport) {
  const h = parseVersionName(head.head);
  const r = parseVersionName(root.head);
  if ('problem' in h || 'problem' in r) return; // already reported by the inventory checks
  if (h.number !== r.number + 1) {
    report.add('E040', `mutable head is ${q(head.head)}, expected the version after ${q(root.head)}`, path);
  }
}

/** Files under the head's content directory must be in its manifest; its new paths must exist. */
function checkHeadContent(
  listing: ObjectListing,
  head: Inventory,
  contentRoot: string,
  path: string,
  report: ValidationReport,
) {
  const inManifest = new Set(Object.values(head.manifest).flat());
  for (const file of listing.files.keys()) {
    if (file.startsWith(`${contentRoot}/`) && !inManifest.has(file)) {
      report.add('E023', `mutable-head content file is not in the manifest of ${path}`, file);
    }
  }
  for (const p of inManifest) {
    if (!listing.files.has(p)) report.add('E092', `manifest of ${path} lists a file that does not exist`, p);
  }
}
