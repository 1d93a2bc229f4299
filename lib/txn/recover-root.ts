/**
 * Recovery of a whole storage root (`strongroom recover`): every directory that looks like an
 * object root — a declaration, a root inventory, or version directories (a first version that
 * never committed has no declaration yet) — is recovered with `recoverObject` (recover.ts), and
 * the findings are collected in one report. Directories are walked breadth-first as the engine
 * walks them (`extensions/` at the top is skipped; an object root is not descended into).
 */
import { StrongroomError, TooLargeError } from '../core/errors.js';
import { MAX_HIERARCHY_DEPTH } from '../core/ocfl/limits.js';
import { parseVersionName } from '../core/ocfl/version-names.js';
import { quoteForMessage } from '../core/paths.js';
import { mapLimit } from '../engine/concurrency.js';
import { listDir } from '../engine/list-dir.js';
import type { StorageRoot } from '../engine/storage-root.js';
import type { WritableStore } from '../storage/port.js';
import { type RecoverOptions, type RecoveryFinding, recoverObject } from './recover.js';

/** Progress of a storage-root recovery. */
export interface RecoverProgress {
  /** Object roots found so far (the walk is still going until the end). */
  objectsFound: number;
  objectsChecked: number;
  findings: number;
}

/** Options of {@link recoverStorageRoot}. */
export interface StorageRootRecoveryOptions extends RecoverOptions {
  /** Objects recovered at once (default 4). */
  concurrency?: number;
  /** Called as objects are found and checked. */
  onProgress?: (p: RecoverProgress) => void;
}

/** What a recovery run found and did. */
export interface RecoveryReport {
  /** The storage root (store URI and prefix). */
  location: string;
  dryRun: boolean;
  objectsChecked: number;
  /** Every finding, in walk order. */
  findings: RecoveryFinding[];
  /** Objects that could not be recovered (a store error), with the error's code and message. */
  errors: Array<{ objectKey: string; code: string; message: string }>;
}

const OBJECT_NAMASTE = /^0=ocfl_object_/;

/**
 * Recover every object of the storage root `root` through `store` (the same storage, writable).
 * Throws the store's errors for the walk itself (an object's own failure goes to `errors`),
 * TooLargeError for a hierarchy deeper than {@link MAX_HIERARCHY_DEPTH}.
 */
export async function recoverStorageRoot(
  store: WritableStore,
  root: StorageRoot,
  options: StorageRootRecoveryOptions = {},
): Promise<RecoveryReport> {
  const report: RecoveryReport = {
    location: `${store.uri}${root.prefix ? `/${root.prefix}` : ''}`,
    dryRun: options.dryRun ?? false,
    objectsChecked: 0,
    findings: [],
    errors: [],
  };
  const progress: RecoverProgress = { objectsFound: 0, objectsChecked: 0, findings: 0 };
  const belongsHere = (objectKey: string) => (id: string) => {
    try {
      return root.keyOf(root.objectRootFor(id)) === objectKey;
    } catch {
      return false;
    }
  };
  const { onProgress, concurrency, ...recoverOptions } = options;
  for await (const batch of objectRoots(store, root, options.signal)) {
    progress.objectsFound += batch.length;
    onProgress?.({ ...progress });
    const results = await mapLimit(batch, concurrency ?? 4, async (objectKey) => {
      try {
        return await recoverObject(store, objectKey, {
          ...recoverOptions,
          ...(root.layout && { belongsHere: belongsHere(objectKey) }),
        });
      } catch (err) {
        if (!(err instanceof StrongroomError)) throw err;
        report.errors.push({ objectKey, code: err.code, message: err.message });
        return [];
      } finally {
        progress.objectsChecked++;
        onProgress?.({ ...progress });
      }
    });
    for (const found of results) report.findings.push(...found);
    progress.findings = report.findings.length;
  }
  report.objectsChecked = progress.objectsChecked;
  onProgress?.({ ...progress });
  return report;
}

/** The store keys of every directory that looks like an object root, one walk level at a time. */
async function* objectRoots(store: WritableStore, root: StorageRoot, signal?: AbortSignal) {
  let level: string[] = [''];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_HIERARCHY_DEPTH) {
      throw new TooLargeError(
        `storage root goes deeper than ${MAX_HIERARCHY_DEPTH} directory levels (at ${quoteForMessage(level[0]!, 120)})`,
        MAX_HIERARCHY_DEPTH,
        { operation: 'recover' },
      );
    }
    const listed = await mapLimit(level, 8, async (dir) => ({
      dir,
      ...(await listDir(store, root.keyOf(dir), signal)),
    }));
    const next: string[] = [];
    const found: string[] = [];
    for (const { dir, files, dirs } of listed) {
      if (dir !== '' && looksLikeObject(files, dirs)) {
        found.push(root.keyOf(dir));
        continue;
      }
      for (const d of dirs)
        if (!(dir === '' && d === 'extensions')) next.push(dir === '' ? d : `${dir}/${d}`);
    }
    if (found.length > 0) yield found;
    level = next;
  }
}

function looksLikeObject(files: string[], dirs: string[]): boolean {
  return (
    files.some((f) => f === 'inventory.json' || OBJECT_NAMASTE.test(f)) ||
    dirs.some((d) => !('problem' in parseVersionName(d)))
  );
}
