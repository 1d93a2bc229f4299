/**
 * The Preservation API's StorageMap, built purely from an inventory (spec: "## StorageMap").
 *
 * `files` maps each logical path of the chosen version to its SHA-256 and its content path
 * (`fullPath`, relative to the object root); `hashes` maps each SHA-256 to one content path.
 * Content paths always come from the manifest through the digest (Fedora stores `a b.txt` as
 * `v1/content/a%20b.txt`). For objects Fedora wrote, its bookkeeping files (`.fcrepo/…`,
 * `fcr-container.nt`, `…~fcr-desc.nt`, `…~fcr-acl.nt`) are left out.
 *
 * SHA-256 sources, in order: the inventory digest when the inventory is sha256; a `sha256`
 * fixity entry for the content path; a `urn:sha-256` in the Fedora header whose `contentPath`
 * is the file. Decision when some file has no SHA-256 recorded anywhere: the whole map uses the
 * inventory's own digests instead (never a mix, so `hashes` stays one content-addressed index)
 * and carries an extra top-level `digestAlgorithm` naming that algorithm. The field is absent
 * whenever the hashes are SHA-256, which keeps the spec's exact shape in the normal case.
 */

import { NotFoundError } from './errors.js';
import type { FedoraHeader } from './fedora/headers.js';
import { isFedoraHousekeeping, isHeaderPath, looksLikeFedora } from './fedora/paths.js';
import type { DigestMap, Inventory } from './inventory.js';
import { assertSafeInventoryPath } from './ocfl/path-safety.js';
import { asView, type InventoryView, listVersions, type VersionInfo } from './versions.js';

/** Where the object lives, as the StorageMap reports it. `memory` only occurs in tests. */
export type StorageType = 'S3' | 'file' | 'memory';

/** One entry of `files`. */
export interface StorageMapFile {
  /** Lowercase hex SHA-256 (or the inventory digest, see `digestAlgorithm`). */
  hash: string;
  /** Content path relative to `objectPath`. */
  fullPath: string;
}

/** The StorageMap. */
export interface StorageMap {
  version: VersionInfo;
  headVersion: VersionInfo;
  allVersions: VersionInfo[];
  storageType: StorageType;
  /** S3: bucket name. file: the storage root directory. */
  root: string;
  /** Object root relative to `root` (for S3 it includes any key prefix). */
  objectPath: string;
  files: Record<string, StorageMapFile>;
  hashes: Record<string, string>;
  /** The Archival Group in the underlying repository: Fedora URL or id, else the OCFL object id. */
  archivalGroup: string;
  /** Present only when `hash` values are not SHA-256: the inventory algorithm they use instead. */
  digestAlgorithm?: string;
}

/** Inputs of {@link buildStorageMap}. */
export interface StorageMapInput {
  /** The effective inventory (the mutable head's when it is shown), parsed or as a view. */
  inventory: Inventory | InventoryView;
  /** Resolved version directory name. */
  version: string;
  storageType: StorageType;
  root: string;
  objectPath: string;
  archivalGroup: string;
  /** Parsed Fedora headers of this version by header logical path: a source of SHA-256s. */
  headers?: ReadonlyMap<string, FedoraHeader>;
}

/** logical path → SHA-256 recorded in the Fedora header describing that content file. */
function headerSha256s(headers: ReadonlyMap<string, FedoraHeader> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const header of headers?.values() ?? []) {
    const sha = header.digests.find((d) => d.algorithm === 'sha256');
    if (header.contentPath !== undefined && sha !== undefined) out.set(header.contentPath, sha.hex);
  }
  return out;
}

function isView(inventory: Inventory | InventoryView): inventory is InventoryView {
  return typeof (inventory as InventoryView).files === 'function';
}

