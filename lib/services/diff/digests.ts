/**
 * Filling in the SHA-256 of deposit files no manifest describes, and finding export stubs, with
 * as few reads as the store allows:
 *
 * 1. S3: one HeadObject (ChecksumMode ENABLED) per file still without a digest; a full-object
 *    SHA-256 checksum is taken, a multipart composite (`…-N`) never (the store drops those).
 * 2. Files still without one are hashed: on a filesystem by the worker pool (digestFiles, which
 *    batches small files); elsewhere, a file small enough to be a stub is read once, checked for
 *    the stub marker and hashed in memory, and larger ones are streamed through digestFiles.
 * 3. A small file is read to see whether it is an export stub (which stands for the group's
 *    file, and must never be stored as content) only when that is in doubt: its digest describes
 *    its own bytes (S3 checksum, computed) and says it would change the group; or its size is not
 *    the one its METS or the group gives for its digest. A file whose METS or manifest digest
 *    differs from the group's is not read: were it a stub, its bytes would fail that digest when
 *    the transaction verifies them. Files that match the group are never read.
 */
import { createHash } from 'node:crypto';
import { mapLimit } from '../../engine/concurrency.js';
import { digestFiles } from '../../hash/digest-files.js';
import type { HashPool } from '../../hash/pool.js';
import { hasLocalPaths, type ReadableStore } from '../../storage/port.js';
import { STUB_MAX_BYTES } from '../../txn/export.js';
import { couldBeStub, readStub, stubFromBytes } from './sources.js';

/** One deposit file while its digest is being settled. */
export interface FileDigestState {
  key: string;
  size: number;
  sha256?: string;
  /** Which source gave `sha256`. */
  from?: 'METS' | 'BagIt' | 'S3' | 'computed';
  stub?: { digest?: string };
  /** The size the METS gives, when it gives one. */
  claimedSize?: number;
  /** Already read whole (no need to read it again for the stub check). */
  read?: boolean;
}

/** Options of {@link settleDigests}. */
export interface SettleOptions {
  /** Store requests in flight (HEAD, small reads, streamed hashes). */
  concurrency: number;
  pool?: HashPool;
  signal?: AbortSignal;
  onHashProgress?: (p: { files: number; bytes: number; totalFiles: number }) => void;
  /** The group's digest and size at a file's group path, when it holds one. */
  groupFile: (key: string) => { sha256?: string; size?: number } | undefined;
}

/** Request counts, for the caller's statistics. */
export interface SettleCounts {
  headRequests: number;
  stubReads: number;
  hashed: number;
}

/**
 * Give every file a SHA-256 or a stub mark (see the module doc). Mutates `files`. Throws the
 * first per-file failure (NotFoundError for a file that vanished, IoError, AccessDeniedError).
 */
export async function settleDigests(
  store: ReadableStore,
  files: FileDigestState[],
  options: SettleOptions,
): Promise<SettleCounts> {
  const counts: SettleCounts = { headRequests: 0, stubReads: 0, hashed: 0 };
  const limit = options.concurrency;
  if (store.kind === 's3') {
    const missing = files.filter((f) => f.sha256 === undefined);
    counts.headRequests = missing.length;
    await mapLimit(missing, limit, async (f) => {
      const st = await store.stat(f.key);
      if (st.sha256 !== undefined) {
        f.sha256 = st.sha256;
        f.from = 'S3';
      }
    });
  }
  await hashMissing(store, files, options, counts);
  const doubtful = files.filter(
    (f) => !f.read && f.stub === undefined && couldBeStub(f.size) && inDoubt(f, options),
  );
  counts.stubReads += doubtful.length;
  await mapLimit(doubtful, limit, async (f) => {
    const stub = await readStub(store, f.key);
    if (stub !== undefined) f.stub = stub;
  });
  return counts;
}

/** True when the file could be a stub that the facts so far do not rule out (module doc, 3). */
function inDoubt(f: FileDigestState, options: SettleOptions): boolean {
  const g = options.groupFile(f.key);
  const sameAsGroup = g !== undefined && g.sha256 === f.sha256;
  if (sameAsGroup && g.size !== undefined && g.size !== f.size) return true;
  if (f.from === 'METS' || f.from === 'BagIt') return f.claimedSize !== undefined && f.claimedSize !== f.size;
  return !sameAsGroup;
}

async function hashMissing(
  store: ReadableStore,
  files: FileDigestState[],
  options: SettleOptions,
  counts: SettleCounts,
): Promise<void> {
  const missing = files.filter((f) => f.sha256 === undefined);
  if (missing.length === 0) return;
  counts.hashed = missing.length;
  let large = missing;
  if (!hasLocalPaths(store)) {
    const small = missing.filter((f) => couldBeStub(f.size));
    large = missing.filter((f) => !couldBeStub(f.size));
    counts.stubReads += small.length;
    await mapLimit(small, options.concurrency, async (f) => {
      const bytes = await store.readBytes(f.key, { maxBytes: STUB_MAX_BYTES });
      f.read = true;
      const stub = stubFromBytes(bytes);
      if (stub !== undefined) f.stub = stub;
      else {
        f.sha256 = createHash('sha256').update(bytes).digest('hex');
        f.from = 'computed';
      }
    });
  }
  if (large.length === 0) return;
  const progress = options.onHashProgress;
  const results = await digestFiles(
    store,
    large.map((f) => ({ key: f.key, algorithms: ['sha256'] })),
    {
      concurrency: options.concurrency,
      ...(options.pool && { pool: options.pool }),
      ...(options.signal && { signal: options.signal }),
      ...(progress && { onProgress: (p) => progress({ ...p, totalFiles: large.length }) }),
    },
  );
  for (const [i, r] of results.entries()) {
    if (r.error) throw r.error;
    large[i]!.sha256 = r.digests.sha256!;
    large[i]!.from = 'computed';
  }
}
