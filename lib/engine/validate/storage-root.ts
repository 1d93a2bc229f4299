/**
 * Storage-root validation (spec §4): the root declaration, `ocfl_layout.json`, the root
 * `extensions/` directory, and a walk of the storage hierarchy that finds every object root and
 * validates it.
 *
 * An object root is a directory holding a declaration-like file (`0=…`); the object validator
 * then judges that declaration (so `0=ocfl_object_0.9` is an object with E004, not a stray
 * file). The walk never descends into object roots. Other files in the hierarchy are E072,
 * empty directories E073, and a branch with no object below it is E085. Files directly in the
 * storage root that we do not understand (a copy of the spec, local extension docs) are
 * ignored, as E087 requires. Nested objects inside objects (E082) show up as E001 in the outer
 * object rather than being searched for.
 *
 * Directories are listed a few at a time and objects validated a couple at a time (object
 * fixity already hashes several files in parallel).
 */

import { hasCode, NotFoundError } from '../../core/errors.js';
import type { OcflSpecVersion } from '../../core/inventory.js';
import { describeJsonError, findDuplicateKeys } from '../../core/json-scan.js';
import { ValidationReport } from '../../core/ocfl/codes.js';
import { q } from '../../core/ocfl/context.js';
import { isRegisteredExtension } from '../../core/ocfl/extensions.js';
import { MAX_HIERARCHY_DEPTH, MAX_LAYOUT_FILE_BYTES } from '../../core/ocfl/limits.js';
import type { HashPool } from '../../hash/pool.js';
import type { ReadableStore } from '../../storage/port.js';
import { joinKey } from '../../storage/port.js';
import { mapLimit } from '../concurrency.js';
import { checkDeclaration, declaredVersion, isDeclarationName } from './namaste.js';
import { type ObjectValidationReport, validateObject } from './object.js';
import { type Children, listChildren, type TreeFile } from './tree.js';

/** Options for {@link validateStorageRoot}. */
export interface StorageRootValidationOptions {
  /** Check content fixity of every object (default true). */
  fixity?: boolean;
  /** Cumulative progress: objects found/validated and content files/bytes hashed. */
  onProgress?: (progress: StorageRootProgress) => void;
  /** Called with each object's report as soon as it is done (in completion order). */
  onObject?: (report: ObjectValidationReport) => void;
  signal?: AbortSignal;
  /** Objects validated at once (default 2). */
  concurrency?: number;
  /** Hashing threads for fixity on local stores (default: the shared pool, see getDefaultPool()). */
  pool?: HashPool;
}

/** Progress of a storage-root validation. */
export interface StorageRootProgress {
  objectsFound: number;
  objectsDone: number;
  files: number;
  bytes: number;
}

/**
 * The storage root's own issues (`errors`/`warnings`, paths relative to the storage root) plus
 * one report per object. `valid` is true only when the root and every object are valid.
 */
export class StorageRootReport extends ValidationReport {
  readonly objects: ObjectValidationReport[] = [];
  /** The spec version the root declares. */
  specVersion?: OcflSpecVersion;
  /** `extension` of `ocfl_layout.json`, when present and well formed. */
  layout?: string;

  override get valid(): boolean {
    return this.errors.length === 0 && this.objects.every((o) => o.valid);
  }

  /** JSON for the CLI and the API: the root's verdict and issues, then each object's. */
  override toJSON() {
    return {
      ...super.toJSON(),
      ...(this.specVersion && { specVersion: this.specVersion }),
      ...(this.layout && { layout: this.layout }),
      objects: this.objects.map((o) => o.toJSON()),
    };
  }
}

/**
 * Validate the storage root at the store's root. Everything wrong with the root or its objects
 * is an issue (two objects with one id: E083 on each; special entries outside objects: E089;
 * a hierarchy deeper than `MAX_HIERARCHY_DEPTH`: E085, not walked further). Throws only on I/O
 * errors, aborts, and TooLargeError for an inventory past the reader's limit.
 */
export async function validateStorageRoot(
  store: ReadableStore,
  options: StorageRootValidationOptions = {},
): Promise<StorageRootReport> {
  const report = new StorageRootReport();
  const top = await listChildren(store, '', options.signal);
  reportSpecialEntries(top, '', report);
  const declared = await checkDeclaration(store, '', top.files, 'storage-root', report);
  if (declared) report.specVersion = declared;
  await checkLayoutFile(store, top, report);
  const hierarchy = [...top.dirs].filter((d) => d !== 'extensions');
  if (top.dirs.has('extensions')) await checkRootExtensions(store, declared, report, options.signal);
  const objectRoots = await findObjectRoots(store, hierarchy, report, options.signal);
  if (objectRoots.some((r) => !r.includes('/')) && objectRoots.some((r) => r.includes('/'))) {
    report.add('W015', 'the storage root mixes top-level objects with a directory hierarchy of objects');
  }
  await validateObjects(store, objectRoots, declared, report, options);
  checkUniqueIds(report);
  return report;
}

