/**
 * An OCFL storage root on any {@link ReadableStore}, possibly under a key prefix (Fedora roots
 * often sit at `ocfl-root/` inside a bucket): its declaration, its layout, id → object root,
 * and a walk over every object.
 *
 * Layout, in order: a layout passed in options; the one declared by `ocfl_layout.json` (+
 * `extensions/<name>/config.json`, defaults when absent); Fedora's default (0004 sha256 3×3)
 * when `fedora: true`, or — unless `fedora: false` — when the root has no declaration but its
 * top-level directories are 3-hex-digit tuples leading to a 64-hex object directory, as every
 * Fedora 6 root written without `ocfl_layout.json` does. Otherwise (or when the declared layout
 * is not one we implement) ids are resolved by scanning the hierarchy once.
 */
import type { InventoryCache } from '../cache/port.js';
import {
  ConflictError,
  hasCode,
  InvalidObjectError,
  NotFoundError,
  StrongroomError,
  TooLargeError,
  UnsupportedError,
} from '../core/errors.js';
import type { StorageLayout } from '../core/layout/index.js';
import { MAX_INVENTORY_BYTES } from '../core/ocfl/inventory-parse.js';
import { MAX_HIERARCHY_DEPTH } from '../core/ocfl/limits.js';
import { quoteForMessage, truncateForMessage } from '../core/paths.js';
import { joinKey, type ReadableStore } from '../storage/port.js';
import { mapLimit } from './concurrency.js';
import { listDir } from './list-dir.js';
import {
  type ObjectProbe,
  type OcflObject,
  probeObject,
  type ReadObjectOptions,
  readObject,
  readProbedObject,
} from './object-reader.js';
import { DEFAULT_RESCAN_INTERVAL_MS, type IndexedObject, ObjectIdIndex } from './storage-root-index.js';
import { chooseLayout } from './storage-root-layout.js';

/** Options for {@link openStorageRoot}. */
export interface OpenStorageRootOptions {
  /** Key prefix of the storage root inside the store (default '' = the store's root). */
  prefix?: string;
  /** Use this layout whatever the root declares. */
  layout?: StorageLayout;
  /** true: assume Fedora's layout when none is declared; false: never guess; default: detect. */
  fedora?: boolean;
  /** Cache of parsed inventories, used by every object read through this root. */
  cache?: InventoryCache;
  /** Concurrent store requests while walking (default 8). */
  concurrency?: number;
  /** Default for object reads: show a mutable head as the newest version (default true). */
  includeMutableHead?: boolean;
  /**
   * Without a layout, an id lookup that misses walks the hierarchy again, at most once per this
   * many milliseconds (default {@link DEFAULT_RESCAN_INTERVAL_MS}, 1 s; 0 = on every miss).
   */
  rescanIntervalMs?: number;
  signal?: AbortSignal;
}

/** Where the layout came from. */
export type LayoutSource = 'option' | 'declared' | 'fedora-default' | 'none';

/** One object found by {@link StorageRoot.listObjects}. */
export interface StoredObjectRef {
  /** The inventory's id; undefined when the inventory could not be read (see `error`). */
  id: string | undefined;
  /** Object root relative to the storage root. */
  objectRoot: string;
  /** Object root as a store key (prefix included). */
  key: string;
  error?: StrongroomError;
  /**
   * With `error`: the id the unusable inventory claims, when it has one. Id lookups use it, so
   * asking for that id gives the object's own error (and a second object claiming the same id
   * is a conflict) rather than "not found".
   */
  claimedId?: string;
}

const NAMASTE = /^0=ocfl_(1\.\d+)$/;
const OBJECT_NAMASTE = /^0=ocfl_object_/;

/** An opened storage root. Create with {@link openStorageRoot}. */
export class StorageRoot {
  readonly #index: ObjectIdIndex;

