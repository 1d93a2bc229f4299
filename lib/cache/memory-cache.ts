/**
 * An in-process {@link InventoryCache}: a Map with least-recently-used eviction. For tests and
 * for servers without an LMDB path. Values are stored by reference (not copied).
 */
import type { InventoryCache } from './port.js';

/** Options for {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept before the least recently used is evicted (default 1000). */
  maxEntries?: number;
}

/** A Map-backed LRU cache. */
export class MemoryCache implements InventoryCache {
  private readonly entries = new Map<string, unknown>();
  private readonly maxEntries: number;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 1000);
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<unknown> {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key);
    // Re-insert so Map order is recency order.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  async put(key: string, value: unknown): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
