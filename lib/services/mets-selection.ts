/**
 * Checking what a caller asks METS editing to touch (paths from `POST /deposits/{id}/mets`,
 * items of a DeleteSelection) before anything is read or written. A path is taken only when it
 * is a safe relative path as it stands **and** once percent-decoded (a `%2e%2e` that some layer
 * later decodes must not climb out of the deposit). Every bad entry is collected and reported
 * at once (InvalidInputError, HTTP 400), naming the first few.
 */
import { InvalidInputError } from '../core/errors.js';
import { describePathProblem, pathSafetyProblems, quoteForMessage } from '../core/paths.js';

/** Most paths or items one request may name. */
export const MAX_EDIT_ITEMS = 100_000;
/** Longest path accepted. */
export const MAX_EDIT_PATH_LENGTH = 1024;
/** Bad entries named in one message (the rest are counted). */
const NAMED = 5;

/** One item of a DeleteSelection. */
export interface SelectedItem {
  path: string;
  isDir: boolean;
}

/** Why `raw` cannot be a deposit path, or null when it can (after dropping one trailing `/`). */
export function editPathProblem(raw: unknown): string | null {
  if (typeof raw !== 'string') return 'not a string';
  const path = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const problems = pathSafetyProblems(path, { maxLength: MAX_EDIT_PATH_LENGTH });
  if (problems.length > 0) return describePathProblem(problems[0]!);
  if (/%[0-9a-f]{2}/i.test(path)) {
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      decoded = undefined; // a lone `%`: not an escape, the name is taken as written
    }
    const after =
      decoded === undefined ? [] : pathSafetyProblems(decoded, { maxLength: MAX_EDIT_PATH_LENGTH });
    if (after.length > 0) return `percent-decoded, ${describePathProblem(after[0]!)}`;
  }
  return null;
}

/**
 * The deposit paths of `raw` (strings, or objects with a `localPath` as the reference
 * implementation's clients send), each once, in the order given. Throws InvalidInputError
 * naming the bad entries, or for an empty or too long list.
 */
export function checkEditPaths(raw: readonly unknown[]): string[] {
  if (raw.length === 0) throw new InvalidInputError('the list of paths is empty');
  if (raw.length > MAX_EDIT_ITEMS)
    throw new InvalidInputError(`at most ${MAX_EDIT_ITEMS} paths per request, not ${raw.length}`);
  const bad: string[] = [];
  const out = new Set<string>();
  raw.forEach((entry, i) => {
    const value = typeof entry === 'object' && entry !== null ? localPathOf(entry) : entry;
    const problem = editPathProblem(value);
    if (problem !== null) bad.push(describe(i, value, problem));
    else out.add(trimSlash(value as string));
  });
  refuse(bad, 'path');
  return [...out];
}

/** The items of a DeleteSelection, each path once (isDir must agree). Throws InvalidInputError. */
export function checkSelection(items: readonly SelectedItem[]): SelectedItem[] {
  if (items.length === 0) throw new InvalidInputError('items: nothing selected');
  if (items.length > MAX_EDIT_ITEMS)
    throw new InvalidInputError(`at most ${MAX_EDIT_ITEMS} items per request, not ${items.length}`);
  const bad: string[] = [];
  const out = new Map<string, SelectedItem>();
  items.forEach((item, i) => {
    const problem = editPathProblem(item.path);
    const path = problem === null ? trimSlash(item.path) : item.path;
    const seen = out.get(path);
    if (problem !== null) bad.push(describe(i, item.path, problem));
    else if (seen && seen.isDir !== item.isDir)
      bad.push(describe(i, path, 'listed both as a file and a folder'));
    else out.set(path, { path, isDir: item.isDir });
  });
  refuse(bad, 'item');
  return [...out.values()];
}

function localPathOf(entry: object): unknown {
  for (const [k, v] of Object.entries(entry)) if (k.toLowerCase() === 'localpath') return v;
  return undefined;
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

function describe(index: number, value: unknown, problem: string): string {
  const shown = typeof value === 'string' ? quoteForMessage(value, 120) : typeof value;
  return `#${index} ${shown}: ${problem}`;
}

function refuse(bad: string[], what: string): void {
  if (bad.length === 0) return;
  const more = bad.length > NAMED ? ` (and ${bad.length - NAMED} more)` : '';
  throw new InvalidInputError(`${bad.length} unusable ${what}(s): ${bad.slice(0, NAMED).join('; ')}${more}`);
}
