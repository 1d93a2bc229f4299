/**
 * The resource index in the state environment's LMDB (the embedded default), beside the records
 * it is derived from. Named databases:
 * - `search-groups`: group path → `{ version, count, stamp }`;
 * - `search-texts`: group path → the group's folded texts packed with their trigram skip
 *   index (packed-text.ts), what a search scans;
 * - `search-resources`: `[group path, i]` → the i-th resource of the group (path order) as a
 *   tuple, read only for the hits of the page asked for;
 * - `search-changes`: stamp → the group paths that update changed (the last
 *   {@link KEPT_CHANGES}), so a process sharing the directory knows what to reload;
 * - `meta` `search-head`: `{ stamp, activitySeq }`, written in the same transaction as the
 *   changes it counts.
 *
 * A search loads the packed texts once (lazily, on the first search) and keeps them; before each
 * search it reads the head and reloads only the groups changed since (its own updates or another
 * process's). A needle found in a group's own path matches every resource of the group (each
 * text begins with `groupPath/`), so such a group is counted, not scanned. Everything a search reads — head, texts, hit tuples — is read in one synchronous
 * run, so within LMDB's read snapshot the page, its total and the texts agree.
 */
import type { Database } from 'lmdb';
import { ConflictError, IoError, StrongroomError } from '../../core/errors.js';
import { compareCodePoints } from '../deposit-query.js';
import type { StateEnvironment } from '../lmdb-env.js';
import { PackedText, type PackedTextParts } from './packed-text.js';
import type { GroupUpdate, IndexedResource, ResourceHit, ResourceIndex, ResourceSearchPage } from './port.js';
import { foldForSearch, type SearchPageRequest, searchPage } from './text.js';
import { type CheckedUpdate, checkGroupUpdates, resourceHaystack } from './updates.js';

/** Change sets kept for other processes; one further behind reloads everything. */
export const KEPT_CHANGES = 1000;

interface GroupInfo {
  version: string;
  count: number;
  stamp: number;
}

interface SearchHead {
  stamp: number;
  /** Absent until the index has been built once. */
  activitySeq?: number;
}

type ResourceTuple = [string, string, string | null, string | null, number | null, string | null];

/** A group's packed texts, and the folded `groupPath/` every one of them begins with. */
interface LoadedGroup {
  packed: PackedText;
  /** Undefined when the texts do not all begin with it (then every search scans them). */
  prefix: Buffer | undefined;
}

interface Loaded {
  stamp: number;
  groups: Map<string, LoadedGroup>;
  /** Group paths in code-point order (the order of hits). */
  order: string[];
}

function loadGroup(path: string, parts: PackedTextParts): LoadedGroup {
  const packed = PackedText.fromParts(parts);
  const prefix = Buffer.from(foldForSearch(`${path}/`), 'utf8');
  packed.prepare();
  return { packed, prefix: packed.startsWith(prefix) ? prefix : undefined };
}

function tuple(r: IndexedResource): ResourceTuple {
  return [r.path, r.name, r.created, r.lastModified, r.size, r.contentType];
}

function fromTuple(group: string, t: ResourceTuple): ResourceHit {
  const [path, name, created, lastModified, size, contentType] = t;
  return { archivalGroupPath: group, path, name, created, lastModified, size, contentType };
}

class LmdbResourceIndex implements ResourceIndex {
  private readonly groups: Database<GroupInfo, string>;
  private readonly texts: Database<PackedTextParts, string>;
  private readonly resources: Database<ResourceTuple, [string, number]>;
  private readonly changes: Database<string[], number>;
  private readonly meta: Database<unknown, string>;
  #loaded: Loaded | undefined;
  #closed = false;

  constructor(private readonly env: StateEnvironment) {
    this.groups = env.root.openDB('search-groups', {});
    this.texts = env.root.openDB('search-texts', {});
    this.resources = env.root.openDB('search-resources', {});
    this.changes = env.root.openDB('search-changes', {});
    this.meta = env.root.openDB('meta', {});
  }