  constructor(
    readonly store: ReadableStore,
    /** Key prefix of the root ('' = store root). */
    readonly prefix: string,
    /** `1.0` or `1.1`, from the root's NAMASTE file. */
    readonly specVersion: string,
    readonly layout: StorageLayout | undefined,
    readonly layoutSource: LayoutSource,
    /** Why a declared layout is not used (unsupported or bad config), when that happened. */
    readonly layoutProblem: string | undefined,
    readonly options: Pick<
      OpenStorageRootOptions,
      'cache' | 'concurrency' | 'includeMutableHead' | 'rescanIntervalMs'
    >,
  ) {
    this.#index = new ObjectIdIndex(
      (signal) => this.indexedObjects(signal),
      options.rescanIntervalMs ?? DEFAULT_RESCAN_INTERVAL_MS,
    );
  }

  /** The store key of a path relative to the storage root. */
  keyOf(objectRoot: string): string {
    return joinKey(this.prefix, objectRoot);
  }

  /**
   * Object root (relative to the storage root) the layout gives `id`. Throws UnsupportedError
   * when the root has no usable layout (use {@link resolveObjectRoot}), InvalidInputError when
   * the layout cannot map the id.
   */
  objectRootFor(id: string): string {
    if (!this.layout) {
      throw new UnsupportedError(`storage root ${this.store.uri}/${this.prefix} has no usable layout`, {
        operation: 'objectRootFor',
        key: id,
      });
    }
    return this.layout.objectRootFor(id);
  }

  /**
   * Object root of `id`: by layout when there is one (not checked for existence: the layout
   * gives each id one place; another object claiming the same id is E083 in validateStorageRoot),
   * else through the id index (see `storage-root-index.ts`: built by one walk, re-walked on a
   * miss). Throws NotFoundError when no object claims `id`, ConflictError naming the object
   * roots when more than one does (never picks one).
   */
  async resolveObjectRoot(id: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    if (this.layout) return this.layout.objectRootFor(id);
    const roots = await this.#index.lookup(id, options.signal);
    if (roots.length === 0) {
      throw new NotFoundError(`no object ${quoteForMessage(id)} in storage root ${this.describe()}`, {
        operation: 'resolveObjectRoot',
        key: truncateForMessage(id, 512),
      });
    }
    if (roots.length > 1) {
      const shown = roots.slice(0, 5).map((r) => quoteForMessage(r, 120));
      throw new ConflictError(
        `${roots.length} objects in storage root ${this.describe()} claim the id ${quoteForMessage(id)}: ${shown.join(' and ')}${roots.length > 5 ? ' and more' : ''}; refusing to pick one`,
        { operation: 'resolveObjectRoot', key: truncateForMessage(id, 512) },
      );
    }
    return roots[0]!;
  }

  /**
   * Tell the id index that object `id` now lives at `objectRoot` (relative to the storage root),
   * e.g. right after a commit created it, so lookups find it without a new walk. Harmless with a
   * layout (the layout already knows) or before the first lookup.
   */
  noteObject(id: string, objectRoot: string): void {
    this.#index.noteObject(id, objectRoot);
  }

  /**
   * Forget the id index: the next lookup without a layout walks the hierarchy again. For a
   * process that learns from elsewhere that objects were added, moved or deleted.
   */
  invalidate(): void {
    this.#index.invalidate();
  }

  private describe(): string {
    return truncateForMessage(`${this.store.uri}${this.prefix ? `/${this.prefix}` : ''}`);
  }

  private async *indexedObjects(signal?: AbortSignal): AsyncGenerator<IndexedObject> {
    for await (const ref of this.listObjects(signal ? { signal } : {})) {
      yield { id: ref.id ?? ref.claimedId, objectRoot: ref.objectRoot };
    }
  }

  /**
   * Look at object `id` without reading its inventories (see `probeObject`): one listing and
   * the sidecars, enough to know its cache key. Throws NotFoundError when it is not there,
   * InvalidObjectError when its root has no inventory.
   */
  async probeObject(id: string, options: { signal?: AbortSignal } = {}): Promise<ObjectProbe> {
    const objectRoot = await this.resolveObjectRoot(id, options.signal ? { signal: options.signal } : {});
    try {
      return await probeObject(this.store, this.keyOf(objectRoot), options);
    } catch (err) {
      if (!hasCode(err, 'NOT_FOUND')) throw err;
      throw new NotFoundError(
        `no object ${quoteForMessage(id)} in storage root ${this.describe()} (looked at ${truncateForMessage(objectRoot)})`,
        {
          operation: 'openObject',
          key: id,
          cause: err,
        },
      );
    }
  }

  /**
   * Read object `id` (reusing `probe` from {@link probeObject} when given). Throws
   * NotFoundError when it is not there, InvalidObjectError when the object found there has
   * another id or no usable inventory.
   */
  async openObject(
    id: string,
    options: Omit<ReadObjectOptions, 'cache'> = {},
    probe?: ObjectProbe,
  ): Promise<OcflObject> {
    const probed = probe ?? (await this.probeObject(id, options.signal ? { signal: options.signal } : {}));
    const object = await readProbedObject(this.store, probed, this.readOptions(options));
    if (object.id !== id) {
      throw new InvalidObjectError(
        `object root ${quoteForMessage(probed.key)} holds ${quoteForMessage(object.id)}, not ${quoteForMessage(id)}`,
        {
          operation: 'openObject',
          key: probed.key,
        },
      );
    }
    return object;
  }

  /** Whether object reads show a mutable head when the caller does not say (default true). */
  get includeMutableHead(): boolean {
    return this.options.includeMutableHead ?? true;
  }

  /** Read the object at an object root (relative to the storage root) without knowing its id. */
  readObjectAt(objectRoot: string, options: Omit<ReadObjectOptions, 'cache'> = {}): Promise<OcflObject> {
    return readObject(this.store, this.keyOf(objectRoot), this.readOptions(options));
  }

  private readOptions(options: Omit<ReadObjectOptions, 'cache'>): ReadObjectOptions {
    const out: ReadObjectOptions = { ...options };
    if (this.options.cache) out.cache = this.options.cache;
    if (out.includeMutableHead === undefined && this.options.includeMutableHead !== undefined) {
      out.includeMutableHead = this.options.includeMutableHead;
    }
    return out;
  }

  /**
   * Every object in the hierarchy: directories are walked breadth-first (an object root is a
   * directory holding a `0=ocfl_object_*` file; `extensions/` at the top is skipped), and each
   * root's inventory is read for its id, `concurrency` requests at a time. Objects whose
   * inventory cannot be read are yielded with `error` rather than ending the walk. Throws
   * TooLargeError when the hierarchy goes deeper than {@link MAX_HIERARCHY_DEPTH} levels (a
   * trap, not a layout), after yielding the objects found above that level.
   */
  async *listObjects(options: { signal?: AbortSignal } = {}): AsyncGenerator<StoredObjectRef> {
    const limit = this.options.concurrency ?? 8;
    let level: string[] = [''];
    for (let depth = 0; level.length > 0; depth++) {
      if (depth > MAX_HIERARCHY_DEPTH) throw tooDeep(this.describe(), level[0]!);
      const listed = await mapLimit(level, limit, async (dir) => ({
        dir,
        ...(await listDir(this.store, this.keyOf(dir), options.signal)),
      }));
      const next: string[] = [];
      const roots: string[] = [];
      for (const { dir, files, dirs } of listed) {
        if (dir !== '' && files.some((f) => OBJECT_NAMASTE.test(f))) {
          roots.push(dir);
          continue;
        }
        for (const d of dirs)
          if (!(dir === '' && d === 'extensions')) next.push(dir === '' ? d : `${dir}/${d}`);
      }
      for (let i = 0; i < roots.length; i += limit * 4) {
        const refs = await mapLimit(roots.slice(i, i + limit * 4), limit, (root) =>
          this.refFor(root, options.signal),
        );
        yield* refs;
      }
      level = next;
    }
  }

  private async refFor(objectRoot: string, signal?: AbortSignal): Promise<StoredObjectRef> {
    const key = this.keyOf(objectRoot);
    try {
      const object = await readObject(this.store, key, this.readOptions(signal ? { signal } : {}));
      return { id: object.id, objectRoot, key };
    } catch (err) {
      if (!(err instanceof StrongroomError) || hasCode(err, 'IO')) throw err;
      const claimedId = await this.claimedIdAt(key, err, signal);
      return { id: undefined, objectRoot, key, error: err, ...(claimedId !== undefined && { claimedId }) };
    }
  }

  /** The `id` string of an unusable object's root inventory, when it parses as JSON at all. */
  private async claimedIdAt(key: string, err: StrongroomError, signal?: AbortSignal) {
    if (!hasCode(err, 'PATH_ESCAPE') && !hasCode(err, 'INVALID_OBJECT')) return undefined;
    try {
      const bytes = await this.store.readBytes(joinKey(key, 'inventory.json'), {
        maxBytes: MAX_INVENTORY_BYTES,
        ...(signal && { signal }),
      });
      const json: unknown = JSON.parse(bytes.toString('utf8'));
      const id = (json as { id?: unknown } | null)?.id;
      return typeof id === 'string' && id !== '' ? id : undefined;
    } catch {
      return undefined; // unreadable or not JSON: the object's own error says why
    }
  }
}

