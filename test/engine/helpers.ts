/** Shared paths and store helpers for the engine tests. */
import { join } from 'node:path';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import type { ReadableStore } from '../../lib/storage/port.js';
import { corpusDir, fixturesDir } from '../helpers/paths.js';

export const rebuildRoot = join(corpusDir, 'fcrepo/fcrepo-http-api/src/test/resources/test-rebuild-invalid');
export const migratedRoot = join(
  corpusDir,
  'fcrepo-migration-validator/src/test/resources/test-object-validation/valid/f6/data/ocfl-root',
);
export const threeVersionRoot = join(
  corpusDir,
  'fcrepo-migration-validator/src/test/resources/test-object-validation/version-validation-it/valid/f6/data/ocfl-root',
);
export const preReleaseRoot = join(corpusDir, 'ocfl-py/extra_fixtures/1.0/good-storage-roots/fedora-root');
export const reg0003Root = join(
  corpusDir,
  'ocfl-py/extra_fixtures/1.0/good-storage-roots/reg-extension-dir-root',
);
export const simpleRoot = join(corpusDir, 'ocfl-py/extra_fixtures/1.0/good-storage-roots/simple-root');
export const agRoot = join(fixturesDir, 'fedora/ag-root');

/** A read-only filesystem store. */
export function fsStore(dir: string): FsStore {
  return new FsStore(dir, { readOnly: true });
}

/** Wrap a store and count `readBytes` calls by key. */
export function countingStore(inner: ReadableStore): ReadableStore & { reads: string[] } {
  const reads: string[] = [];
  return {
    kind: inner.kind,
    uri: inner.uri,
    location: inner.location,
    reads,
    read: (key, options) => inner.read(key, options),
    readBytes: (key, options) => {
      reads.push(key);
      return inner.readBytes(key, options);
    },
    stat: (key) => inner.stat(key),
    exists: (key) => inner.exists(key),
    list: (prefix, options) => inner.list(prefix, options),
  };
}

/** Copy a corpus tree into `dest` and make it writable (corpus files are read-only). */
export async function copyWritable(src: string, dest: string): Promise<void> {
  const { cp, chmod, readdir } = await import('node:fs/promises');
  await cp(src, dest, { recursive: true });
  const walk = async (dir: string): Promise<void> => {
    await chmod(dir, 0o755);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else await chmod(path, 0o644);
    }
  };
  await walk(dest);
}
