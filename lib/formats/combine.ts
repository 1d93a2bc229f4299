/**
 * The merged view of a deposit: its file listing, plus what the METS file, the BagIt manifest
 * and the tool outputs say about each file and directory, as the API's WorkingDirectory /
 * WorkingFile tree — with every disagreement between sources reported as a Mismatch.
 *
 * Rules:
 * - The tree holds what is in the deposit (the listing and the given directories). Things other
 *   sources name that the deposit lacks appear only as `presence` mismatches.
 * - `presence`: a METS file or directory absent from the deposit; a deposit file (inside the
 *   METS folder, other than the METS file) absent from METS; a deposit directory absent from METS
 *   when the METS lists directories at all (Goobi METS lists none); a BagIt payload entry absent
 *   from the deposit, or a deposit file under the bag's `data/` absent from the manifest; a file a
 *   tool reported that the deposit lacks. METS checks run only when `mets` is given, BagIt checks
 *   only when `bag` is given.
 * - `digest` (per algorithm), `size`, `contentType`, `format`: see combine/compare.ts, which also
 *   documents which value the WorkingFile shows when sources disagree.
 * - `path`: METS names a deposit file with different letter case (matched, and reported).
 * - A file's `metadata` holds the tool records for it plus a BagIt DigestMetadata when the
 *   manifest has a SHA-256; tool reports (ToolOutput) go on the directory they scanned, else the root.
 * - `name`, `accessRestrictions`, `rightsStatement`, `metsExtensions` come from METS; the METS
 *   root's restrictions and rights go on the directory holding the METS file.
 * Pure; no I/O. Mismatches are sorted by path then field.
 */
import { quoteForMessage } from '../core/paths.js';
import { alignPaths, bagDigests, cleanPath, dirnameOf, joinPath, metsBase } from './combine/align.js';
import { compareFile } from './combine/compare.js';
import type { CombineInput, ListingEntry, MetsDirectoryLike, MetsFileLike } from './combine/inputs.js';
import { type PresenceClaim, presenceMismatches } from './combine/presence.js';
import { allDirectoryPaths, emptyDirectory, linkTree } from './combine/tree.js';
import type { Metadata, Mismatch, WorkingDirectory, WorkingFile } from './model.js';

export type {
  BagLike,
  CombineInput,
  ListingEntry,
  MetsDirectoryLike,
  MetsFileLike,
  MetsLike,
  ToolsLike,
} from './combine/inputs.js';

/** The merged view. */
export interface CombinedDeposit {
  /** The deposit root ('' localPath) with the whole tree below it. */
  root: WorkingDirectory;
  /** Every WorkingFile of the tree, sorted by path. */
  files: WorkingFile[];
  mismatches: Mismatch[];
}

/** What the METS side contributes once aligned with the deposit. */
interface MetsView {
  base: string;
  metsFile: (p: string) => boolean;
  files: Map<string, MetsFileLike>;
  directories: Map<string, MetsDirectoryLike>;
}

/**
 * Merge a deposit's listing with its METS, BagIt manifest and tool outputs. Never throws;
 * every disagreement is in `mismatches`.
 */
export function combineDeposit(input: CombineInput): CombinedDeposit {
  const mismatches: Mismatch[] = [];
  const listing = new Map<string, ListingEntry>();
  for (const e of input.listing) {
    listing.set(cleanPath(e.path), e);
    if (e.unreadable !== undefined) mismatches.push(unreadableEntry(cleanPath(e.path), e.unreadable));
  }
  const paths = new Set(listing.keys());
  const explicitDirs = (input.directories ?? []).map(cleanPath).filter((d) => d !== '');
  const dirPaths = allDirectoryPaths(paths, explicitDirs);
  const claims: PresenceClaim[] = [];
  const mets =
    input.mets === undefined ? null : alignMets(input, { paths, dirPaths, claims, out: mismatches });
  const bag = input.bag === undefined ? null : bagDigests(input.bag, input.bagRoot ?? '');
  if (bag !== null) checkBagPresence(bag, paths, input.bagRoot ?? '', claims);
  const files: WorkingFile[] = [];
  for (const [path, entry] of listing) {
    const f = workingFile(path, entry, mets?.files.get(path), bag?.get(path), input, mismatches);
    files.push(f);
  }
  checkToolPresence(input, paths, claims);
  mismatches.push(...presenceMismatches(claims));
  const directories = new Map<string, WorkingDirectory>();
  for (const d of dirPaths) directories.set(d, workingDirectory(d, mets, input));
  attachReports(input, directories);
  const root = linkTree(files, directories);
  files.sort((a, b) => compare(a.localPath, b.localPath));
  mismatches.sort((a, b) => compare(a.localPath, b.localPath) || compare(a.field, b.field));
  return { root, files, mismatches };
}

const UNREADABLE_TEXT: Record<NonNullable<ListingEntry['unreadable']>, string> = {
  fifo: 'a FIFO',
  socket: 'a socket',
  'char-device': 'a character device',
  'block-device': 'a block device',
  unknown: 'neither a file nor a directory',
  'undecodable-name': 'an entry whose name is not valid UTF-8',
};