/** The state block of a raw inventory's version; throws NotFoundError like `versionFiles`. */
function stateOf(inventory: Inventory, version: string): DigestMap {
  // Own keys only: `constructor` or `__proto__` must not find Object.prototype's.
  const block = Object.hasOwn(inventory.versions, version) ? inventory.versions[version] : undefined;
  if (block === undefined || !isRecord(block)) {
    throw new NotFoundError(`object ${inventory.id} has no version ${version}`, { key: version });
  }
  return isRecord(block.state) ? block.state : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True when the version's logical paths show Fedora wrote the object (any `.fcrepo/` header). */
export function isFedoraVersion(inventory: Inventory | InventoryView, version: string): boolean {
  if (isView(inventory)) return looksLikeFedora(inventory.files(version).map((f) => f.logicalPath));
  const state = stateOf(inventory, version);
  for (const digest in state) {
    const paths = state[digest];
    if (Array.isArray(paths) && paths.some((p) => typeof p === 'string' && isHeaderPath(p))) return true;
  }
  return false;
}

/** A version's files as parallel columns, in state order (not yet sorted). */
interface FileColumns {
  paths: string[];
  /** Inventory digest, lowercased. */
  digests: string[];
  contents: string[];
  fedora: boolean;
}

/**
 * One pass over a raw inventory's state: the same files as `versionFiles` (case-insensitive
 * manifest fallback, malformed entries skipped) without building a record per file.
 */
function columnsOfInventory(inventory: Inventory, version: string): FileColumns {
  const state = stateOf(inventory, version);
  const manifest = isRecord(inventory.manifest) ? inventory.manifest : {};
  let lower: Map<string, unknown> | undefined;
  const out: FileColumns = { paths: [], digests: [], contents: [], fedora: false };
  const digests = Object.keys(state);
  for (let k = 0; k < digests.length; k++) {
    const digest = digests[k]!;
    const logicalPaths = state[digest];
    // Own keys only: `constructor` or `__proto__` as a digest must not find Object.prototype's.
    let contentPaths: unknown = Object.hasOwn(manifest, digest) ? manifest[digest] : undefined;
    if (!Array.isArray(contentPaths)) {
      lower ??= new Map(Object.entries(manifest).map(([d, p]) => [d.toLowerCase(), p]));
      contentPaths = lower.get(digest.toLowerCase());
    }
    const contentPath = Array.isArray(contentPaths) ? contentPaths[0] : undefined;
    if (typeof contentPath !== 'string' || !Array.isArray(logicalPaths)) continue;
    const hex = digest.toLowerCase();
    for (let j = 0; j < logicalPaths.length; j++) {
      const logicalPath: unknown = logicalPaths[j];
      if (typeof logicalPath !== 'string') continue;
      if (!out.fedora && isHeaderPath(logicalPath)) out.fedora = true;
      out.paths.push(logicalPath);
      out.digests.push(hex);
      out.contents.push(contentPath);
    }
  }
  return out;
}

function columnsOfView(view: InventoryView, version: string): FileColumns {
  const files = view.files(version);
  const out: FileColumns = { paths: [], digests: [], contents: [], fedora: false };
  for (const f of files) {
    if (!out.fedora && isHeaderPath(f.logicalPath)) out.fedora = true;
    out.paths.push(f.logicalPath);
    out.digests.push(f.digest.toLowerCase());
    out.contents.push(f.contentPath);
  }
  return out;
}

/** Indices of the kept files (Fedora housekeeping dropped), ascending by logical path. */
function sortedKept(columns: FileColumns): number[] {
  const { paths, fedora } = columns;
  const kept: number[] = [];
  for (let i = 0; i < paths.length; i++) if (!fedora || !isFedoraHousekeeping(paths[i]!)) kept.push(i);
  // UTF-16 code unit order, as `versionFiles` sorts.
  return kept.sort((a, b) => (paths[a]! < paths[b]! ? -1 : paths[a]! > paths[b]! ? 1 : 0));
}

/** SHA-256 of every kept file (by index), or undefined as soon as one has none recorded. */
function sha256sOf(
  input: Pick<StorageMapInput, 'inventory' | 'headers'>,
  columns: FileColumns,
  kept: number[],
): (string | undefined)[] | undefined {
  const inventory = input.inventory;
  // No file (or a sha256 inventory): nothing is missing, so the map never names another algorithm.
  if (inventory.digestAlgorithm === 'sha256' || kept.length === 0) return columns.digests;
  const hasFixity = isView(inventory)
    ? inventory.fixityAlgorithms.includes('sha256')
    : isRecord(inventory.fixity) && inventory.fixity['sha256'] !== undefined;
  if (!hasFixity && !input.headers?.size) return undefined;
  const fromInventory = hasFixity ? asView(inventory).contentDigests('sha256') : new Map<string, string>();
  const fromHeaders = headerSha256s(input.headers);
  const out = new Array<string | undefined>(columns.paths.length);
  for (const i of kept) {
    const hex = fromInventory.get(columns.contents[i]!) ?? fromHeaders.get(columns.paths[i]!);
    if (hex === undefined) return undefined;
    out[i] = hex;
  }
  return out;
}

/** Where the object is and what it is called: the StorageMap fields not derived from the inventory. */
export type StorageMapPlace = Pick<StorageMapInput, 'storageType' | 'root' | 'objectPath' | 'archivalGroup'>;

/** A version's files, read once, waiting for the Fedora headers if it needs them. */
export interface PreparedStorageMap {
  /** True when Fedora wrote the version and the inventory lacks a SHA-256 for some file. */
  readonly needsHeaders: boolean;
  /** The StorageMap, with the version's parsed Fedora headers when `needsHeaders`. */
  build(place: StorageMapPlace & { headers?: ReadonlyMap<string, FedoraHeader> }): StorageMap;
}

/**
 * Read the files of `version` once (a raw inventory in one pass over its state, without
 * per-file records) for {@link buildStorageMap}. Throws NotFoundError for an unknown version.
 */
export function prepareStorageMap(inventory: Inventory | InventoryView, version: string): PreparedStorageMap {
  const columns = isView(inventory)
    ? columnsOfView(inventory, version)
    : columnsOfInventory(inventory, version);
  const kept = sortedKept(columns);
  let needsHeaders = false;
  if (columns.fedora && inventory.digestAlgorithm !== 'sha256') {
    needsHeaders = sha256sOf({ inventory }, columns, kept) === undefined;
  }
  return { needsHeaders, build: (place) => assemble({ ...place, inventory, version }, columns, kept) };
}

/**
 * Build the StorageMap of `input.version`. Throws NotFoundError when the version does not exist
 * (resolve selectors first with `resolveVersion`).
 */
export function buildStorageMap(input: StorageMapInput): StorageMap {
  return prepareStorageMap(input.inventory, input.version).build(input);
}

function assemble(input: StorageMapInput, columns: FileColumns, kept: number[]): StorageMap {
  const { version, inventory } = input;
  const sha256s = sha256sOf(input, columns, kept);
  const hashes = sha256s ?? columns.digests;
  const allVersions = listVersions(inventory);
  const map: StorageMap = {
    version: allVersions.find((v) => v.ocflVersion === version)!,
    headVersion:
      allVersions.find((v) => v.ocflVersion === inventory.head) ?? allVersions[allVersions.length - 1]!,
    allVersions,
    storageType: input.storageType,
    root: input.root,
    objectPath: input.objectPath,
    // Null-prototype records: a logical path or digest spelled `__proto__` or `constructor` is
    // an ordinary key (JSON.stringify writes them as usual).
    files: Object.create(null) as StorageMap['files'],
    hashes: Object.create(null) as StorageMap['hashes'],
    archivalGroup: input.archivalGroup,
  };
  const where = `object ${inventory.id}`;
  for (const i of kept) {
    const hash = hashes[i]!;
    // Paths from data never reach a map unchecked, whatever the inventory came from (a cached
    // view, a caller's own parse): `fullPath` is joined to the object root by every client.
    const fullPath = assertSafeInventoryPath(columns.contents[i], 'content path', where);
    const logicalPath = assertSafeInventoryPath(columns.paths[i], 'logical path', where);
    map.files[logicalPath] = { hash, fullPath };
    if (!Object.hasOwn(map.hashes, hash)) map.hashes[hash] = fullPath;
  }
  if (sha256s === undefined) map.digestAlgorithm = inventory.digestAlgorithm;
  return map;
}
