/**
 * Discovery of the OCFL cases in the shared corpus, for the verdict test.
 *
 * Every `<source>/expected.json` of the corpus is read; an entry is an OCFL case when what is on
 * disk says so: a `.json` file is a lone inventory; a directory (or an unzipped `.zip`) holding
 * `0=ocfl_object_*` is an object, one holding `0=ocfl_1.*` (or marked `scope: storage-root`) is
 * a storage root, and a directory without a declaration is a broken object when its expected
 * codes are OCFL codes (E003_no_decl and friends). Anything else (bags, METS, …) is not ours.
 *
 * Zipped fixtures are extracted into a temporary directory on first use.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipTo, zipEntryNames } from './unzip.js';

/** One expected.json entry. */
export interface Expected {
  valid: boolean;
  errors: string[];
  warnings: string[];
  acceptable_alternative_errors?: string[];
  scope?: string;
  note?: string;
}

/** What to validate a case as. */
export type CaseKind = 'inventory' | 'object' | 'storage-root';

/** One OCFL case, materialised on the local filesystem. */
export interface OcflCase {
  /** `<source>/<path>` as in the corpus. */
  id: string;
  kind: CaseKind;
  expected: Expected;
  /** Local path to validate (the corpus path, or the extraction of a zip). */
  localPath: string;
  /** Empty directories and symbolic links in the case (relative paths), which S3 cannot hold. */
  emptyDirs: string[];
  symlinks: string[];
}

const OCFL_CODE = /^[EW][0-9]{3}$/;

/** Find every OCFL case under `corpusDir`; zips are extracted below `scratch`. */
export function discoverCases(corpusDir: string, scratch: string): OcflCase[] {
  const cases: OcflCase[] = [];
  for (const source of readdirSync(corpusDir).sort()) {
    const file = join(corpusDir, source, 'expected.json');
    if (!existsSync(file)) continue;
    const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Expected>;
    for (const [rel, expected] of Object.entries(entries)) {
      if (!looksLikeOcfl(join(corpusDir, source, rel), expected)) continue;
      const found = materialise(join(corpusDir, source, rel), scratch);
      if (!found) continue;
      const kind = classify(found, rel, expected);
      if (!kind) continue;
      const { emptyDirs, symlinks } =
        kind === 'inventory' ? { emptyDirs: [], symlinks: [] } : oddEntries(found);
      cases.push({ id: `${source}/${rel}`, kind, expected, localPath: found, emptyDirs, symlinks });
    }
  }
  return cases;
}

/** A fresh scratch directory for extracted zips. */
export function makeScratch(): string {
  return mkdtempSync(join(tmpdir(), 'strongroom-ocfl-corpus-'));
}

let zipCount = 0;

/**
 * Cheap pre-check before extracting or reading anything: zips and `.json` files of other kinds
 * (zipped bags, JSON reports) are left alone. A zip is OCFL when it holds a declaration or an
 * inventory; a `.json` file when it names the OCFL inventory type; either when expected.json
 * lists OCFL codes or scopes it as a storage root.
 */
function looksLikeOcfl(path: string, expected: Expected): boolean {
  if (!existsSync(path) || expected.scope === 'storage-root' || hasOcflCodes(expected)) return true;
  if (path.endsWith('.zip')) return zipEntryNames(path).some((n) => /(^|\/)(0=|inventory\.json$)/.test(n));
  if (path.endsWith('.json')) return readFileSync(path, 'utf8').includes('ocfl.io/');
  return true;
}

function hasOcflCodes(expected: Expected): boolean {
  const codes = [...expected.errors, ...expected.warnings];
  return codes.length > 0 && codes.every((c) => OCFL_CODE.test(c));
}

function materialise(path: string, scratch: string): string | undefined {
  if (!existsSync(path)) return undefined;
  if (!path.endsWith('.zip')) return path;
  const target = join(scratch, `zip-${zipCount++}`);
  unzipTo(path, target);
  // A zip holding a single top-level directory is that directory; otherwise the extraction is.
  const top = readdirSync(target);
  if (top.length === 1 && statSync(join(target, top[0]!)).isDirectory() && !top[0]!.startsWith('0=')) {
    const inner = join(target, top[0]!);
    if (readdirSync(inner).some((n) => n.startsWith('0=') || n === 'inventory.json')) return inner;
  }
  return target;
}

function classify(path: string, rel: string, expected: Expected): CaseKind | undefined {
  if (statSync(path).isFile()) return rel.endsWith('.json') ? 'inventory' : undefined;
  if (expected.scope === 'storage-root') return 'storage-root';
  const names = readdirSync(path);
  if (names.some((n) => n.startsWith('0=ocfl_object_'))) return 'object';
  if (names.some((n) => /^0=ocfl_[0-9]/.test(n))) return 'storage-root';
  return hasOcflCodes(expected) ? 'object' : undefined;
}

function oddEntries(root: string): { emptyDirs: string[]; symlinks: string[] } {
  const emptyDirs: string[] = [];
  const symlinks: string[] = [];
  const walk = (dir: string, rel: string) => {
    const names = readdirSync(dir);
    if (names.length === 0 && rel !== '') emptyDirs.push(rel);
    for (const name of names) {
      const p = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) symlinks.push(r);
      else if (st.isDirectory()) walk(p, r);
    }
  };
  walk(root, '');
  return { emptyDirs, symlinks };
}

/** Every regular file of a case directory, relative `/`-joined paths. */
export function caseFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p, r);
      else if (st.isFile()) out.push(r);
    }
  };
  walk(root, '');
  return out;
}
