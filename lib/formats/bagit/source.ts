/**
 * Where a bag's bytes come from. Validation needs to list files, read small tag files and digest
 * payload files; nothing else. A folder, an object store prefix or a zip file can each be a
 * source (see `storeBagSource` and `zipBagSource`), so the validator never touches node:fs.
 */

/** One file of the bag, path relative to the bag root (`data/a.txt`, `bagit.txt`). */
export interface BagFile {
  path: string;
  size: number;
  /** The file is a symbolic link (filesystem sources only). */
  symlink?: boolean;
}

/** Digest one file with the given BagIt algorithm names (`sha256`, `md5`, ...). */
export interface BagDigestRequest {
  path: string;
  algorithms: string[];
}

/** Outcome for one file: bytes read and algorithm → lowercase hex, or why it failed. */
export interface BagDigestResult {
  path: string;
  size: number;
  digests: Record<string, string>;
  /** Set when the file could not be digested (missing, unreadable, unsupported algorithm). */
  error?: string;
}

/** Options for digesting. */
export interface BagDigestOptions {
  /** Called as files finish, with cumulative figures. */
  onProgress?: (progress: { files: number; bytes: number }) => void;
  signal?: AbortSignal;
}

/** The file access a bag validator needs. Only `list` and `read` are required. */
export interface BagSource {
  /** Where the bag is, for messages (`file:///…`, `s3://…`, `zip:…`). */
  readonly location: string;
  /** Every file below the bag root, recursively, in any order. */
  list(signal?: AbortSignal): AsyncIterable<BagFile>;
  /** A whole (small) file. Rejects when it does not exist. */
  read(path: string): Promise<Uint8Array>;
  /** A file as chunks, so large payload files need not be held in memory. */
  stream?(path: string, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
  /**
   * Digest many files at once (e.g. through a worker pool). Results in request order; per-file
   * failures in `error`, never thrown. Without it, the validator hashes `stream`/`read` output.
   */
  digest?(requests: BagDigestRequest[], options?: BagDigestOptions): Promise<BagDigestResult[]>;
}
