/**
 * The hashing worker pool: piscina threads running `worker.js` (resolved beside this compiled
 * file, so it works from `dist/`). Threads start on the first task, not on import, so commands
 * that never hash never pay for them.
 *
 * A pool is a dependency callers pass in (`digestFiles`, `validateObject`, `validateStorageRoot`
 * take `pool`), so a server can size one pool for all requests and a test can use its own.
 * Callers that pass none share {@link getDefaultPool}, created on first use and closed by
 * {@link closeDefaultPool}.
 *
 * Idle piscina threads are unref'd, so a pool left open does not keep a finished process alive;
 * `close()` still ends them promptly (tests and long-lived servers switching pools). A thread that
 * dies in the middle of a task (a crash, `process.exit`) fails only that task, and piscina starts
 * a new thread in its place.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { InvalidInputError, IoError } from '../core/errors.js';
import { truncateForMessage } from '../core/paths.js';
import { HASH_WORKER_OPERATION } from './results.js';
import type {
  BatchOutcome,
  BatchTask,
  CopyBatchOutcome,
  CopyBatchTask,
  CopyFileOutcome,
  CopyFileTask,
  FileTask,
  FileTaskOutcome,
  HashTask,
  ReadBatchOutcome,
  ReadBatchTask,
  WriteBatchOutcome,
  WriteBatchTask,
} from './tasks.js';

type TaskOutcome =
  | BatchOutcome
  | FileTaskOutcome
  | CopyBatchOutcome
  | CopyFileOutcome
  | WriteBatchOutcome
  | ReadBatchOutcome;

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
  /**
   * The module the threads run (default: `worker.js` beside this file). It must default-export
   * the same task handler; tests inject one that crashes, and a wrapper may add instrumentation.
   */
  workerModule?: URL;
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
  readonly #workerModule: URL;
  #piscina?: Piscina<HashTask, TaskOutcome>;

  /**
   * A pool of `options.threads` threads (default: the CPU count), none started yet. Throws
   * InvalidInputError for a thread count that is not a whole number ≥ 1.
   */
  constructor(options: HashPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new InvalidInputError(`hash pool threads must be a whole number ≥ 1, got ${threads}`, {
        operation: 'HashPool',
      });
    }
    this.threads = threads;
    this.#execArgv = options.execArgv ?? workerExecArgv(process.execArgv);
    this.#workerModule = options.workerModule ?? WORKER_URL;
  }

  /** True once the worker threads exist. */
  get started(): boolean {
    return this.#piscina !== undefined;
  }

  /**
   * @internal The scheduler's side (local-digest.ts); callers use digestFiles().
   * Hash a batch of small files in a worker. Rejects only if the worker itself fails (it died,
   * or its module could not load); per-file failures are outcomes.
   */
  runBatch(task: BatchTask): Promise<BatchOutcome> {
    return this.#run(task) as Promise<BatchOutcome>;
  }

  /** @internal Hash one large file in a worker. Rejects only if the worker itself fails (see runBatch). */
  runFile(task: FileTask): Promise<FileTaskOutcome> {
    return this.#run(task) as Promise<FileTaskOutcome>;
  }

  /**
   * @internal The transaction module's local copies (lib/txn). Copy and hash a batch of small
   * files in a worker; per-file failures are outcomes, a failing thread rejects (see runBatch).
   */
  runCopyBatch(task: CopyBatchTask): Promise<CopyBatchOutcome> {
    return this.#run(task) as Promise<CopyBatchOutcome>;
  }

  /** @internal Copy and hash one large file in a worker (see runCopyBatch). */
  runCopyFile(task: CopyFileTask): Promise<CopyFileOutcome> {
    return this.#run(task) as Promise<CopyFileOutcome>;
  }

  /** @internal Write a batch of small in-memory files in a worker (lib/txn housekeeping files). */
  runWriteBatch(task: WriteBatchTask): Promise<WriteBatchOutcome> {
    return this.#run(task) as Promise<WriteBatchOutcome>;
  }

  /** @internal Read a batch of small files whole in a worker (Fedora headers; see ReadBatchTask). */
  runReadBatch(task: ReadBatchTask): Promise<ReadBatchOutcome> {
    return this.#run(task) as Promise<ReadBatchOutcome>;
  }

  /** Run a task; a failure of the thread itself rejects with IoError (operation `hashWorker`). */
  async #run(task: HashTask): Promise<TaskOutcome> {
    try {
      return await this.#pool().run(task);
    } catch (cause) {
      const why = cause instanceof Error ? truncateForMessage(cause.message, 120) : 'unknown failure';
      throw new IoError(`the hashing worker thread failed: ${why}`, {
        operation: HASH_WORKER_OPERATION,
        cause,
      });
    }
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

  #pool(): Piscina<HashTask, TaskOutcome> {
    if (!this.#piscina) {
      const piscina = new Piscina<HashTask, TaskOutcome>({
        filename: this.#workerModule.href,
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

/**
 * The shared pool used when a caller passes none (CPU-count threads, created on the first call,
 * threads started on the first task). Close it with {@link closeDefaultPool}.
 */
export function getDefaultPool(): HashPool {
  defaultPool ??= new HashPool();
  return defaultPool;
}

/**
 * Close the shared default pool's threads if they were started (safe to call any time,
 * repeatedly); the next caller that needs it gets a new one.
 */
export async function closeDefaultPool(): Promise<void> {
  const pool = defaultPool;
  defaultPool = undefined;
  if (pool) await pool.close();
}
