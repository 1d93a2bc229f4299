/**
 * Exports: copying a version of an Archival Group out of the repository into a folder or an S3
 * prefix (a deposit's working area), restoring the paths the files were deposited under, every
 * file verified against its SHA-256 while it is copied.
 *
 * Modes:
 * - `full`: every binary;
 * - `mets`: only the group's METS file (the empty deposit for an existing group: the diff then
 *   knows every file from it);
 * - `stub`: a placeholder per binary carrying the marker, size, digest and origin instead of the
 *   content, so a client can browse without copying. A stub must never be stored back as
 *   content: {@link isExportStub} recognises one, and the import side refuses it.
 *
 * A file that cannot be exported is recorded in `errors` and the others go on; the destination
 * is written through a writable store (this module belongs to lib/txn for that reason).
 */
import { Readable } from 'node:stream';
import { InvalidInputError } from '../core/errors.js';
import type { BinaryResource, ContainerResource, Resource } from '../core/fedora/model.js';
import { assertSafeRelativePath, quoteForMessage } from '../core/paths.js';
import type { CopiedContent } from '../core/plan/version-plan.js';
import { mapLimit } from '../engine/concurrency.js';
import { getObjectResources } from '../engine/fedora-resources.js';
import type { StorageRoot } from '../engine/storage-root.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { joinKey, type ReadableStore, type WritableStore } from '../storage/port.js';
import { openWritableStore } from '../storage/writable.js';
import { type CopyEnv, type CopyJob, ProgressTracker } from './copy-job.js';
import { isLocalPair, localCopies } from './copy-local.js';

/** What to export. */
export type ExportMode = 'full' | 'mets' | 'stub';

import { STUB_MAGIC } from '../core/export-stub.js';

export { isExportStub, STUB_MAGIC, STUB_MAX_BYTES } from '../core/export-stub.js';

