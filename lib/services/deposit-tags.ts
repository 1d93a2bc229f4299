/**
 * Tags that say whether a deposit file, a set of files or the whole listing changed since a
 * cached value was made from them: path, size and the store's etag (or mtime), hashed.
 */
import { createHash } from 'node:crypto';
import type { DepositListing, ListedFile } from './diff/listing.js';

/**
 * The cache tag of the METS at `key` with listing tag `fileTag` (`size:etag`): also used to
 * keep the model of a METS the platform has just written, so the next request does not parse it.
 */
export function metsCacheTag(key: string, fileTag: string): string {
  return `${key}\n${fileTag}`;
}

/** What identifies a file's current content in the listing (no tag: never cached). */
export function fileTag(f: ListedFile): string {
  return `${f.size}:${f.etag ?? f.modified?.getTime() ?? Math.random()}`;
}

/** One tag for a set of files (path, size, etag). */
export function tagOf(files: readonly ListedFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.key}\u0000${fileTag(f)}\n`);
  return h.digest('hex');
}

/**
 * In one pass: a tag of the deposit's file paths alone (what tool paths are resolved against)
 * and one of everything listed (paths, sizes, etags, folders, special entries). Hashed in
 * batches: one update per file costs more than the hashing.
 */
export function listingTags(listing: DepositListing): { pathsTag: string; tag: string } {
  const paths = createHash('sha256');
  const all = createHash('sha256');
  let p: string[] = [];
  let a: string[] = [];
  const flush = () => {
    paths.update(p.join('\n'));
    all.update(a.join('\n'));
    p = [];
    a = [];
  };
  for (const f of listing.files) {
    p.push(f.key);
    a.push(`${f.key}\u0000${fileTag(f)}`);
    if (p.length === 2048) flush();
  }
  for (const d of listing.folders) a.push(`dir\u0000${d}`);
  for (const e of listing.special) a.push(`${e.type}\u0000${e.key}`);
  flush();
  return { pathsTag: paths.digest('hex'), tag: all.digest('hex') };
}
