/**
 * The state a transaction starts from: the object's root inventory (bytes, digest, etag) and the
 * parsed headers of the resources it will touch. A writer refuses to build on an inventory that
 * does not validate, on an object with a mutable head (extension 0005: Fedora's unversioned
 * changes, which a new version would silently drop), and on objects whose inventory is not
 * Fedora-shaped (written by another tool).
 */
import { InvalidObjectError, UnsupportedError } from '../core/errors.js';
import { type FedoraHeader, parseFedoraHeader } from '../core/fedora/headers.js';
import { isHeaderPath } from '../core/fedora/paths.js';
import type { Inventory } from '../core/inventory.js';
import { InventoryParser, parseInventory } from '../core/ocfl/inventory-parse.js';
import { quoteForMessage } from '../core/paths.js';
import { readInventory } from '../engine/inventory-reading.js';
import { joinKey, type ReadableStore } from '../storage/port.js';

/** An object's current state as a writer sees it; `inventory` absent: the object does not exist. */
export interface BaseState {
  inventory?: Inventory;
  /** sha512 of the root inventory's bytes (the optimistic-concurrency token). */
  digest?: string;
  /** Store etag of the root inventory (the conditional replace's precondition). */
  etag?: string;
  /** Digests of the root inventory's bytes by algorithm (sha512, sha256, its own). */
  digests?: Record<string, string>;
}

const HEADER_LIMIT = 1024 * 1024;

/**
 * Root inventories already read, parsed and validated, by key, reused while the stored object
 * keeps its etag and size (a filesystem etag changes with every replacement: a new inode; an S3
 * etag with the content). Reading, parsing and validating a 100,000-file inventory takes seconds,
 * and a commit would otherwise do it twice (the writer's checks, then the commit) and again for
 * the next commit, whose base is the inventory this process just wrote. Holds the last
 * {@link BaseCache.limit} inventories (large ones take hundreds of MB).
 */
export class BaseCache {
  readonly #entries = new Map<string, { etag: string; size: number; state: BaseState }>();

  constructor(readonly limit = 4) {}

  /** The state cached for `key` when it was stored with this etag and size. */
  get(key: string, etag: string | undefined, size: number): BaseState | undefined {
    const hit = this.#entries.get(key);
    if (!hit || etag === undefined || hit.etag !== etag || hit.size !== size) return undefined;
    this.#entries.delete(key); // most recently used last
    this.#entries.set(key, hit);
    return hit.state;
  }

  /** Remember `state` as what `key` holds at `etag` / `size`. */
  set(key: string, etag: string | undefined, size: number, state: BaseState): void {
    this.#entries.delete(key);
    if (etag === undefined || etag === '') return;
    this.#entries.set(key, { etag, size, state });
    while (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

/**
 * Read the root inventory under `objectKey` (from `cache` when it holds the stored version).
 * Throws InvalidObjectError, UnsupportedError.
 */
export async function readBase(
  store: ReadableStore,
  objectKey: string,
  objectId: string,
  cache?: BaseCache,
): Promise<BaseState> {
  const key = joinKey(objectKey, 'inventory.json');
  if (!(await store.exists(key))) return {};
  const st = await store.stat(key);
  const cached = cache?.get(key, st.etag, st.size);
  if (cached?.inventory) {
    if (cached.inventory.id !== objectId) throw wrongObject(objectKey, cached.inventory.id, objectId, key);
    await refuseMutableHead(store, objectKey, objectId, key);
    return cached;
  }
  // Large inventories are streamed into the parser (no copy of their bytes is held).
  const parsed = await readInventory(
    store,
    key,
    {
      whole: (bytes) => parseInventory(bytes, { path: 'inventory.json' }),
      streamed: () => new InventoryParser({ path: 'inventory.json', digestAlgorithms: ['sha256'] }),
    },
    { size: st.size },
  );
  const errors = parsed.issues.filter((i) => i.code.startsWith('E'));
  if (!parsed.inventory || errors.length > 0) {
    const first = errors[0];
    throw new InvalidObjectError(
      `cannot write to ${quoteForMessage(objectId)}: its inventory is invalid${first ? ` (${first.code} ${first.message})` : ''}`,
      { operation: 'readBase', key },
    );
  }
  const inventory = parsed.inventory;
  if (inventory.id !== objectId) throw wrongObject(objectKey, inventory.id, objectId, key);
  await refuseMutableHead(store, objectKey, objectId, key);
  const head = inventory.versions[inventory.head]!;
  if (!Object.values(head.state).some((paths) => paths.some(isHeaderPath))) {
    throw new UnsupportedError(
      `${quoteForMessage(objectId)} was not written by Fedora or Strongroom (no .fcrepo headers)`,
      {
        operation: 'readBase',
        key,
      },
    );
  }
  const out: BaseState = { inventory, digest: parsed.digests.sha512!, digests: parsed.digests };
  if (st.etag !== undefined) out.etag = st.etag;
  cache?.set(key, st.etag, st.size, out);
  return out;
}

function wrongObject(objectKey: string, found: string, objectId: string, key: string): InvalidObjectError {
  return new InvalidObjectError(
    `the object at ${quoteForMessage(objectKey)} is ${quoteForMessage(found)}, not ${quoteForMessage(objectId)}`,
    { operation: 'readBase', key },
  );
}

async function refuseMutableHead(store: ReadableStore, objectKey: string, objectId: string, key: string) {
  if (await store.exists(joinKey(objectKey, 'extensions/0005-mutable-head/head/inventory.json'))) {
    throw new UnsupportedError(
      `${quoteForMessage(objectId)} has a mutable head (extension 0005); commit it first`,
      { operation: 'readBase', key },
    );
  }
}

/**
 * Parse the headers at `logicalPaths` of the base head (those present), reading each from its
 * content path. Throws the store's errors; an unparseable header is InvalidObjectError.
 */
export async function readHeaders(
  store: ReadableStore,
  objectKey: string,
  inventory: Inventory | undefined,
  logicalPaths: readonly string[],
): Promise<Map<string, FedoraHeader>> {
  const out = new Map<string, FedoraHeader>();
  if (!inventory) return out;
  const wanted = new Set(logicalPaths);
  const state = inventory.versions[inventory.head]!.state;
  const found: Array<[string, string]> = [];
  // No Object.entries: on a 200,000-path state it allocates an array per entry (≈0.5 s with GC),
  // and the wanted headers are usually a handful, found long before the end.
  search: for (const digest in state) {
    for (const p of state[digest]!) {
      if (!wanted.has(p)) continue;
      found.push([p, digest]);
      if (found.length === wanted.size) break search;
    }
  }
  await Promise.all(
    found.map(async ([logical, digest]) => {
      const contentPath = inventory.manifest[digest]?.[0];
      if (contentPath === undefined) return;
      const key = joinKey(objectKey, contentPath);
      const bytes = await store.readBytes(key, { maxBytes: HEADER_LIMIT });
      out.set(logical, parseFedoraHeader(bytes, contentPath));
    }),
  );
  return out;
}
