/**
 * What the repository browser keeps of the objects it has read, between requests: the parsed
 * object and what was built from it (resources, storage maps) per version. A server answering
 * `GET /repository/<group>`, `/ocfl/storagemap/<group>` and `/content/<group>/<file>` otherwise
 * reads and parses the group's whole inventory (and, for resources, every Fedora header) on each
 * request: for a 100,000-file group that is 108 MB of JSON and 100,000 small reads per request.
 *
 * Freshness: an entry belongs to the object's cache key (location + inventory sidecar digests,
 * mutable head included; see `objectCacheKey`), which the browser takes from a cheap probe of the
 * object root (one listing, the sidecar) on every request; any commit, by this process or
 * another, changes the key, so a stale entry is never served. Objects without a sidecar are not
 * kept.
 *
 * Size: entries are least-recently-used, weighed by the logical files of their shown version, up
 * to a budget (default {@link DEFAULT_MAX_KEPT_FILES}); an object heavier than the whole budget
 * is used for its request and not kept.
 *
 * Concurrent requests for an object being read share the one read (the entry holds promises), so
 * a burst of requests to a cold server parses the inventory once, not once per request. A failed
 * read or build is forgotten, so the next request tries again.
 */
import type { ObjectResources } from '../core/fedora/model.js';
import type { StorageMap } from '../core/storage-map.js';
import type { OcflObject } from '../engine/object-reader.js';

/** Default budget of kept objects, in logical files (≈ 5 groups of 100,000 files with their headers). */
export const DEFAULT_MAX_KEPT_FILES = 1_000_000;

/** A read object and what was built from it. */
export interface KeptObject<S> {
  object: OcflObject;
  /** What the browser read about the object's root resource. */
  summary: S;
  /** Built per resolved version name, on first use. */
  resources: Map<string, Promise<ObjectResources>>;
  storageMaps: Map<string, Promise<StorageMap>>;
  storageMapTexts: Map<string, Promise<string>>;
}

interface Slot<S> {
  cacheKey: string;
  kept: Promise<KeptObject<S>>;
  /** The object, once read. */
  settled?: KeptObject<S>;
  /** Logical files, once read (0 until then: a read in progress weighs nothing yet). */
  weight: number;
}

/** A weighed LRU of read objects, by object id. */
export class KeptObjects<S> {
  readonly #slots = new Map<string, Slot<S>>();
  #weight = 0;

  constructor(readonly maxFiles = DEFAULT_MAX_KEPT_FILES) {}

  /** Total logical files of the objects kept. */
  get weight(): number {
    return this.#weight;
  }

  /** Ids kept (or being read), least recently used first. */
  ids(): string[] {
    return [...this.#slots.keys()];
  }

  /**
   * The kept object `id` when its cache key is `cacheKey`, else `read()` it (and keep it, when
   * `cacheKey` is defined). Throws what `read` throws.
   */
  get(id: string, cacheKey: string | undefined, read: () => Promise<KeptObject<S>>): Promise<KeptObject<S>> {
    const slot = this.#slots.get(id);
    if (slot && cacheKey !== undefined && slot.cacheKey === cacheKey) {
      this.#slots.delete(id);
      this.#slots.set(id, slot);
      return slot.kept;
    }
    if (slot) this.forget(id);
    const kept = read();
    if (cacheKey === undefined) return kept;
    const fresh: Slot<S> = { cacheKey, kept, weight: 0 };
    this.#slots.set(id, fresh);
    kept.then(
      (k) => {
        if (this.#slots.get(id) !== fresh) return;
        fresh.settled = k;
        fresh.weight = k.object.view.files(k.object.view.head).length;
        this.#weight += fresh.weight;
        this.evict(id);
      },
      () => {
        if (this.#slots.get(id) === fresh) this.#slots.delete(id);
      },
    );
    return kept;
  }

  /**
   * The object `id` as last read, without checking that it is still current (callers use it
   * only as a hint and then ask {@link get}); undefined when not kept or still being read.
   */
  peek(id: string): KeptObject<S> | undefined {
    return this.#slots.get(id)?.settled;
  }

  /** Forget object `id` (a write of this process changed it). */
  forget(id: string): void {
    const slot = this.#slots.get(id);
    if (!slot) return;
    this.#weight -= slot.weight;
    this.#slots.delete(id);
  }

  /** Forget everything. */
  clear(): void {
    this.#slots.clear();
    this.#weight = 0;
  }

  /** Evict least recently used objects over the budget; `newest` last, and alone if it is too heavy. */
  private evict(newest: string): void {
    for (const id of this.ids()) {
      if (this.#weight <= this.maxFiles) return;
      if (id !== newest) this.forget(id);
    }
    if (this.#weight > this.maxFiles) this.forget(newest);
  }
}

/** The promise kept in `map` under `key`, else `build()`'s, kept; a failure is not kept. */
export function once<T>(map: Map<string, Promise<T>>, key: string, build: () => Promise<T>): Promise<T> {
  const known = map.get(key);
  if (known) return known;
  const made = build();
  map.set(key, made);
  made.catch(() => {
    if (map.get(key) === made) map.delete(key);
  });
  return made;
}