/**
 * Two objects with one id (E083: the id no longer maps to a unique storage path): each is
 * reported at its object root, naming the others, so no reader has to pick one.
 */
function checkUniqueIds(report: StorageRootReport): void {
  const byId = new Map<string, string[]>();
  for (const o of report.objects) {
    if (o.id === undefined || o.id === '') continue;
    const roots = byId.get(o.id);
    if (roots) roots.push(o.objectRoot);
    else byId.set(o.id, [o.objectRoot]);
  }
  for (const [id, roots] of byId) {
    if (roots.length < 2) continue;
    for (const root of roots) {
      const others = roots
        .filter((r) => r !== root)
        .slice(0, 5)
        .map((r) => q(r));
      report.add('E083', `object id ${q(id)} is also claimed by ${others.join(', ')}`, root);
    }
  }
}

async function checkLayoutFile(store: ReadableStore, top: Children, report: StorageRootReport) {
  const file = top.files.get('ocfl_layout.json');
  if (!file) return;
  const bytes = await readLayoutFile(store, file, report);
  if (bytes === undefined) return;
  let layout: unknown;
  try {
    layout = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    report.add('E070', `ocfl_layout.json is not JSON (${describeJsonError(err)})`, 'ocfl_layout.json');
    return;
  }
  for (const d of findDuplicateKeys(bytes, { limit: 5, parsed: layout })) {
    report.add('E070', `ocfl_layout.json has the key ${q(d.key)} more than once`, 'ocfl_layout.json');
  }
  const obj = typeof layout === 'object' && layout !== null && !Array.isArray(layout) ? layout : undefined;
  const keys = obj ? Object.keys(obj).sort() : [];
  if (!obj || keys.length !== 2 || keys[0] !== 'description' || keys[1] !== 'extension') {
    report.add(
      'E070',
      'ocfl_layout.json must hold exactly the keys extension and description',
      'ocfl_layout.json',
    );
  }
  const ext = (obj as { extension?: unknown } | undefined)?.extension;
  if (typeof ext !== 'string' || !isRegisteredExtension(ext)) {
    report.add(
      'E071',
      `ocfl_layout.json extension ${JSON.stringify(ext)} is not a registered extension name`,
      'ocfl_layout.json',
    );
  } else report.layout = ext;
}

/** The layout file's bytes, or undefined after E070 when it is not a regular file or too large. */
async function readLayoutFile(store: ReadableStore, file: TreeFile, report: ValidationReport) {
  if (file.special !== undefined) {
    report.add(
      'E070',
      `ocfl_layout.json is not a regular file (${file.special}): not read`,
      'ocfl_layout.json',
    );
    return undefined;
  }
  try {
    return await store.readBytes('ocfl_layout.json', { maxBytes: MAX_LAYOUT_FILE_BYTES });
  } catch (err) {
    if (!hasCode(err, 'TOO_LARGE')) throw err;
    report.add(
      'E070',
      `ocfl_layout.json is larger than ${MAX_LAYOUT_FILE_BYTES} bytes: not read`,
      'ocfl_layout.json',
    );
    return undefined;
  }
}

/**
 * FIFOs, sockets, devices and names that are not UTF-8 outside any object: E089 (a filesystem
 * feature OCFL cannot hold unless wrapped in an image), even at the top level where other
 * unknown files are ignored (E087). They are never read.
 */
function reportSpecialEntries(children: Children, dir: string, report: ValidationReport): void {
  for (const [name, file] of children.files) {
    if (file.special === undefined) continue;
    const what = file.special === 'undecodable-name' ? 'a name that is not valid UTF-8' : `a ${file.special}`;
    report.add('E089', `${what} in the storage root, outside any object: not read`, joinKey(dir, name));
  }
}

/** Root `extensions/`: only sub-directories (E112, a 1.1 rule), registered names (W016). */
async function checkRootExtensions(
  store: ReadableStore,
  declared: OcflSpecVersion | undefined,
  report: ValidationReport,
  signal?: AbortSignal,
) {
  const children = await listChildren(store, 'extensions', signal);
  reportSpecialEntries(children, 'extensions', report);
  if (declared !== '1.0') {
    for (const name of children.files.keys()) {
      report.add(
        'E112',
        `file directly in the storage root extensions directory: ${q(name)}`,
        `extensions/${name}`,
      );
    }
  }
  for (const name of children.dirs) {
    if (!isRegisteredExtension(name)) {
      report.add(
        'W016',
        `storage root extension ${q(name)} is not a registered extension name`,
        `extensions/${name}`,
      );
    }
  }
}

