/**
 * The combiner's inputs, as minimal structural types so that the METS reader's model, the BagIt
 * reader's result and the tool-output reader's result can be passed as they are (or adapted in
 * one line) without this module importing them.
 */
import type { Metadata, ToolOutput } from '../model.js';

/** One file of the deposit as storage lists it. */
export interface ListingEntry {
  /** Deposit-relative path, no leading slash. */
  path: string;
  size: number | null;
  modified?: string | null;
  /** SHA-256 (hex) the store holds for the object (S3 additional checksum), when any. */
  s3Sha256?: string | null;
  /**
   * Set when the entry is there but is not a regular file (storage lists it as `other`): a FIFO,
   * socket or device, or a name that is not valid UTF-8. It is reported (an `entry` mismatch),
   * never skipped and never read.
   */
  unreadable?: 'fifo' | 'socket' | 'char-device' | 'block-device' | 'unknown' | 'undecodable-name';
}

/** A file as the METS describes it (paths relative to the METS file's folder). */
export interface MetsFileLike {
  path: string;
  name: string | null;
  contentType: string | null;
  size: number | null;
  /** Algorithm name (`sha256`, `sha1`, `md5`, `sha512`) → hex. */
  digests: Record<string, string>;
  format: { pronomKey: string | null; name: string | null } | null;
  admId?: string | null;
  physDivId?: string | null;
  accessRestrictions?: string[];
  rightsStatement?: string | null;
}

/** A directory as the METS describes it. */
export interface MetsDirectoryLike {
  path: string;
  name: string | null;
  physDivId?: string | null;
  admId?: string | null;
  accessRestrictions?: string[];
  rightsStatement?: string | null;
}

/** The parts of a METS model the combiner uses. */
export interface MetsLike {
  accessRestrictions: string[];
  rightsStatement: string | null;
  files: MetsFileLike[];
  directories: MetsDirectoryLike[];
}

/** The parts of a BagIt reading the combiner uses: payload path (bag-relative) → algorithm → hex. */
export interface BagLike {
  payloadDigests: Map<string, Record<string, string>> | Record<string, Record<string, string>>;
  /** When the bag was made (bag-info `Bagging-Date`), for the DigestMetadata timestamp. */
  timestamp?: string | null;
}

/** The parts of readToolOutputs' result the combiner uses. */
export interface ToolsLike {
  byPath: Map<string, Metadata[]>;
  reports: ToolOutput[];
}

/** Everything known about a deposit. Only `listing` is required. */
export interface CombineInput {
  listing: readonly ListingEntry[];
  /** Directories that exist in the deposit even if empty (deposit-relative). */
  directories?: readonly string[];
  mets?: MetsLike;
  /**
   * Deposit path of the METS file; its folder is the base of METS paths. Default: the base
   * (`''` or `data`) under which more METS paths exist in the listing, and the METS file is then
   * taken to be any `*mets*.xml` directly in that folder.
   */
  metsPath?: string;
  bag?: BagLike;
  /** Deposit folder holding the bag (its payload paths start `data/` below it). Default `''`. */
  bagRoot?: string;
  tools?: ToolsLike;
}
