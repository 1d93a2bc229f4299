/**
 * The one path-safety check every reader uses before a path taken from data (an inventory, a
 * METS href, a bag manifest, a zip member name, a tool output, a deposit listing) is used to
 * build a storage key, a resource path or a read.
 *
 * A safe relative path is a non-empty string of `/`-joined elements, none empty, `.` or `..`,
 * not starting with `/`, a drive letter (`C:`) or a backslash (`\\server` UNC), with no NUL and,
 * unless the caller allows them, no backslash anywhere (on Windows it is a separator, so
 * `a\..\..\b` could climb) and no other C0/C1 control character. Percent-decoding, `file://`
 * stripping and the like are the caller's business: check the path that will actually be used.
 *
 * Pure module.
 */
import { PathEscapeError } from './errors.js';

/** What makes a path unsafe. Several can apply; {@link pathSafetyProblems} lists each once. */
export type UnsafePathProblem =
  /** Not a string, or the empty string. */
  | 'empty'
  /** Starts with `/`, a drive letter (`C:`), or `\\` (UNC). */
  | 'absolute'
  /** Has a `..` element. */
  | 'parent-element'
  /** Has an empty (`//`, trailing `/`) or `.` element. */
  | 'empty-element'
  /** Contains NUL. */
  | 'nul'
  /** Contains another control character (U+0001–U+001F, U+007F–U+009F). */
  | 'control'
  /** Contains `\`, a separator on Windows. */
  | 'backslash'
  /** Longer than the caller's limit. */
  | 'too-long';

/** Options of {@link pathSafetyProblems}. */
export interface PathSafetyOptions {
  /** Accept `\` inside elements (OCFL and POSIX allow it in names). Default false. */
  allowBackslash?: boolean;
  /** Accept control characters other than NUL (OCFL allows them in names). Default false. */
  allowControl?: boolean;
  /** Longest path accepted, in UTF-16 code units (default 4096, PATH_MAX on Linux). */
  maxLength?: number;
}

const NONE: readonly UnsafePathProblem[] = Object.freeze([]);
const DEFAULT_MAX = 4096;

/**
 * Everything that makes `path` unsafe to use below a root (empty array when it is safe).
 * Never throws.
 */
export function pathSafetyProblems(
  path: unknown,
  options: PathSafetyOptions = {},
): readonly UnsafePathProblem[] {
  if (typeof path !== 'string' || path === '') return ['empty'];
  if (isPlainlySafe(path, options)) return NONE;
  const problems = new Set<UnsafePathProblem>();
  if (path.length > (options.maxLength ?? DEFAULT_MAX)) problems.add('too-long');
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) problems.add('absolute');
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0) problems.add('nul');
    else if ((c < 0x20 || (c >= 0x7f && c <= 0x9f)) && !options.allowControl) problems.add('control');
    else if (c === 0x5c && !options.allowBackslash) problems.add('backslash');
  }
  const body = path.startsWith('/') ? path.slice(1) : path;
  // Without allowBackslash, `\` also separates elements, so `a\..\b` is caught as climbing.
  const elements = options.allowBackslash ? body.split('/') : body.split(/[\\/]/);
  for (const el of elements) {
    if (el === '..') problems.add('parent-element');
    else if (el === '' || el === '.') problems.add('empty-element');
  }
  return problems.size === 0 ? NONE : [...problems];
}

/**
 * One scan without allocating for the usual path (inventories hold hundreds of thousands): no
 * character needing a closer look and no element starting with `/`, `\\` or `.`. False sends the
 * path to the exact check above, so this only has to be right when it says true.
 */
function isPlainlySafe(path: string, options: PathSafetyOptions): boolean {
  if (path.length > (options.maxLength ?? DEFAULT_MAX)) return false;
  if (path.length > 1 && path.charCodeAt(1) === COLON) return false; // maybe a drive letter
  const last = path.length - 1;
  let atStart = true;
  for (let i = 0; i <= last; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === BACKSLASH) return false;
    if (atStart && (c === SLASH || c === DOT)) return false;
    atStart = c === SLASH;
  }
  return !atStart;
}

const SLASH = 0x2f;
const DOT = 0x2e;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** True when {@link pathSafetyProblems} finds nothing. */
export function isSafeRelativePath(path: unknown, options?: PathSafetyOptions): path is string {
  return pathSafetyProblems(path, options).length === 0;
}

/** A short human description of one problem, for messages. */
export function describePathProblem(problem: UnsafePathProblem): string {
  return PROBLEM_TEXT[problem];
}

const PROBLEM_TEXT: Record<UnsafePathProblem, string> = {
  empty: 'empty path',
  absolute: 'absolute path',
  'parent-element': 'a ".." element climbs out',
  'empty-element': 'an empty or "." element',
  nul: 'a NUL character',
  control: 'a control character',
  backslash: 'a backslash',
  'too-long': 'too long',
};

/**
 * Return `path` when it is safe; otherwise throw PathEscapeError naming the first problem and
 * `what` the path is (e.g. `content path`), with the path shortened for the message.
 */
export function assertSafeRelativePath(path: unknown, what: string, options?: PathSafetyOptions): string {
  const problems = pathSafetyProblems(path, options);
  if (problems.length === 0) return path as string;
  const shown = typeof path === 'string' ? quoteForMessage(path) : typeof path;
  throw new PathEscapeError(`unsafe ${what} ${shown}: ${describePathProblem(problems[0]!)}`, {
    operation: 'checkPath',
    ...(typeof path === 'string' ? { key: truncateForMessage(path, 512) } : {}),
  });
}

/**
 * `text` cut to at most `max` characters (an ellipsis and the count of the rest replace the
 * tail), so ids, paths and values from data never flood a message or a log line.
 */
export function truncateForMessage(text: string, max = 200): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** `text` truncated and JSON-quoted, so control characters and quotes show as escapes. */
export function quoteForMessage(text: string, max = 200): string {
  return JSON.stringify(truncateForMessage(text, max));
}
