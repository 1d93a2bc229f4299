/**
 * Turning what the diff read into the planner's facts (lib/core/deposit-diff.ts): each file's
 * digest and the sources that must agree on it, its place and name in the group, the content
 * types of the files that will be stored, the METS files and folders the deposit does not hold.
 */
import type { DepositFileFacts, DepositFolderFacts, DescribedFileFacts } from '../../core/deposit-diff.js';
import type { ItemProblem } from '../../core/errors.js';
import { isInformativeMediaType, mediaTypeOfName, OCTET_STREAM } from '../../core/media-types.js';
import { isSafeRelativePath } from '../../core/paths.js';
import type { ReadableStore } from '../../storage/port.js';
import type { FileDigestState } from './digests.js';
import { type DepositLayout, groupPathOf, lastSegment } from './layout.js';
import type { ListedFile } from './listing.js';
import { type AlignedMets, metsSha256 } from './mets-facts.js';
import { readToolContentTypes } from './sources.js';

/** A file's digest from the METS and the manifest, which must agree (as must the sizes). */
export function digestState(
  f: ListedFile,
  mets: AlignedMets | undefined,
  bag: ReadonlyMap<string, string> | undefined,
  problems: ItemProblem[],
): FileDigestState {
  const entry = mets?.files.get(f.key);
  const fromMets = metsSha256(entry);
  const fromBag = bag?.get(f.key);
  if (fromMets !== undefined && fromBag !== undefined && fromMets !== fromBag)
    problems.push({ path: f.key, message: `SHA-256 digests differ: METS ${fromMets}, BagIt ${fromBag}` });
  const state: FileDigestState = { key: f.key, size: f.size };
  if (typeof entry?.size === 'number') state.claimedSize = entry.size;
  if (fromMets !== undefined) {
    state.sha256 = fromMets;
    state.from = 'METS';
  } else if (fromBag !== undefined) {
    state.sha256 = fromBag;
    state.from = 'BagIt';
  }
  return state;
}

/** The planner's facts about one deposit file (the METS name wins over the key's last segment). */
export function fileFacts(
  s: FileDigestState,
  layout: DepositLayout,
  mets: AlignedMets | undefined,
  originOf: (key: string) => string,
): DepositFileFacts {
  const entry = mets?.files.get(s.key);
  const facts: DepositFileFacts = {
    path: groupPathOf(layout, s.key)!,
    key: s.key,
    origin: originOf(s.key),
    size: s.size,
    name: entry?.name ?? lastSegment(s.key),
  };
  if (s.sha256 !== undefined) facts.sha256 = s.sha256;
  if (s.stub !== undefined) facts.stub = s.stub;
  if (isInformativeMediaType(entry?.contentType)) facts.contentType = entry.contentType;
  return facts;
}

/**
 * Content types for the files that will be added or patched: the METS (already set), else a
 * format tool's MIME type (tool outputs are read only when such a file needs one), else the
 * extension, else `application/octet-stream`.
 */
export async function fillContentTypes(
  store: ReadableStore,
  files: DepositFileFacts[],
  listed: readonly ListedFile[],
  groupFile: (key: string) => { sha256?: string } | undefined,
  concurrency: number,
): Promise<void> {
  const needing = files.filter(
    (f) => f.contentType === undefined && f.stub === undefined && groupFile(f.key)?.sha256 !== f.sha256,
  );
  if (needing.length === 0) return;
  const fromTools = await readToolContentTypes(store, listed, concurrency);
  for (const f of needing)
    f.contentType = fromTools.get(f.key) ?? mediaTypeOfName(f.name) ?? mediaTypeOfName(f.key) ?? OCTET_STREAM;
}

/** METS files the deposit does not hold, placed in the group. */
export function described(
  mets: AlignedMets | undefined,
  layout: DepositLayout,
  problems: ItemProblem[],
): DescribedFileFacts[] {
  const out: DescribedFileFacts[] = [];
  for (const { key, entry } of mets?.absent ?? []) {
    const path = groupPathOf(layout, key);
    if (path === undefined || !isSafeRelativePath(path)) {
      problems.push({
        path: key,
        message: 'is named by the METS at a path that cannot be part of the Archival Group',
      });
      continue;
    }
    const sha256 = metsSha256(entry);
    out.push({ path, key, name: entry.name ?? lastSegment(key), ...(sha256 !== undefined && { sha256 }) });
  }
  return out;
}

/** The deposit's folders and the METS's, placed in the group, with their names. */
export function folderFacts(
  folderKeys: ReadonlySet<string>,
  mets: AlignedMets | undefined,
  layout: DepositLayout,
  originOf: (key: string) => string,
  problems: ItemProblem[],
): DepositFolderFacts[] {
  const out: DepositFolderFacts[] = [];
  for (const key of folderKeys) {
    const path = groupPathOf(layout, key);
    if (path === undefined) continue;
    out.push({ path, name: mets?.folders.get(key)?.name ?? lastSegment(key), origin: originOf(key) });
  }
  for (const { key, entry } of mets?.absentFolders ?? []) {
    const path = groupPathOf(layout, key);
    if (path === undefined || !isSafeRelativePath(path)) {
      if (key !== layout.contentRoot)
        problems.push({
          path: key,
          message: 'is a METS folder at a path that cannot be part of the Archival Group',
        });
      continue;
    }
    out.push({ path, name: entry.name ?? lastSegment(key) });
  }
  return out;
}