/** Options of {@link exportVersion}. */
export interface ExportOptions {
  /** `vN` or a memento timestamp (default: the head). */
  version?: string;
  mode?: ExportMode;
  /** How to open the destination (S3 settings). */
  store?: OpenStoreOptions;
  /** Files copied at once (default 8). */
  concurrency?: number;
  /** Called after each file with the counts so far. */
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

/** Files and bytes written of the totals. */
export interface ExportProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

/** One file written. */
export interface ExportedFile {
  /** Destination-relative path (original names). */
  path: string;
  size: number;
  /** SHA-256 of the content (of the original, for a stub). */
  digest?: string;
  /** The binary's path in the group. */
  resourcePath: string;
  /** The destination store's etag of the written file (what a listing of it shows). */
  etag?: string;
}

/** What an export did. */
export interface ExportResult {
  objectId: string;
  version: string;
  mode: ExportMode;
  files: ExportedFile[];
  errors: Array<{ path: string; message: string }>;
  /**
   * The etag of the METS file written (the one nearest the top, `mets.xml` first), so the new
   * deposit's `metsETag` is known without listing it; null when no METS file was exported.
   */
  metsETag: string | null;
}

/**
 * Export object `objectId` of the storage root `root` to `destination` (a folder URI or `s3://bucket/prefix`).
 * Throws NotFoundError (object or version), InvalidInputError (bad mode or destination); per-file
 * failures (a digest mismatch, a write error, two names that collide) go to `errors`.
 */
export async function exportVersion(
  root: StorageRoot,
  objectId: string,
  destination: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const mode = options.mode ?? 'full';
  if (!['full', 'mets', 'stub'].includes(mode))
    throw new InvalidInputError(`unknown export mode ${quoteForMessage(mode)}`);
  const resources = await getObjectResources(root, objectId, {
    ...(options.version !== undefined && { version: options.version }),
    ...(options.signal && { signal: options.signal }),
  });
  const version = resources.version.ocflVersion;
  let binaries = namedBinaries(resources.root);
  if (mode === 'mets') binaries = binaries.filter((b) => isMetsPath(b.exportPath));
  const out = await openWritableStore(destination, options.store);
  const objectKey = root.keyOf(await root.resolveObjectRoot(objectId));
  const result: ExportResult = { objectId, version, mode, files: [], errors: [], metsETag: null };
  const seen = new Set<string>();
  const progress: ExportProgress = {
    filesDone: 0,
    filesTotal: binaries.length,
    bytesDone: 0,
    bytesTotal: binaries.reduce((n, b) => n + (b.binary.size ?? 0), 0),
  };
  // Filesystem → filesystem: the hashing workers copy and verify, small files in batches, as an
  // import does (copy-local.ts); what they do not take goes the per-file way below.
  if (mode !== 'stub') {
    const done = await workerCopies(root.store, objectKey, out, binaries, seen, options, (file) => {
      result.files.push(file);
      progress.bytesDone += file.size;
      progress.filesDone++;
      options.onProgress?.({ ...progress });
    });
    if (done.size > 0) binaries = binaries.filter((b) => !done.has(b.exportPath));
  }
  await mapLimit(binaries, options.concurrency ?? 8, async ({ binary, exportPath }) => {
    try {
      if (seen.has(exportPath))
        throw new InvalidInputError(`another file is already exported as ${quoteForMessage(exportPath)}`);
      seen.add(exportPath);
      const file =
        mode === 'stub'
          ? await writeStub(out, exportPath, binary, objectId, version)
          : await copyBinary(root, objectKey, out, binary, exportPath, options.signal);
      result.files.push(file);
      progress.bytesDone += mode === 'stub' ? 0 : file.size;
    } catch (err) {
      result.errors.push({ path: binary.path, message: (err as Error).message });
    }
    progress.filesDone++;
    options.onProgress?.({ ...progress });
  });
  result.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  const mets = result.files
    .filter((f) => isMetsPath(f.path))
    .sort(
      (a, b) =>
        depth(a.path) - depth(b.path) ||
        Number(!a.path.endsWith('mets.xml')) - Number(!b.path.endsWith('mets.xml')),
    )[0];
  // Worker copies do not report an etag: the store's stat gives the one its listing shows.
  result.metsETag = mets
    ? (mets.etag ?? (await out.stat(mets.path).catch(() => undefined))?.etag ?? null)
    : null;
  return result;
}

/**
 * Every binary with its export path: its resource path in the group, which is the name it was
 * deposited under (ids map back to names reversibly), so a deposit exported and diffed again
 * shows no change. A later rename only changes the stored `name` (kept in the METS).
 */
function namedBinaries(root: Resource): Array<{ binary: BinaryResource; exportPath: string }> {
  const out: Array<{ binary: BinaryResource; exportPath: string }> = [];
  const walk = (container: ContainerResource) => {
    for (const b of container.binaries) out.push({ binary: b, exportPath: b.path });
    for (const c of container.containers) walk(c);
  };
  if (root.type !== 'Binary') walk(root as ContainerResource);
  return out;
}

function depth(path: string): number {
  return path.split('/').length;
}

function isMetsPath(path: string): boolean {
  if (path.includes('/') && !path.startsWith('data/')) return false;
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return name === 'mets.xml' || (name.includes('mets') && name.endsWith('.xml'));
}

/**
 * Copy in the hashing workers every binary with stored content and a SHA-256 when both stores are
 * local. Returns the export paths copied (empty when the stores are not both local, or when a copy
 * failed: the caller then copies every file one by one, and reports each failure by name).
 */
async function workerCopies(
  from: ReadableStore,
  objectKey: string,
  out: WritableStore,
  binaries: Array<{ binary: BinaryResource; exportPath: string }>,
  seen: Set<string>,
  options: ExportOptions,
  onFile: (file: ExportedFile) => void,
): Promise<Set<string>> {
  const jobs: CopyJob[] = [];
  const byPath = new Map<string, BinaryResource>();
  for (const { binary, exportPath } of binaries) {
    if (binary.contentPath === undefined || binary.digest === undefined || seen.has(exportPath)) continue;
    const key = joinKey(objectKey, assertSafeRelativePath(binary.contentPath, 'content path'));
    const copy = { contentPath: exportPath, source: key, sha256: binary.digest.toLowerCase() };
    jobs.push({
      copy: binary.size === undefined ? copy : { ...copy, size: binary.size },
      source: { store: from, key },
      target: exportPath,
    });
    byPath.set(exportPath, binary);
  }
  const progress = new ProgressTracker(jobs.length, 0);
  const env: CopyEnv = {
    store: out,
    algorithm: 'sha256',
    concurrency: options.concurrency ?? 8,
    progress,
    ...(options.signal && { signal: options.signal }),
  };
  if (jobs.length === 0 || !isLocalPair(jobs[0]!, env)) return new Set();
  const results = new Map<string, CopiedContent>();
  try {
    await localCopies(jobs, env, results);
  } catch (err) {
    if (options.signal?.aborted) throw err;
    // Undo what was copied, so the one-by-one pass starts clean and names the failure.
    await mapLimit([...results.keys()], 8, (path) => out.delete(path).catch(() => {}));
    return new Set();
  }
  for (const [exportPath, copied] of results) {
    seen.add(exportPath);
    onFile({
      path: exportPath,
      size: copied.size,
      resourcePath: byPath.get(exportPath)!.path,
      digest: copied.digest,
    });
  }
  return new Set(results.keys());
}

async function copyBinary(
  root: StorageRoot,
  objectKey: string,
  out: WritableStore,
  binary: BinaryResource,
  exportPath: string,
  signal?: AbortSignal,
): Promise<ExportedFile> {
  if (binary.contentPath === undefined)
    throw new InvalidInputError(`${binary.path} has no stored content (external)`);
  const key = joinKey(objectKey, assertSafeRelativePath(binary.contentPath, 'content path'));
  const size = binary.size ?? (await root.store.stat(key)).size;
  const stream = await root.store.read(key, signal ? { signal } : {});
  const written = await out.write(exportPath, stream, {
    size,
    ...(binary.digest !== undefined && { sha256: binary.digest }),
    ...(binary.contentType !== undefined && { contentType: binary.contentType }),
    ...(signal && { signal }),
  });
  return {
    path: exportPath,
    size: written.size,
    resourcePath: binary.path,
    digest: written.sha256,
    ...(written.etag !== undefined && { etag: written.etag }),
  };
}

async function writeStub(
  out: WritableStore,
  exportPath: string,
  binary: BinaryResource,
  objectId: string,
  version: string,
): Promise<ExportedFile> {
  const body = {
    strongroomStub: 1,
    archivalGroup: objectId,
    version,
    path: binary.path,
    name: binary.name,
    size: binary.size ?? null,
    digest: binary.digest ?? null,
    contentType: binary.contentType ?? null,
    origin: binary.origin ?? null,
  };
  const bytes = Buffer.from(`${STUB_MAGIC}${JSON.stringify(body, null, 2)}\n`);
  await out.write(exportPath, Readable.from([bytes]), { size: bytes.length });
  const file: ExportedFile = { path: exportPath, size: bytes.length, resourcePath: binary.path };
  if (binary.digest !== undefined) file.digest = binary.digest;
  return file;
}
