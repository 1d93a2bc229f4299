/**
 * Optional write-side capabilities for moving large amounts of content cheaply, beside the port's
 * plain `write` (port.ts). Backends offer what they can; the transaction module asks with the
 * type guards below and falls back to streaming through `write` when a store offers nothing.
 * Like the rest of the port they move bytes and know nothing of OCFL.
 *
 * - {@link ServerCopyCapable} (S3): copy an object from another store on the same server without
 *   the bytes passing through this process, and learn the server's full-object SHA-256 of it.
 * - {@link MultipartCapable} (S3): an upload in numbered parts that outlives the process: its id
 *   and the parts' etags can be saved, listed again and completed later (a resumed copy).
 * - {@link LocalTargetCapable} (filesystem): checked local paths to write new files at, for
 *   worker threads that copy with sync I/O.
 */
import type { StoreLocation } from './port.js';

/** An object in another store: where that store is, and the key in it. */
export interface TransferSource {
  location: StoreLocation;
  key: string;
}

/** What a server-side copy produced. */
export interface ServerCopyResult {
  size: number;
  etag?: string;
  /**
   * Lowercase hex SHA-256 of the whole copy, computed by the server as it wrote it (a full-object
   * checksum, never a multipart composite); absent when the server computes none.
   */
  sha256?: string;
}

/** Copies from other stores on the same server (S3 CopyObject across buckets). */
export interface ServerCopyCapable {
  /** True when objects at `source` can be copied into this store server-side (same endpoint). */
  canCopyFrom(source: StoreLocation): boolean;
  /** Objects larger than this cannot be copied in one request: use {@link MultipartCapable.uploadPartCopy}. */
  readonly singleCopyMaxBytes: number;
  /**
   * Copy `source` to `toKey` in one request, asking the server for a SHA-256 of the result where
   * it computes one (probed once per store). `sizeHint`: the source's size when the caller knows
   * it (saves asking the server). Throws NotFoundError (source), AccessDeniedError (the
   * connection may not read the source), TooLargeError (above {@link singleCopyMaxBytes}), IoError.
   */
  copyFrom(
    source: TransferSource,
    toKey: string,
    options?: { signal?: AbortSignal; sizeHint?: number },
  ): Promise<ServerCopyResult>;
}

/** One uploaded part. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
}

/** Multipart uploads that can be resumed from their id (S3). */
export interface MultipartCapable {
  /** Default part size (bytes; every part but the last must be at least 5 MiB on S3). */
  readonly partSize: number;
  /** Start an upload to `key`; returns its id. Throws IoError, AccessDeniedError. */
  createUpload(key: string, options?: { contentType?: string; signal?: AbortSignal }): Promise<string>;
  /** Upload part `partNumber` (1-based) of `body` (sent with Content-MD5). Throws IoError, NotFoundError (no such upload). */
  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    options?: { signal?: AbortSignal },
  ): Promise<UploadedPart>;
  /** Copy bytes `start`..`end` (inclusive) of `source` into part `partNumber`, server-side. */
  uploadPartCopy(
    key: string,
    uploadId: string,
    partNumber: number,
    source: TransferSource,
    range: { start: number; end: number },
    options?: { signal?: AbortSignal },
  ): Promise<UploadedPart>;
  /** The parts the server holds for the upload, by part number. Throws NotFoundError when the upload is gone. */
  listParts(key: string, uploadId: string): Promise<UploadedPart[]>;
  /** Assemble the parts into the object at `key` (invisible until then). Returns its etag. */
  completeUpload(key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<{ etag?: string }>;
  /** Drop the upload and its parts (a missing upload is not an error). */
  abortUpload(key: string, uploadId: string): Promise<void>;
}

/** Where a worker writes one new file. */
export interface LocalTarget {
  /** The final path (its directory created and checked to lie inside the store). */
  path: string;
  /** A fresh temp path beside it, invisible to reads and listings: write there, then rename. */
  temp: string;
}

/** Resolves keys to new local files; one per job (directory checks are cached). */
export interface LocalTargetResolver {
  /**
   * Create the key's directory and return where to write it. Throws InvalidInputError (bad key,
   * a temp-file name), PathEscapeError, AccessDeniedError, IoError; UnsupportedError (read-only).
   */
  prepare(key: string): LocalTarget;
}

/**
 * Stores whose keys are files on this machine and that let a trusted writer (the transaction
 * module's copy workers) create files directly: write the temp path, then `rename(2)` it to the
 * final path; nothing is visible before the rename. Durability is the store's `sync(keys)`.
 */
export interface LocalTargetCapable {
  localTargets(): LocalTargetResolver;
}

/** Type guard for {@link ServerCopyCapable}. */
export function hasServerCopy<T extends object>(store: T): store is T & ServerCopyCapable {
  return typeof (store as Partial<ServerCopyCapable>).copyFrom === 'function';
}

/** Type guard for {@link MultipartCapable}. */
export function hasMultipart<T extends object>(store: T): store is T & MultipartCapable {
  return typeof (store as Partial<MultipartCapable>).uploadPart === 'function';
}

/** Type guard for {@link LocalTargetCapable}. */
export function hasLocalTargets<T extends object>(store: T): store is T & LocalTargetCapable {
  return typeof (store as Partial<LocalTargetCapable>).localTargets === 'function';
}