/** Walk the hierarchy breadth-first; returns object root keys, reports E072/E073/E085. */
async function findObjectRoots(
  store: ReadableStore,
  start: string[],
  report: ValidationReport,
  signal?: AbortSignal,
): Promise<string[]> {
  const roots: string[] = [];
  let level = start;
  for (let depth = 1; level.length > 0; depth++) {
    if (depth > MAX_HIERARCHY_DEPTH) {
      // A chain of thousands of folders is a trap, not a layout: say so once per branch, stop.
      for (const dir of level.slice(0, 100)) {
        report.add(
          'E085',
          `storage hierarchy deeper than ${MAX_HIERARCHY_DEPTH} levels: not walked further, no object found`,
          dir,
        );
      }
      break;
    }
    const next: string[] = [];
    await mapLimit(level, 4, async (dir) => {
      const children = await listChildren(store, dir, signal);
      // An inventory without a declaration is still an object (an invalid one, E003), not stray files.
      if ([...children.files.keys()].some(isDeclarationName) || children.files.has('inventory.json')) {
        roots.push(dir);
        return;
      }
      if (children.files.size === 0 && children.dirs.size === 0) {
        report.add('E073', 'empty directory in the storage hierarchy', dir);
        return;
      }
      reportSpecialEntries(children, dir, report);
      for (const name of children.files.keys()) {
        report.add('E072', 'file in the storage hierarchy that is not part of an object', joinKey(dir, name));
        if (children.dirs.size > 0) {
          report.add(
            'E084',
            'file in an intermediate directory of the storage hierarchy',
            joinKey(dir, name),
          );
        }
      }
      if (children.dirs.size === 0)
        report.add('E085', 'storage hierarchy branch ends without an object', dir);
      for (const d of children.dirs) next.push(joinKey(dir, d));
    });
    level = next;
  }
  return roots.sort();
}

async function validateObjects(
  store: ReadableStore,
  roots: string[],
  declared: OcflSpecVersion | undefined,
  report: StorageRootReport,
  options: StorageRootValidationOptions,
) {
  const progress: StorageRootProgress = { objectsFound: roots.length, objectsDone: 0, files: 0, bytes: 0 };
  options.onProgress?.({ ...progress });
  await mapLimit(roots, options.concurrency ?? 2, async (root) => {
    let seen = { files: 0, bytes: 0 };
    const result = await validateObject(store, root, {
      ...(options.fixity !== undefined && { fixity: options.fixity }),
      ...(options.signal && { signal: options.signal }),
      ...(options.pool && { pool: options.pool }),
      ...(declared && { specVersion: declared }),
      onProgress: (p) => {
        progress.files += p.files - seen.files;
        progress.bytes += p.bytes - seen.bytes;
        seen = { files: p.files, bytes: p.bytes };
        options.onProgress?.({ ...progress });
      },
    });
    report.objects.push(result);
    progress.objectsDone++;
    options.onProgress?.({ ...progress });
    options.onObject?.(result);
  });
  report.objects.sort((a, b) => (a.objectRoot < b.objectRoot ? -1 : a.objectRoot > b.objectRoot ? 1 : 0));
}

/**
 * What kind of OCFL thing is at `prefix` ('' = store root)? Looks only at its direct children:
 * an object declaration, or else an `inventory.json` (an object that lost its declaration is an
 * invalid object, E003, not "not OCFL"), makes an object; a storage root declaration a storage
 * root. Throws NotFoundError when nothing at all is there.
 */
export async function detectLocationKind(
  store: ReadableStore,
  prefix: string,
): Promise<'object' | 'storage-root' | 'unknown'> {
  const { files, dirs } = await listChildren(store, prefix);
  if (files.size === 0 && dirs.size === 0) {
    throw new NotFoundError(`nothing at ${q(prefix || store.uri)}`, {
      operation: 'detectLocationKind',
      key: prefix,
    });
  }
  const names = [...files.keys()];
  if (names.some((n) => n.startsWith('0=ocfl_object_'))) return 'object';
  if (names.some((n) => declaredVersion(n, 'storage-root') !== undefined || n.startsWith('0=ocfl_1'))) {
    return 'storage-root';
  }
  if (files.has('inventory.json')) return 'object';
  return 'unknown';
}
