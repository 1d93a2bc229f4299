/**
 * OCFL object validation through the storage port: declaration, root and version inventories
 * with their sidecars, directory structure, comparisons between inventories, extensions and
 * (by default) content fixity. Collects every issue it can find; it only throws for I/O failures
 * and aborts, never for an invalid object.
 *
 * Cost: one listing of the whole object (see tree.ts), one read per distinct inventory and
 * sidecar, and one read of every content file when `fixity` is on.
 */
import { NotFoundError } from '../../core/errors.js';
import type { Inventory, OcflSpecVersion } from '../../core/inventory.js';
import { ValidationReport } from '../../core/ocfl/codes.js';
import { q } from '../../core/ocfl/context.js';
import { MUTABLE_HEAD_EXTENSION } from '../../core/ocfl/extensions.js';
import type { VersionName } from '../../core/ocfl/version-names.js';
import { quoteForMessage } from '../../core/paths.js';
import type { HashPool } from '../../hash/pool.js';
import type { ReadableStore } from '../../storage/port.js';
import { mapLimit } from '../concurrency.js';
import { withRelayedSignal } from './abort.js';
import { checkSpecSequence, compareWithRoot, type VersionInventory } from './compare.js';
import { FixityPlan, type FixityProgress } from './fixity.js';
import { validateMutableHead } from './mutable-head.js';
import { checkDeclaration } from './namaste.js';
import {
  checkManifestAgainstFiles,
  checkObjectExtensions,
  checkRootEntries,
  checkVersionContents,
  checkVersionDirectories,
  childrenOf,
  indexListing,
  type ObjectListing,
} from './object-scan.js';
import { type InventoryCache, type LoadedInventory, loadInventory } from './sidecar.js';
import { listTree } from './tree.js';

/** Options for {@link validateObject}. */
export interface ObjectValidationOptions {
  /** Read every content file and check its digests (default true). */
  fixity?: boolean;
  /** Called as content files are hashed (cumulative), first with zeros and the totals. */
  onProgress?: (progress: FixityProgress) => void;
  signal?: AbortSignal;
  /**
   * Spec version of the enclosing storage root, when known: an object declaring a later one is
   * E081. Default: not checked.
   */
  specVersion?: OcflSpecVersion;
  /** Also validate an extension-0005 mutable head when present (default true). */
  mutableHead?: boolean;
  /** Hashing threads for fixity on local stores (default: the shared pool, see getDefaultPool()). */
  pool?: HashPool;
}

/** A validation report that also says what object it is about. */
export class ObjectValidationReport extends ValidationReport {
  /** The object root key that was validated ('' = store root). */
  readonly objectRoot: string;
  /** The object id from the root inventory, when readable. */
  id?: string;
  /** The spec version the object declares. */
  specVersion?: OcflSpecVersion;
  /** The root inventory's head. */
  head?: string;

  constructor(objectRoot: string) {
    super();
    this.objectRoot = objectRoot;
  }

  /** JSON for the CLI and the API: what was validated, the verdict and the issues. */
  override toJSON() {
    return {
      objectRoot: this.objectRoot,
      ...(this.id !== undefined && { id: this.id }),
      ...(this.specVersion && { specVersion: this.specVersion }),
      ...(this.head !== undefined && { head: this.head }),
      ...super.toJSON(),
    };
  }
}

/**
 * Validate the OCFL object whose root is `objectRoot` ('' = the store root). Issue paths are
 * relative to the object root. Throws NotFoundError when nothing is there, TooLargeError for an
 * inventory past `MAX_INVENTORY_BYTES` (a limit of this reader, not a verdict on the object),
 * I/O errors (IoError, …) and aborts; everything wrong with the object is an issue.
 */
export async function validateObject(
  store: ReadableStore,
  objectRoot: string,
  options: ObjectValidationOptions = {},
): Promise<ObjectValidationReport> {
  return withRelayedSignal(options.signal, (signal) =>
    validate(store, objectRoot, { ...options, ...(signal && { signal }) }),
  );
}