function tooDeep(root: string, dir: string): TooLargeError {
  return new TooLargeError(
    `storage root ${root} goes deeper than ${MAX_HIERARCHY_DEPTH} directory levels (at ${quoteForMessage(dir, 120)}): not walked further`,
    MAX_HIERARCHY_DEPTH,
    { operation: 'listObjects', key: truncateForMessage(dir, 512) },
  );
}

/**
 * Open the storage root at `options.prefix` in `store`: read its declaration and layout.
 * Throws NotFoundError when there is no `0=ocfl_1.x` file there, MalformedError for an
 * unparseable `ocfl_layout.json`.
 */
export async function openStorageRoot(
  store: ReadableStore,
  options: OpenStorageRootOptions = {},
): Promise<StorageRoot> {
  const prefix = joinKey(options.prefix ?? '');
  const { files, dirs, special } = await listDir(store, prefix, options.signal);
  const namaste = files.map((f) => NAMASTE.exec(f)).find((m) => m !== null);
  if (!namaste) {
    throw new NotFoundError(
      `no OCFL storage root at ${store.uri}${prefix ? `/${prefix}` : ''} (no 0=ocfl_1.x file)`,
      {
        operation: 'openStorageRoot',
        key: prefix,
      },
    );
  }
  const chosen = special.has('ocfl_layout.json')
    ? { source: 'none' as const, problem: 'ocfl_layout.json is not a regular file: not read' }
    : await chooseLayout(store, prefix, files, dirs, options);
  return new StorageRoot(store, prefix, namaste[1]!, chosen.layout, chosen.source, chosen.problem, {
    ...(options.cache && { cache: options.cache }),
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.includeMutableHead !== undefined && { includeMutableHead: options.includeMutableHead }),
    ...(options.rescanIntervalMs !== undefined && { rescanIntervalMs: options.rescanIntervalMs }),
  });
}
