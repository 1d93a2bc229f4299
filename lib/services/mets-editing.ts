/**
 * Planning edits of a deposit's platform METS (spec "Modifying the METS file"): adding or
 * updating files and folders from what the deposit's other sources say about them, and
 * deleting a selection from the METS and/or the working area. Plans are computed from the
 * sources already read, and nothing is written here: deposit-workspace.ts writes the METS
 * (conditionally) and deletes the files.
 *
 * Paths are deposit paths. The METS holds them relative to its own folder (`data/` in a BagIt
 * deposit), so a BagIt deposit names `data/objects/a.tif`, and the bag's own tag files at its
 * root are accepted and ignored, as is the METS file itself. Anything else outside the METS
 * folder, or not in the deposit, is refused (InvalidInputError: HTTP 400) before any change.
 */
import { InvalidInputError, UnprocessableError } from '../core/errors.js';
import { mediaTypeOfName } from '../core/media-types.js';
import { quoteForMessage } from '../core/paths.js';
import { MetsDocument } from '../formats/mets/document.js';
import { fileUpdateFromWorkingFile } from '../formats/mets/from-tools.js';
import type { MetsModel } from '../formats/mets/model.js';
import type { Metadata, WorkingDirectory, WorkingFile } from '../formats/model.js';
import type { FilesystemView } from './deposit-filesystem.js';
import type { DepositSources } from './deposit-sources.js';
import type { SelectedItem } from './mets-selection.js';
import type { MetsTarget } from './mets-target.js';

/** An item a METS edit added or updated, as the filesystem view would show it. */
export type MetsEditItem = (WorkingFile | Omit<WorkingDirectory, 'files' | 'directories'>) & {
  change: 'added' | 'updated';
};

/** The outcome of planning an addition. */
export interface AddPlan {
  doc: MetsDocument;
  items: MetsEditItem[];
  /** Paths accepted and left alone (the METS file, the bag's tag files). */
  ignored: string[];
}

/** Tag files BagIt defines at a bag's root (accepted and ignored by METS edits). */
const BAG_TAG_FILE = /^(bagit\.txt|bag-info\.txt|package-info\.txt|fetch\.txt|(tag)?manifest-[^/]+\.txt)$/;
/** Most missing paths named in one message. */
const NAMED = 5;

/** Where a deposit path stands relative to the METS. */
function metsPathOf(target: MetsTarget, path: string): string | null {
  if (target.base === '') return path;
  return path.startsWith(`${target.base}/`) ? path.slice(target.base.length + 1) : null;
}

/** Folders of the working area: listed (the filesystem keeps empty ones) or implied by files. */
function listedFolders(sources: DepositSources): Set<string> {
  const out = new Set(sources.listing.folders);
  for (const f of sources.listing.files)
    for (let i = f.key.lastIndexOf('/'); i > 0; i = f.key.lastIndexOf('/', i - 1)) {
      const dir = f.key.slice(0, i);
      if (out.has(dir)) break;
      out.add(dir);
    }
  return out;
}

/** Folders of the deposit, including the ones only the METS holds (deposit paths). */
function depositFolders(sources: DepositSources, target: MetsTarget): Set<string> {
  const out = listedFolders(sources);
  for (const d of target.model.directories) out.add(depositPathOf(target, d.path));
  return out;
}

function depositPathOf(target: MetsTarget, metsPath: string): string {
  return target.base === '' ? metsPath : `${target.base}/${metsPath}`;
}

/**
 * Plan adding `paths` (checked deposit paths) to the METS of `target`, with the facts of
 * `view` (built without the METS, so stale METS values are not fed back). `now` becomes the
 * METS LASTMODDATE; `created` is kept. Throws InvalidInputError for paths outside the METS
 * folder or not in the deposit, UnprocessableError when a tool output gives a value METS
 * cannot hold.
 */
