/**
 * Bag sources that do I/O, kept out of lib/formats (whose parsers take bytes and streams only):
 *
 * - {@link storeBagSource}: a bag in any {@link ReadableStore} — a folder (FsStore), memory, or
 *   an S3 prefix. Payload digests go through `digestFiles()` (the hashing worker pool); files
 *   whose algorithms it cannot compute (e.g. `sha224`, which some bags use) are hashed here by
 *   streaming them through node:crypto. Entries the store lists as `other` (FIFOs, sockets,
 *   devices, undecodable names) are listed with a `defect`, so the validator reports them and
 *   nothing reads them.
 * - {@link openZipBagInStore}: a zipped bag stored as one object, read with ranged reads (on S3
 *   as on disk) rather than loaded whole.
 */
import { Readable } from 'node:stream';
import { hasCode } from '../core/errors.js';
import { digestEach, hashChunks } from '../formats/bagit/fixity.js';
import type { RandomAccessBytes } from '../formats/bagit/random-access.js';
import type {
  BagDigestOptions,
  BagDigestRequest,
  BagDigestResult,
  BagEntryDefect,
  BagFile,
  BagSource,
} from '../formats/bagit/source.js';
import { openZipBag, type ZipBagOptions, type ZipBagSource } from '../formats/bagit/zip-source.js';
import { digestFiles } from '../hash/digest-files.js';
import { joinKey, type OtherEntryType, type ReadableStore } from '../storage/port.js';

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
        if (e.kind === 'other') {
          yield { path: e.key.slice(cut), size: 0, defect: otherDefect(e.type) };
          continue;
        }
        if (e.kind !== 'file') continue;
        const file: BagFile = { path: e.key.slice(cut), size: e.size };
        if (e.symlink) file.symlink = true;
        yield file;
      }
    },
    read: async (path, options) =>
      store.readBytes(key(path), options?.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
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

function otherDefect(type: OtherEntryType): BagEntryDefect {
  return type === 'undecodable-name' ? 'name-not-utf8' : type;
}

/**
 * Byte-range access to one stored object (its size from `stat`), for reading a zip where it is.
 * Throws NotFoundError when the object does not exist.
 */
export async function storeRandomAccess(store: ReadableStore, key: string): Promise<RandomAccessBytes> {
  const { size } = await store.stat(key);
  return {
    size,
    // Store ranges are inclusive; an empty range never reaches the store.
    readRange: (start, end) => lazyRange(store, key, start, end),
  };
}

/**
 * The zipped bag stored at `key` in `store` (e.g. an FsStore over the zip's folder). Rejects with
 * NotFoundError, MalformedError (not a readable zip) or TooLargeError (too many members); close
 * the source when done.
 */
export async function openZipBagInStore(
  store: ReadableStore,
  key: string,
  options: ZipBagOptions = {},
): Promise<ZipBagSource> {
  const reader = await storeRandomAccess(store, key);
  return openZipBag(reader, {
    location: options.location ?? `zip:${store.uri.replace(/\/$/, '')}/${key}`,
    ...options,
  });
}

/** A Readable that opens the ranged store read on first pull (yauzl wants a stream at once). */
function lazyRange(store: ReadableStore, key: string, start: number, end: number): Readable {
  if (end <= start) return Readable.from([]);
  return Readable.from(
    (async function* () {
      yield* await store.read(key, { start, end: end - 1 });
    })(),
    { objectMode: false },
  );
}
