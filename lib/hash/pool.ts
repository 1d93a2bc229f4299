/**
 * The hashing worker pool: piscina threads running `worker.js` (resolved beside this compiled
 * file, so it works from `dist/`). Threads start on the first task, not on import, so commands
 * that never hash never pay for them.
 *
 * Idle piscina threads are unref'd, so a pool left open does not keep a finished process alive;
 * `close()` still ends them promptly (tests and long-lived servers switching pools).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { BatchOutcome, BatchTask, FileTask, FileTaskOutcome, HashTask } from './tasks.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Options of {@link HashPool}. */
export interface HashPoolOptions {
  /** Worker threads (default: the CPU count, `os.availableParallelism()`). */
  threads?: number;
  /**
   * Node options for the threads (default: this process's `execArgv` without module preloads,
   * loaders and `--input-type`, which hashing does not need and which slow or break start-up).
   */
  execArgv?: string[];
}

/** Options taking a value, possibly as the next argument: dropped for worker threads. */
const DROPPED_FLAGS = new Set([
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--input-type',
]);

/** `argv` without the flags (and their separate values) in {@link DROPPED_FLAGS}. */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=', 1)[0]!;
    if (!DROPPED_FLAGS.has(name)) out.push(arg);
    else if (!arg.includes('=')) i++; // the value is the next argument
  }
  return out;
}

/** A lazily started pool of hashing threads. */
export class HashPool {
  /** Number of worker threads the pool runs once started. */
  readonly threads: number;
  readonly #execArgv: string[];
  #piscina?: Piscina<HashTask, BatchOutcome | FileTaskOutcome>;

  /** Throws RangeError for a thread count below 1. */
  constructor(options: HashPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1)
      throw new RangeError(`threads must be ≥ 1, got ${threads}`);
    this.threads = threads;
    this.#execArgv = options.execArgv ?? workerExecArgv(process.execArgv);
  }

  /** True once the worker threads exist. */
  get started(): boolean {
    return this.#piscina !== undefined;
  }

  /** Hash a batch of small files in a worker. Rejects only if the worker itself fails. */
  runBatch(task: BatchTask): Promise<BatchOutcome> {
    return this.#pool().run(task) as Promise<BatchOutcome>;
  }

  /** Hash one large file in a worker. Rejects only if the worker itself fails. */
  runFile(task: FileTask): Promise<FileTaskOutcome> {
    return this.#pool().run(task) as Promise<FileTaskOutcome>;
  }

  /**
   * Stop the threads once queued tasks finish. The pool can be used again afterwards (threads
   * restart on the next task), so closing a shared pool is never fatal.
   */
  async close(): Promise<void> {
    const p = this.#piscina;
    this.#piscina = undefined;
    if (p) await p.close();
  }

  #pool(): Piscina<HashTask, BatchOutcome | FileTaskOutcome> {
    if (!this.#piscina) {
      const piscina = new Piscina<HashTask, BatchOutcome | FileTaskOutcome>({
        filename: WORKER_URL.href,
        // minThreads = maxThreads: threads stay (unref'd when idle) between digestFiles() calls,
        // because a restart costs tens of milliseconds.
        minThreads: this.threads,
        maxThreads: this.threads,
        execArgv: this.#execArgv,
      });
      // A thread that fails outside a task (e.g. worker.js cannot load) leaves piscina waiting
      // for it forever: drop the instance so queued tasks reject and the next task starts afresh.
      piscina.on('error', () => {
        if (this.#piscina === piscina) this.#piscina = undefined;
        piscina.destroy().catch(() => {});
      });
      this.#piscina = piscina;
    }
    return this.#piscina;
  }
}

let defaultPool: HashPool | undefined;

/** The process-wide pool `digestFiles()` uses by default (CPU-count threads, started lazily). */
export function getDefaultPool(): HashPool {
  defaultPool ??= new HashPool();
  return defaultPool;
}

/** Close the default pool's threads if they were started (safe to call any time, repeatedly). */
export async function closeDefaultPool(): Promise<void> {
  const pool = defaultPool;
  defaultPool = undefined;
  if (pool) await pool.close();
}