export function planAddToMets(
  sources: DepositSources,
  target: MetsTarget,
  paths: readonly string[],
  view: FilesystemView,
  dates: { created: string | null; now: string },
): AddPlan {
  const files = new Map(view.files.map((f) => [f.localPath, f]));
  const folders = depositFolders(sources, target);
  const modified = new Map(sources.listing.files.map((f) => [f.key, f.modified?.toISOString() ?? null]));
  const ignored: string[] = [];
  const outside: string[] = [];
  const missing: string[] = [];
  const wanted: { path: string; metsPath: string; file?: WorkingFile }[] = [];
  for (const path of paths) {
    if (path === target.key || (target.base !== '' && !path.includes('/') && BAG_TAG_FILE.test(path))) {
      ignored.push(path);
      continue;
    }
    const metsPath = metsPathOf(target, path);
    if (metsPath === null) outside.push(path);
    else if (files.has(path)) wanted.push({ path, metsPath, file: files.get(path)! });
    else if (folders.has(path)) wanted.push({ path, metsPath });
    else missing.push(path);
  }
  refuse(outside, `outside the ${target.base}/ folder the METS describes`);
  refuse(missing, 'not in the deposit');
  const doc = MetsDocument.fromModel(target.model, { created: dates.created, lastModified: dates.now });
  const before = new Set([
    ...target.model.files.map((f) => f.path),
    ...target.model.directories.map((d) => d.path),
  ]);
  const touched = new Map<string, 'file' | 'directory'>();
  for (const w of wanted) {
    for (let i = w.metsPath.lastIndexOf('/'); i > 0; i = w.metsPath.lastIndexOf('/', i - 1))
      touched.set(w.metsPath.slice(0, i), 'directory');
    if (w.file) {
      applyFile(doc, w.file, target.base, modified);
      touched.set(w.metsPath, 'file');
    } else {
      applyDirectory(doc, w.metsPath);
      touched.set(w.metsPath, 'directory');
    }
  }
  for (const [metsPath, kind] of touched) if (kind === 'directory') doc.addDirectory(metsPath);
  const items = describeItems(doc.toModel(), touched, before, target.base, files);
  return { doc, items, ignored };
}

function applyFile(
  doc: MetsDocument,
  file: WorkingFile,
  base: string,
  modified: ReadonlyMap<string, string | null>,
): void {
  const update = fileUpdateFromWorkingFile(file, { base, scanTime: scanTime(file.metadata, modified) });
  update.contentType ??= mediaTypeOfName(file.localPath) ?? null;
  update.size = file.size;
  try {
    doc.addFile(update);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    throw new UnprocessableError(`${quoteForMessage(file.localPath)} cannot be added to the METS`, [
      { path: file.localPath, message: err.message },
    ]);
  }
}

function applyDirectory(doc: MetsDocument, metsPath: string): void {
  try {
    doc.addDirectory(metsPath);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    throw new InvalidInputError(
      `${quoteForMessage(metsPath)} cannot be a folder in the METS: ${err.message}`,
    );
  }
}

/**
 * A virus scan's date when its log gives none (Brunnhilde's ClamAV log often only has a
 * summary): the log file's modification time, since the scan ran before it was written.
 */
function scanTime(
  metadata: readonly Metadata[],
  modified: ReadonlyMap<string, string | null>,
): string | null {
  let best: string | null = null;
  for (const m of metadata) {
    if (m.type !== 'VirusScanMetadata' || m.timestamp !== null || !m.origin) continue;
    const t = modified.get(m.origin) ?? null;
    if (t !== null && (best === null || t > best)) best = t;
  }
  return best;
}

function describeItems(
  model: MetsModel,
  touched: ReadonlyMap<string, 'file' | 'directory'>,
  before: ReadonlySet<string>,
  base: string,
  files: ReadonlyMap<string, WorkingFile>,
): MetsEditItem[] {
  const deposit = (p: string) => (base === '' ? p : `${base}/${p}`);
  const change = (p: string) => (before.has(p) ? 'updated' : 'added') as MetsEditItem['change'];
  const items: MetsEditItem[] = [];
  for (const d of model.directories) {
    if (touched.get(d.path) !== 'directory') continue;
    items.push({
      type: 'WorkingDirectory',
      localPath: deposit(d.path),
      name: d.name,
      modified: null,
      metsExtensions: { physDivId: d.physDivId ?? null, admId: d.admId ?? null },
      metadata: [],
      accessRestrictions: d.accessRestrictions ?? [],
      rightsStatement: d.rightsStatement ?? null,
      change: change(d.path),
    });
  }
  for (const f of model.files) {
    if (touched.get(f.path) !== 'file') continue;
    const seen = files.get(deposit(f.path))!;
    items.push({
      ...seen,
      name: f.name,
      contentType: f.contentType,
      digest: f.digests.sha256 ?? null,
      size: f.size,
      metsExtensions: { physDivId: f.physDivId ?? null, admId: f.admId ?? null },
      accessRestrictions: f.accessRestrictions ?? [],
      rightsStatement: f.rightsStatement ?? null,
      change: change(f.path),
    });
  }
  return items.sort((a, b) => (a.localPath < b.localPath ? -1 : a.localPath > b.localPath ? 1 : 0));
}

function refuse(paths: string[], why: string): void {
  if (paths.length === 0) return;
  const named = paths
    .slice(0, NAMED)
    .map((p) => quoteForMessage(p, 120))
    .join(', ');
  const more = paths.length > NAMED ? ` and ${paths.length - NAMED} more` : '';
  throw new InvalidInputError(`${paths.length} path(s) ${why}: ${named}${more}`);
}

