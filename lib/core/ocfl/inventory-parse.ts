/**
 * Inventory bytes ⇄ {@link Inventory}.
 *
 * Parsing digests the exact bytes (sidecars and E064 compare those digests, never a
 * re-serialisation) and reads the JSON one of two ways with the same result: up to
 * {@link STREAMING_THRESHOLD_BYTES}, strict UTF-8 decoding and `JSON.parse` (fastest there);
 * above it, and always for {@link InventoryParser} (chunks from a stream), the streaming
 * scanner (`inventory-scanner.ts`), which needs no string of the whole document (V8 stops at
 * ≈536 M characters) and shares what version blocks repeat. Both feed `validateInventory`.
 *
 * Serialisation is canonical: fixed key order, digests and versions sorted, path arrays sorted,
 * 2-space indentation, no trailing newline. The same inventory always yields the same bytes, so
 * its digest is stable. Key order follows ocfl-java's (id, type, digestAlgorithm, head,
 * contentDirectory, fixity, manifest, versions) so Fedora-written and Strongroom-written
 * inventories read alike.
 *
 * Pure module.
 */

import { TooLargeError } from '../errors.js';
import type { DigestMap, Inventory, InventoryVersion, OcflSpecVersion } from '../inventory.js';
import { versionNumber } from '../inventory.js';
import { type DuplicateKey, describeJsonError, findDuplicateKeys } from '../json-scan.js';
import { quoteForMessage } from '../paths.js';
import { type ValidationIssue, ValidationReport } from './codes.js';
import { canCompute, digestBytes } from './digests.js';
import { InventoryScanner } from './inventory-scanner.js';
import { type InventoryValidationOptions, validateInventory } from './inventory-validate.js';
import type { VersionName } from './version-names.js';

/**
 * Largest inventory the readers take: 4 GiB. No longer a limit of V8's strings (large
 * inventories are streamed) but of memory: what is built from an inventory is about its size,
 * and a hostile file must not grow the process without bound. Past it a reader fails with
 * TooLargeError ("too large for this reader"), never a wrong E033. A 1,000,000-file object
 * with 10 versions has a 0.7 GB root inventory.
 */
export const MAX_INVENTORY_BYTES = 4 * 1024 ** 3;

/**
 * Inventories of at least this many bytes (128 MiB) are read by the streaming scanner, smaller
 * ones with `JSON.parse`: faster on them (a 68.5 MB root inventory's storage map took 1.14 s
 * whole against 1.72 s streamed, for 404 against 239 MiB of peak memory; bench/README.md "big
 * inventories"). The million-file objects the scanner is for are far above it.
 */
export const STREAMING_THRESHOLD_BYTES = 128 * 1024 * 1024;

/** Outcome of {@link parseInventory}. */
export interface ParsedInventory {
  /** Present when the bytes are a JSON object (see `validateInventory`). */
  inventory?: Inventory;
  issues: ValidationIssue[];
  /** Spec version whose rules were applied; absent when the bytes are not JSON. */
  specVersion?: OcflSpecVersion;
  /** Well-formed `versions` keys sorted by number (empty when not JSON). */
  versionNames: VersionName[];
  /**
   * Digests of the exact bytes: always `sha512` and `sha256`, plus the inventory's declared
   * `digestAlgorithm` when it is another algorithm we can compute. Lowercase hex.
   */
  digests: Record<string, string>;
}

// ignoreBOM keeps a byte-order mark in the text, so JSON.parse rejects it: JSON text must not
// start with one (RFC 8259 §8.1), and ocfl-py rejects it too (E033).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Options for {@link parseInventory}: the validation options plus which digests to compute. */
export interface ParseInventoryOptions extends InventoryValidationOptions {
  /**
   * Algorithms to digest the bytes with (default sha512 and sha256); sha512 is always included,
   * as is the declared `digestAlgorithm` when computable.
   */
  digestAlgorithms?: string[];
  /** Digests of these exact bytes the caller already computed (algorithm → hex): not redone. */
  knownDigests?: Record<string, string>;
}

/**
 * Parse and validate inventory bytes. Bad UTF-8 or bad JSON is E033 (no inventory returned; the
 * message gives the position, never the text); otherwise all inventory-level rules run (see
 * `validateInventory`), and keys repeated within one JSON object are reported (see
 * {@link duplicateKeyIssues}). Never throws on bad input; throws TooLargeError when `bytes` are
 * more than {@link MAX_INVENTORY_BYTES} (a limit of this reader, not a fault of the inventory).
 */
