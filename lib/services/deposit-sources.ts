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
import { createHash } from 'node:crypto';
import { MalformedError, TooLargeError, UnprocessableError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import { mapLimit } from '../engine/concurrency.js';
import { tagFileLimit } from '../formats/bagit/limits.js';
import { type BagManifestReading, parseBagManifests } from '../formats/bagit/read.js';
import { classifyToolOutput, metadataLocation } from '../formats/tools/classify.js';
import {
  byKindThenOrigin,
  readToolOutputs,
  TOOL_OUTPUT_MAX_BYTES,
  type ToolOutputFile,
  type ToolOutputsResult,
} from '../formats/tools/index.js';
import type { ReadableStore } from '../storage/port.js';
import type { DepositSourceCache } from './deposit-source-cache.js';
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

  const tools = await readTools(store, deposit.id, listing, pathsTag, { cache, concurrency, signal });
  for (const p of tools.problems) if (p.severity === 'error') findings.push(p);
  return { listing, metsFile, mets, bag, tools, findings, tag };
}

/**
 * The cache tag of the METS at `key` with listing tag `fileTag` (`size:etag`): also used to
 * keep the model of a METS the platform has just written, so the next request does not parse it.
 */
export function metsCacheTag(key: string, fileTag: string): string {
  return `${key}\n${fileTag}`;
}

/** Tag files BagIt reads at a bag's root for its payload digests. */
const BAG_ROOT_FILE = /^(bagit\.txt|bag-info\.txt|manifest-[A-Za-z0-9]+\.txt)$/;

/** What identifies a file's current content in the listing (no tag: never cached). */
function fileTag(f: ListedFile): string {
  return `${f.size}:${f.etag ?? f.modified?.getTime() ?? Math.random()}`;
}

