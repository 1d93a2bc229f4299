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
import type { FedoraHeader } from './fedora/headers.js';
import { isFedoraHousekeeping, looksLikeFedora } from './fedora/paths.js';
import type { Inventory } from './inventory.js';
import { asView, type InventoryView, listVersions, type VersionFile, type VersionInfo } from './versions.js';

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

/** SHA-256 of every file, or undefined as soon as one has none recorded. */
function sha256sOf(input: StorageMapInput, view: InventoryView, files: VersionFile[]): string[] | undefined {
  const fromInventory = view.contentDigests('sha256');
  const fromHeaders = headerSha256s(input.headers);
  const out: string[] = [];
  for (const f of files) {
    const hex = fromInventory.get(f.contentPath) ?? fromHeaders.get(f.logicalPath);
    if (hex === undefined) return undefined;
    out.push(hex);
  }
  return out;
}

/** True when the version's logical paths show Fedora wrote the object (any `.fcrepo/` header). */
export function isFedoraVersion(view: InventoryView, version: string): boolean {
  return looksLikeFedora(view.files(version).map((f) => f.logicalPath));
}

/**
 * Build the StorageMap of `input.version`. Throws NotFoundError when the version does not exist
 * (resolve selectors first with `resolveVersion`).
 */
export function buildStorageMap(input: StorageMapInput): StorageMap {
  const { version } = input;
  const inventory = asView(input.inventory);
  const fedora = isFedoraVersion(inventory, version);
  const files = inventory.files(version).filter((f) => !fedora || !isFedoraHousekeeping(f.logicalPath));
  const sha256s = sha256sOf(input, inventory, files);
  const hashes = sha256s ?? files.map((f) => f.digest.toLowerCase());
  const allVersions = listVersions(inventory);
  const map: StorageMap = {
    version: allVersions.find((v) => v.ocflVersion === version)!,
    headVersion:
      allVersions.find((v) => v.ocflVersion === inventory.head) ?? allVersions[allVersions.length - 1]!,
    allVersions,
    storageType: input.storageType,
    root: input.root,
    objectPath: input.objectPath,
    files: {},
    hashes: {},
    archivalGroup: input.archivalGroup,
  };
  files.forEach((f, i) => {
    const hash = hashes[i]!;
    map.files[f.logicalPath] = { hash, fullPath: f.contentPath };
    map.hashes[hash] ??= f.contentPath;
  });
  if (sha256s === undefined) map.digestAlgorithm = inventory.digestAlgorithm;
  return map;
}
