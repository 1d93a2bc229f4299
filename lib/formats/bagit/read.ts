/**
 * Reading a bag's tag files into a {@link BagModel}: `bagit.txt` first (it decides the version's
 * rules and the encoding of every other tag file), then bag-info, the manifests and fetch.txt.
 * `parseBagTagFiles` is pure (bytes in, model out); `readBag` and `readBagManifests` fetch the
 * bytes from a {@link BagSource}.
 */
import { hasCode, MalformedError, TooLargeError } from '../../core/errors.js';
import { quoteForMessage, truncateForMessage } from '../../core/paths.js';
import { bagAlgorithm } from './algorithms.js';
import { baggingDate, parseBagInfo, readPayloadOxum } from './bag-info.js';
import { parseBagDeclaration } from './declaration.js';
import { parseFetch } from './fetch.js';
import { BagIssues } from './issues.js';
import { tagFileLimit } from './limits.js';
import { manifestName, parseManifest } from './manifest.js';
import type { BagIssue, BagManifest, BagModel } from './model.js';
import type { BagFile, BagSource } from './source.js';
import { decodeTagText } from './text.js';

/** Tag files the reader parses: declaration, bag-info (both names), fetch and every manifest. */
export function isParsedTagFile(path: string): boolean {
  return (
    path === 'bagit.txt' ||
    path === 'bag-info.txt' ||
    path === 'package-info.txt' ||
    path === 'fetch.txt' ||
    manifestName(path) !== null
  );
}

/**
 * Build the model from the bytes of a bag's root tag files (name → bytes; other names ignored).
 * Every problem is reported to `issues`; a missing `bagit.txt` is an error and tag files are then
 * read as UTF-8 with 1.0 rules unknown (version null). `unread` names tag files that are present
 * but could not be read (already reported), so they are not also called missing.
 */
export function parseBagTagFiles(
  files: ReadonlyMap<string, Uint8Array>,
  issues: BagIssues,
  unread: ReadonlySet<string> = new Set(),
): BagModel {
  if (!(files instanceof Map)) files = new Map();
  // Values that are not bytes (an embedder's mistake) are reported and treated as unreadable.
  const given = files;
  files = new Map([...given].filter(([, b]) => b instanceof Uint8Array));
  if (files.size !== given.size) {
    unread = new Set(unread);
    for (const [name, b] of given) {
      if (b instanceof Uint8Array || typeof name !== 'string') continue;
      issues.error('tag-file-unreadable', name, 'cannot be read (not bytes)');
      (unread as Set<string>).add(name);
    }
  }
  const declBytes = files.get('bagit.txt');
  if (declBytes === undefined && !unread.has('bagit.txt'))
    issues.error('declaration-missing', 'bagit.txt', 'missing');
  const decl =
    declBytes === undefined ? { version: null, encoding: null } : parseBagDeclaration(declBytes, issues);
  const decode = tagDecoder(decl.encoding, issues);
  const infoFile = files.has('bag-info.txt')
    ? 'bag-info.txt'
    : files.has('package-info.txt')
      ? 'package-info.txt'
      : null;
  const info =
    infoFile === null
      ? []
      : parseBagInfo(decode(infoFile, files.get(infoFile)!, 'warning'), infoFile, issues);
  const manifests: BagManifest[] = [];
  for (const name of [...files.keys()].filter((n) => manifestName(n) !== null).sort()) {
    manifests.push(parseManifest(decode(name, files.get(name)!, 'error'), name, decl.version, issues));
  }
  const fetchBytes = files.get('fetch.txt');
  return {
    version: decl.version,
    encoding: decl.encoding,
    infoFile,
    info,
    payloadOxum: infoFile === null ? null : readPayloadOxum(info, infoFile, issues),
    baggingDate: baggingDate(info),
    manifests: manifests.filter((m) => m.kind === 'payload'),
    tagManifests: manifests.filter((m) => m.kind === 'tag'),
    fetch:
      fetchBytes === undefined
        ? []
        : parseFetch(decode('fetch.txt', fetchBytes, 'error'), decl.version, issues),
  };
}

type Decode = (file: string, bytes: Uint8Array, badBytes: 'error' | 'warning') => string;

function tagDecoder(encoding: string | null, issues: BagIssues): Decode {
  let reportedUnsupported = false;
  return (file, bytes, badBytes) => {
    const d = decodeTagText(bytes, encoding);
    if (d.unsupported && !reportedUnsupported) {
      reportedUnsupported = true;
      issues.error(
        'encoding-unsupported',
        'bagit.txt',
        `unsupported Tag-File-Character-Encoding ${quoteForMessage(encoding ?? '', 40)}`,
      );
    }
    if (d.problem !== null) issues.add(badBytes, 'encoding-invalid', file, d.problem);
    return d.text;
  };
}

/** Collect a source's listing into a map keyed by bag-relative path. */
export async function listBag(source: BagSource, signal?: AbortSignal): Promise<Map<string, BagFile>> {
  const files = new Map<string, BagFile>();
  for await (const listed of source.list(signal)) {
    const f = checkedEntry(listed);
    // A second entry for a path (a source that lists one twice) must not hide a defect.
    const prior = files.get(f.path);
    if (prior?.defect === undefined) files.set(f.path, f);
  }
  return files;
}

