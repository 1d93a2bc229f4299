/**
 * Writing files a service produced (tool outputs of a pipeline run) into a deposit's working area.
 * Each file is streamed from local disk to its key, replacing what was there; keys are checked
 * with the one path-safety function and stay inside the deposit's own location.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InvalidInputError } from '../core/errors.js';
import { assertSafeRelativePath } from '../core/paths.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { openWritableStore } from '../storage/writable.js';

/** One file to write: its key in the deposit, the local file holding it, its content type. */
export interface DepositOutputFile {
  key: string;
  localPath: string;
  contentType?: string;
}

/**
 * Write `files` into the working area at `uri` (a folder URI ending in `/`), in order. Returns the
 * keys written. Throws InvalidInputError (a bad URI or key), PathEscapeError, the store's errors.
 */
export async function writeDepositOutputs(
  uri: string,
  files: readonly DepositOutputFile[],
  options: { store?: OpenStoreOptions; signal?: AbortSignal } = {},
): Promise<string[]> {
  if (!uri.endsWith('/'))
    throw new InvalidInputError(`a deposit area URI must end in "/": ${uri}`, { key: uri });
  for (const f of files) assertSafeRelativePath(f.key, 'deposit output key');
  const store = await openWritableStore(uri, options.store);
  const written: string[] = [];
  for (const f of files) {
    const size = (await stat(f.localPath)).size;
    await store.write(f.key, createReadStream(f.localPath), {
      size,
      ...(f.contentType && { contentType: f.contentType }),
      ...(options.signal && { signal: options.signal }),
    });
    written.push(f.key);
  }
  return written;
}
