/**
 * Digesting bag files: through the source's own `digest` when it has one (stores use the hashing
 * worker pool), otherwise by hashing what `stream` or `read` return with node:crypto.
 */
import { createHash, type Hash } from 'node:crypto';
import { UnsupportedError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import { bagAlgorithm } from './algorithms.js';
import type { BagDigestOptions, BagDigestRequest, BagDigestResult, BagSource } from './source.js';

const CONCURRENCY = 4;

/** Digest the requested files of `source`. Per-file failures come back in `error`; an abort rejects. */
export async function digestBagFiles(
  source: BagSource,
  requests: BagDigestRequest[],
  options: BagDigestOptions = {},
): Promise<BagDigestResult[]> {
  if (requests.length === 0) return [];
  if (source.digest) return source.digest(requests, options);
  return digestEach(requests, (req) => hashFromSource(source, req, options.signal), options);
}

/**
 * Run `one` over the requests a few at a time, reporting progress; results in request order.
 * Exported for sources that digest some files themselves.
 */
export async function digestEach(
  requests: BagDigestRequest[],
  one: (req: BagDigestRequest) => Promise<BagDigestResult>,
  options: BagDigestOptions = {},
): Promise<BagDigestResult[]> {
  const results: BagDigestResult[] = new Array(requests.length);
  let next = 0;
  let files = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      options.signal?.throwIfAborted();
      results[i] = await one(requests[i]!);
      files++;
      bytes += results[i]!.size;
      options.onProgress?.({ files, bytes });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, requests.length) }, worker));
  return results;
}

/** Hash chunks with every requested algorithm. Throws on an algorithm we cannot compute. */
export async function hashChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  req: BagDigestRequest,
): Promise<BagDigestResult> {
  const hashes: Hash[] = req.algorithms.map((name) => {
    const alg = bagAlgorithm(name);
    if (!alg) throw new UnsupportedError(`unsupported algorithm ${truncateForMessage(name, 40)}`);
    return createHash(alg.nodeName);
  });
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    for (const h of hashes) h.update(chunk);
  }
  const digests: Record<string, string> = Object.create(null);
  req.algorithms.forEach((name, i) => {
    digests[name] = hashes[i]!.digest('hex');
  });
  return { path: req.path, size, digests };
}

async function hashFromSource(
  source: BagSource,
  req: BagDigestRequest,
  signal?: AbortSignal,
): Promise<BagDigestResult> {
  try {
    const chunks = source.stream ? await source.stream(req.path, signal) : [await source.read(req.path)];
    return await hashChunks(chunks, req);
  } catch (err) {
    if (signal?.aborted) throw err;
    return { path: req.path, size: 0, digests: {}, error: (err as Error).message };
  }
}
