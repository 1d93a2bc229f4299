/**
 * Path rules shared by content paths (manifest, fixity) and logical paths (state): both are
 * `/`-joined non-empty elements, no `.` or `..`, no leading or trailing `/`, and within one set
 * no duplicates and no path that is a directory prefix of another (spec §3.5.2, §3.5.3.1).
 *
 * Pure module.
 */

/** What is wrong with one path, if anything. */
export type PathProblem =
  /** Not a string, or the empty string. */
  | 'not-a-path'
  /** Starts or ends with `/`. */
  | 'slash-at-end'
  /** Has an empty (`//`), `.` or `..` element. */
  | 'bad-element'
  /** Contains NUL, which no filesystem or object store can hold in a name. */
  | 'nul';

/** Check one content or logical path. Returns the problems found (empty when fine). */
export function pathProblems(path: unknown): readonly PathProblem[] {
  if (typeof path !== 'string' || path === '') return ['not-a-path'];
  if (isCleanPath(path)) return NO_PROBLEMS;
  const problems: PathProblem[] = path.includes('\0') ? ['nul'] : [];
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed !== path) problems.push('slash-at-end');
  // Elements of the path with any edge slashes removed: `/a` is a slash problem, not also an
  // empty-element problem (so each defect is reported under one code).
  const elements = trimmed === '' ? [''] : trimmed.split('/');
  if (elements.some((el) => el === '' || el === '.' || el === '..')) problems.push('bad-element');
  return problems;
}

const NO_PROBLEMS: readonly PathProblem[] = Object.freeze([]);

/**
 * The usual case, checked in one scan without allocating: no `/` at either end, no empty
 * element and no element starting with `.` (such paths take the exact, slower route above).
 */
function isCleanPath(path: string): boolean {
  const last = path.length - 1;
  if (path.charCodeAt(0) === SLASH || path.charCodeAt(last) === SLASH) return false;
  let atStart = true;
  for (let i = 0; i <= last; i++) {
    const c = path.charCodeAt(i);
    if (c === 0 || (atStart && (c === SLASH || c === DOT))) return false;
    atStart = c === SLASH;
  }
  return true;
}

const SLASH = 0x2f;
const DOT = 0x2e;

/** The outcome of {@link findPathClashes}. */
export interface PathClashes {
  /** Paths listed more than once. */
  duplicates: string[];
  /** Pairs `[prefix, longer]` where `prefix` is a directory of `longer` (`a/b` and `a/b/c`). */
  conflicts: Array<[string, string]>;
}

/**
 * Find duplicated and conflicting paths in one set (a manifest, or one version's state).
 * Sorting puts every path right before the paths it is a directory prefix of, except that
 * `a/b-x` sorts between `a/b` and `a/b/c` ('-' < '/'); comparing with all shorter candidates
 * through a set of known paths avoids that trap at O(total elements) cost.
 */
export function findPathClashes(paths: Iterable<string>): PathClashes {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const p of paths) {
    if (seen.has(p)) duplicates.add(p);
    else seen.add(p);
  }
  const conflicts: Array<[string, string]> = [];
  for (const p of seen) {
    let i = p.indexOf('/');
    while (i > 0) {
      const dir = p.slice(0, i);
      if (seen.has(dir)) conflicts.push([dir, p]);
      i = p.indexOf('/', i + 1);
    }
  }
  return { duplicates: [...duplicates], conflicts };
}

/** The first element of a `/`-joined path and the rest (`''` when there is no `/`). */
export function splitFirst(path: string): [string, string] {
  const i = path.indexOf('/');
  return i < 0 ? [path, ''] : [path.slice(0, i), path.slice(i + 1)];
}
