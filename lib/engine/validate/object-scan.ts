/**
 * The structural half of object validation: what is in the object root (E001, E090), the
 * version directories against the inventory (E008–E014, E046), what each version directory holds
 * (E015, W002, E016, E024, W003), content files against manifests (E023, E092 for missing
 * files) and the `extensions/` directory (E067, W013).
 *
 * Works on one listing of the whole object (see tree.ts), keyed by object-relative path.
 */

import type { Inventory } from '../../core/inventory.js';
import type { ValidationReport } from '../../core/ocfl/codes.js';
import { q } from '../../core/ocfl/context.js';
import { isRegisteredExtension } from '../../core/ocfl/extensions.js';
import { splitFirst } from '../../core/ocfl/paths.js';
import { checkVersionSequence, parseVersionName, type VersionName } from '../../core/ocfl/version-names.js';
import { isDeclarationName } from './namaste.js';
import type { Children, Tree, TreeFile } from './tree.js';

/** The object's listing, indexed. */
export interface ObjectListing {
  /** Every file, by object-relative path. */
  files: Map<string, TreeFile>;
  /** Empty directories (filesystem only), object-relative. */
  emptyDirs: string[];
  /** Files directly in the object root, by name. */
  rootFiles: Map<string, TreeFile>;
  /** Directory names directly in the object root. */
  rootDirs: Set<string>;
  /** Files below each root directory, by that directory's name (saves rescanning all files). */
  below: Map<string, TreeFile[]>;
}

/** Index a tree listing of the object root. */
export function indexListing(tree: Tree): ObjectListing {
  const files = new Map<string, TreeFile>();
  const rootFiles = new Map<string, TreeFile>();
  const rootDirs = new Set<string>();
  const below = new Map<string, TreeFile[]>();
  for (const f of tree.files) {
    files.set(f.path, f);
    const [first, rest] = splitFirst(f.path);
    if (rest === '') rootFiles.set(first, f);
    else {
      rootDirs.add(first);
      const group = below.get(first);
      if (group) group.push(f);
      else below.set(first, [f]);
    }
  }
  for (const d of tree.emptyDirs) rootDirs.add(splitFirst(d)[0]);
  return { files, emptyDirs: tree.emptyDirs, rootFiles, rootDirs, below };
}

/** The files directly in one directory of the object, from the whole-object listing. */
export function childrenOf(listing: ObjectListing, dir: string): Children {
  const files = new Map<string, TreeFile>();
  const prefix = `${dir}/`;
  for (const f of listing.below.get(splitFirst(dir)[0]) ?? []) {
    const name = f.path.slice(prefix.length);
    if (f.path.startsWith(prefix) && !name.includes('/')) files.set(name, f);
  }
  return { files, dirs: new Set<string>() };
}

/** E001 for anything in the object root the spec does not allow; E090 for links anywhere. */
export function checkRootEntries(listing: ObjectListing, report: ValidationReport): void {
  for (const name of listing.rootFiles.keys()) {
    if (isDeclarationName(name) || name === 'inventory.json' || name.startsWith('inventory.json.')) continue;
    report.add('E001', `unexpected file in the object root: ${q(name)}`, name);
  }
  for (const name of listing.rootDirs) {
    if (name === 'logs' || name === 'extensions' || !('problem' in parseVersionName(name))) continue;
    report.add('E001', `unexpected directory in the object root: ${q(name)}`, name);
  }
  for (const f of listing.files.values()) {
    if (f.symlink) report.add('E090', 'symbolic link inside the object', f.path);
    else if (f.special === 'undecodable-name') {
      report.add('E001', 'a file name inside the object is not valid UTF-8', f.path);
    } else if (f.special) report.add('E090', `not a regular file (${f.special}) inside the object`, f.path);
  }
}

/**
 * Check the version directories' names and sequence, and match them with the inventory's
 * `versions` keys (E046, or E014 when the same number is named differently). Returns the
 * well-formed version directory names sorted by number.
 */
export function checkVersionDirectories(
  listing: ObjectListing,
  inventoryVersions: VersionName[] | undefined,
  report: ValidationReport,
): VersionName[] {
  const names = [...listing.rootDirs].filter((d) => !('problem' in parseVersionName(d)));
  const dirs = checkVersionSequence(names, 'version directory', (code, message, name) =>
    report.add(code, message, name),
  );
  if (dirs.length === 0) report.add('E008', 'the object has no version directories');
  if (!inventoryVersions) return dirs;
  const dirByNumber = new Map(dirs.map((d) => [d.number, d.name]));
  const keyByNumber = new Map(inventoryVersions.map((v) => [v.number, v.name]));
  for (const key of inventoryVersions) {
    const dir = dirByNumber.get(key.number);
    if (dir === undefined)
      report.add('E046', `inventory version ${q(key.name)} has no version directory`, key.name);
    else if (dir !== key.name) {
      report.add('E014', `inventory names version ${q(key.name)} but its directory is ${q(dir)}`, dir);
    }
  }
  for (const dir of dirs) {
    if (!keyByNumber.has(dir.number)) {
      report.add('E046', `version directory ${q(dir.name)} is not a version of the inventory`, dir.name);
    }
  }
  return dirs;
}

