/**
 * A {@link BagSource} over any {@link ReadableStore}: a bag in a folder (FsStore), in memory, or
 * under an S3 prefix. Payload digests go through `digestFiles()` (the hashing worker pool); files
 * whose algorithms it cannot compute (e.g. `sha224`, which some bags use) are hashed here by
 * streaming them through node:crypto.
 */
import { hasCode } from '../../core/errors.js';
import { digestFiles } from '../../hash/digest-files.js';
import { joinKey, type ReadableStore } from '../../storage/port.js';
import { digestEach, hashChunks } from './fixity.js';
import type { BagDigestOptions, BagDigestRequest, BagDigestResult, BagFile, BagSource } from './source.js';

/**
 * The bag whose root is `root` ('' = the store's root) in `store`. Listing is recursive; paths
 * are returned relative to `root`. Read errors are the store's (NotFoundError, IoError).
 */
export function storeBagSource(store: ReadableStore, root = ''): BagSource {
  const base = joinKey(root);
  const key = (path: string) => (base === '' ? path : `${base}/${path}`);
  return {
    location: base === '' ? store.uri : `${store.uri.replace(/\/$/, '')}/${base}`,
    async *list(signal?: AbortSignal): AsyncIterable<BagFile> {
      const cut = base === '' ? 0 : base.length + 1;
      for await (const e of store.list(base, signal ? { delimiter: false, signal } : { delimiter: false })) {
        if (e.kind !== 'file') continue;
        const file: BagFile = { path: e.key.slice(cut), size: e.size };
        if (e.symlink) file.symlink = true;
        yield file;
      }
    },
    read: async (path) => store.readBytes(key(path)),
    stream: async (path, signal) => store.read(key(path), signal ? { signal } : {}),
    digest: (requests, options) => digestThroughStore(store, key, requests, options),
  };
}

async function digestThroughStore(
  store: ReadableStore,
  key: (path: string) => string,
  requests: BagDigestRequest[],
  options: BagDigestOptions = {},
): Promise<BagDigestResult[]> {
  const pooled = await digestFiles(
    store,
    requests.map((r) => ({ key: key(r.path), algorithms: r.algorithms })),
    options,
  );
  const results: BagDigestResult[] = pooled.map((r, i) => ({
    path: requests[i]!.path,
    size: r.size,
    digests: r.digests,
    ...(r.error ? { error: r.error.message } : {}),
  }));
  // The pool may not know every algorithm BagIt uses: hash those files here instead.
  const redo = pooled.flatMap((r, i) => (r.error && hasCode(r.error, 'UNSUPPORTED') ? [i] : []));
  if (redo.length === 0) return results;
  const again = await digestEach(
    redo.map((i) => requests[i]!),
    async (req) => {
      try {
        return await hashChunks(
          await store.read(key(req.path), options.signal ? { signal: options.signal } : {}),
          req,
        );
      } catch (err) {
        if (options.signal?.aborted) throw err;
        return { path: req.path, size: 0, digests: {}, error: (err as Error).message };
      }
    },
    options.signal ? { signal: options.signal } : {},
  );
  redo.forEach((i, j) => {
    results[i] = again[j]!;
  });
  return results;
}
