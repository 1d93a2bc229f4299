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
import { mapLimit } from '../engine/concurrency.js';
import { getObjectResources } from '../engine/fedora-resources.js';
import type { StorageRoot } from '../engine/storage-root.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import { openWritableStore } from '../storage/writable.js';

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
  result.metsETag = mets?.etag ?? null;
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
