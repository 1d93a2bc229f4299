/**
 * Directory paths from a structMap. A Directory div says what a folder is called (LABEL) but
 * not where it is, and the two can differ (the Leeds API labels `new-test-folder-inside-objects`
 * "New test folder inside objects"), so paths come from evidence, strongest first:
 *
 * 1. Files below it: a file at `a/b/c.txt` puts its nearest Directory div at `a/b`, that div's
 *    nearest Directory ancestor at `a`, and so on up (the first evidence wins).
 * 2. For a div with no files below: the PREMIS originalName of its ADMID section when that is a
 *    path inside the parent's path (the Leeds API records folder paths there).
 * 3. Else the parent's path joined with the div's LABEL.
 *
 * The single outermost Directory div with no other evidence is the METS root (Archivematica's
 * AIP-name div, the Leeds API's "__ROOT"): it is not listed as a directory. Directories implied
 * by file paths but absent from the structMap are added with a null name.
 */
import { quoteForMessage } from '../../core/paths.js';
import type { MetsDirectory, MetsProblem } from './model.js';
import { parentPath, pathProblem, stripPlaceholder } from './paths.js';
import { problem } from './problems.js';
import { type DivRecord, isDirectoryType } from './records.js';

/** A file already placed: its path and the index of the div holding its fptr (-1 for none). */
export interface PlacedFile {
  path: string;
  divIndex: number;
  /** False for absolute URLs: they imply no directories. */
  relative: boolean;
}

/** The directories, and which divs stand for the root (for root-level metadata). */
export interface DirectoryResult {
  /** Directory div index → path, for divs that got one. */
  divPaths: Map<number, string>;
  directories: MetsDirectory[];
  /** Directory paths built from a LABEL or PREMIS name that were not safe (UNSAFE_PATH). */
  problems: MetsProblem[];
}

/**
 * Derive directory paths. `originalNameOf(div)` resolves a div's ADMID to a PREMIS originalName
 * (or null). Never throws; divs whose path cannot be derived are left out.
 */
export function deriveDirectories(
  divs: readonly DivRecord[],
  files: readonly PlacedFile[],
  originalNameOf: (div: DivRecord) => string | null,
): DirectoryResult {
  const dirAncestor = divs.map((_, i) => nearestDirectory(divs, divs[i]!.parent));
  const paths = new Map<number, string>();
  const assign = (k: number, path: string): void => {
    for (let at = k, p = path; at >= 0 && !paths.has(at); at = dirAncestor[at]!, p = parentPath(p)) {
      paths.set(at, p);
      if (p === '') break;
    }
  };
  for (const f of files) {
    if (f.divIndex < 0 || !f.relative) continue;
    const d = divs[f.divIndex]!;
    assign(isDirectoryType(d.type) ? f.divIndex : dirAncestor[f.divIndex]!, parentPath(f.path));
  }
  const problems: MetsProblem[] = [];
  resolveWithoutFiles(divs, dirAncestor, paths, originalNameOf, problems);
  return { divPaths: paths, directories: listDirectories(divs, paths, files), problems };
}

function nearestDirectory(divs: readonly DivRecord[], start: number): number {
  let i = start;
  while (i >= 0 && !isDirectoryType(divs[i]!.type)) i = divs[i]!.parent;
  return i;
}

function resolveWithoutFiles(
  divs: readonly DivRecord[],
  dirAncestor: number[],
  paths: Map<number, string>,
  originalNameOf: (div: DivRecord) => string | null,
  problems: MetsProblem[],
): void {
  const outermost = divs.filter((d, i) => isDirectoryType(d.type) && dirAncestor[i]! < 0).length;
  // A path built from a LABEL is data too: it must pass the same check as an href.
  const set = (i: number, path: string) => {
    const why = path === '' ? null : pathProblem(path);
    if (why === null) paths.set(i, path);
    else {
      const div = divs[i]!;
      const what = `structMap div ${quoteForMessage(div.id ?? '(no ID)', 80)} (LABEL ${quoteForMessage(div.label ?? '', 80)})`;
      problems.push(problem('UNSAFE_PATH', `${what} does not make a safe directory path (${why}); left out`));
    }
  };
  // Parents come before children in document order, so one pass resolves top-down.
  divs.forEach((div, i) => {
    if (!isDirectoryType(div.type) || paths.has(i)) return;
    const orig = cleanOriginalName(originalNameOf(div));
    const parent = dirAncestor[i]!;
    if (parent < 0) {
      if (outermost === 1) set(i, orig ?? '');
      else if (orig !== null || div.label) set(i, orig ?? div.label!);
      return;
    }
    const base = paths.get(parent);
    if (base === undefined) return;
    if (orig !== null && parentPath(orig) === base) set(i, orig);
    else if (div.label) set(i, base === '' ? div.label : `${base}/${div.label}`);
  });
}

/** A usable relative path from a PREMIS originalName, or null (unsafe names are not evidence). */
function cleanOriginalName(name: string | null): string | null {
  if (!name) return null;
  const p = stripPlaceholder(name).replace(/\/+$/, '');
  return p === '' || pathProblem(p) !== null ? null : p;
}

function listDirectories(
  divs: readonly DivRecord[],
  paths: Map<number, string>,
  files: readonly PlacedFile[],
): MetsDirectory[] {
  const byPath = new Map<string, MetsDirectory>();
  for (const [i, path] of [...paths].sort((a, b) => a[0] - b[0])) {
    if (path === '' || byPath.has(path)) continue;
    const d = divs[i]!;
    byPath.set(path, {
      path,
      name: d.label,
      physDivId: d.id,
      admId: d.admIds.length ? d.admIds.join(' ') : null,
    });
  }
  const implied = (p: string) => {
    for (let q = parentPath(p); q !== '' && !byPath.has(q); q = parentPath(q)) {
      byPath.set(q, { path: q, name: null, physDivId: null, admId: null });
    }
  };
  for (const f of files) if (f.relative) implied(f.path);
  for (const p of [...byPath.keys()]) implied(p);
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
