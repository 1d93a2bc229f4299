/**
 * Staging a deposit's `objects/` folder on local disk for the pipeline's tools, in bounded
 * batches: the tools are programs that read local files, and a deposit may live in S3 or be far
 * larger than the local disk. Each batch holds at most `batchFiles` files and `batchBytes` bytes
 * (a single larger file is a batch of its own), is laid out under the files' deposit-relative
 * paths, and is removed before the next one is fetched.
 *
 * The same path for every backend: a filesystem deposit is staged too, so a symbolic link in it
 * can never make a tool read (and report on) a file outside the deposit.
 *
 * What is not staged, and said so: entries that are not regular files (links, FIFOs, devices,
 * names that are not UTF-8) and names the line-based tool outputs cannot carry faithfully (control
 * characters such as a newline, which would let a name forge a verdict line for another file, and
 * backslashes, which readers take for Windows separators): the one path-safety check decides.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describePathProblem, pathSafetyProblems, quoteForMessage } from '../core/paths.js';
import { mapLimit } from '../engine/concurrency.js';
import type { ReadableStore } from '../storage/port.js';
import type { ToolIssue } from './tools/port.js';

/** One file to scan. */
export interface ScanFile {
  key: string;
  size: number;
  modified?: Date;
}

/** The deposit's objects folder and what is in it. */
export interface ObjectsListing {
  /** `objects` or `data/objects`. */
  folder: string;
  files: ScanFile[];
  /** Entries left out, with why. */
  skipped: ToolIssue[];
}

/** Where to look for the objects folder: BagIt deposits in `data/`, RootLevel at the root, others either. */
export function objectsFolderCandidates(template: string): string[] {
  if (template === 'BagIt') return ['data/objects'];
  if (template === 'RootLevel') return ['objects'];
  return ['objects', 'data/objects'];
}

/**
 * List the first candidate folder that has entries (one recursive listing, batched by the store:
 * no request per file). Returns null when none has any.
 */
export async function listObjects(
  store: ReadableStore,
  candidates: readonly string[],
  signal?: AbortSignal,
): Promise<ObjectsListing | null> {
  for (const folder of candidates) {
    const listing: ObjectsListing = { folder, files: [], skipped: [] };
    let entries = 0;
    for await (const e of listEntries(store, folder, signal)) {
      entries++;
      if (e.kind === 'other') {
        listing.skipped.push(skip(e.key, `not a regular file (${e.type})`));
      } else if (e.kind === 'file' && e.symlink) {
        listing.skipped.push(skip(e.key, 'a symbolic link'));
      } else if (e.kind === 'file') {
        const problems = pathSafetyProblems(e.key);
        if (problems.length > 0) listing.skipped.push(skip(e.key, describePathProblem(problems[0]!)));
        else listing.files.push({ key: e.key, size: e.size, ...(e.modified && { modified: e.modified }) });
      }
    }
    if (entries > 0) return listing;
  }
  return null;
}

async function* listEntries(store: ReadableStore, folder: string, signal?: AbortSignal) {
  try {
    yield* store.list(folder, { delimiter: false, ...(signal && { signal }) });
  } catch (err) {
    if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
  }
}

function skip(key: string, why: string): ToolIssue {
  return { message: `${quoteForMessage(key)}: not scanned: ${why}` };
}

/** Split files into batches of at most `maxFiles` files and `maxBytes` bytes (a larger file alone). */
export function planBatches(files: readonly ScanFile[], maxFiles: number, maxBytes: number): ScanFile[][] {
  const batches: ScanFile[][] = [];
  let current: ScanFile[] = [];
  let bytes = 0;
  for (const f of files) {
    if (current.length > 0 && (current.length >= maxFiles || bytes + f.size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(f);
    bytes += f.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** How many files are fetched at once while staging. */
const STAGE_CONCURRENCY = 4;

/**
 * Fetch one batch into `stageDir` (emptied first) under the files' own keys, with their stored
 * modification times. A file that cannot be laid out locally (a name too long for this disk, a
 * file and a folder of the same name) is reported and left out; storage failures reject.
 */
export async function stageBatch(
  store: ReadableStore,
  batch: readonly ScanFile[],
  stageDir: string,
  signal?: AbortSignal,
): Promise<{ staged: number; issues: ToolIssue[] }> {
  await rm(stageDir, { recursive: true, force: true });
  await mkdir(stageDir, { recursive: true });
  const issues: ToolIssue[] = [];
  let staged = 0;
  await mapLimit(batch, STAGE_CONCURRENCY, async (f) => {
    const local = join(stageDir, ...f.key.split('/'));
    try {
      await mkdir(dirname(local), { recursive: true });
      const out = createWriteStream(local, { flags: 'wx' });
      await new Promise<void>((resolve, reject) => {
        out.once('open', () => resolve());
        out.once('error', reject);
      });
      await pipeline(await store.read(f.key, signal ? { signal } : {}), out);
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!LOCAL_LAYOUT_CODES.has(code)) throw err;
      issues.push(skip(f.key, `cannot be laid out on local disk (${code})`));
      return;
    }
    if (f.modified) await utimes(local, f.modified, f.modified);
    staged++;
  });
  return { staged, issues };
}

/** Local errors that mean "this one name does not fit on this disk", not "the disk is broken". */
const LOCAL_LAYOUT_CODES = new Set(['ENAMETOOLONG', 'ENOTDIR', 'EEXIST', 'EISDIR', 'EILSEQ']);
