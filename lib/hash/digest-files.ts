/**
 * Digest many stored files at once: the entry point validation and imports use for fixity.
 *
 * TEMPORARY BASELINE: streams each file through node:crypto on the main thread, a few at a
 * time. The hashing work replaces the body with the worker pool (batched small files, one task
 * per large file, direct sync reads for stores with local paths); the signature stays.
 */
import { createHash } from 'node:crypto';
import { IoError, StrongroomError } from '../core/errors.js';
import type { ReadableStore } from '../storage/port.js';

/** What to digest: one key, with the algorithms wanted (OCFL names: sha512, sha256, sha1, md5, ...). */
export interface FileDigestRequest {
  key: string;
  algorithms: string[];
}

/** The outcome for one key: size and algorithm → lowercase hex, or the error that stopped it. */
export interface FileDigestResult {
  key: string;
  size: number;
  digests: Record<string, string>;
  error?: StrongroomError;
}

/** Options for {@link digestFiles}. */
export interface DigestFilesOptions {
  /** Progress callback, called as files finish (cumulative figures). */
  onProgress?: (progress: { files: number; bytes: number }) => void;
  signal?: AbortSignal;
}

const NODE_NAMES: Record<string, string> = {
  sha512: 'sha512',
  sha256: 'sha256',
  sha1: 'sha1',
  md5: 'md5',
  'blake2b-512': 'blake2b512',
  'sha512/256': 'sha512-256',
};

/**
 * Digest every requested key. Results come back in request order. Per-file failures (missing
 * key, unsupported algorithm) are returned in `error`, never thrown; an abort rejects.
 */
export async function digestFiles(
  store: ReadableStore,
  requests: FileDigestRequest[],
  options: DigestFilesOptions = {},
): Promise<FileDigestResult[]> {
  const results: FileDigestResult[] = new Array(requests.length);
  let files = 0;
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const req = requests[i]!;
      results[i] = await digestOne(store, req, options.signal);
      files++;
      bytes += results[i]!.size;
      options.onProgress?.({ files, bytes });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return results;
}

async function digestOne(
  store: ReadableStore,
  req: FileDigestRequest,
  signal?: AbortSignal,
): Promise<FileDigestResult> {
  try {
    const hashes = req.algorithms.map((a) => {
      const name = NODE_NAMES[a];
      if (!name)
        throw new StrongroomError('UNSUPPORTED', `unsupported digest algorithm ${a}`, { key: req.key });
      return createHash(name);
    });
    let size = 0;
    const stream = await store.read(req.key, signal ? { signal } : {});
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      for (const h of hashes) h.update(chunk as Buffer);
    }
    const digests: Record<string, string> = {};
    req.algorithms.forEach((a, i) => {
      digests[a] = hashes[i]!.digest('hex');
    });
    return { key: req.key, size, digests };
  } catch (err) {
    if (signal?.aborted) throw err;
    const error =
      err instanceof StrongroomError
        ? err
        : new IoError(`cannot digest ${req.key}`, { key: req.key, cause: err });
    return { key: req.key, size: 0, digests: {}, error };
  }
}
