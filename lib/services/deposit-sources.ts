/**
 * Everything a deposit says about its own files, read for the filesystem view and for METS
 * editing: the listing (always fresh: batched, one request per 1,000 keys on S3, never one per
 * file), the METS file (found as the diff finds it), the BagIt manifests at the deposit root
 * (spec: `/manifest-sha256.txt`) and the tool outputs under `metadata/` or `data/metadata/`
 * (Siegfried YAML/CSV, Brunnhilde's CSV and ClamAV log, ClamAV logs, ExifTool). Each source is
 * read only when the listing shows it changed since the cached copy (deposit-source-cache.ts).
 *
 * A source that cannot be read does not fail the read: it becomes a finding and is left out
 * (an unreadable METS must not hide the deposit's files). Only listing failures throw.
 */
import { MalformedError, TooLargeError, UnprocessableError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import { tagFileLimit } from '../formats/bagit/limits.js';
import { type BagManifestReading, parseBagManifests } from '../formats/bagit/read.js';
import type { ToolOutputsResult } from '../formats/tools/index.js';
import type { ReadableStore } from '../storage/port.js';
import type { DepositSourceCache } from './deposit-source-cache.js';
import { fileTag, listingTags, metsCacheTag, tagOf } from './deposit-tags.js';
import { readToolRuns } from './deposit-tool-runs.js';
import { type DepositTemplate, depositLayout } from './diff/layout.js';
import { type DepositListing, type ListedFile, listDeposit } from './diff/listing.js';
import { type DepositMets, findMetsFile, readDepositMets } from './diff/sources.js';

/** What a deposit holds and says about itself. */
export interface DepositSources {
  listing: DepositListing;
  /** The METS file the deposit has (listing entry), if any. */
  metsFile: ListedFile | null;
  /** Its content: a model, or an export stub; null when there is none or it could not be read. */
  mets: DepositMets | null;
  /** The root bag's manifests, when the deposit root holds a bag or a `manifest-sha256.txt`. */
  bag: BagManifestReading | null;
  tools: ToolOutputsResult;
  /** Why a source was left out or only partly read. */
  findings: Finding[];
  /** Changes whenever any listed file (path, size, etag/mtime) or any source changes. */
  tag: string;
}

/** Options of {@link readDepositSources}. */
export interface ReadDepositSourcesOptions {
  /** Cache of parsed sources; absent: everything is read. */
  cache?: DepositSourceCache;
  /** Drop the deposit's cached sources first. */
  refresh?: boolean;
  /** Requests in flight (listings, reads of tool outputs); default 16. */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * Read the sources of the deposit `id` (template decides where the METS may be) from `store`.
 * Throws the store's errors for the listing only.
 */
export async function readDepositSources(
  store: ReadableStore,
  deposit: { id: string; template?: DepositTemplate },
  options: ReadDepositSourcesOptions = {},
): Promise<DepositSources> {
  const { cache, signal } = options;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  if (options.refresh) cache?.drop(deposit.id);
  const listing = await listDeposit(store, { concurrency, ...(signal && { signal }) });
  const weight = listing.files.length;
  const findings: Finding[] = [];
  const rootFiles = new Map(listing.files.filter((f) => !f.key.includes('/')).map((f) => [f.key, f]));
  const { pathsTag, tag } = listingTags(listing);

  const found = findMetsFile(listing.files, depositLayout(deposit.template).metsBases);
  if (found.problem) findings.push({ code: 'METS_AMBIGUOUS', severity: 'warning', ...found.problem });
  const metsFile = found.file ?? null;
  let mets: DepositMets | null = null;
  if (metsFile) {
    const tag = metsCacheTag(metsFile.key, fileTag(metsFile));
    mets = cache?.get<DepositMets>(deposit.id, 'mets', tag) ?? null;
    if (mets === null) {
      mets = await readMetsSafely(store, metsFile, findings);
      if (mets !== null) cache?.set(deposit.id, 'mets', tag, mets, weight);
    }
  }

  const bagFiles = [...rootFiles.values()].filter((f) => BAG_ROOT_FILE.test(f.key));
  let bag: BagManifestReading | null = null;
  if (rootFiles.has('bagit.txt') || rootFiles.has('manifest-sha256.txt')) {
    const tag = tagOf(bagFiles);
    bag = cache?.get<BagManifestReading>(deposit.id, 'bag', tag) ?? null;
    if (bag === null) {
      bag = await readBagSafely(
        store,
        bagFiles.map((f) => f.key),
        findings,
      );
      if (bag !== null) cache?.set(deposit.id, 'bag', tag, bag, weight);
    }
  }

  const tools = await readToolRuns(store, deposit.id, listing, pathsTag, { cache, concurrency, signal });
  for (const p of tools.problems) if (p.severity === 'error') findings.push(p);
  return { listing, metsFile, mets, bag, tools, findings, tag };
}

/** Tag files BagIt reads at a bag's root for its payload digests. */
const BAG_ROOT_FILE = /^(bagit\.txt|bag-info\.txt|manifest-[A-Za-z0-9]+\.txt)$/;

async function readMetsSafely(
  store: ReadableStore,
  file: ListedFile,
  findings: Finding[],
): Promise<DepositMets | null> {
  try {
    return await readDepositMets(store, file);
  } catch (err) {
    if (!(err instanceof UnprocessableError || err instanceof MalformedError)) throw err;
    findings.push({
      code: 'METS_UNREADABLE',
      severity: 'error',
      message: 'the METS file cannot be read as XML; its facts are left out',
      path: file.key,
    });
    return null;
  }
}

async function readBagSafely(
  store: ReadableStore,
  keys: readonly string[],
  findings: Finding[],
): Promise<BagManifestReading | null> {
  const files = new Map<string, Uint8Array>();
  for (const key of keys) {
    try {
      files.set(key, await store.readBytes(key, { maxBytes: tagFileLimit(key) }));
    } catch (err) {
      if (!(err instanceof TooLargeError)) throw err;
      findings.push({ code: 'BAG_TOO_LARGE', severity: 'error', message: 'too large to read', path: key });
      return null;
    }
  }
  const reading = parseBagManifests(files);
  for (const issue of reading.issues) if (issue.severity === 'error') findings.push(issue);
  return reading;
}
