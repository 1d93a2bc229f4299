/**
 * Named memory stores: what `memory://name` resolves to. A registry is an ordinary object passed
 * to `openStore` / `openWritableStore` (option `memoryStores`), never a process-wide singleton, so
 * two tests, two servers or two embedders in one process never see each other's stores.
 */
import { MemoryStore } from './memory-store.js';

/** A set of memory stores by name; each name gets one store, created empty on first use. */
export class MemoryStores {
  readonly #stores = new Map<string, MemoryStore>();

  /** The store called `name` (created empty the first time). */
  get(name: string): MemoryStore {
    let store = this.#stores.get(name);
    if (!store) {
      store = new MemoryStore(name);
      this.#stores.set(name, store);
    }
    return store;
  }

  /** Forget the store called `name` (its objects go with it). True when there was one. */
  delete(name: string): boolean {
    return this.#stores.delete(name);
  }
}
