/**
 * Listing with ListObjectsV2, page by page. Each page's files and common prefixes are merged and
 * sorted by key. Objects whose names are not valid store keys (directory markers ending in `/`,
 * keys with empty segments written by other tools) and our transient probe objects are skipped.
 */
import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { compareKeys, dirPrefix, throwIfAborted } from '../common.js';
import { assertKey, type ListEntry } from '../port.js';
import { type S3Target, s3Error } from './errors.js';
import { PROBE_PREFIX, unquote } from './probe.js';

/** What a listing needs: the bucket and the store's own prefix ('' = bucket root). */
export interface ListContext extends S3Target {
  client: S3Client;
  storePrefix: string;
}

function isStoreKey(key: string): boolean {
  try {
    assertKey(key);
  } catch {
    return false;
  }
  return !key.slice(key.lastIndexOf('/') + 1).startsWith(PROBE_PREFIX);
}

/** Entries of one response page, in store keys, sorted. */
export function pageEntries(page: ListObjectsV2CommandOutput, storeBase: string): ListEntry[] {
  const entries: ListEntry[] = [];
  for (const obj of page.Contents ?? []) {
    const key = (obj.Key ?? '').slice(storeBase.length);
    if (!isStoreKey(key)) continue;
    const entry: ListEntry = { kind: 'file', key, size: obj.Size ?? 0 };
    if (obj.LastModified) entry.modified = obj.LastModified;
    if (obj.ETag) entry.etag = unquote(obj.ETag);
    entries.push(entry);
  }
  for (const p of page.CommonPrefixes ?? []) {
    const key = (p.Prefix ?? '').slice(storeBase.length, -1);
    if (isStoreKey(key)) entries.push({ kind: 'prefix', key });
  }
  return entries.sort((a, b) => compareKeys(a.key, b.key));
}

/** Yield the entries below `prefix` (a store key, '' for the root). Throws IoError. */
export async function* listObjects(
  ctx: ListContext,
  prefix: string,
  options: { delimiter?: boolean; pageSize?: number; signal?: AbortSignal },
): AsyncGenerator<ListEntry> {
  assertKey(prefix, true);
  const storeBase = dirPrefix(ctx.storePrefix);
  const input = {
    Bucket: ctx.bucket,
    Prefix: storeBase + dirPrefix(prefix),
    MaxKeys: options.pageSize ?? 1000,
    ...((options.delimiter ?? true) ? { Delimiter: '/' } : {}),
  };
  let token: string | undefined;
  do {
    throwIfAborted(options.signal);
    const send = options.signal ? { abortSignal: options.signal } : {};
    const page = await ctx.client
      .send(new ListObjectsV2Command(token ? { ...input, ContinuationToken: token } : input), send)
      .catch((err) => {
        throw s3Error(err, 'list', prefix, ctx);
      });
    yield* pageEntries(page, storeBase);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