  private open(): void {
    if (this.#closed) throw new ConflictError('the search index is closed');
  }

  private head(): SearchHead | undefined {
    return this.meta.get('search-head') as SearchHead | undefined;
  }

  async apply(updates: readonly GroupUpdate[], activitySeq?: number): Promise<void> {
    this.open();
    const checked = checkGroupUpdates(updates, activitySeq);
    try {
      this.env.root.transactionSync(() => this.write(checked, activitySeq));
    } catch (err) {
      if (err instanceof StrongroomError) throw err;
      throw new IoError('the search index could not be updated', { operation: 'commit', cause: err });
    }
  }

  private write(updates: readonly CheckedUpdate[], activitySeq: number | undefined): void {
    const head = this.head();
    const stamp = (head?.stamp ?? 0) + 1;
    const seq = activitySeq ?? head?.activitySeq;
    for (const u of updates) {
      const path = u.archivalGroupPath;
      const old = this.groups.get(path);
      for (let i = 0; i < (old?.count ?? 0); i++) this.resources.removeSync([path, i]);
      if ('remove' in u) {
        this.groups.removeSync(path);
        this.texts.removeSync(path);
        continue;
      }
      for (const [i, r] of u.resources.entries()) this.resources.putSync([path, i], tuple(r));
      const packed = PackedText.pack(u.resources.map((r) => resourceHaystack(path, r, foldForSearch)));
      this.texts.putSync(path, packed.parts);
      this.groups.putSync(path, { version: u.version, count: u.resources.length, stamp });
    }
    this.changes.putSync(stamp, [...new Set(updates.map((u) => u.archivalGroupPath))]);
    for (const key of this.changes.getKeys({ end: stamp - KEPT_CHANGES })) this.changes.removeSync(key);
    this.meta.putSync(
      'search-head',
      (seq === undefined ? { stamp } : { stamp, activitySeq: seq }) satisfies SearchHead,
    );
  }

  async groupVersion(path: string): Promise<string | undefined> {
    this.open();
    return typeof path === 'string' && path !== '' ? this.groups.get(path)?.version : undefined;
  }

  async activitySeq(): Promise<number | undefined> {
    this.open();
    return this.head()?.activitySeq;
  }

  /** The packed texts as of the current head, reloading what changed since the last look. */
  private refresh(): Loaded {
    const stamp = this.head()?.stamp ?? 0;
    const loaded = this.#loaded;
    if (loaded && loaded.stamp === stamp) return loaded;
    if (!loaded || !this.changes.doesExist(loaded.stamp + 1) || stamp < loaded.stamp) {
      const groups = new Map<string, LoadedGroup>();
      for (const { key, value } of this.texts.getRange({})) groups.set(key, loadGroup(key, value));
      this.#loaded = { stamp, groups, order: [...groups.keys()].sort(compareCodePoints) };
      return this.#loaded;
    }
    const changed = new Set<string>();
    for (const { value } of this.changes.getRange({ start: loaded.stamp + 1, end: stamp + 1 }))
      for (const path of value) changed.add(path);
    for (const path of changed) {
      const stored = this.texts.get(path);
      if (stored) loaded.groups.set(path, loadGroup(path, stored));
      else loaded.groups.delete(path);
    }
    loaded.order = [...loaded.groups.keys()].sort(compareCodePoints);
    loaded.stamp = stamp;
    return loaded;
  }

  async search(needle: string, request: SearchPageRequest): Promise<ResourceSearchPage> {
    this.open();
    const { page, pageSize } = searchPage(request);
    const bytes = Buffer.from(needle, 'utf8');
    if (bytes.length === 0 || bytes.includes(0)) return { total: 0, page, pageSize, hits: [] };
    // The latest snapshot, not the one this event-loop turn started with: another process (or
    // handle) may have committed since.
    this.env.root.resetReadTxn();
    const loaded = this.refresh();
    const first = page * pageSize;
    const wanted: Array<[string, number]> = [];
    let total = 0;
    for (const path of loaded.order) {
      const { packed, prefix } = loaded.groups.get(path)!;
      if (prefix?.includes(bytes)) {
        // The needle is in the group's own path, so in every text of the group: no scan.
        for (let i = Math.max(0, first - total); i < packed.count && wanted.length < pageSize; i++)
          wanted.push([path, i]);
        total += packed.count;
        continue;
      }
      packed.scan(bytes, (i) => {
        if (total >= first && wanted.length < pageSize) wanted.push([path, i]);
        total++;
      });
    }
    const hits = wanted
      .map(([group, i]) => {
        const t = this.resources.get([group, i]);
        return t ? fromTuple(group, t) : undefined;
      })
      .filter((h): h is ResourceHit => h !== undefined);
    return { total, page, pageSize, hits };
  }

  async warm(): Promise<void> {
    this.open();
    this.env.root.resetReadTxn();
    this.refresh();
  }

  async count(): Promise<number> {
    this.open();
    let n = 0;
    for (const { value } of this.groups.getRange({})) n += value.count;
    return n;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#loaded = undefined;
    await this.env.release();
  }
}

/**
 * A resource index in an already open state environment. It takes its own share of `env` and
 * releases it when closed.
 */
export function resourceIndexInEnvironment(env: StateEnvironment): ResourceIndex {
  env.retain();
  return new LmdbResourceIndex(env);
}
