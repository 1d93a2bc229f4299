/**
 * Read-only views of stores: what `openStore` hands out. A view is a separate object holding the
 * backend in a private field and exposing only the read side (and, for local stores, the local
 * file resolver hashing needs), so `isWritable(view)` is false and no cast reaches `write`,
 * `delete` or the backend itself. Only the transaction module gets writable stores
 * (writable.ts).
 */
import type { Readable } from 'node:stream';
import {
  hasLocalPaths,
  type ListEntry,
  type ListOptions,
  type LocalFileResolver,
  type LocalPathCapable,
  type ReadableStore,
  type ReadBytesOptions,
  type ReadOptions,
  type StatResult,
  type StoreLocation,
} from './port.js';

/** The read side of a store and nothing else. */
class ReadOnlyStore implements ReadableStore {
  readonly #inner: ReadableStore;
  readonly kind: ReadableStore['kind'];
  readonly uri: string;
  readonly location: StoreLocation;

  constructor(inner: ReadableStore) {
    this.#inner = inner;
    this.kind = inner.kind;
    this.uri = inner.uri;
    this.location = Object.freeze({ ...inner.location });
  }

  read(key: string, options?: ReadOptions): Promise<Readable> {
    return this.#inner.read(key, options);
  }

  readBytes(key: string, options?: ReadBytesOptions): Promise<Buffer> {
    return this.#inner.readBytes(key, options);
  }

  stat(key: string): Promise<StatResult> {
    return this.#inner.stat(key);
  }

  exists(key: string): Promise<boolean> {
    return this.#inner.exists(key);
  }

  list(prefix: string, options?: ListOptions): AsyncIterable<ListEntry> {
    return this.#inner.list(prefix, options);
  }
}

/** A read-only view of a store with local files (the resolver only reads). */
class ReadOnlyLocalStore extends ReadOnlyStore implements LocalPathCapable {
  readonly #local: LocalPathCapable;

  constructor(inner: ReadableStore & LocalPathCapable) {
    super(inner);
    this.#local = inner;
  }

  localFiles(): LocalFileResolver {
    return this.#local.localFiles();
  }
}

/** A read-only view of `store` (see the module doc). Views of views are fine. */
export function readOnlyView(store: ReadableStore): ReadableStore {
  return hasLocalPaths(store) ? new ReadOnlyLocalStore(store) : new ReadOnlyStore(store);
}
