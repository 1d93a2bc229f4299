/**
 * digestFiles() for stores with local paths: the worker pool does all file I/O.
 *
 * Sizes are not known up front and are not stat'ed on the main thread (an async stat costs a
 * thread-pool round trip per file). Instead every request starts in a batch; the worker fstat's
 * each file it opens and hashes it at once unless it is larger than `largeFileBytes`, which it
 * hands back as `large` so the scheduler gives that file a task of its own. A batch also stops
 * after `batchBytes`, and its untouched remainder is queued again, so one task never holds a
 * worker for long. Known large files go out first; at most two tasks per thread are in flight,
 * which keeps every thread busy while the scheduler reacts to what comes back.
 *
 * Paths come from the store: one resolver per call (LocalFileResolver in the storage port) turns
 * each key into a checked path as its batch is built, so the store alone decides what lies inside
 * its root, and its per-directory checks overlap with the workers' hashing. Workers open those
 * paths without following a final link; a file that turns out to be a link comes back as `link`,
 * and the resolver says where it leads (or that it leads out) before it gets a task of its own.
 *
 * Abort: a shared flag tells workers to stop at the next file or 1 MiB chunk; the scheduler
 * waits for the tasks in flight, then rejects.
 */
import type { LocalFileResolver, LocalPathCapable, ReadableStore } from '../storage/port.js';
import type { DigestFilesOptions, FileDigestRequest, FileDigestResult } from './digest-files.js';
import { getDefaultPool, type HashPool } from './pool.js';
import {
  abortReason,
  asStrongroomError,
  failedResult,
  ProgressCounter,
  unsupportedError,
  workerError,
} from './results.js';
import type { AbortFlag, BatchTask, FileOutcome } from './tasks.js';

const MiB = 1 << 20;
/** Defaults (PERF-NOTES §3: ≥ 64–256 files or a few MiB per task; bench/hash/README.md). */
export const LOCAL_DEFAULTS = { batchFiles: 256, batchBytes: 8 * MiB, largeFileBytes: 4 * MiB };

type LocalStore = ReadableStore & LocalPathCapable;

/** Hash every request through the pool (see digestFiles for the contract). */
export async function digestLocal(
  store: LocalStore,
  requests: FileDigestRequest[],
  options: DigestFilesOptions,
): Promise<FileDigestResult[]> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const scheduler = new LocalScheduler(store.localFiles(), requests, options);
  const abort = () => scheduler.abort();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await scheduler.run();
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  if (signal?.aborted) throw abortReason(signal);
  return scheduler.results;
}

class LocalScheduler {
  readonly results: FileDigestResult[];
  readonly #files: LocalFileResolver;
  readonly #requests: FileDigestRequest[];
  readonly #pool: HashPool;
  readonly #progress: ProgressCounter;
  readonly #limits: typeof LOCAL_DEFAULTS;
  readonly #flag: AbortFlag = new Int32Array(new SharedArrayBuffer(4));
  /** Work not yet sent: fresh request indices, batch remainders, files known to be large. */
  readonly #fresh: number[] = [];
  #freshHead = 0;
  readonly #remainders: number[][] = [];
  readonly #large: Array<{ index: number; path: string }> = [];
  /** Requests whose path turned out to be a symbolic link: the resolver decides, then a task of their own. */
  readonly #links: number[] = [];
  readonly #inFlight = new Set<Promise<void>>();