async function validate(
  store: ReadableStore,
  objectRoot: string,
  options: ObjectValidationOptions,
): Promise<ObjectValidationReport> {
  const report = new ObjectValidationReport(objectRoot);
  const tree = await listTree(store, objectRoot, options.signal);
  if (tree.files.length === 0 && tree.emptyDirs.length === 0) {
    // Nothing at all is there (object stores cannot tell a missing directory from an empty one):
    // not an invalid object but no object, which the caller should hear as such.
    throw new NotFoundError(`nothing at ${quoteForMessage(objectRoot || store.uri)}: no object to validate`, {
      operation: 'validateObject',
      key: objectRoot,
    });
  }
  const listing = indexListing(tree);
  checkRootEntries(listing, report);
  const declared = await checkDeclaration(store, objectRoot, listing.rootFiles, 'object', report);
  if (declared) report.specVersion = declared;
  if (declared && options.specVersion && declared > options.specVersion) {
    report.add('E081', `object declares OCFL ${declared}, its storage root ${options.specVersion}`);
  }
  const cache: InventoryCache = new Map();
  const root = await loadRoot(store, objectRoot, listing, declared, report, cache);
  const inventory = root?.parsed.inventory;
  if (inventory) {
    report.id = inventory.id;
    report.head = inventory.head;
  }
  const dirs = checkVersionDirectories(listing, inventory ? root?.parsed.versionNames : undefined, report);
  const contentDirectory = inventory?.contentDirectory ?? 'content';
  checkVersionContents(listing, dirs, contentDirectory, inventory, report);
  const plan = new FixityPlan();
  if (inventory) {
    checkManifestAgainstFiles(listing, inventory, dirs, contentDirectory, 'inventory.json', report);
    plan.addInventory(inventory, 'inventory.json');
  }
  // A root inventory without a single issue lets the version inventories skip re-checking the
  // blocks and manifest entries they repeat from it (most of their bytes).
  const reference = root && root.parsed.issues.length === 0 ? inventory : undefined;
  const older = await loadVersionInventories({ store, objectRoot, listing, dirs, report, cache, reference });
  if (inventory && root) checkVersionInventories(listing, root, older, dirs, declared, report, plan);
  const extensions = checkObjectExtensions(listing, report);
  if (extensions.has(MUTABLE_HEAD_EXTENSION) && inventory && options.mutableHead !== false) {
    await validateMutableHead({ store, objectRoot, listing, root: inventory, report, cache, plan });
  }
  if (options.fixity !== false) {
    await plan.run(store, objectRoot, listing.files, report, {
      ...(options.onProgress && { onProgress: options.onProgress }),
      ...(options.signal && { signal: options.signal }),
      ...(options.pool && { pool: options.pool }),
    });
  }
  return report;
}

async function loadRoot(
  store: ReadableStore,
  objectRoot: string,
  listing: ObjectListing,
  declared: OcflSpecVersion | undefined,
  report: ValidationReport,
  cache: InventoryCache,
): Promise<LoadedInventory | undefined> {
  if (!listing.rootFiles.has('inventory.json')) {
    report.add('E063', 'the object root has no inventory.json');
    return undefined;
  }
  const children = { files: listing.rootFiles, dirs: listing.rootDirs };
  return loadInventory({ store, objectRoot, dir: '', children }, report, cache, {
    ...(declared && { expectedSpecVersion: declared }),
    strayCode: 'E001',
  });
}

/** Load each version directory's inventory (W010 when absent), a few at a time. */
async function loadVersionInventories(at: {
  store: ReadableStore;
  objectRoot: string;
  listing: ObjectListing;
  dirs: VersionName[];
  report: ValidationReport;
  cache: InventoryCache;
  reference: Inventory | undefined;
}): Promise<Map<string, LoadedInventory>> {
  const { store, objectRoot, listing, dirs, report, cache, reference } = at;
  const out = new Map<string, LoadedInventory>();
  // Sequential parsing keeps the report's order stable; listing children is local to the tree.
  await mapLimit(dirs, 1, async (dir) => {
    const children = childrenOf(listing, dir.name);
    if (!children.files.has('inventory.json')) {
      report.add('W010', `version directory ${q(dir.name)} has no inventory`, dir.name);
      return;
    }
    const loaded = await loadInventory({ store, objectRoot, dir: dir.name, children }, report, cache, {
      strayCode: 'E015',
      ...(reference && { reference }),
    });
    out.set(dir.name, loaded);
  });
  return out;
}

/** E064 for the newest copy, comparisons and manifest checks for the older ones, E103. */
function checkVersionInventories(
  listing: ObjectListing,
  root: LoadedInventory,
  older: Map<string, LoadedInventory>,
  dirs: VersionName[],
  declared: OcflSpecVersion | undefined,
  report: ValidationReport,
  plan: FixityPlan,
): void {
  const rootInv = root.parsed.inventory!;
  const sequence: VersionInventory[] = [];
  for (const dir of dirs) {
    const loaded = older.get(dir.name);
    const inventory = loaded?.parsed.inventory;
    if (!loaded || !inventory) continue;
    const path = `${dir.name}/inventory.json`;
    sequence.push({ name: dir.name, inventory, path });
    if (dir.name === rootInv.head && loaded.sha512 !== root.sha512) {
      report.add('E064', `the root inventory differs from the one in ${q(dir.name)}`, path);
    }
    if (loaded.sha512 === root.sha512) {
      // A copy of the root inventory is right only in the head directory.
      if (rootInv.head !== '' && dir.name !== rootInv.head) {
        report.add(
          'E040',
          `inventory in ${q(dir.name)} is the root inventory (head ${q(rootInv.head)})`,
          path,
        );
      }
      continue;
    }
    compareWithRoot(rootInv, { name: dir.name, inventory, path }, dirs[0]!.name, report);
    const covered = dirs.filter((d) => d.number <= dir.number);
    const cd = inventory.contentDirectory ?? rootInv.contentDirectory ?? 'content';
    checkManifestAgainstFiles(listing, inventory, covered, cd, path, report);
    plan.addInventory(inventory, path);
  }
  // The root inventory is the newest: it closes the sequence even when the head copy is missing.
  sequence.push({ name: rootInv.head, inventory: rootInv, path: 'inventory.json' });
  checkSpecSequence(sequence, declared, report);
}