export function parseInventory(bytes: Uint8Array, options: ParseInventoryOptions = {}): ParsedInventory {
  if (bytes.byteLength >= STREAMING_THRESHOLD_BYTES && bytes.byteLength <= MAX_INVENTORY_BYTES) {
    const digests: Record<string, string> = { ...options.knownDigests };
    const wanted = ['sha512', ...(options.digestAlgorithms ?? ['sha256'])].filter((a) => !digests[a]);
    Object.assign(digests, digestBytes(bytes, wanted));
    const parser = new InventoryParser({ ...options, digestAlgorithms: [], knownDigests: digests });
    for (let at = 0; at < bytes.byteLength; at += CHUNK) parser.push(bytes.subarray(at, at + CHUNK));
    const parsed = parser.end();
    const alg = parsed.inventory?.digestAlgorithm;
    if (alg && !parsed.digests[alg] && canCompute(alg))
      Object.assign(parsed.digests, digestBytes(bytes, [alg]));
    return parsed;
  }
  if (bytes.byteLength > MAX_INVENTORY_BYTES) {
    throw new TooLargeError(
      `${options.path ?? 'inventory.json'} is ${bytes.byteLength} bytes, too large for this reader (limit ${MAX_INVENTORY_BYTES})`,
      MAX_INVENTORY_BYTES,
      { operation: 'parseInventory', ...(options.path !== undefined && { key: options.path }) },
    );
  }
  const digests: Record<string, string> = { ...options.knownDigests };
  const wanted = ['sha512', ...(options.digestAlgorithms ?? ['sha256'])].filter((a) => !digests[a]);
  Object.assign(digests, digestBytes(bytes, wanted));
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    const report = new ValidationReport();
    // Never V8's message itself: it quotes the text (the first line of /etc/passwd, say).
    const why = err instanceof SyntaxError ? describeJsonError(err) : 'not UTF-8';
    report.add('E033', `inventory is not valid UTF-8 JSON: ${why}`, options.path);
    return { issues: report.issues, digests, versionNames: [] };
  }
  const result = validateInventory(raw, options);
  const duplicates = duplicateKeyIssues(bytes, raw, options.path);
  if (duplicates.length > 0) result.issues = [...duplicates, ...result.issues];
  const alg = result.inventory?.digestAlgorithm;
  if (alg && !digests[alg] && canCompute(alg)) Object.assign(digests, digestBytes(bytes, [alg]));
  return { ...result, digests };
}

const CHUNK = 1 << 20;

/** Options of {@link InventoryParser}: those of {@link parseInventory} and a byte cap. */
export interface InventoryParserOptions extends ParseInventoryOptions {
  /** Refuse (TooLargeError) past this many bytes (default {@link MAX_INVENTORY_BYTES}). */
  maxBytes?: number;
}

/**
 * {@link parseInventory} over a stream: `push` the bytes in chunks of any size, then `end()`.
 * The digests (sha512 and `digestAlgorithms`, default sha256, each unless in `knownDigests`) are
 * computed as the bytes pass; the declared `digestAlgorithm` is not known until the end, so a
 * caller that needs its digest names it (the validator passes the sidecars' algorithms). Same
 * result and issues as {@link parseInventory}; `push` throws TooLargeError past `maxBytes`.
 */
export class InventoryParser {
  readonly #options: InventoryParserOptions;
  readonly #scanner: InventoryScanner;
  readonly #known: Record<string, string>;

