/**
 * What is expensive about a deposit's filesystem view, kept between requests: the parsed METS,
 * the parsed BagIt manifests, the tool outputs read and parsed, and the view built from them.
 * The listing itself is never cached (files uploaded straight to the working area must show up
 * at once); each entry carries a `tag` built from what the listing says about the files it was
 * made from (size and etag or mtime), so a changed file is simply a miss.
 *
 * A least-recently-used map over deposits, bounded by the number of deposits and by their
 * total number of files (a 100,000-file view weighs 100,000). In memory, per process; a deposit
 * larger than the whole bound still keeps its own entry (the next request needs it most).
 */

/** One cached value and the tag of the inputs it was made from. */
export interface Tagged<T> {
  tag: string;
  value: T;
}

/** Everything cached for one deposit (each part optional). */
export interface DepositCacheEntry {
  mets?: Tagged<unknown>;
  bag?: Tagged<unknown>;
  tools?: Tagged<unknown>;
  view?: Tagged<unknown>;
  /** Files in the deposit when last seen: the entry's weight. */
  weight: number;
}

/** Limits of a {@link DepositSourceCache}. */
export interface DepositSourceCacheOptions {
  /** Deposits kept (default 32). */
  maxDeposits?: number;
  /**
   * Total files over the kept deposits (default 250,000: a 100,000-file deposit's parsed sources
   * and view take a few hundred MB of heap, so this bounds the cache near 1 GB).
   */
  maxFiles?: number;
}

/** The cache; see the module doc. */
export class DepositSourceCache {
  private readonly entries = new Map<string, DepositCacheEntry>();
  private readonly maxDeposits: number;
  private readonly maxFiles: number;
  private files = 0;

  constructor(options: DepositSourceCacheOptions = {}) {
    this.maxDeposits = Math.max(1, options.maxDeposits ?? 32);
    this.maxFiles = Math.max(1, options.maxFiles ?? 250_000);
  }

  /** The value cached under `part` for `depositId` when its tag is `tag`, else undefined. */
  get<T>(depositId: string, part: 'mets' | 'bag' | 'tools' | 'view', tag: string): T | undefined {
    const entry = this.entries.get(depositId);
    const hit = entry?.[part];
    if (!entry || !hit || hit.tag !== tag) return undefined;
    this.entries.delete(depositId); // most recently used goes last
    this.entries.set(depositId, entry);
    return hit.value as T;
  }

  /** Keep `value` under `part` for `depositId`, weighing the entry at `files` files. */
  set(
    depositId: string,
    part: 'mets' | 'bag' | 'tools' | 'view',
    tag: string,
    value: unknown,
    files: number,
  ): void {
    const entry = this.entries.get(depositId) ?? { weight: 0 };
    this.entries.delete(depositId);
    this.files -= entry.weight;
    entry[part] = { tag, value };
    entry.weight = files;
    this.files += files;
    this.entries.set(depositId, entry);
    this.evict(depositId);
  }

  /** Forget everything about `depositId` (a refresh, a deleted deposit). */
  drop(depositId: string): void {
    const entry = this.entries.get(depositId);
    if (!entry) return;
    this.files -= entry.weight;
    this.entries.delete(depositId);
  }

  /** Number of deposits held (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private evict(keep: string): void {
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.maxDeposits && this.files <= this.maxFiles) return;
      if (id === keep) continue; // a single deposit over the limit still serves its next request
      this.drop(id);
    }
  }
}