/**
 * Check the inside of each version directory: only inventory files at its top (E015), other
 * directories are W002 and ignored, empty directories in content (E024), an empty content
 * directory (W003), and a missing content directory where the manifest has content (E016).
 */
export function checkVersionContents(
  listing: ObjectListing,
  versions: VersionName[],
  contentDirectory: string,
  inventory: Inventory | undefined,
  report: ValidationReport,
): void {
  const versionSet = new Set(versions.map((v) => v.name));
  const contentOf = new Map<string, number>();
  for (const f of listing.files.values()) {
    const [v, rest] = splitFirst(f.path);
    if (!versionSet.has(v)) continue;
    const [top, below] = splitFirst(rest);
    if (below === '') {
      if (top !== 'inventory.json' && !top.startsWith('inventory.json.')) {
        report.add('E015', `unexpected file in version directory ${v}: ${top}`, f.path);
      }
    } else if (top === contentDirectory) contentOf.set(v, (contentOf.get(v) ?? 0) + 1);
    else
      report.add(
        'W002',
        `version directory ${v} holds a directory other than ${contentDirectory}: ${top}`,
        `${v}/${top}`,
      );
  }
  for (const d of listing.emptyDirs) checkEmptyDir(d, versionSet, contentDirectory, report);
  if (!inventory) return;
  for (const path of Object.values(inventory.manifest).flat()) {
    const [v, rest] = splitFirst(path);
    if (versionSet.has(v) && splitFirst(rest)[0] === contentDirectory && !contentOf.has(v)) {
      report.add('E016', `version ${v} adds content but has no ${contentDirectory} directory`, v);
    }
  }
}

function checkEmptyDir(
  d: string,
  versionSet: Set<string>,
  contentDirectory: string,
  report: ValidationReport,
) {
  const [v, rest] = splitFirst(d);
  if (!versionSet.has(v)) return;
  const [top, below] = splitFirst(rest);
  if (top !== contentDirectory) {
    if (below === '' && top !== '')
      report.add('W002', `version directory ${v} holds an empty directory ${top}`, d);
    return;
  }
  if (below === '') report.add('W003', `content directory of ${v} is empty`, d);
  else report.add('E024', `empty directory inside the content directory`, d);
}

/**
 * Every file in the content directory of each version the inventory covers must be in its
 * manifest (E023); every manifest path must exist (E092). `inventoryPath` names the inventory
 * in messages; `versions` are the version directories it covers.
 */
export function checkManifestAgainstFiles(
  listing: ObjectListing,
  inventory: Inventory,
  versions: VersionName[],
  contentDirectory: string,
  inventoryPath: string,
  report: ValidationReport,
): void {
  const inManifest = new Set(Object.values(inventory.manifest).flat());
  for (const v of versions) {
    const content = `${v.name}/${contentDirectory}/`;
    for (const f of listing.below.get(v.name) ?? []) {
      if (!f.path.startsWith(content) || inManifest.has(f.path)) continue;
      report.add('E023', `content file is not in the manifest of ${inventoryPath}`, f.path);
    }
  }
  for (const p of inManifest) {
    if (!listing.files.has(p))
      report.add('E092', `manifest of ${inventoryPath} lists a file that does not exist`, p);
  }
}

/** `extensions/` may hold only directories (E067), named after registered extensions (W013). */
export function checkObjectExtensions(listing: ObjectListing, report: ValidationReport): Set<string> {
  const names = new Set<string>();
  for (const f of listing.files.values()) {
    const [top, rest] = splitFirst(f.path);
    if (top !== 'extensions') continue;
    const [name, below] = splitFirst(rest);
    if (below === '') report.add('E067', `file directly in the extensions directory: ${q(name)}`, f.path);
    else names.add(name);
  }
  for (const d of listing.emptyDirs) {
    const [top, rest] = splitFirst(d);
    if (top === 'extensions' && rest !== '' && !rest.includes('/')) names.add(rest);
  }
  for (const name of names) {
    if (!isRegisteredExtension(name)) {
      report.add(
        'W013',
        `extension directory ${q(name)} is not a registered extension name`,
        `extensions/${name}`,
      );
    }
  }
  return names;
}
