/**
 * The search index of preserved resources: the binaries of every Archival Group's head version,
 * searched by a case-insensitive substring of their repository path or name (spec "Search":
 * "matches any part of the id excluding the root /repository/ path element").
 *
 * It is kept up to date from outside (lib/services/search.ts follows the activity log and hands
 * each changed group's binaries here); an implementation only stores and searches. Updates are
 * per group and replace the group whole, and the position in the activity log they bring the
 * index up to is written with them, atomically, so a crash never leaves the index believing it
 * has seen a change it has not applied.
 *
 * Implementations: LMDB in the state environment (the embedded default, a packed in-memory scan
 * over what LMDB holds, see lmdb-search-index.ts), memory (the reference: plain filters), later
 * PostgreSQL (a trigram or full-text index); all pass test/records/search-contract.ts.
 */
import type { SearchPageRequest } from './text.js';

/** One preserved binary as the index holds it. */
export interface IndexedResource {
  /** Path inside its Archival Group (a resource path: any UTF-8, `/`-separated). */
  path: string;
  /** Its name (the original file name; often the last path element). */
  name: string;
  created: string | null;
  lastModified: string | null;
  size: number | null;
  contentType: string | null;
}

/** A hit: the resource and its group. */
export interface ResourceHit extends IndexedResource {
  /** Repository path of the Archival Group. */
  archivalGroupPath: string;
}

/** A page of hits, ordered by group path, then path (code points). */
export interface ResourceSearchPage {
  /** Every hit, on all pages. */
  total: number;
  page: number;
  pageSize: number;
  hits: ResourceHit[];
}

/** A change to the index: a group's binaries at `version` (replacing what was there), or its removal. */
export type GroupUpdate =
  | { archivalGroupPath: string; version: string; resources: readonly IndexedResource[] }
  | { archivalGroupPath: string; remove: true };

/** The preserved-resource search index; see the module doc. */
export interface ResourceIndex {
  /**
   * Apply `updates` in order and, when `activitySeq` is given, record that the index has caught
   * up with that activity, all or nothing (without it the mark stays as it was: a build from
   * the storage root in progress). Throws InvalidInputError for a malformed update (nothing
   * applied).
   */
  apply(updates: readonly GroupUpdate[], activitySeq?: number): Promise<void>;
  /** The version indexed for a group, or undefined when the group is not indexed. */
  groupVersion(archivalGroupPath: string): Promise<string | undefined>;
  /**
   * The activity the index has caught up with, or undefined when it has never been built (a new
   * index over a repository that may already hold groups: build it from the storage root first).
   */
  activitySeq(): Promise<number | undefined>;
  /**
   * Hits for the folded needle (text.ts `searchNeedle`) on page `page`; `total` counts them all.
   * The needle is matched against `groupPath/path` and against `name`.
   */
  search(needle: string, page: SearchPageRequest): Promise<ResourceSearchPage>;
  /** Load now what searches need (the LMDB index reads its packed texts); a search does it otherwise. */
  warm(): Promise<void>;
  /** How many resources are indexed (all groups). */
  count(): Promise<number>;
  /** Release resources; unusable afterwards. */
  close(): Promise<void>;
}