  constructor(options: InventoryParserOptions = {}) {
    this.#options = options;
    this.#known = { ...options.knownDigests };
    const wanted = ['sha512', ...(options.digestAlgorithms ?? ['sha256'])];
    this.#scanner = new InventoryScanner({
      digestAlgorithms: [...new Set(wanted.filter((a) => !this.#known[a] && canCompute(a)))],
      maxBytes: options.maxBytes ?? MAX_INVENTORY_BYTES,
      ...(options.path !== undefined && { path: options.path }),
      ...(options.reference && { reference: options.reference }),
    });
  }

  /** Feed the next bytes. Throws TooLargeError past the byte cap. */
  push(chunk: Uint8Array): void {
    this.#scanner.push(chunk);
  }

  /** True once the bytes are known not to be JSON (the outcome is E033 whatever follows). */
  get failed(): boolean {
    return this.#scanner.failed;
  }

  /** Validate what was read (never throws on bad input; see {@link parseInventory}). */
  end(): ParsedInventory {
    const scan = this.#scanner.end();
    const digests = { ...this.#known, ...scan.digests };
    const options = this.#options;
    if (scan.syntaxError !== undefined) {
      const report = new ValidationReport();
      report.add('E033', `inventory is not valid UTF-8 JSON: ${scan.syntaxError}`, options.path);
      return { issues: report.issues, digests, versionNames: [] };
    }
    const result = validateInventory(scan.value, options);
    const duplicates = duplicateIssues(scan.duplicates, options.path);
    if (duplicates.length > 0) result.issues = [...duplicates, ...result.issues];
    return { ...result, digests };
  }
}

/**
 * Issues for keys repeated within one JSON object of an inventory (`parsed` is what JSON.parse
 * made of `bytes`: it makes the check cheap), at most 100. **Errors**, not
 * warnings: `JSON.parse` keeps the last value and silently drops the first, so a repeated
 * manifest or state digest loses content or logical paths, a repeated version name loses a whole
 * version and a repeated `head` or `id` may be read differently by another tool; the object's
 * meaning is then not fixed by its bytes. Codes: E096 for a repeated manifest digest (the spec's
 * "digest more than once" rule, here without even a case difference), E097 for one inside a
 * fixity block, E033 (not JSON of the required structure) anywhere else. The message names the
 * key and the object it is repeated in (`versions.v1.state`), both shortened.
 */
export function duplicateKeyIssues(bytes: Uint8Array, parsed: unknown, path?: string): ValidationIssue[] {
  return duplicateIssues(findDuplicateKeys(bytes, { parsed }), path);
}

function duplicateIssues(found: readonly DuplicateKey[], path?: string): ValidationIssue[] {
  const report = new ValidationReport();
  for (const d of found) {
    const code = d.where === 'manifest' ? 'E096' : /^fixity\.[^.]+$/.test(d.where) ? 'E097' : 'E033';
    const where = d.where === '(top level)' ? 'the top level' : quoteForMessage(d.where, 120);
    report.add(
      code,
      `key ${quoteForMessage(d.key, 140)} appears more than once in ${where} (byte ${d.offset}); JSON readers keep only one of them`,
      path,
    );
  }
  return report.issues;
}

/** Canonical bytes of an inventory (see module doc). Unknown keys are not carried over. */
export function serializeInventory(inv: Inventory): Uint8Array {
  const ordered: Record<string, unknown> = {
    id: inv.id,
    type: inv.type,
    digestAlgorithm: inv.digestAlgorithm,
    head: inv.head,
  };
  if (inv.contentDirectory !== undefined) ordered.contentDirectory = inv.contentDirectory;
  if (inv.fixity !== undefined) {
    // Null prototypes: a `__proto__` algorithm, version, digest or path is written like any other.
    const fixity: Record<string, DigestMap> = Object.create(null);
    for (const alg of Object.keys(inv.fixity).sort()) fixity[alg] = sortedDigestMap(inv.fixity[alg]!);
    ordered.fixity = fixity;
  }
  ordered.manifest = sortedDigestMap(inv.manifest);
  const versions: Record<string, unknown> = Object.create(null);
  const names = Object.keys(inv.versions).sort(
    (a, b) => (versionNumber(a) ?? 0) - (versionNumber(b) ?? 0) || compare(a, b),
  );
  for (const name of names) versions[name] = orderedVersion(inv.versions[name]!);
  ordered.versions = versions;
  return new TextEncoder().encode(JSON.stringify(ordered, null, 2));
}

function orderedVersion(v: InventoryVersion): Record<string, unknown> {
  const out: Record<string, unknown> = { created: v.created };
  if (v.message !== undefined) out.message = v.message;
  if (v.user !== undefined) {
    out.user =
      v.user.address === undefined ? { name: v.user.name } : { name: v.user.name, address: v.user.address };
  }
  out.state = sortedDigestMap(v.state);
  return out;
}

function sortedDigestMap(map: DigestMap): DigestMap {
  const out: DigestMap = Object.create(null);
  for (const digest of Object.keys(map).sort(compare)) out[digest] = [...map[digest]!].sort(compare);
  return out;
}

/** Code-unit order, independent of locale (Array#sort default, spelled out for intent). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
