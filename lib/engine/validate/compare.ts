/**
 * Comparing a version directory's inventory with the root inventory (spec §3.5.3–3.5.4, §3.8):
 * its head is its own directory (E040), same id (E037, and E110 under 1.1), same content
 * directory (E019/E020), every version block it has describes the same logical state as the
 * root's (E066) with the same metadata (W011), and spec versions never go backwards (E103).
 *
 * Pure over two parsed inventories.
 */

import {
  type DigestMap,
  type Inventory,
  type OcflSpecVersion,
  specVersionOfType,
} from '../../core/inventory.js';
import type { ValidationReport } from '../../core/ocfl/codes.js';
import { q } from '../../core/ocfl/context.js';
import { sameDigest } from '../../core/ocfl/digests.js';

/** One version directory's parsed inventory. */
export interface VersionInventory {
  /** Version directory name. */
  name: string;
  inventory: Inventory;
  /** `vN/inventory.json`. */
  path: string;
}

/** Compare `older` (a version directory's inventory) with the root inventory. */
export function compareWithRoot(
  root: Inventory,
  older: VersionInventory,
  firstVersion: string,
  report: ValidationReport,
): void {
  const inv = older.inventory;
  if (inv.head !== '' && inv.head !== older.name) {
    report.add('E040', `inventory in ${q(older.name)} has head ${q(inv.head)}`, older.path);
  }
  if (inv.id !== '' && root.id !== '' && inv.id !== root.id) {
    report.add(
      'E037',
      `inventory in ${older.name} has id ${q(inv.id)}, the root has ${q(root.id)}`,
      older.path,
    );
    if (specVersionOfType(root.type) !== '1.0') report.add('E110', `the object id changed`, older.path);
  }
  const cd = inv.contentDirectory ?? 'content';
  const rootCd = root.contentDirectory ?? 'content';
  if (cd !== rootCd) {
    if (older.name === firstVersion) {
      report.add(
        'E019',
        `the first version sets contentDirectory ${q(cd)}, the root ${q(rootCd)}`,
        older.path,
      );
    }
    report.add(
      'E020',
      `contentDirectory ${q(cd)} in ${older.name} differs from the root's ${q(rootCd)}`,
      older.path,
    );
  }
  for (const [name, block] of Object.entries(inv.versions)) {
    const rootBlock = root.versions[name];
    if (!rootBlock) {
      report.add('E066', `inventory in ${older.name} has version ${q(name)}, the root does not`, older.path);
      continue;
    }
    if (!sameState(inv, root, name)) {
      report.add(
        'E066',
        `version ${q(name)} has a different state in ${older.path} than in the root`,
        older.path,
      );
    }
    if (!sameMetadata(block, rootBlock)) {
      report.add(
        'W011',
        `version ${q(name)} has different created/message/user in ${older.path}`,
        older.path,
      );
    }
  }
}

/**
 * Same logical state: the same logical paths, each with the same content. With one digest
 * algorithm, content is compared by digest (ignoring case); across algorithms, by the content
 * paths the two manifests give for it (the older ones must all be among the root's).
 */
function sameState(a: Inventory, b: Inventory, version: string): boolean {
  const sameAlg = a.digestAlgorithm === b.digestAlgorithm;
  // Writers copy earlier version blocks verbatim, so the usual case is an identical state object:
  // comparing it directly avoids building two path maps per version per inventory.
  if (sameAlg && identicalState(a.versions[version]?.state, b.versions[version]?.state)) return true;
  const pa = logicalMap(a, version);
  const pb = logicalMap(b, version);
  if (pa.size !== pb.size) return false;
  for (const [path, da] of pa) {
    const db = pb.get(path);
    if (db === undefined) return false;
    if (sameAlg) {
      if (!sameDigest(da, db)) return false;
      continue;
    }
    const contentA = a.manifest[da] ?? [];
    const contentB = new Set(b.manifest[db] ?? []);
    if (contentA.length === 0 || !contentA.every((p) => contentB.has(p))) return false;
  }
  return true;
}

/** Same digests in the same order, each with the same paths in the same order. */
function identicalState(a: DigestMap | undefined, b: DigestMap | undefined): boolean {
  if (!a || !b) return false;
  if (a === b) return true; // shared with the root inventory when parsed (inventory-reference.ts)
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    const pa = a[ka[i]!]!;
    const pb = b[kb[i]!]!;
    if (pa.length !== pb.length) return false;
    for (let j = 0; j < pa.length; j++) if (pa[j] !== pb[j]) return false;
  }
  return true;
}

function logicalMap(inv: Inventory, version: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [digest, paths] of Object.entries(inv.versions[version]?.state ?? {})) {
    for (const p of paths) out.set(p, digest);
  }
  return out;
}

function sameMetadata(a: Inventory['versions'][string], b: Inventory['versions'][string]): boolean {
  return (
    a.created === b.created &&
    a.message === b.message &&
    a.user?.name === b.user?.name &&
    a.user?.address === b.user?.address
  );
}

/**
 * Spec versions must not decrease from one version directory to the next, nor exceed the
 * object's declaration (E103). `inventories` are in version order.
 */
export function checkSpecSequence(
  inventories: VersionInventory[],
  declared: OcflSpecVersion | undefined,
  report: ValidationReport,
): void {
  let prev: { spec: OcflSpecVersion; name: string } | undefined;
  for (const v of inventories) {
    const spec = specVersionOfType(v.inventory.type);
    if (!spec) continue;
    if (prev && spec < prev.spec) {
      report.add(
        'E103',
        `${v.name} conforms to OCFL ${spec}, earlier than ${prev.name} (${prev.spec})`,
        v.path,
      );
    }
    if (declared && spec > declared) {
      report.add('E103', `${v.name} conforms to OCFL ${spec}, later than the object's ${declared}`, v.path);
    }
    prev = { spec, name: v.name };
  }
}
