/**
 * The resource index in memory: the reference behaviour the LMDB index is tested against (plain
 * filters over every resource, in group then path order). For tests and embedding without a data
 * directory; nothing survives the process.
 */
import { ConflictError } from '../../core/errors.js';
import { compareCodePoints } from '../deposit-query.js';
import type { GroupUpdate, IndexedResource, ResourceHit, ResourceIndex, ResourceSearchPage } from './port.js';
import { foldForSearch, type SearchPageRequest, searchPage } from './text.js';
import { checkGroupUpdates, resourceHaystack } from './updates.js';

interface MemoryGroup {
  version: string;
  resources: IndexedResource[];
  haystacks: string[];
}

class MemoryResourceIndex implements ResourceIndex {
  readonly #groups = new Map<string, MemoryGroup>();
  #seq: number | undefined;
  #closed = false;

  private open(): void {
    if (this.#closed) throw new ConflictError('the search index is closed');
  }

  async apply(updates: readonly GroupUpdate[], activitySeq?: number): Promise<void> {
    this.open();
    for (const u of checkGroupUpdates(updates, activitySeq)) {
      if ('remove' in u) this.#groups.delete(u.archivalGroupPath);
      else
        this.#groups.set(u.archivalGroupPath, {
          version: u.version,
          resources: u.resources,
          haystacks: u.resources.map((r) => resourceHaystack(u.archivalGroupPath, r, foldForSearch)),
        });
    }
    if (activitySeq !== undefined) this.#seq = activitySeq;
  }

  async groupVersion(path: string): Promise<string | undefined> {
    this.open();
    return this.#groups.get(path)?.version;
  }

  async activitySeq(): Promise<number | undefined> {
    this.open();
    return this.#seq;
  }

  async search(needle: string, request: SearchPageRequest): Promise<ResourceSearchPage> {
    this.open();
    const { page, pageSize } = searchPage(request);
    const first = page * pageSize;
    const hits: ResourceHit[] = [];
    let total = 0;
    const groups = [...this.#groups.keys()].sort(compareCodePoints);
    for (const path of groups) {
      const group = this.#groups.get(path)!;
      group.haystacks.forEach((haystack, i) => {
        if (!haystack.includes(needle)) return;
        if (total >= first && hits.length < pageSize)
          hits.push({ archivalGroupPath: path, ...group.resources[i]! });
        total++;
      });
    }
    return { total, page, pageSize, hits: structuredClone(hits) };
  }

  async warm(): Promise<void> {
    this.open();
  }

  async count(): Promise<number> {
    this.open();
    let n = 0;
    for (const g of this.#groups.values()) n += g.resources.length;
    return n;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/** A resource index in memory (see the module doc). */
export function openMemoryResourceIndex(): ResourceIndex {
  return new MemoryResourceIndex();
}
