/**
 * Turning a CLI location argument into a store and a key prefix. Plain paths and `file://` URIs
 * open a read-only filesystem store at that directory (a path to a file opens its directory and
 * names the file); `s3://bucket/prefix` opens a read-only S3 store with settings from the
 * environment (S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, S3_FORCE_PATH_STYLE; see
 * server/config/s3-env.ts). Every store opened here is read-only (`openStore`).
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStore } from '../../lib/storage/location.js';
import type { ReadableStore } from '../../lib/storage/port.js';
import { s3ConfigFromEnv } from '../config/s3-env.js';

/** An opened location: a store rooted at the location, or at a file's directory with `file` set. */
export interface OpenedLocation {
  store: ReadableStore;
  /** Set when the location named a single local file (e.g. a lone inventory.json). */
  file?: string;
}

/** Open `location` read-only. Throws NotFoundError-like errors from the backends, InvalidInputError for bad URIs. */
export async function openCliLocation(
  location: string,
  env: Record<string, string | undefined>,
): Promise<OpenedLocation> {
  if (/^s3:\/\//i.test(location)) return { store: await openStore(location, { s3: s3ConfigFromEnv(env) }) };
  if (/^memory:\/\//i.test(location)) return { store: await openStore(location) };
  const path = /^file:\/\//i.test(location) ? fileURLToPath(location) : resolve(location);
  const st = statSync(path);
  if (st.isFile()) return { store: await openStore(pathToFileURL(dirname(path)).href), file: basename(path) };
  return { store: await openStore(pathToFileURL(path).href) };
}

/** A one-line description of an error for stderr: `[CODE] message`. */
export function describeError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? `[${e.code}] ` : '';
  return `${code}${typeof e?.message === 'string' ? e.message : String(err)}`;
}