  constructor(files: LocalFileResolver, requests: FileDigestRequest[], options: DigestFilesOptions) {
    this.#files = files;
    this.#requests = requests;
    this.#pool = options.pool ?? getDefaultPool();
    this.#progress = new ProgressCounter(options.onProgress);
    this.#limits = {
      batchFiles: options.batchFiles ?? LOCAL_DEFAULTS.batchFiles,
      batchBytes: options.batchBytes ?? LOCAL_DEFAULTS.batchBytes,
      largeFileBytes: options.largeFileBytes ?? LOCAL_DEFAULTS.largeFileBytes,
    };
    this.results = new Array(requests.length);
    this.#rejectUnsupported();
  }

  /** Ask workers to stop at the next file or chunk; run() then winds down. */
  abort(): void {
    Atomics.store(this.#flag, 0, 1);
  }

  get #aborted(): boolean {
    return Atomics.load(this.#flag, 0) !== 0;
  }

  /** Requests naming an unknown algorithm fail at once, unread; the rest are queued. */
  #rejectUnsupported(): void {
    let failed = 0;
    this.#requests.forEach((req, i) => {
      const error = unsupportedError(req.key, req.algorithms);
      if (error) {
        this.results[i] = failedResult(req.key, error);
        failed++;
      } else this.#fresh.push(i);
    });
    this.#progress.add(failed, 0);
  }

  /** Keep up to two tasks per thread in flight until all work is done or aborted. */
  async run(): Promise<void> {
    const limit = this.#pool.threads * 2;
    for (;;) {
      if (this.#inFlight.size >= limit || (this.#aborted && this.#inFlight.size > 0)) {
        await Promise.race(this.#inFlight);
        continue;
      }
      if (this.#aborted) return;
      const task = this.#nextTask();
      if (task === undefined) {
        if (this.#inFlight.size === 0) return;
        await Promise.race(this.#inFlight);
        continue;
      }
      const running = task.finally(() => this.#inFlight.delete(running));
      this.#inFlight.add(running);
    }
  }

  /** Start the next task (large files and links first, then remainders, then fresh requests). */
  #nextTask(): Promise<void> | undefined {
    const large = this.#large.shift() ?? this.#nextLink();
    if (large) return this.#runLarge(large.index, large.path);
    const batch = this.#remainders.pop() ?? this.#takeFresh();
    if (batch.length === 0) return undefined;
    return this.#runBatch(batch);
  }

  /** The next link whose target stays inside the store, as a file task; others fail here. */
  #nextLink(): { index: number; path: string } | undefined {
    for (let index = this.#links.shift(); index !== undefined; index = this.#links.shift()) {
      const key = this.#requests[index]!.key;
      try {
        return { index, path: this.#files.resolveLink(key) };
      } catch (err) {
        this.results[index] = failedResult(key, asStrongroomError(key, err));
        this.#progress.add(1, 0);
      }
    }
    return undefined;
  }

  #takeFresh(): number[] {
    const end = Math.min(this.#fresh.length, this.#freshHead + this.#limits.batchFiles);
    const batch = this.#fresh.slice(this.#freshHead, end);
    this.#freshHead = end;
    return batch;
  }

  async #runBatch(indices: number[]): Promise<void> {
    const { task, sent } = this.#buildBatch(indices);
    if (sent.length === 0) return;
    try {
      const { outcomes, aborted } = await this.#pool.runBatch(task);
      let files = 0;
      let bytes = 0;
      outcomes.forEach((outcome, j) => {
        const index = sent[j]!;
        if (outcome.status === 'large') this.#large.push({ index, path: task.paths[j]! });
        else if (outcome.status === 'link') this.#links.push(index);
        else {
          files++;
          bytes += this.#record(index, outcome);
        }
      });
      if (!aborted && outcomes.length < sent.length) this.#remainders.push(sent.slice(outcomes.length));
      this.#progress.add(files, bytes);
    } catch (err) {
      this.#failAll(sent, err);
    }
  }

  /** Resolve local paths (a bad key fails alone) and group algorithm lists. */
  #buildBatch(indices: number[]): { task: BatchTask; sent: number[] } {
    const task: BatchTask = {
      kind: 'batch',
      paths: [],
      algorithmSets: [],
      sets: [],
      largeBytes: this.#limits.largeFileBytes,
      budgetBytes: this.#limits.batchBytes,
      abort: this.#flag,
    };
    const setIndex = new Map<string, number>();
    const sent: number[] = [];
    let failed = 0;
    for (const index of indices) {
      const req = this.#requests[index]!;
      const path = this.#localPath(index);
      if (path === undefined) {
        failed++;
        continue;
      }
      const setKey = req.algorithms.join('\n');
      let set = setIndex.get(setKey);
      if (set === undefined) {
        set = task.algorithmSets.push(req.algorithms) - 1;
        setIndex.set(setKey, set);
      }
      task.paths.push(path);
      task.sets.push(set);
      sent.push(index);
    }
    this.#progress.add(failed, 0);
    return { task, sent };
  }

  /** The checked local path of request `index`, or undefined after recording why there is none. */
  #localPath(index: number): string | undefined {
    const key = this.#requests[index]!.key;
    try {
      return this.#files.resolve(key);
    } catch (err) {
      this.results[index] = failedResult(key, asStrongroomError(key, err));
      return undefined;
    }
  }

  async #runLarge(index: number, path: string): Promise<void> {
    const req = this.#requests[index]!;
    try {
      const { outcome } = await this.#pool.runFile({
        kind: 'file',
        path,
        algorithms: req.algorithms,
        abort: this.#flag,
      });
      if (outcome) this.#progress.add(1, this.#record(index, outcome));
    } catch (err) {
      this.#failAll([index], err);
    }
  }

  /** Store a finished outcome; returns the bytes it counts for progress. */
  #record(index: number, outcome: FileOutcome): number {
    const key = this.#requests[index]!.key;
    if (outcome.status === 'done') {
      this.results[index] = { key, size: outcome.size, digests: outcome.digests };
      return outcome.size;
    }
    if (outcome.status === 'failed')
      this.results[index] = failedResult(key, workerError(key, outcome.code, outcome.message));
    return 0;
  }

  /** The worker itself failed (crashed, could not load): every file of the task gets an IoError. */
  #failAll(indices: number[], err: unknown): void {
    for (const index of indices) {
      const key = this.#requests[index]!.key;
      this.results[index] = failedResult(key, asStrongroomError(key, err));
    }
    this.#progress.add(indices.length, 0);
  }
}
