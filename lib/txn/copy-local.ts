/**
 * Filesystem → filesystem copies in the hashing worker threads (lib/hash/local-copy.ts): small
 * files travel in batches and are copied with sync open/read/hash/write/close, large files one
 * per task with double-buffered reads. PERF-NOTES §3 measured why: an async fs call per file on
 * the main thread is a thread-pool round trip (≈30 µs) and a pool task per small file costs as
 * much as hashing ten of them. Nothing is fsynced per file; the commit flushes the version once.
 *
 * The stores stay in charge of their paths: the source store's LocalFileResolver and the target
 * store's LocalTargetResolver check every key as its batch is built; a source whose last segment
 * turns out to be a link comes back from the worker and is resolved (or refused) by the source
 * store, then copied in a task of its own.
 */
import { AccessDeniedError, IoError, NotFoundError, type StrongroomError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import type { CopiedContent } from '../core/plan/version-plan.js';
import { getDefaultPool, type HashPool } from '../hash/pool.js';
import type { AbortFlag, CopyOutcome, CopySpec } from '../hash/tasks.js';
import { hasLocalPaths, type LocalFileResolver } from '../storage/port.js';
import { hasLocalTargets, type LocalTargetResolver } from '../storage/transfer.js';
import { algorithmsFor, type CopyEnv, type CopyJob, fixityError, sizeError, stubError } from './copy-job.js';

const MiB = 1 << 20;

/** Batching of small files (PERF-NOTES §3: ≥ 64–256 files or a few MiB per task). */
export const LOCAL_COPY_DEFAULTS = { batchFiles: 256, batchBytes: 8 * MiB, largeFileBytes: 4 * MiB };

/** True when `job` can be copied by the workers: local source and local target. */
export function isLocalPair(job: CopyJob, env: CopyEnv): boolean {
  return hasLocalPaths(job.source.store) && hasLocalTargets(env.store);
}

/** Copy local jobs in the pool; results by content path. Rejects with the first failure. */
export async function localCopies(
  jobs: readonly CopyJob[],
  env: CopyEnv,
  results: Map<string, CopiedContent>,
  pool: HashPool = getDefaultPool(),
): Promise<void> {
  if (jobs.length === 0) return;
  await new LocalCopier(jobs, env, results, pool).run();
}

interface Prepared {
  job: CopyJob;
  spec: CopySpec;
  resolver: LocalFileResolver;
}

class LocalCopier {
  readonly #flag: AbortFlag = new Int32Array(new SharedArrayBuffer(4));
  readonly #targets: LocalTargetResolver;
  readonly #sources = new Map<object, LocalFileResolver>();
  readonly #algorithms: string[];
  readonly #small: CopyJob[] = [];
  readonly #large: Prepared[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #next = 0;
  #failure: { error: unknown } | undefined;

  constructor(
    jobs: readonly CopyJob[],
    private readonly env: CopyEnv,
    private readonly results: Map<string, CopiedContent>,
    private readonly pool: HashPool,
  ) {
    this.#targets = (env.store as unknown as { localTargets(): LocalTargetResolver }).localTargets();
    this.#algorithms = algorithmsFor(env.algorithm);
    for (const job of jobs) {
      if ((job.copy.size ?? 0) > LOCAL_COPY_DEFAULTS.largeFileBytes) {
        const prepared = this.#prepare(job);
        if (prepared) this.#large.push(prepared);
      } else this.#small.push(job);
    }
  }

  async run(): Promise<void> {
    const onAbort = () => Atomics.store(this.#flag, 0, 1);
    this.env.signal?.addEventListener('abort', onAbort, { once: true });
    const ticker = setInterval(() => this.env.progress.emit(), 250);
    ticker.unref();
    try {
      const limit = this.pool.threads * 2;
      for (;;) {
        if (this.#failure || this.env.signal?.aborted) Atomics.store(this.#flag, 0, 1);
        const stopping = Atomics.load(this.#flag, 0) !== 0;
        const task = stopping || this.#inFlight.size >= limit ? undefined : this.#nextTask();
        if (task) {
          const running = task.finally(() => this.#inFlight.delete(running));
          this.#inFlight.add(running);
          continue;
        }
        if (this.#inFlight.size === 0) break;
        await Promise.race(this.#inFlight);
      }
    } finally {
      clearInterval(ticker);
      this.env.signal?.removeEventListener('abort', onAbort);
    }
    if (this.#failure) throw this.#failure.error;
    this.env.signal?.throwIfAborted();
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
    Atomics.store(this.#flag, 0, 1);
  }

  #nextTask(): Promise<void> | undefined {
    const large = this.#large.shift();
    if (large) return this.#runLarge(large);
    if (this.#next >= this.#small.length) return undefined;
    const batch: Prepared[] = [];
    let bytes = 0;
    while (
      this.#next < this.#small.length &&
      batch.length < LOCAL_COPY_DEFAULTS.batchFiles &&
      bytes < LOCAL_COPY_DEFAULTS.batchBytes
    ) {
      const job = this.#small[this.#next++]!;
      const prepared = this.#prepare(job);
      if (!prepared) return undefined;
      batch.push(prepared);
      bytes += job.copy.size ?? 64 * 1024;
    }
    return this.#runBatch(batch);
  }

  /** Checked source and target paths, or undefined after recording the failure. */
  #prepare(job: CopyJob, sourcePath?: string): Prepared | undefined {
    try {
      const resolver = this.#resolverOf(job);
      const from = sourcePath ?? resolver.resolve(job.source.key);
      const { path, temp } = this.#targets.prepare(job.target);
      const spec: CopySpec = { from, temp, to: path, sha256: job.copy.sha256 };
      if (job.copy.size !== undefined) spec.size = job.copy.size;
      return { job, spec, resolver };
    } catch (err) {
      this.#fail(err);
      return undefined;
    }
  }

  #resolverOf(job: CopyJob): LocalFileResolver {
    const store = job.source.store;
    let r = this.#sources.get(store);
    if (!r) {
      r = (store as unknown as { localFiles(): LocalFileResolver }).localFiles();
      this.#sources.set(store, r);
    }
    return r;
  }

  async #runBatch(batch: Prepared[]): Promise<void> {
    try {
      const { outcomes } = await this.pool.runCopyBatch({
        kind: 'copy-batch',
        files: batch.map((p) => p.spec),
        algorithms: this.#algorithms,
        largeBytes: LOCAL_COPY_DEFAULTS.largeFileBytes,
        abort: this.#flag,
      });
      let files = 0;
      let bytes = 0;
      outcomes.forEach((outcome, i) => {
        const p = batch[i]!;
        if (outcome.status === 'large') this.#large.push(p);
        else if (outcome.status === 'link') this.#relink(p);
        else if (this.#record(p, outcome)) {
          files++;
          bytes += (outcome as { size: number }).size;
        }
      });
      this.env.progress.finish(files, bytes);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** A source link: its target, when the source store allows it, is copied in a task of its own. */
  #relink(p: Prepared): void {
    try {
      const prepared = this.#prepare(p.job, p.resolver.resolveLink(p.job.source.key));
      if (prepared) this.#large.push(prepared);
    } catch (err) {
      this.#fail(err);
    }
  }

  async #runLarge(p: Prepared): Promise<void> {
    const flight = this.env.progress.start();
    const progress = new Float64Array(new SharedArrayBuffer(8));
    const poll = setInterval(() => {
      flight.bytes = progress[0]!;
    }, 100);
    poll.unref();
    try {
      const { outcome } = await this.pool.runCopyFile({
        kind: 'copy-file',
        file: p.spec,
        algorithms: this.#algorithms,
        progress,
        abort: this.#flag,
      });
      clearInterval(poll);
      if (outcome?.status === 'link') return this.#relink(p);
      const ok = outcome !== undefined && this.#record(p, outcome);
      this.env.progress.finish(ok ? 1 : 0, ok ? (outcome as { size: number }).size : 0, flight);
    } catch (err) {
      clearInterval(poll);
      this.env.progress.finish(0, 0, flight);
      this.#fail(err);
    }
  }

  /** Store a finished outcome; false (after recording the failure) unless it was copied. */
  #record(p: Prepared, outcome: CopyOutcome): boolean {
    const { copy } = p.job;
    if (outcome.status === 'done') {
      this.results.set(copy.contentPath, {
        digest: outcome.digests[this.env.algorithm]!,
        size: outcome.size,
      });
      return true;
    }
    if (outcome.status === 'mismatch') {
      const sha = outcome.digests.sha256!;
      this.#fail(sha !== copy.sha256 ? fixityError(copy, sha) : sizeError(copy, outcome.size));
    } else if (outcome.status === 'stub') {
      this.#fail(stubError(copy));
    } else if (outcome.status === 'failed') {
      this.#fail(copyError(outcome.side === 'source' ? copy.source : p.job.target, outcome));
    }
    return false;
  }
}

/** A worker's coded failure as our error, naming the file that failed (source URI or target key). */
function copyError(key: string, outcome: { code: string; message: string }): StrongroomError {
  const cause = Object.assign(new Error(outcome.message), { code: outcome.code });
  const details = { operation: 'copy', key, cause };
  const shown = quoteForMessage(key);
  if (['ENOENT', 'ENOTDIR', 'EISDIR', 'NOT_FILE'].includes(outcome.code)) {
    return new NotFoundError(`cannot copy ${shown}: no such file`, details);
  }
  if (outcome.code === 'EACCES' || outcome.code === 'EPERM') {
    return new AccessDeniedError(`cannot copy ${shown}: permission denied (${outcome.code})`, details);
  }
  return new IoError(`cannot copy ${shown}: ${outcome.code}`, details);
}
