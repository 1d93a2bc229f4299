/**
 * Where a bag's bytes come from. Validation needs to list files, read small tag files and digest
 * payload files; nothing else. A folder, an object store prefix or a zip file can each be a
 * source (see `storeBagSource` in lib/engine and `openZipBag`), so the validator never touches
 * node:fs.
 */
import type { ZipMemberDefect } from './zip-members.js';

/**
 * Why a listed entry must never be read: a FIFO, socket or device (a read could block forever),
 * a name that is not valid UTF-8 (it cannot be opened by the name we hold), or a zip member
 * judged unsafe (see zip-members.ts). The validator reports each as an error naming the entry.
 */
export type BagEntryDefect = ZipMemberDefect | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'unknown';

/** One file of the bag, path relative to the bag root (`data/a.txt`, `bagit.txt`). */
export interface BagFile {
  path: string;
  size: number;
  /** The file is a symbolic link (filesystem sources only). */
  symlink?: boolean;
  /** Set when the entry is there but must never be read (see {@link BagEntryDefect}). */
  defect?: BagEntryDefect;
}

/** Options of {@link BagSource.read}. */
export interface BagReadOptions {
  /** Largest file accepted, in bytes; past it the read rejects with TooLargeError (default 64 MiB). */
  maxBytes?: number;
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
  /**
   * A whole (small) file, at most `options.maxBytes` (default 64 MiB). Rejects when it does not
   * exist (NotFoundError) or is larger (TooLargeError).
   */
  read(path: string, options?: BagReadOptions): Promise<Uint8Array>;
  /** A file as chunks, so large payload files need not be held in memory. */
  stream?(path: string, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
  /**
   * Digest many files at once (e.g. through a worker pool). Results in request order; per-file
   * failures in `error`, never thrown. Without it, the validator hashes `stream`/`read` output.
   */
  digest?(requests: BagDigestRequest[], options?: BagDigestOptions): Promise<BagDigestResult[]>;
}
