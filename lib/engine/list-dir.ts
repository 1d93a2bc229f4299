/** One directory of a storage root through the port: files, sub-directories and special entries. */
import type { ReadableStore } from '../storage/port.js';

/**
 * The direct children of `dir`. FIFOs, sockets, devices and undecodable names (`other` entries)
 * are counted among the files (a FIFO named `0=ocfl_object_1.1` still marks an object root,
 * whose read then fails clearly) and listed in `special`, so nothing reads them.
 */
export async function listDir(store: ReadableStore, dir: string, signal?: AbortSignal) {
  const files: string[] = [];
  const dirs: string[] = [];
  const special = new Set<string>();
  for await (const entry of store.list(dir, { delimiter: true, ...(signal && { signal }) })) {
    const name = entry.key.slice(entry.key.lastIndexOf('/') + 1);
    if (entry.kind === 'prefix') dirs.push(name);
    else files.push(name);
    if (entry.kind === 'other') special.add(name);
  }
  return { files, dirs: dirs.sort(), special };
}