/** One tag for a set of files (path, size, etag). */
function tagOf(files: readonly ListedFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.key}\u0000${fileTag(f)}\n`);
  return h.digest('hex');
}

/**
 * In one pass: a tag of the deposit's file paths alone (what tool paths are resolved against)
 * and one of everything listed (paths, sizes, etags, folders, special entries). Hashed in
 * batches: one update per file costs more than the hashing.
 */
function listingTags(listing: DepositListing): { pathsTag: string; tag: string } {
  const paths = createHash('sha256');
  const all = createHash('sha256');
  let p: string[] = [];
  let a: string[] = [];
  const flush = () => {
    paths.update(p.join('\n'));
    all.update(a.join('\n'));
    p = [];
    a = [];
  };
  for (const f of listing.files) {
    p.push(f.key);
    a.push(`${f.key}\u0000${fileTag(f)}`);
    if (p.length === 2048) flush();
  }
  for (const d of listing.folders) a.push(`dir\u0000${d}`);
  for (const e of listing.special) a.push(`${e.type}\u0000${e.key}`);
  flush();
  return { pathsTag: paths.digest('hex'), tag: all.digest('hex') };
}

/**
 * False for files the classifier rules out by name alone (an image under metadata/ is never
 * read); true when it would need to look inside.
 */
function mayBeToolOutput(path: string): boolean {
  let peeked = false;
  const c = classifyToolOutput(path, () => {
    peeked = true;
    return '';
  });
  return peeked || (c !== null && c !== 'unrecognised');
}

/** The cached runs of a deposit and the deposit paths they were last checked against. */
interface CachedTools {
  paths: readonly string[];
  runs: Map<string, CachedRun>;
}

/** One tool run's outputs (a Brunnhilde folder, or a single output file), read and parsed. */
interface CachedRun {
  tag: string;
  /** Tag of the deposit's paths it was resolved against. */
  pathsTag: string;
  /** Whether another set of deposit paths could change it (see {@link dependsOnListing}). */
  listingSensitive: boolean;
  result: ToolOutputsResult;
}

/**
 * The tool outputs, run by run, each parsed again only when one of its files changed. A run's
 * records are resolved against the deposit's paths (tool paths are workstation paths), so a
 * change in the listing re-reads the runs that depend on it: those with paths they could not
 * place, those whose keys include an added or removed file, and ClamAV logs whose clean verdicts
 * were inferred from the deposit's files. Any other run keeps its result: a file uploaded after
 * the tools ran is not something they said anything about. `refresh` re-reads everything.
 */
async function readTools(
  store: ReadableStore,
  depositId: string,
  listing: DepositListing,
  pathsTag: string,
  options: { cache: DepositSourceCache | undefined; concurrency: number; signal: AbortSignal | undefined },
): Promise<ToolOutputsResult> {
  const { cache, concurrency, signal } = options;
  const paths = listing.files.map((f) => f.key);
  const cached = cache?.get<CachedTools>(depositId, 'tools', '');
  const previous = cached?.runs;
  let changed: Set<string> | null | undefined; // worked out only when a run needs it
  const changedSince = () => {
    changed ??= cached ? changedPaths(cached.paths, paths) : null;
    return changed;
  };
  const runs = new Map<string, ListedFile[]>();
  for (const f of listing.files) {
    if (metadataLocation(f.key) === null || !mayBeToolOutput(f.key)) continue;
    const group = runOf(f.key);
    runs.set(group, [...(runs.get(group) ?? []), f]);
  }
  const next = new Map<string, CachedRun>();
  const stale: Array<[string, ListedFile[]]> = [];
  for (const [group, files] of runs) {
    const tag = tagOf(files);
    const hit = previous?.get(group);
    const reusable =
      hit !== undefined &&
      hit.tag === tag &&
      (hit.pathsTag === pathsTag || (!hit.listingSensitive && !touches(hit.result, changedSince())));
    if (reusable) next.set(group, { ...hit, pathsTag });
    else stale.push([group, files]);
  }
  await mapLimit(stale, Math.max(1, Math.ceil(concurrency / 4)), async ([group, files]) => {
    const bytes = await mapLimit(files, concurrency, (f) => readOutput(store, f, signal));
    const result = readToolOutputs(bytes, paths);
    next.set(group, { tag: tagOf(files), pathsTag, listingSensitive: dependsOnListing(result), result });
  });
  cache?.set(depositId, 'tools', '', { paths, runs: next } satisfies CachedTools, listing.files.length);
  const special = listing.special.flatMap((e) =>
    e.type === 'symlink' || metadataLocation(e.key) === null ? [] : [{ path: e.key, type: e.type }],
  );
  // Special entries under metadata/ are reported, never read (checked apart from the runs).
  const specials = special.length === 0 ? [] : readToolOutputs([], [], { specialEntries: special }).problems;
  return mergeRuns(
    [...next.keys()].sort().map((g) => next.get(g)!.result),
    specials,
  );
}

/** The run a tool output belongs to, as the tool-output reader groups them (classify.ts). */
function runOf(path: string): string {
  const loc = metadataLocation(path)!;
  const parts = loc.rest.split('/');
  return parts.length > 1 && parts[0]!.toLowerCase() === 'brunnhilde' ? `${loc.root}/${parts[0]}` : path;
}

/** Added and removed deposit paths since `before`. */
function changedPaths(before: readonly string[], paths: readonly string[]): Set<string> {
  const now = new Set(paths);
  const old = new Set(before);
  const out = new Set<string>();
  for (const p of before) if (!now.has(p)) out.add(p);
  for (const p of paths) if (!old.has(p)) out.add(p);
  return out;
}

/** True when the run's result could differ for another set of deposit paths. */
function dependsOnListing(result: ToolOutputsResult): boolean {
  if (result.problems.some((p) => p.code === 'TOOL_UNRESOLVED_PATH')) return true;
  return result.summaries.some(
    (s) => s.tool === 'ClamAV' && s.inferredClean !== null && s.inferredClean.scope !== 'tool-run',
  );
}

/** True when a changed path is one the run's records are keyed by. */
function touches(result: ToolOutputsResult, changed: Set<string> | null): boolean {
  if (changed === null) return true;
  if (changed.size > result.byPath.size) {
    for (const p of result.byPath.keys()) if (changed.has(p)) return true;
    return false;
  }
  for (const p of changed) if (result.byPath.has(p)) return true;
  return false;
}

/** One result from the runs' results, as a single readToolOutputs call would give it. */
function mergeRuns(results: ToolOutputsResult[], specials: ToolOutputsResult['problems']): ToolOutputsResult {
  const merged: ToolOutputsResult = {
    byPath: new Map(),
    reports: [],
    summaries: [],
    problems: [...specials],
    outputs: [],
  };
  for (const r of results) {
    for (const [path, records] of r.byPath) {
      const list = merged.byPath.get(path);
      if (list === undefined) merged.byPath.set(path, records);
      else merged.byPath.set(path, [...list, ...records].sort(byKindThenOrigin));
    }
    merged.reports.push(...r.reports);
    merged.summaries.push(...r.summaries);
    merged.problems.push(...r.problems);
    merged.outputs.push(...r.outputs);
  }
  return merged;
}

async function readOutput(
  store: ReadableStore,
  f: ListedFile,
  signal?: AbortSignal,
): Promise<ToolOutputFile> {
  if (f.size <= TOOL_OUTPUT_MAX_BYTES) {
    const bytes = await store.readBytes(f.key, {
      maxBytes: TOOL_OUTPUT_MAX_BYTES,
      ...(signal && { signal }),
    });
    return { path: f.key, bytes };
  }
  // Only the start: enough to recognise it and report it as too large, never parsed.
  const head: Buffer[] = [];
  for await (const c of await store.read(f.key, { start: 0, end: 8191, ...(signal && { signal }) }))
    head.push(c as Buffer);
  return { path: f.key, bytes: Buffer.concat(head), size: f.size };
}

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
