/**
 * The deposit filesystem view (spec "Viewing what's in the Deposit": `GET
 * /deposits/{id}/filesystem`): the WorkingDirectory tree of the working area, each WorkingFile
 * with the metadata its sources give (BagIt manifest digests, Siegfried / Brunnhilde formats,
 * ClamAV scans, ExifTool tags, the METS's names and ids), merged by the combiner
 * (lib/formats/combine.ts), which also reports where sources disagree.
 *
 * Built from {@link DepositSources}: the listing is made for every request (an upload straight to
 * the working area shows at once) and the view is rebuilt only when the listing shows a change.
 *
 * Folders: the working area's own (the filesystem keeps empty ones), the ones files imply, and,
 * when the METS is the platform's, the folders it lists: S3 has no empty folders and a
 * filesystem folder goes with its last file, yet the platform's METS still holds them (as the
 * diff does, which makes them Containers).
 */
import type { Finding } from '../core/findings.js';
import { mediaTypeOfName } from '../core/media-types.js';
import { isSafeRelativePath } from '../core/paths.js';
import { combineDeposit, type ListingEntry } from '../formats/combine.js';
import { isEditable } from '../formats/mets/producer.js';
import type { Mismatch, WorkingDirectory, WorkingFile } from '../formats/model.js';
import type { DepositSourceCache } from './deposit-source-cache.js';
import type { DepositSources } from './deposit-sources.js';

/** The view of one deposit. */
export interface FilesystemView {
  /** The deposit root (`localPath` ''), with the whole tree below it. */
  root: WorkingDirectory;
  /** Every WorkingFile of the tree, sorted by path. */
  files: WorkingFile[];
  /** Where sources disagree, sorted by path. */
  mismatches: Mismatch[];
  /** Sources left out or partly read (an unreadable METS, an oversized manifest, a virus found). */
  findings: Finding[];
  /** Deposit path of the METS file, or null. */
  metsPath: string | null;
  /** True when the METS is the platform's own (and so may be edited through the API). */
  metsEditable: boolean;
}

/** Options of {@link filesystemView}. */
export interface FilesystemViewOptions {
  /** Leave the METS out (METS editing merges what the other sources say, not what the METS said). */
  withoutMets?: boolean;
  /** Where the built view is kept (keyed by the deposit id and the sources' tag). */
  cache?: DepositSourceCache;
  depositId?: string;
}

/** Build the view from `sources`. Pure apart from the cache; never throws. */
export function filesystemView(sources: DepositSources, options: FilesystemViewOptions = {}): FilesystemView {
  const { cache, depositId } = options;
  const useMets = !options.withoutMets;
  const tag = `${sources.tag}\n${useMets}`;
  if (cache && depositId !== undefined && useMets) {
    const hit = cache.get<FilesystemView>(depositId, 'view', tag);
    if (hit) return hit;
  }
  const view = buildView(sources, useMets);
  if (cache && depositId !== undefined && useMets)
    cache.set(depositId, 'view', tag, view, sources.listing.files.length);
  return view;
}

function buildView(sources: DepositSources, useMets: boolean): FilesystemView {
  const { listing } = sources;
  const entries: ListingEntry[] = listing.files.map((f) => ({
    path: f.key,
    size: f.size,
    modified: f.modified ? f.modified.toISOString() : null,
  }));
  for (const s of listing.special) {
    entries.push({ path: s.key, size: null, unreadable: s.type === 'symlink' ? 'unknown' : s.type });
  }
  const model = sources.mets && !sources.mets.stub ? sources.mets.model : null;
  const metsEditable = model !== null && isEditable(model);
  const metsPath = sources.metsFile?.key ?? null;
  const directories = [...listing.folders];
  if (model && metsEditable && metsPath !== null) {
    const base = metsPath.includes('/') ? metsPath.slice(0, metsPath.lastIndexOf('/')) : '';
    for (const d of model.directories) {
      const path = base === '' ? d.path : `${base}/${d.path}`;
      if (isSafeRelativePath(path)) directories.push(path);
    }
  }
  const combined = combineDeposit({
    listing: entries,
    directories,
    ...(useMets && model && metsPath !== null && { mets: model, metsPath }),
    ...(sources.bag && { bag: sources.bag, bagRoot: '' }),
    tools: sources.tools,
  });
  // DECISIONS: content types come from the METS, tool outputs or the file extension.
  for (const f of combined.files) f.contentType ??= mediaTypeOfName(f.localPath) ?? null;
  return {
    root: combined.root,
    files: combined.files,
    mismatches: combined.mismatches,
    findings: sources.findings,
    metsPath,
    metsEditable,
  };
}
