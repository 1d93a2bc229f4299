/**
 * Search (spec "Search"): deposits and preserved resources, each partition paged.
 *
 * Deposits are searched in the records (their text is written with each deposit). Preserved
 * resources come from the resource index (lib/records/search), which {@link SearchIndexer}
 * keeps up to date by following the activity log: every Create, Update and Delete names a group,
 * and the indexer re-reads that group's head (or removes it) and records how far it got with
 * the changes, in one index write. The log is durable and the mark moves only with the writes,
 * so a crash at any point is caught up after: no job completion is ever missed, and replaying
 * one is harmless (a group already indexed at its head is skipped). An index that has never
 * been built (a new index over an existing repository) is first built by walking the storage
 * root, from the position the log had when the walk began.
 *
 * A search never reads an inventory: it waits briefly for the indexer to catch up (so a search
 * right after a job finds what it preserved), then answers from the index.
 */
import { hasCode, StrongroomError } from '../core/errors.js';
import type { ObjectResources } from '../core/fedora/model.js';
import type { DepositSearchPage, RecordStore } from '../records/port.js';
import type {
  GroupUpdate,
  IndexedResource,
  ResourceIndex,
  ResourceSearchPage,
} from '../records/search/port.js';
import { searchNeedle, searchPage } from '../records/search/text.js';
import { RepositoryBrowser } from './browse.js';
import type { Repository } from './repository.js';

/** Activities read per step while catching up. */
const BATCH = 100;

/** What the indexer needs. */
export interface SearchIndexerDeps {
  records: RecordStore;
  index: ResourceIndex;
  repository: Repository;
  /** Where failures are reported (default: nowhere). */
  log?: (level: 'info' | 'warn' | 'error', fields: object, message: string) => void;
}

/** The indexable binaries of one group version. */
export function indexedResources(resources: ObjectResources): IndexedResource[] {
  const out: IndexedResource[] = [];
  for (const r of resources.byPath.values()) {
    if (r.type !== 'Binary') continue;
    out.push({
      path: r.path,
      name: r.name,
      created: r.created ?? null,
      lastModified: r.lastModified ?? null,
      size: r.size ?? null,
      contentType: r.contentType ?? null,
    });
  }
  return out;
}

/** Keeps the resource index in step with the activity log; see the module doc. */
export class SearchIndexer {
  readonly #browser: RepositoryBrowser;
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(private readonly deps: SearchIndexerDeps) {
    this.#browser = new RepositoryBrowser(deps.repository);
  }

  /**
   * Bring the index up to date with every activity logged so far (building it first if it has
   * never been built). Concurrent calls share one run, which goes round again for changes that
   * arrived while it ran. Rejects with the repository's or index's error (the next call retries).
   */
  catchUp(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = (async () => {
      try {
        do {
          this.#again = false;
          await this.step();
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    this.#running = run;
    return run;
  }

  /**
   * Catch up every `pollMs` (default 1000) until {@link stop}, loading the index for searches
   * after the first round; failures are logged, then retried.
   */
  start(pollMs = 1000): void {
    if (this.#timer || this.#stopped) return;
    let warmed = false;
    const tick = () => {
      this.catchUp()
        .then(async () => {
          if (!warmed) await this.deps.index.warm();
          warmed = true;
        })
        .catch((err) => this.deps.log?.('warn', { err }, 'search index could not catch up'))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, pollMs).unref();
        });
    };
    this.#timer = setTimeout(tick, 0).unref();
  }

  /** Stop polling and wait for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  private async step(): Promise<void> {
    const { records, index } = this.deps;
    let seq = await index.activitySeq();
    if (seq === undefined) {
      seq = await records.activity.count();
      await this.build();
      await index.apply([], seq);
    }
    for (;;) {
      const batch = await records.activity.list(seq + 1, BATCH);
      if (batch.length === 0) return;
      for (const path of new Set(batch.map((a) => a.archivalGroupPath))) {
        const update = await this.readableUpdate(path);
        if (update) await index.apply([update]);
      }
      seq = batch.at(-1)!.seq;
      await index.apply([], seq);
    }
  }

  /** Index every live Archival Group in the storage root (the mark is set by the caller). */
  private async build(): Promise<void> {
    for await (const ref of this.deps.repository.listObjects()) {
      if (!ref.id?.startsWith('info:fedora/')) continue;
      const update = await this.readableUpdate(ref.id.slice('info:fedora/'.length));
      if (update && !('remove' in update)) await this.deps.index.apply([update]);
    }
  }

  /**
   * {@link groupUpdate}, except that a group that cannot be read (a damaged object: anything but
   * a storage or access failure, which are thrown to be retried) is logged and left out of the
   * index, so that one bad object never stops the index from following everything after it.
   */
  private async readableUpdate(path: string): Promise<GroupUpdate | undefined> {
    try {
      return await this.groupUpdate(path);
    } catch (err) {
      if (hasCode(err, 'IO') || hasCode(err, 'ACCESS_DENIED') || !(err instanceof StrongroomError)) throw err;
      this.deps.log?.('warn', { err, group: path }, 'search index: a group that cannot be read is left out');
      return { archivalGroupPath: path, remove: true };
    }
  }

  /**
   * The update that makes the index show the group at `path` as it now is: its head's binaries,
   * its removal (absent, deleted, not a group), or undefined when the head is indexed already.
   */
  async groupUpdate(path: string): Promise<GroupUpdate | undefined> {
    const summary = await this.#browser.objectSummary(path).catch((err) => {
      if (hasCode(err, 'NOT_FOUND') || hasCode(err, 'INVALID_INPUT')) return undefined;
      throw err;
    });
    if (!summary || summary.header.deleted || !summary.header.archivalGroup)
      return { archivalGroupPath: path, remove: true };
    const id = `info:fedora/${path}`;
    const resources = await this.deps.repository.resources(id);
    const version = resources.version.ocflVersion;
    if ((await this.deps.index.groupVersion(path)) === version) return undefined;
    return { archivalGroupPath: path, version, resources: indexedResources(resources) };
  }
}

/** A search's answer: both partitions, for the same page and page size. */
export interface SearchResults {
  /** The text as given. */
  text: string;
  resources: ResourceSearchPage;
  deposits: DepositSearchPage;
}

/** Options of {@link SearchService.search}. */
export interface SearchOptions {
  /** 0-based (default 0). */
  page?: number;
  /** 1 … 1000 (default 20). */
  pageSize?: number;
}

/** Searches deposits and preserved resources. */
export class SearchService {
  constructor(
    private readonly records: RecordStore,
    private readonly index: ResourceIndex,
    private readonly indexer?: SearchIndexer,
    /** How long a search waits for the indexer to catch up (default 2000 ms). */
    private readonly freshnessMs = 2000,
  ) {}

  /** Both partitions for `text`. InvalidInputError for a bad text, page or page size. */
  async search(text: string, options: SearchOptions = {}): Promise<SearchResults> {
    const needle = searchNeedle(text);
    const page = searchPage(options);
    if (this.indexer) await this.waitForIndex(this.indexer);
    const [resources, deposits] = await Promise.all([
      this.index.search(needle, page),
      this.records.deposits.search(text, page),
    ]);
    return { text, resources, deposits };
  }

  private async waitForIndex(indexer: SearchIndexer): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.freshnessMs);
    });
    // A failing catch-up still lets the search answer from what is indexed.
    await Promise.race([indexer.catchUp().catch(() => {}), late]);
    clearTimeout(timer);
  }
}
