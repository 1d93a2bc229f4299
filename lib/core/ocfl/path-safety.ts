/**
 * The gate between an inventory's paths and anything that uses them: every content path
 * (manifest, fixity) and every logical path (each version's state) goes through the one
 * path-safety check (`lib/core/paths.ts`) before a reader lets the inventory out. A path with a
 * `..` element, a leading `/`, an empty element or a NUL could name a file outside the object
 * (`v1/content/../../other-object/…`) once joined to the object root, or a resource outside it.
 *
 * The validator reports the same paths as findings (E051–E053, E098–E100); readers that serve
 * data (object reader, storage maps, resources) refuse the object instead.
 *
 * Pure module.
 */
import { PathEscapeError } from '../errors.js';
import {
  describePathProblem,
  type PathSafetyOptions,
  pathSafetyProblems,
  quoteForMessage,
  truncateForMessage,
} from '../paths.js';

/**
 * What the path check accepts in inventory paths: OCFL allows backslashes and control characters
 * in file names, and puts no limit on a path's length; NUL, `..`, empty elements and absolute
 * paths stay forbidden.
 */
export const INVENTORY_PATH_SAFETY: Readonly<PathSafetyOptions> = Object.freeze({
  allowBackslash: true,
  allowControl: true,
  maxLength: Number.POSITIVE_INFINITY,
});

/**
 * Return `path` when it is safe to join to an object root; else throw PathEscapeError naming
 * `what` (e.g. `content path`), the path (shortened and quoted) and the problem, with `where`
 * (object id or key) for context.
 */
export function assertSafeInventoryPath(path: unknown, what: string, where: string): string {
  const problems = pathSafetyProblems(path, INVENTORY_PATH_SAFETY);
  if (problems.length === 0) return path as string;
  const shown = typeof path === 'string' ? quoteForMessage(path) : typeof path;
  throw new PathEscapeError(
    `${truncateForMessage(where)}: unsafe ${what} ${shown} (${describePathProblem(problems[0]!)}); the object is refused`,
    {
      operation: 'checkInventoryPaths',
      key: typeof path === 'string' ? truncateForMessage(path, 512) : what,
    },
  );
}

/**
 * Check every string path of a (possibly malformed) inventory: manifest and fixity content
 * paths, and logical paths of every version. Entries that are not arrays of strings are left to
 * the shape checks. Throws PathEscapeError at the first unsafe path.
 */
export function assertInventoryPathsSafe(inventory: unknown, where: string): void {
  if (!isRecord(inventory)) return;
  checkDigestMap(inventory['manifest'], 'content path', where);
  const fixity = inventory['fixity'];
  if (isRecord(fixity)) {
    for (const alg of Object.keys(fixity))
      checkDigestMap(fixity[alg], `fixity (${quoteForMessage(alg, 40)}) content path`, where);
  }
  const versions = inventory['versions'];
  if (!isRecord(versions)) return;
  for (const name of Object.keys(versions)) {
    const block = versions[name];
    if (isRecord(block))
      checkDigestMap(block['state'], `logical path of version ${quoteForMessage(name, 40)}`, where);
  }
}

function checkDigestMap(map: unknown, what: string, where: string): void {
  if (!isRecord(map)) return;
  for (const digest of Object.keys(map)) {
    const paths = map[digest];
    if (!Array.isArray(paths)) continue;
    for (const p of paths) if (typeof p === 'string') assertSafeInventoryPath(p, what, where);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
