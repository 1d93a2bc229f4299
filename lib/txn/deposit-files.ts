/**
 * Writes inside a deposit's working area on behalf of the API's METS editing: replacing the
 * platform's METS file only while it is still the version the caller read (a conditional
 * replace), and deleting files and folders the caller selected. Everything stays inside the
 * deposit's own location (DECISIONS: the API never deletes files outside a deposit's own area);
 * keys are checked by the store (no `..`, nothing absolute) before anything is touched.
 *
 * Folders exist only where the backend has them. The filesystem prunes a folder left empty by a
 * delete (as S3, which has no folders, does implicitly), so a folder can vanish with its last file.
 */
import { InvalidInputError } from '../core/errors.js';
import { mapLimit } from '../engine/concurrency.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { openWritableStore } from '../storage/writable.js';

/** What {@link replaceDepositFile} wrote. */
export interface ReplacedDepositFile {
  /** The store etag of the new content, or null when the backend reports none. */
  etag: string | null;
}

function requireFolderUri(uri: string): void {
  if (!uri.endsWith('/'))
    throw new InvalidInputError(`a deposit area URI must end in "/": ${uri}`, { key: uri });
}

/**
 * Replace the file at `key` of the working area `uri` with `body`, only while its etag is
 * `ifMatch` (atomic on S3 and memory, compare-then-rename on the filesystem: callers serialise
 * their own edits). Written durably. Throws PreconditionFailedError (another etag, or no file),
 * InvalidInputError (a bad URI or key), the store's errors.
 */
export async function replaceDepositFile(
  uri: string,
  key: string,
  body: string | Buffer,
  options: { ifMatch: string; contentType?: string; store?: OpenStoreOptions },
): Promise<ReplacedDepositFile> {
  requireFolderUri(uri);
  const store = await openWritableStore(uri, options.store);
  const written = await store.write(key, body, {
    ifMatch: options.ifMatch,
    durable: true,
    ...(options.contentType !== undefined && { contentType: options.contentType }),
  });
  return { etag: written.etag ?? null };
}

/** What {@link deleteDepositEntries} removed. */
export interface DeletedDepositEntries {
  files: number;
  folders: number;
}

/**
 * Delete `files` (missing ones are fine), then `folders`, deepest first, each only once it holds
 * nothing (a folder still holding something is left alone and not counted, so a file uploaded
 * meanwhile is never swept away with it). At most `concurrency` (default 8) deletes in flight.
 * Throws InvalidInputError (a bad URI or key) and the store's errors; what was deleted before a
 * failure stays deleted.
 */
export async function deleteDepositEntries(
  uri: string,
  entries: { files: readonly string[]; folders: readonly string[] },
  options: { store?: OpenStoreOptions; concurrency?: number } = {},
): Promise<DeletedDepositEntries> {
  requireFolderUri(uri);
  const store = await openWritableStore(uri, options.store);
  await mapLimit(entries.files, Math.max(1, options.concurrency ?? 8), (key) => store.delete(key));
  const deepestFirst = [...entries.folders].sort((a, b) => depth(b) - depth(a) || (a < b ? 1 : -1));
  let folders = 0;
  for (const folder of deepestFirst) {
    if (await holdsAnything(store, folder)) continue;
    // Empty (or already pruned): deletePrefix removes the folder itself where folders exist.
    await store.deletePrefix(folder);
    folders++;
  }
  return { files: entries.files.length, folders };
}

function depth(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 0x2f) n++;
  return n;
}

async function holdsAnything(
  store: {
    list(prefix: string, options?: { delimiter?: boolean; pageSize?: number }): AsyncIterable<unknown>;
  },
  folder: string,
): Promise<boolean> {
  for await (const _ of store.list(folder, { delimiter: true, pageSize: 1 })) return true;
  return false;
}