/** What a delete selection comes to. */
export interface DeletePlan {
  /** The edited METS, or null when the METS does not change. */
  doc: MetsDocument | null;
  /** Deposit files and folders to delete from the working area. */
  files: string[];
  folders: string[];
  items: { path: string; isDir: boolean; deletedFromDeposit: boolean; deletedFromMets: boolean }[];
}

/**
 * Plan deleting `items` from the working area (`fromDeposit`) and/or the METS (`fromMets`).
 * Throws InvalidInputError (HTTP 400) when an item is the METS file itself, is a file where the
 * deposit or METS has a folder (or the reverse), is in neither place it is to be deleted from,
 * or is a folder holding something the selection does not list.
 */
export function planDelete(
  sources: DepositSources,
  target: MetsTarget,
  items: readonly SelectedItem[],
  flags: { fromDeposit: boolean; fromMets: boolean },
  dates: { created: string | null; now: string },
): DeletePlan {
  const depositFiles = new Set(sources.listing.files.map((f) => f.key));
  for (const s of sources.listing.special) depositFiles.add(s.key);
  const depositDirs = listedFolders(sources);
  const metsFiles = new Set(target.model.files.map((f) => f.path));
  const metsDirs = new Set(target.model.directories.map((d) => d.path));
  const problems: string[] = [];
  const plan: DeletePlan = { doc: null, files: [], folders: [], items: [] };
  const fromMets: SelectedItem[] = [];
  const where =
    flags.fromDeposit && flags.fromMets ? 'deposit or its METS' : flags.fromMets ? 'METS' : 'deposit';
  for (const item of items) {
    const metsPath = flags.fromMets ? metsPathOf(target, item.path) : null;
    const inDeposit = flags.fromDeposit && (item.isDir ? depositDirs : depositFiles).has(item.path);
    const inMets = metsPath !== null && (item.isDir ? metsDirs : metsFiles).has(metsPath);
    const otherKind =
      (item.isDir ? depositFiles : depositDirs).has(item.path) ||
      (metsPath !== null && (item.isDir ? metsFiles : metsDirs).has(metsPath));
    if (item.path === target.key) problems.push(`${show(item)} is the METS file itself`);
    else if (otherKind)
      problems.push(`${show(item)} is ${item.isDir ? 'a file, not a folder' : 'a folder, not a file'}`);
    else if (!inDeposit && !inMets) problems.push(`${show(item)} is not in the ${where}`);
    if (inDeposit) (item.isDir ? plan.folders : plan.files).push(item.path);
    if (inMets) fromMets.push({ path: metsPath!, isDir: item.isDir });
    plan.items.push({
      path: item.path,
      isDir: item.isDir,
      deletedFromDeposit: inDeposit,
      deletedFromMets: inMets,
    });
  }
  const everything: string[] = [];
  if (flags.fromDeposit) everything.push(...depositFiles, ...depositDirs);
  if (flags.fromMets) for (const p of [...metsFiles, ...metsDirs]) everything.push(depositPathOf(target, p));
  problems.push(...unlistedChildren(items, everything));
  if (problems.length > 0) {
    const more = problems.length > NAMED ? ` (and ${problems.length - NAMED} more)` : '';
    throw new InvalidInputError(`cannot delete: ${problems.slice(0, NAMED).join('; ')}${more}`);
  }
  if (fromMets.length > 0) {
    const doc = MetsDocument.fromModel(target.model, { created: dates.created, lastModified: dates.now });
    for (const f of fromMets) if (!f.isDir) doc.deleteFile(f.path);
    // Children before parents: deepest folders first.
    const dirs = fromMets.filter((f) => f.isDir).map((f) => f.path);
    for (const d of dirs.sort((a, b) => depth(b) - depth(a))) doc.deleteDirectory(d);
    plan.doc = doc;
  }
  return plan;
}

function depth(path: string): number {
  return path.split('/').length;
}

/**
 * For each selected folder holding something the selection does not list, one problem naming
 * the first such thing. One pass over `paths` (each walked up to its selected ancestor), so a
 * 100,000-file deposit costs 100,000 short walks, not one scan per folder.
 */
function unlistedChildren(items: readonly SelectedItem[], paths: readonly string[]): string[] {
  const selected = new Set(items.map((i) => i.path));
  const dirs = new Set(items.filter((i) => i.isDir).map((i) => i.path));
  if (dirs.size === 0) return [];
  const found = new Map<string, string>();
  for (const p of paths) {
    if (selected.has(p)) continue;
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const dir = p.slice(0, i);
      if (dirs.has(dir)) {
        if (!found.has(dir) || p < found.get(dir)!) found.set(dir, p);
        break;
      }
    }
  }
  return [...found]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([dir, child]) =>
        `${quoteForMessage(dir, 120)} holds ${quoteForMessage(child, 120)}, which is not selected`,
    );
}

function show(item: SelectedItem): string {
  return quoteForMessage(item.path, 120);
}
