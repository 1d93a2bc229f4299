/**
 * Reading an inventory and checking its sidecar (spec §3.7, §3.8): `inventory.json.<alg>` where
 * `<alg>` is the inventory's `digestAlgorithm`, holding the hex digest of the inventory's exact
 * bytes, whitespace, then `inventory.json`. Any run of spaces/tabs and a missing final newline
 * are accepted on read (writers differ); we write exactly one space and a newline.
 */

import { hasCode } from '../../core/errors.js';
import type { Inventory, OcflSpecVersion } from '../../core/inventory.js';
import type { OcflCode, ValidationReport } from '../../core/ocfl/codes.js';
import { digestBytes, sameDigest } from '../../core/ocfl/digests.js';
import { type ParsedInventory, parseInventory } from '../../core/ocfl/inventory-parse.js';
import { MAX_SIDECAR_BYTES } from '../../core/ocfl/limits.js';
import type { ReadableStore } from '../../storage/port.js';
import { joinKey } from '../../storage/port.js';
import { readInventoryBytes } from '../inventory-reading.js';
import type { Children } from './tree.js';

const SIDECAR_PREFIX = 'inventory.json.';

/**
 * The sidecar's text, or undefined after reporting E061 when it cannot be one: not a regular
 * file (never opened), or larger than {@link MAX_SIDECAR_BYTES} (not read past the cap; a 2 GiB
 * file of junk must not be decoded, truncated and then taken for a digest).
 */
async function readSidecarText(at: InventoryLocation, path: string, report: ValidationReport) {
  const special = at.children.files.get(path.slice(path.lastIndexOf('/') + 1))?.special;
  if (special !== undefined) {
    report.add('E061', `sidecar is not a regular file (${special}): not read`, path);
    return undefined;
  }
  try {
    const bytes = await at.store.readBytes(joinKey(at.objectRoot, path), { maxBytes: MAX_SIDECAR_BYTES });
    return bytes.toString('utf8');
  } catch (err) {
    if (!hasCode(err, 'TOO_LARGE')) throw err;
    report.add(
      'E061',
      `sidecar is larger than ${MAX_SIDECAR_BYTES} bytes: not "<digest> inventory.json"`,
      path,
    );
    return undefined;
  }
}
const SIDECAR_LINE = /^([^\s]+)[ \t]+inventory\.json[ \t]*\r?\n?$/;

/** Parsed inventories by the sha512 of their bytes: identical copies are parsed and reported once. */
export type InventoryCache = Map<string, ParsedInventory>;

/** Where an inventory lives and how to read it. */
export interface InventoryLocation {
  store: ReadableStore;
  objectRoot: string;
  /** Directory relative to the object root: '' for the root, `v3` for a version. */
  dir: string;
  children: Children;
}

/** What {@link loadInventory} found. */
export interface LoadedInventory {
  parsed: ParsedInventory;
  /** sha512 of the bytes (the cache key); compare copies with it. */
  sha512: string;
  /** True when an identical inventory had already been parsed (its issues were not re-reported). */
  duplicate: boolean;
}

/**
 * Read and parse `<dir>/inventory.json` (callers check it exists), report its issues once per
 * distinct content, then check its sidecar. `strayCode` is the code for extra sidecar files
 * (E001 in the object root, E015 in a version directory).
 */
export async function loadInventory(
  at: InventoryLocation,
  report: ValidationReport,
  cache: InventoryCache,
  options: {
    expectedSpecVersion?: OcflSpecVersion;
    extraContentRoots?: string[];
    strayCode: OcflCode;
    /** A valid inventory whose identical parts need no re-check (see InventoryValidationOptions). */
    reference?: Inventory;
  },
): Promise<LoadedInventory> {
  const path = at.dir === '' ? 'inventory.json' : `${at.dir}/inventory.json`;
  const special = at.children.files.get('inventory.json')?.special;
  if (special !== undefined) {
    // Reading a FIFO would block forever: the inventory is reported unusable, never opened.
    report.add('E033', `inventory.json is not a regular file (${special}): not read`, path);
    return { parsed: { issues: [], digests: {}, versionNames: [] }, sha512: '', duplicate: false };
  }
  // Past MAX_INVENTORY_BYTES this throws TooLargeError: a limit of this reader, not an E-code.
  const bytes = await readInventoryBytes(at.store, joinKey(at.objectRoot, path));
  // Hashed once: the parser reuses this sha512 and computes only the algorithms of the sidecars
  // it needs (a 68.5 MB inventory costs ~0.3 s per extra pass); checkSidecar adds sha256 on demand.
  const probe = digestBytes(bytes, ['sha512']).sha512!;
  let parsed = cache.get(probe);
  const duplicate = parsed !== undefined;
  if (!parsed) {
    parsed = parseInventory(bytes, {
      path,
      knownDigests: { sha512: probe },
      digestAlgorithms: [],
      ...(options.expectedSpecVersion && { expectedSpecVersion: options.expectedSpecVersion }),
      ...(options.extraContentRoots && { extraContentRoots: options.extraContentRoots }),
      ...(options.reference && { reference: options.reference }),
    });
    cache.set(probe, parsed);
    report.addAll(parsed.issues);
  }
  await checkSidecar(at, parsed, bytes, report, options.strayCode);
  return { parsed, sha512: parsed.digests.sha512!, duplicate };
}

async function checkSidecar(
  at: InventoryLocation,
  parsed: ParsedInventory,
  bytes: Uint8Array,
  report: ValidationReport,
  stray: OcflCode,
) {
  const where = (name: string) => (at.dir === '' ? name : `${at.dir}/${name}`);
  const sidecars = [...at.children.files.keys()].filter((n) => n.startsWith(SIDECAR_PREFIX));
  const declared = parsed.inventory?.digestAlgorithm || undefined;
  const expected = declared ? `${SIDECAR_PREFIX}${declared}` : sidecars[0];
  if (!expected || !at.children.files.has(expected)) {
    report.add(
      'E058',
      `no sidecar ${expected ?? 'inventory.json.<algorithm>'} for the inventory`,
      where('inventory.json'),
    );
    for (const other of sidecars) {
      report.add('E059', `sidecar ${other} does not use the inventory's digestAlgorithm`, where(other));
    }
    return;
  }
  for (const other of sidecars) {
    if (other !== expected)
      report.add(stray, `stray sidecar ${other} (digestAlgorithm is ${declared})`, where(other));
  }
  const text = await readSidecarText(at, where(expected), report);
  if (text === undefined) return;
  const m = SIDECAR_LINE.exec(text);
  if (!m || !/^[0-9a-fA-F]+$/.test(m[1]!)) {
    report.add('E061', `sidecar is not "<digest> inventory.json"`, where(expected));
    return;
  }
  const alg = expected.slice(SIDECAR_PREFIX.length);
  // The parser computed sha512 and the declared algorithm; a sha256 sidecar beside a sha512
  // inventory (or an undeclared one) is still checked, as before.
  const actual = parsed.digests[alg] ?? (alg === 'sha256' ? digestBytes(bytes, [alg]).sha256 : undefined);
  if (actual !== undefined && !sameDigest(actual, m[1]!)) {
    report.add('E060', `sidecar digest does not match the inventory's ${alg}`, where(expected));
  }
}
