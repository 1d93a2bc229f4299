/**
 * Reading an inventory and checking its sidecar (spec §3.7, §3.8): `inventory.json.<alg>` where
 * `<alg>` is the inventory's `digestAlgorithm`, holding the hex digest of the inventory's exact
 * bytes, whitespace, then `inventory.json`. Any run of spaces/tabs and a missing final newline
 * are accepted on read (writers differ); we write exactly one space and a newline.
 */

import { createHash } from 'node:crypto';
import { hasCode } from '../../core/errors.js';
import type { Inventory, OcflSpecVersion } from '../../core/inventory.js';
import type { OcflCode, ValidationReport } from '../../core/ocfl/codes.js';
import { canCompute, digestBytes, sameDigest } from '../../core/ocfl/digests.js';
import {
  InventoryParser,
  type InventoryParserOptions,
  type ParsedInventory,
  parseInventory,
  STREAMING_THRESHOLD_BYTES,
} from '../../core/ocfl/inventory-parse.js';
import { MAX_SIDECAR_BYTES } from '../../core/ocfl/limits.js';
import type { ReadableStore } from '../../storage/port.js';
import { joinKey } from '../../storage/port.js';
import { readInventory } from '../inventory-reading.js';
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
  const key = joinKey(at.objectRoot, path);
  const size = at.children.files.get('inventory.json')?.size;
  const parseOptions = {
    path,
    ...(options.expectedSpecVersion && { expectedSpecVersion: options.expectedSpecVersion }),
    ...(options.extraContentRoots && { extraContentRoots: options.extraContentRoots }),
    ...(options.reference && { reference: options.reference }),
  };
  let bytes: Uint8Array | undefined;
  let known = await knownCopy(at, key, size, cache);
  const fresh = known
    ? undefined
    : await readInventory<ParsedInventory | undefined>(
        at.store,
        key,
        {
          whole: (whole) => {
            bytes = whole;
            // Hashed once: the parser reuses this sha512 and computes only the algorithms of the
            // sidecars it needs (a 68.5 MB inventory costs ~0.3 s per extra pass).
            const probe = digestBytes(whole, ['sha512']).sha512!;
            known = cache.get(probe);
            if (known) return undefined;
            return parseInventory(whole, {
              ...parseOptions,
              knownDigests: { sha512: probe },
              digestAlgorithms: [],
            });
          },
          streamed: () => streamedParser(parseOptions, sidecarAlgorithms(at)),
        },
        size !== undefined ? { size } : {},
      );
  // A streamed copy of an inventory already parsed (the head version's) is reported once too.
  known ??= fresh?.digests.sha512 ? cache.get(fresh.digests.sha512) : undefined;
  const parsed = (known ?? fresh)!;
  if (!known) {
    if (parsed.digests.sha512) {
      cache.set(parsed.digests.sha512, parsed);
      if (size !== undefined) parsedSizes.set(parsed, size);
    }
    report.addAll(parsed.issues);
  }
  await checkSidecar(at, parsed, bytes, report, options.strayCode);
  return { parsed, sha512: parsed.digests.sha512 ?? '', duplicate: known !== undefined };
}

/** Byte sizes of the inventories in a cache, to spot likely copies before parsing them. */
const parsedSizes = new WeakMap<ParsedInventory, number>();

/**
 * A large inventory of the same size as one already parsed is most likely a copy of it (the head
 * version's inventory is the root's): digesting it alone (≈1 GB/s) is much cheaper than
 * parsing it, and parsing follows only when the digests differ.
 */
async function knownCopy(
  at: InventoryLocation,
  key: string,
  size: number | undefined,
  cache: InventoryCache,
): Promise<ParsedInventory | undefined> {
  if (size === undefined || size < STREAMING_THRESHOLD_BYTES) return undefined;
  if (![...cache.values()].some((p) => parsedSizes.get(p) === size)) return undefined;
  const hash = createHash('sha512');
  const stream = await at.store.read(key);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  } finally {
    stream.destroy();
  }
  return cache.get(hash.digest('hex'));
}

/**
 * A streaming parser for a large inventory; its digests are dropped when it stopped at a syntax
 * error (the rest was never read: no digest of a prefix may be compared with a sidecar).
 */
function streamedParser(options: InventoryParserOptions, algorithms: string[]) {
  const parser = new InventoryParser({ ...options, digestAlgorithms: algorithms });
  return {
    push: (chunk: Uint8Array) => parser.push(chunk),
    get failed() {
      return parser.failed;
    },
    end: (): ParsedInventory => {
      const parsed = parser.end();
      return parser.failed ? { ...parsed, digests: {} } : parsed;
    },
  };
}

/** The computable algorithms of the sidecars beside an inventory, and sha512 (the cache key). */
function sidecarAlgorithms(at: InventoryLocation): string[] {
  const algs = [...at.children.files.keys()]
    .filter((n) => n.startsWith(SIDECAR_PREFIX))
    .map((n) => n.slice(SIDECAR_PREFIX.length))
    .filter((a) => canCompute(a));
  return [...new Set(['sha512', ...algs])];
}

async function checkSidecar(
  at: InventoryLocation,
  parsed: ParsedInventory,
  bytes: Uint8Array | undefined,
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
  const actual =
    parsed.digests[alg] ?? (alg === 'sha256' && bytes ? digestBytes(bytes, [alg]).sha256 : undefined);
  if (actual !== undefined && !sameDigest(actual, m[1]!)) {
    report.add('E060', `sidecar digest does not match the inventory's ${alg}`, where(expected));
  }
}
