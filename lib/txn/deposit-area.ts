/**
 * Deposit working areas: creating one with its template's layout (RootLevel: `objects/`,
 * `metadata/` and a platform METS; BagIt: the same inside `data/`) and deleting one. Everything
 * stays inside the deposit's own location (DECISIONS: the API never deletes files outside a
 * deposit's own area). Folders exist only where the backend has them (S3 has no empty folders;
 * the METS lists them all the same).
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidInputError } from '../core/errors.js';
import { MetsDocument, templateLayout } from '../formats/mets/document.js';
import { writeMets } from '../formats/mets/writer.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { parseLocation } from '../storage/location.js';
import { openWritableStore } from '../storage/writable.js';

/** A deposit's layout. */
export type DepositAreaTemplate = 'None' | 'RootLevel' | 'BagIt';

/** What {@link createDepositArea} wrote. */
export interface CreatedDepositArea {
  /** Path of the METS file written, relative to the area, or null (template None). */
  metsPath: string | null;
  /** Store etag of that METS file. */
  metsETag: string | null;
}

function requireFolderUri(uri: string): void {
  if (!uri.endsWith('/'))
    throw new InvalidInputError(`a deposit area URI must end in "/": ${uri}`, { key: uri });
}

/**
 * Create the working area at `uri` (a folder URI ending in `/`) with `template`'s layout; the
 * METS gets `title` when given. Throws InvalidInputError for a bad URI, the store's errors.
 */
export async function createDepositArea(
  uri: string,
  template: DepositAreaTemplate,
  options: { title?: string | null; created?: string; store?: OpenStoreOptions } = {},
): Promise<CreatedDepositArea> {
  requireFolderUri(uri);
  const location = parseLocation(uri);
  if (location.kind === 'file') await mkdir(location.path, { recursive: true });
  if (template === 'None') return { metsPath: null, metsETag: null };
  const layout = templateLayout(template);
  if (location.kind === 'file') {
    for (const dir of layout.directories)
      await mkdir(join(location.path, ...dir.split('/')), { recursive: true });
  }
  const doc = MetsDocument.create({
    ...(options.title !== undefined && { title: options.title }),
    ...(options.created !== undefined && { created: options.created }),
  });
  const store = await openWritableStore(uri, options.store);
  const written = await store.write(layout.metsPath, writeMets(doc), { contentType: 'application/xml' });
  return { metsPath: layout.metsPath, metsETag: written.etag ?? null };
}

/**
 * Delete the working area at `uri` (a folder URI ending in `/`): everything in it, and the folder
 * itself on the filesystem. Returns the number of files removed. The area is removed as a prefix
 * of its parent location (a store cannot delete its own root), so nothing outside it is touched.
 * Throws InvalidInputError for a bad URI or one with no parent, the store's errors.
 */
export async function deleteDepositArea(
  uri: string,
  options: { store?: OpenStoreOptions } = {},
): Promise<number> {
  requireFolderUri(uri);
  const { parent, name } = splitArea(uri);
  const store = await openWritableStore(parent, options.store);
  return store.deletePrefix(name);
}

/** The location holding the area at `uri`, and the area's name in it. */
function splitArea(uri: string): { parent: string; name: string } {
  const location = parseLocation(uri);
  if (location.kind === 'file' && dirname(location.path) !== location.path) {
    return { parent: pathToFileURL(dirname(location.path)).href, name: basename(location.path) };
  }
  if (location.kind === 's3' && location.prefix !== '') {
    const at = location.prefix.lastIndexOf('/');
    return {
      parent: `s3://${location.bucket}/${at < 0 ? '' : location.prefix.slice(0, at)}`,
      name: location.prefix.slice(at + 1),
    };
  }
  throw new InvalidInputError(`a deposit area must be a folder inside a location: ${uri}`, { key: uri });
}
