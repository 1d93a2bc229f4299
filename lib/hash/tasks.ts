/**
 * The messages between `digestFiles()` on the main thread and the hashing workers. Plain data
 * (structured-clone friendly); the abort flag is a SharedArrayBuffer view, so setting it on the
 * main thread is seen by a worker in the middle of a task without a message round trip.
 */

/** Non-zero in `abort[0]` asks workers to stop at the next file or chunk boundary. */
export type AbortFlag = Int32Array;

/**
 * Many small local files in one task: a piscina task costs ≈30 µs, as much as hashing ten
 * 4 KiB files, so small files travel in batches (PERF-NOTES §3).
 */
export interface BatchTask {
  kind: 'batch';
  /** Absolute paths. */
  paths: string[];
  /** Distinct algorithm lists; `sets[i]` indexes this for `paths[i]` (keeps messages small). */
  algorithmSets: string[][];
  sets: number[];
  /** Files larger than this are not hashed here but reported `large` (own task). */
  largeBytes: number;
  /** Once this many bytes are hashed, remaining files are left for another task. */
  budgetBytes: number;
  /** Real (symlink-resolved) store root: files must resolve inside it. Absent: no check. */
  realRoot?: string;
  /** Id of the digestFiles() call: a worker reuses its directory checks within one call. */
  run?: number;
  abort?: AbortFlag;
}

/** One large local file, read in 1 MiB chunks with the next read in flight. */
export interface FileTask {
  kind: 'file';
  path: string;
  algorithms: string[];
  /** Read size (default 1 MiB). */
  chunkBytes?: number;
  realRoot?: string;
  run?: number;
  abort?: AbortFlag;
}

/** Any task a hashing worker accepts. */
export type HashTask = BatchTask | FileTask;

/** What happened to one file. */
export type FileOutcome =
  | { status: 'done'; size: number; digests: Record<string, string> }
  /** Bigger than the batch's `largeBytes`: hash it in a task of its own. */
  | { status: 'large'; size: number }
  /** `code`: an errno code (ENOENT, EACCES, ...), `NOT_FILE` or `PATH_ESCAPE`. */
  | { status: 'failed'; code: string; message: string };

/** The outcomes of a batch, in order; files after the last outcome were not attempted. */
export interface BatchOutcome {
  outcomes: FileOutcome[];
  /** True when the abort flag stopped the batch early. */
  aborted: boolean;
}

/** The outcome of a file task; `undefined` outcome when the abort flag stopped it. */
export interface FileTaskOutcome {
  outcome?: FileOutcome;
  aborted: boolean;
}

/** True when the shared abort flag is set. */
export function abortRequested(flag: AbortFlag | undefined): boolean {
  return flag !== undefined && Atomics.load(flag, 0) !== 0;
}