/**
 * Read and parse a bag's tag files from `source` (pass `listing` when already listed). Never
 * throws for bag problems: they are in `issues`; a tag file that cannot be read is an error there.
 */
export async function readBag(
  source: BagSource,
  listing?: ReadonlyMap<string, BagFile>,
): Promise<{ bag: BagModel; issues: BagIssue[] }> {
  const files = listing ?? (await listBag(source));
  const issues = new BagIssues();
  const bytes = new Map<string, Uint8Array>();
  const unread = new Set<string>();
  for (const [path, file] of files) {
    // Entries with a defect are reported by the validator and never opened.
    if (!isParsedTagFile(path) || file.defect !== undefined) continue;
    const max = tagFileLimit(path);
    try {
      if (file.size > max) throw tooLarge(path, max);
      const read = await source.read(path, { maxBytes: max });
      if (!(read instanceof Uint8Array))
        throw new MalformedError('the bag source returned something other than bytes', {
          operation: 'readBag',
        });
      bytes.set(path, read);
    } catch (err) {
      unread.add(path);
      if (hasCode(err, 'TOO_LARGE'))
        issues.error('tag-file-too-large', path, `larger than ${max} bytes; not read`);
      else issues.error('tag-file-unreadable', path, `cannot be read (${errorText(err)})`);
    }
  }
  return { bag: parseBagTagFiles(bytes, issues, unread), issues: issues.list };
}

/** A listed entry as the validator can use it: a string path; a size that is not a count reads as 0. */
function checkedEntry(f: BagFile): BagFile {
  if (typeof f?.path !== 'string')
    throw new MalformedError('the bag source listed an entry without a path', { operation: 'listBag' });
  return Number.isSafeInteger(f.size) && f.size >= 0 ? f : { ...f, size: 0 };
}

function tooLarge(path: string, max: number): TooLargeError {
  return new TooLargeError(`${path} is larger than ${max} bytes`, max, { key: path, operation: 'readBag' });
}

function errorText(err: unknown): string {
  return truncateForMessage(err instanceof Error ? err.message : String(err), 200);
}

/** Digests by bag-relative path then algorithm, as the combiner takes them. */
export type BagDigestMap = Map<string, Record<string, string>>;

/**
 * Payload digests of a parsed bag: path → { algorithm → hex } over every payload manifest
 * (first value wins when a manifest repeats a path). Entries with unusable paths are left out.
 */
export function bagPayloadDigests(bag: BagModel): BagDigestMap {
  return digestMap(bag.manifests);
}

/** Tag-file digests of a parsed bag (from the tag manifests), like {@link bagPayloadDigests}. */
export function bagTagDigests(bag: BagModel): BagDigestMap {
  return digestMap(bag.tagManifests);
}

function digestMap(manifests: BagManifest[]): BagDigestMap {
  const out: BagDigestMap = new Map();
  for (const m of manifests) {
    for (const e of m.entries) {
      if (e.path === null) continue;
      // Null prototype: an algorithm named `__proto__` or `constructor` is an ordinary key.
      const digests = out.get(e.path) ?? (Object.create(null) as Record<string, string>);
      if (digests[m.algorithm] === undefined) digests[m.algorithm] = e.digest;
      out.set(e.path, digests);
    }
  }
  return out;
}

/** What {@link readBagManifests} returns; it fits the combiner's `BagLike` as it is. */
export interface BagManifestReading {
  /** Payload path (bag-relative, `data/...`) → algorithm → lowercase hex. */
  payloadDigests: BagDigestMap;
  /** Tag file path → algorithm → lowercase hex. */
  tagDigests: BagDigestMap;
  /** `Bagging-Date` (or `Packing-Date`), or null. */
  timestamp: string | null;
  /** Algorithms of the payload manifests, noting which this build cannot compute. */
  algorithms: { name: string; supported: boolean; weak: boolean }[];
  bag: BagModel;
  /** Problems met while reading the tag files (not a validation: no payload was checked). */
  issues: BagIssue[];
}

/**
 * The manifests of a bag whose root tag files are already in memory (name → bytes; other names
 * ignored). Pure: for callers that hold a deposit's files, like the combiner's CLI.
 */
export function parseBagManifests(files: ReadonlyMap<string, Uint8Array>): BagManifestReading {
  const issues = new BagIssues();
  return manifestReading(parseBagTagFiles(files, issues), issues.list);
}

/** Read a bag's manifests from `source` without checking the payload (see {@link BagManifestReading}). */
export async function readBagManifests(source: BagSource): Promise<BagManifestReading> {
  const { bag, issues } = await readBag(source);
  return manifestReading(bag, issues);
}

function manifestReading(bag: BagModel, issues: BagIssue[]): BagManifestReading {
  return {
    payloadDigests: bagPayloadDigests(bag),
    tagDigests: bagTagDigests(bag),
    timestamp: bag.baggingDate,
    algorithms: bag.manifests.map((m) => ({
      name: m.algorithm,
      supported: m.supported,
      weak: bagAlgorithm(m.algorithm)?.weak ?? false,
    })),
    bag,
    issues,
  };
}
