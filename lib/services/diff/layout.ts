/**
 * Where a deposit's content is and what each key becomes: the template decides the content root
 * (`data/` for BagIt, whose level is not part of the group's paths; the root otherwise), the
 * folders the METS may sit in, and which other files are the bag's own tag files. Origins are
 * the location URIs of the keys, as the import job and its execution name them.
 */
import { pathToFileURL } from 'node:url';
import type { ItemProblem } from '../../core/errors.js';
/** Deposit templates (Preservation API `template`). */
import type { DepositTemplate } from '../../records/model.js';
import { parseLocation } from '../../storage/location.js';
import type { ListedFile } from './listing.js';

export type { DepositTemplate };

/** The content root and METS folders of a template. */
export interface DepositLayout {
  /** '' or 'data'. */
  contentRoot: string;
  /** Folders the METS file is looked for in, in order. */
  metsBases: readonly string[];
}

/** The layout of `template` (default None). */
export function depositLayout(template: DepositTemplate | undefined): DepositLayout {
  if (template === 'BagIt') return { contentRoot: 'data', metsBases: ['data'] };
  return { contentRoot: '', metsBases: ['', 'data'] };
}

/** The group path of deposit key `key`, or undefined when it lies outside the content root. */
export function groupPathOf(layout: DepositLayout, key: string): string | undefined {
  if (layout.contentRoot === '') return key;
  const prefix = `${layout.contentRoot}/`;
  return key.startsWith(prefix) && key.length > prefix.length ? key.slice(prefix.length) : undefined;
}

/** The deposit key of group path `path`. */
export function depositKeyOf(layout: DepositLayout, path: string): string {
  return layout.contentRoot === '' ? path : `${layout.contentRoot}/${path}`;
}

/** Tag files BagIt defines at a bag's root. */
const BAG_TAG_FILE = /^(bagit\.txt|bag-info\.txt|package-info\.txt|fetch\.txt|(tag)?manifest-[^/]+\.txt)$/;

/**
 * Split the listing into content files and the files outside the content root. Outside `data/`
 * a bag keeps its tag files: known tag file names always, anything else only when `bagit.txt`
 * says this is a bag (tag folders are the bag's business); other files there are problems, since
 * they would silently not be preserved.
 */
export function splitContent(
  layout: DepositLayout,
  files: readonly ListedFile[],
  problems: ItemProblem[],
): { content: ListedFile[]; tagFiles: ListedFile[] } {
  if (layout.contentRoot === '') return { content: [...files], tagFiles: [] };
  const content: ListedFile[] = [];
  const tagFiles: ListedFile[] = [];
  const isBag = files.some((f) => f.key === 'bagit.txt');
  for (const f of files) {
    if (groupPathOf(layout, f.key) !== undefined) content.push(f);
    else if (isBag || BAG_TAG_FILE.test(f.key)) tagFiles.push(f);
    else
      problems.push({
        path: f.key,
        message: `is outside the ${layout.contentRoot}/ folder of a BagIt deposit and would not be preserved`,
      });
  }
  return { content, tagFiles };
}

/**
 * Location URIs of deposit keys under the working area `files`: `file:` URLs with each segment
 * percent-encoded (so `#`, `%` and spaces survive), `s3://bucket/prefix/key` as written (S3 keys
 * are not percent-encoded in `s3://` URIs).
 */
export function originMaker(files: string): (key: string) => string {
  const loc = parseLocation(files);
  if (loc.kind === 'file') {
    const base = pathToFileURL(loc.path.endsWith('/') ? loc.path : `${loc.path}/`).href;
    return (key) => `${base}${key.split('/').map(encodeURIComponent).join('/')}`;
  }
  const trimmed = files.replace(/\/+$/, '');
  return (key) => `${trimmed}/${key}`;
}

/** Every folder on the way to each key (`a/b/c` → `a`, `a/b`), once. */
export function ancestorFolders(keys: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const key of keys) {
    for (let at = key.lastIndexOf('/'); at > 0; at = key.lastIndexOf('/', at - 1)) {
      const dir = key.slice(0, at);
      if (out.has(dir)) break;
      out.add(dir);
    }
  }
  return out;
}

/** The last segment of a path. */
export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
