/** Small helpers shared by the storage contract groups. */
import type { Readable } from 'node:stream';
import type { Test } from 'tap';
import type { ListEntry, WritableStore } from '../../lib/storage/port.js';

/** One contract behaviour, run against a fresh store. */
export type Body = (t: Test, store: WritableStore) => Promise<void>;

/** Read a stream to a Buffer, or collect an async iterable of list entries. */
export function collect(source: Readable): Promise<Buffer>;
export function collect(source: AsyncIterable<ListEntry>): Promise<ListEntry[]>;
export async function collect(source: Readable | AsyncIterable<ListEntry>): Promise<Buffer | ListEntry[]> {
  const items: unknown[] = [];
  for await (const item of source as AsyncIterable<unknown>) items.push(item);
  if (items.every((x) => Buffer.isBuffer(x)) && !isEntryIterable(source)) {
    return Buffer.concat(items as Buffer[]);
  }
  return items as ListEntry[];
}

function isEntryIterable(source: unknown): boolean {
  return typeof (source as Readable).pipe !== 'function';
}

/** Keys of list entries, in the order listed. */
export function keysOf(entries: ListEntry[]): string[] {
  return entries.map((e) => e.key);
}

/** `kind:key` of list entries, to compare files and prefixes at once. */
export function describe(entries: ListEntry[]): string[] {
  return entries.map((e) => `${e.kind}:${e.key}`);
}

/** Write each `key → content` pair. */
export async function seed(store: WritableStore, objects: Record<string, string>): Promise<void> {
  for (const [key, content] of Object.entries(objects)) await store.write(key, content);
}

/** True when `keys` is in UTF-8 byte order (the order every backend lists in). */
export function isByteSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if (Buffer.compare(Buffer.from(keys[i - 1]!), Buffer.from(keys[i]!)) >= 0) return false;
  }
  return true;
}
