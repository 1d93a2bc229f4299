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
  /**
   * Absolute paths as the store's LocalFileResolver gave them: checked to lie inside the store,
   * to be opened without following a final link (see local-files.ts).
   */
  paths: string[];
  /** Distinct algorithm lists; `sets[i]` indexes this for `paths[i]` (keeps messages small). */
  algorithmSets: string[][];
  sets: number[];
  /** Files larger than this are not hashed here but reported `large` (own task). */
  largeBytes: number;
  /** Once this many bytes are hashed, remaining files are left for another task. */
  budgetBytes: number;
  abort?: AbortFlag;
}

/** One large local file, read in 1 MiB chunks with the next read in flight. */
export interface FileTask {
  kind: 'file';
  path: string;
  algorithms: string[];
  /** Read size (default 1 MiB). */
  chunkBytes?: number;
  abort?: AbortFlag;
}

/**
 * One file to copy and hash in one pass: read `from`, write `temp` (created exclusively), and
 * rename it to `to` only when its SHA-256 is `sha256` (and its size `size`, when given). Paths
 * come checked from the stores' resolvers (storage port: LocalFileResolver for the source,
 * LocalTargetResolver for the target).
 */
export interface CopySpec {
  from: string;
  temp: string;
  to: string;
  sha256: string;
  size?: number;
}

/** Many small files copied in one task (sync I/O, one reused buffer). */
export interface CopyBatchTask {
  kind: 'copy-batch';
  files: CopySpec[];
  /** Digests to compute; always includes `sha256`. */
  algorithms: string[];
  /** Files larger than this are not copied here but reported `large` (own task). */
  largeBytes: number;
  abort?: AbortFlag;
}

/** One large file copied with 1 MiB reads, the next one in flight while this one is hashed and written. */
export interface CopyFileTask {
  kind: 'copy-file';
  file: CopySpec;
  algorithms: string[];
  chunkBytes?: number;
  /** Bytes done so far, written by the worker as it goes (a SharedArrayBuffer view: progress without messages). */
  progress?: Float64Array;
  abort?: AbortFlag;
}

/**
 * Small files whose bytes are in memory (headers, RDF), written with sync I/O: each to a temp
 * file created exclusively, then renamed into place.
 */
export interface WriteBatchTask {
  kind: 'write-batch';
  files: Array<{ temp: string; to: string; bytes: Uint8Array }>;
}

/** The outcome of a write batch: the first failure (nothing of that file kept), if any. */
export interface WriteBatchOutcome {
  written: number;
  failed?: { index: number; code: string; message: string };
}

/**
 * Small files read whole (Fedora headers, by the hundred thousand): sync open/fstat/read/close in
 * a worker, paths resolved and checked by the store's LocalFileResolver beforehand.
 */
export interface ReadBatchTask {
  kind: 'read-batch';
  files: string[];
  /** Files larger than this are not read (`large`). */
  maxBytes: number;
}

/** What happened to one file of a read batch. */
export type ReadOutcome =
  | { status: 'ok'; bytes: Uint8Array }
  /** The last segment is a link: for the store's resolver to judge. */
  | { status: 'link' }
  | { status: 'large'; size: number }
  | { status: 'failed'; code: string; message: string };

/** The outcome of a read batch, in the order of its files. */
export interface ReadBatchOutcome {
  results: ReadOutcome[];
}

/** Any task a hashing worker accepts. */
export type HashTask = BatchTask | FileTask | CopyBatchTask | CopyFileTask | WriteBatchTask | ReadBatchTask;

/** What happened to one copy. */
export type CopyOutcome =
  /** Copied and renamed into place. */
  | { status: 'done'; size: number; digests: Record<string, string> }
  /** The SHA-256 or the size differs from the expected one: nothing was kept. */
  | { status: 'mismatch'; size: number; digests: Record<string, string> }
  /** The source is an export stub (lib/core/export-stub.ts), never stored as content: nothing was kept. */
  | { status: 'stub'; size: number }
  | { status: 'large'; size: number }
  /** The source's last segment is a symbolic link: the store's resolver judges it. */
  | { status: 'link' }
  /** `side`: which file failed; `code`: an errno code or NOT_FILE. Nothing was kept. */
  | { status: 'failed'; side: 'source' | 'target'; code: string; message: string };

/** The outcomes of a copy batch, in order; files after the last outcome were not attempted. */
export interface CopyBatchOutcome {
  outcomes: CopyOutcome[];
  aborted: boolean;
}

/** The outcome of a copy-file task; undefined when the abort flag stopped it (nothing kept). */
export interface CopyFileOutcome {
  outcome?: CopyOutcome;
  aborted: boolean;
}

/** What happened to one file. */
export type FileOutcome =
  | { status: 'done'; size: number; digests: Record<string, string> }
  /** Bigger than the batch's `largeBytes`: hash it in a task of its own. */
  | { status: 'large'; size: number }
  /** The path's last segment is a symbolic link (batches only): the store's resolver judges it. */
  | { status: 'link' }
  /** `code`: an errno code (ENOENT, EACCES, ...) or `NOT_FILE`. */
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
