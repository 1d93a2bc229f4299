/**
 * The id → object root index of a storage root that has no usable layout: built by one walk of
 * the hierarchy, kept for the life of the {@link StorageRoot}, and kept honest three ways:
 *
 * - **Every claim counts.** Each id maps to every object root whose inventory claims it, so two
 *   objects with one id make a lookup fail (ConflictError naming both) instead of one of them
 *   being picked by walk order. Objects whose inventory is unusable still count, by the id
 *   their inventory claims.
 * - **A miss re-checks the store.** An id the index does not know triggers one new walk (shared
 *   by concurrent lookups), so a long-lived process sees objects committed by someone else. A
 *   miss walks again only when the last walk finished at least `rescanIntervalMs` ago and at
 *   least as long ago as it took: requests for made-up ids cannot keep the store busy walking
 *   more than half the time.
 * - **Writers say what they did.** {@link ObjectIdIndex.noteObject} records an object just
 *   committed, {@link ObjectIdIndex.invalidate} drops everything (the next lookup walks again).
 */

/** One object found by the walk: the id its inventory claims and where it is. */
export interface IndexedObject {
  id: string | undefined;
  objectRoot: string;
}

/** Default of `rescanIntervalMs`: at most one walk a second caused by lookup misses. */
export const DEFAULT_RESCAN_INTERVAL_MS = 1000;

/** The index. Create one per storage root; `walk` yields every object of the hierarchy. */
export class ObjectIdIndex {
  #index?: Promise<Map<string, string[]>>;
  #builtAt = Number.NEGATIVE_INFINITY;
  #walkMs = 0;
  #rebuilding?: Promise<Map<string, string[]>>;

  constructor(
    private readonly walk: (signal?: AbortSignal) => AsyncIterable<IndexedObject>,
    private readonly rescanIntervalMs = DEFAULT_RESCAN_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Every object root claiming `id` (empty when none; more than one is a conflict for the
   * caller to report). Walks the hierarchy on first use and again on a miss (see the module doc
   * for how often). Errors of the walk (IoError, aborts) propagate and are not
   * remembered: the next lookup walks again.
   */
  async lookup(id: string, signal?: AbortSignal): Promise<readonly string[]> {
    const index = await (this.#index ?? this.rebuild(signal));
    const found = index.get(id);
    // 0 asks for a walk on every miss (tests, tiny roots); otherwise the walk's own time counts too.
    const quiet = this.rescanIntervalMs === 0 ? 0 : Math.max(this.rescanIntervalMs, this.#walkMs);
    if (found !== undefined || this.now() - this.#builtAt < quiet) return found ?? [];
    return (await this.rebuild(signal)).get(id) ?? [];
  }

  /**
   * Record that `objectRoot` now holds object `id` (after a commit created it). A no-op before
   * the first walk, which will find it anyway.
   */
  noteObject(id: string, objectRoot: string): void {
    const current = this.#index;
    if (current === undefined) return;
    this.#index = current.then((index) => {
      const roots = index.get(id) ?? [];
      if (!roots.includes(objectRoot)) index.set(id, [...roots, objectRoot]);
      return index;
    });
  }

  /** Forget everything: the next lookup walks the hierarchy again. */
  invalidate(): void {
    this.#index = undefined;
    this.#builtAt = Number.NEGATIVE_INFINITY;
  }

  private rebuild(signal?: AbortSignal): Promise<Map<string, string[]>> {
    this.#rebuilding ??= this.build(signal).finally(() => {
      this.#rebuilding = undefined;
    });
    const pending = this.#rebuilding;
    this.#index = pending;
    pending.catch(() => {
      if (this.#index === pending) this.#index = undefined;
    });
    return pending;
  }

  private async build(signal?: AbortSignal): Promise<Map<string, string[]>> {
    const startedAt = this.now();
    const index = new Map<string, string[]>();
    for await (const { id, objectRoot } of this.walk(signal)) {
      if (id === undefined) continue;
      const roots = index.get(id);
      if (roots) roots.push(objectRoot);
      else index.set(id, [objectRoot]);
    }
    this.#builtAt = this.now();
    this.#walkMs = this.#builtAt - startedAt;
    return index;
  }
}
