/**
 * Turning a location a person typed (a path, `file:///…`, `s3://bucket/prefix`) into a read-only
 * store: a directory opens a store there; a path to a local file opens its directory and names
 * the file (a lone `inventory.json`, a zipped bag, a METS file). Shared by the CLI and the server.
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NotFoundError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { type OpenStoreOptions, openStore } from '../storage/location.js';
import type { ReadableStore } from '../storage/port.js';

/** An opened location: a store rooted at it, or at a local file's directory with `file` set. */
export interface OpenedLocation {
  store: ReadableStore;
  /** Set when the location named a single local file. */
  file?: string;
}

/**
 * Open `location` read-only (S3 settings and memory stores from `options`). Throws NotFoundError
 * for a local path that does not exist, InvalidInputError for a malformed URI.
 */
export async function openLocation(
  location: string,
  options: OpenStoreOptions = {},
): Promise<OpenedLocation> {
  if (/^(s3|memory):\/\//i.test(location)) return { store: await openStore(location, options) };
  const path = /^file:/i.test(location) ? fileURLToPath(location) : resolve(location);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (cause) {
    throw new NotFoundError(`${quoteForMessage(location)} does not exist`, {
      operation: 'openLocation',
      key: location,
      cause,
    });
  }
  if (isFile)
    return { store: await openStore(pathToFileURL(dirname(path)).href, options), file: basename(path) };
  return { store: await openStore(pathToFileURL(path).href, options) };
}