/** The deposit has something at `path` that is not a file: reported, kept in the tree, never read. */
function unreadableEntry(path: string, type: NonNullable<ListingEntry['unreadable']>): Mismatch {
  return {
    localPath: path,
    field: 'entry',
    values: { deposit: type },
    message: `${quoteForMessage(path)} is ${UNREADABLE_TEXT[type]}, not a regular file; never read`,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function alignMets(
  input: CombineInput,
  ctx: { paths: Set<string>; dirPaths: Set<string>; claims: PresenceClaim[]; out: Mismatch[] },
): MetsView {
  const { paths, dirPaths, claims, out } = ctx;
  const mets = input.mets!;
  const base = metsBase(mets, paths, input.metsPath);
  const metsPath = input.metsPath === undefined ? null : cleanPath(input.metsPath);
  const metsFile = (p: string) =>
    metsPath !== null ? p === metsPath : dirnameOf(p) === base && /mets[^/]*\.xml$/i.test(p);
  const files = alignPaths(mets.files, base, paths, 'METS', out);
  for (const u of files.unmatched)
    claims.push({ path: u.path, kind: 'file', source: 'METS', inDeposit: false });
  for (const p of paths) {
    if (isUnder(p, base) && !metsFile(p) && !files.byDepositPath.has(p))
      claims.push({ path: p, kind: 'file', source: 'METS', inDeposit: true });
  }
  const dirs = alignPaths(mets.directories, base, dirPaths, 'METS', out);
  for (const u of dirs.unmatched) {
    if (u.path !== base) claims.push({ path: u.path, kind: 'directory', source: 'METS', inDeposit: false });
  }
  if (mets.directories.length > 0) {
    for (const d of dirPaths) {
      if (d !== base && isUnder(d, base) && !dirs.byDepositPath.has(d))
        claims.push({ path: d, kind: 'directory', source: 'METS', inDeposit: true });
    }
  }
  return { base, metsFile, files: files.byDepositPath, directories: dirs.byDepositPath };
}

function isUnder(path: string, base: string): boolean {
  return base === '' || path.startsWith(`${base}/`);
}

function checkBagPresence(
  bag: Map<string, Record<string, string>>,
  paths: Set<string>,
  bagRoot: string,
  claims: PresenceClaim[],
): void {
  for (const p of bag.keys())
    if (!paths.has(p)) claims.push({ path: p, kind: 'file', source: 'BagIt', inDeposit: false });
  const payload = joinPath(cleanPath(bagRoot), 'data');
  for (const p of paths)
    if (p.startsWith(`${payload}/`) && !bag.has(p))
      claims.push({ path: p, kind: 'file', source: 'BagIt', inDeposit: true });
}

function checkToolPresence(input: CombineInput, paths: Set<string>, claims: PresenceClaim[]): void {
  for (const [p, records] of input.tools?.byPath ?? []) {
    if (paths.has(p)) continue;
    for (const r of records) claims.push({ path: p, kind: 'file', source: r.source, inDeposit: false });
  }
}

function workingFile(
  path: string,
  entry: ListingEntry,
  mets: MetsFileLike | undefined,
  bag: Record<string, string> | undefined,
  input: CombineInput,
  out: Mismatch[],
): WorkingFile {
  const tools = input.tools?.byPath.get(path) ?? [];
  const facts = compareFile({
    localPath: path,
    listing: entry,
    tools,
    ...(mets ? { mets } : {}),
    ...(bag ? { bag } : {}),
  });
  out.push(...facts.mismatches);
  const metadata: Metadata[] = [...tools];
  const bagSha =
    bag === undefined
      ? undefined
      : Object.entries(bag).find(([alg]) => alg.toLowerCase().replace(/-/g, '') === 'sha256')?.[1];
  if (bagSha)
    metadata.push({
      type: 'DigestMetadata',
      source: 'BagIt',
      timestamp: input.bag?.timestamp ?? null,
      digest: bagSha.toLowerCase(),
    });
  const file: WorkingFile = {
    type: 'WorkingFile',
    localPath: path,
    name: mets?.name ?? null,
    contentType: facts.contentType,
    digest: facts.digest,
    size: facts.size,
    modified: entry.modified ?? null,
    metadata,
    accessRestrictions: mets?.accessRestrictions ?? [],
    rightsStatement: mets?.rightsStatement ?? null,
  };
  if (mets !== undefined)
    file.metsExtensions = { physDivId: mets.physDivId ?? null, admId: mets.admId ?? null };
  return file;
}

function workingDirectory(path: string, mets: MetsView | null, input: CombineInput): WorkingDirectory {
  const dir = emptyDirectory(path);
  if (mets === null) return dir;
  const m = mets.directories.get(path);
  if (m !== undefined) {
    dir.name = m.name;
    dir.metsExtensions = { physDivId: m.physDivId ?? null, admId: m.admId ?? null };
    dir.accessRestrictions = m.accessRestrictions ?? [];
    dir.rightsStatement = m.rightsStatement ?? null;
  }
  if (path === mets.base) {
    // The METS root's conditions apply to everything the METS describes.
    dir.accessRestrictions = [...new Set([...input.mets!.accessRestrictions, ...dir.accessRestrictions])];
    dir.rightsStatement = dir.rightsStatement ?? input.mets!.rightsStatement;
  }
  return dir;
}

function attachReports(input: CombineInput, directories: Map<string, WorkingDirectory>): void {
  for (const report of input.tools?.reports ?? []) {
    const target = (report.scope ? directories.get(report.scope) : undefined) ?? directories.get('')!;
    target.metadata.push(report);
  }
}
