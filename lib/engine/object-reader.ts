/**
 * Reading one OCFL object root through the storage port: its root inventory (checked against
 * the sidecar), and a 0005 mutable head when there is one.
 *
 * Mutable head decision: by default (`includeMutableHead: true`) the object is shown as its
 * committed versions plus the mutable head as the newest version — the head inventory already
 * lists every committed version and adds version N+1. That is what ocfl-java (and so Fedora)
 * treats as current, and Fedora with auto-versioning off keeps all current state there; a reader
 * that ignored it would show stale content. `includeMutableHead: false` shows only what is
 * committed. The pre-release Fedora naming `extensions/mutable-head/HEAD` is read the same way
 * and reported with `naming: 'legacy'`.
 *
 * Parsing is lenient (enough shape to navigate: id, head, digestAlgorithm, manifest, versions
 * with created and state); strict validation is the validator's job. A sidecar that does not
 * match is reported in `sidecar.matches`, not thrown.
 *
 * Caching: with a cache, each read lists the object root and reads the sidecar(s) only; the
 * parsed inventories come from the cache under a key of location + sidecar digest(s) + schema
 * version, so a new commit (new sidecar) is a new key. Parsed data is put after a miss.
 */
import {
  type InventorySnapshot,
  isInventorySnapshot,
  snapshotInventory,
  snapshotView,
} from '../cache/inventory-snapshot.js';
import { type InventoryCache, objectCacheKey } from '../cache/port.js';
import { hasCode, InvalidObjectError, NotFoundError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import { canCompute, digestBytes } from '../core/ocfl/digests.js';
import { MAX_SIDECAR_BYTES } from '../core/ocfl/limits.js';
import { truncateForMessage } from '../core/paths.js';
import { type InventoryView, inventoryView } from '../core/versions.js';
import { joinKey, type ReadableStore } from '../storage/port.js';
import { LenientInventoryReader, parseInventoryLenient, readInventory } from './inventory-reading.js';

/** Directory of a 0005 mutable head, relative to the object root. */
export const MUTABLE_HEAD_DIR = 'extensions/0005-mutable-head/head';
/** Pre-release Fedora 6 / early ocfl-java naming of the same thing. */
export const LEGACY_MUTABLE_HEAD_DIR = 'extensions/mutable-head/HEAD';

/** The sidecar of an inventory and whether it matches the bytes read. */
export interface SidecarCheck {
  algorithm: string;
  /** Digest written in the sidecar (lowercase). */
  recorded: string;
  /** Digest of the inventory bytes when they were parsed (lowercase). */
  actual: string;
  matches: boolean;
}

/** A mutable head found in an object. */
export interface MutableHead {
  naming: '0005' | 'legacy';
  /** Head directory relative to the object root. */
  dir: string;
  /** Version the head would be committed as (its inventory's `head`). */
  version: string;
  sidecar?: SidecarCheck;
  view: InventoryView;
}

/** One object as read. */
export interface OcflObject {
  id: string;
  /** Store key of the object root. */
  key: string;
  /** URI of the object root (store URI + key): the cache's location. */
  location: string;
  /** The committed root inventory. */
  committed: InventoryView;
  sidecar?: SidecarCheck;
  mutableHead?: MutableHead;
  /** What to show: the mutable head's inventory when present and included, else the committed one. */
  view: InventoryView;
  /** True when `view` is the mutable head's. */
  showsMutableHead: boolean;
  /** True when the parsed inventories came from the cache. */
  fromCache: boolean;
  /** The full inventory behind `view` (rebuilt from the cache's compact form when needed). */
  inventory(): Inventory;
}

/** Options for {@link readObject}. */
export interface ReadObjectOptions {
  /** Show the mutable head as the newest version (default true; see module doc). */
  includeMutableHead?: boolean;
  cache?: InventoryCache;
  /**
   * Put the parsed inventories in the cache after a miss (default true). Callers that cache
   * their own result (the storage map) turn it off: snapshotting a large inventory costs more
   * than parsing it, and their later calls never read it.
   */
  putInCache?: boolean;
  signal?: AbortSignal;
}

/** What is cached per object (value of {@link objectCacheKey}). */
interface ObjectEntry {
  kind: 'ocfl-object';
  committed: InventorySnapshot;
  sidecar?: SidecarCheck;
  head?: { naming: '0005' | 'legacy'; dir: string; sidecar?: SidecarCheck; snapshot: InventorySnapshot };
}

function isObjectEntry(value: unknown): value is ObjectEntry {
  const v = value as Partial<ObjectEntry> | undefined;
  return (
    v?.kind === 'ocfl-object' &&
    isInventorySnapshot(v.committed) &&
    (!v.head || isInventorySnapshot(v.head.snapshot))
  );
}

/**
 * The files and sub-directories directly in `dir`. FIFOs, sockets, devices and undecodable
 * names count as files (they are there) and are also in `special`: never read one.
 */
async function listDir(store: ReadableStore, dir: string, signal?: AbortSignal) {
  const files = new Set<string>();
  const dirs = new Set<string>();
  const special = new Set<string>();
  for await (const entry of store.list(dir, { delimiter: true, ...(signal && { signal }) })) {
    const name = entry.key.slice(entry.key.lastIndexOf('/') + 1);
    if (entry.kind === 'prefix') dirs.add(name);
    else files.add(name);
    if (entry.kind === 'other') special.add(name);
  }
  return { files, dirs, special };
}

const OBJECT_DECLARATION = /^0=ocfl_object_/;

/** InvalidObjectError for a file we must read that is a FIFO, device or the like. */
function notAFile(key: string): InvalidObjectError {
  return new InvalidObjectError(`${truncateForMessage(key)} is not a regular file: not read`, {
    operation: 'readObject',
    key,
  });
}

const PREFERRED_SIDECARS = ['sha512', 'sha256'];

/** The sidecar file to trust: the inventory's usual algorithms first, then any other. */
function pickSidecar(files: Set<string>): string | undefined {
  const algorithms = [...files].filter((f) => f.startsWith('inventory.json.')).map((f) => f.slice(15));
  return PREFERRED_SIDECARS.find((a) => algorithms.includes(a)) ?? algorithms.sort()[0];
}

/** The digest in a sidecar's text (its first token), lowercased; undefined when blank. */
export function parseSidecar(text: string): string | undefined {
  const token = text.trim().split(/\s+/)[0];
  return token ? token.toLowerCase() : undefined;
}

/** An inventory file of the object and its sidecar. */
export interface InventoryFiles {
  dir: string;
  sidecarAlgorithm?: string;
  recorded?: string;
}

async function readSidecar(
  store: ReadableStore,
  objectKey: string,
  dir: string,
  listed: { files: Set<string>; special: Set<string> },
  signal?: AbortSignal,
): Promise<InventoryFiles> {
  if (listed.special.has('inventory.json')) throw notAFile(joinKey(objectKey, dir, 'inventory.json'));
  const algorithm = pickSidecar(listed.files);
  if (algorithm === undefined) return { dir };
  const key = joinKey(objectKey, dir, `inventory.json.${algorithm}`);
  if (listed.special.has(`inventory.json.${algorithm}`)) throw notAFile(key);
  let bytes: Buffer;
  try {
    bytes = await store.readBytes(key, { maxBytes: MAX_SIDECAR_BYTES, ...(signal && { signal }) });
  } catch (err) {
    if (!hasCode(err, 'TOO_LARGE')) throw err;
    // A sidecar is ~150 bytes; a large one is not a sidecar, and its junk must not pass as one.
    throw new InvalidObjectError(
      `${truncateForMessage(key)} is larger than ${MAX_SIDECAR_BYTES} bytes: not an inventory sidecar`,
      { operation: 'readObject', key },
    );
  }
  const recorded = parseSidecar(bytes.toString('utf8'));
  return recorded === undefined
    ? { dir, sidecarAlgorithm: algorithm }
    : { dir, sidecarAlgorithm: algorithm, recorded };
}

/** Find a mutable head directory (0005, else legacy) with an inventory in it: one listing of `extensions/`, one of the head. */
async function findMutableHead(store: ReadableStore, objectKey: string, signal?: AbortSignal) {
  const { dirs } = await listDir(store, joinKey(objectKey, 'extensions'), signal);
  for (const [dir, naming] of [
    [MUTABLE_HEAD_DIR, '0005'],
    [LEGACY_MUTABLE_HEAD_DIR, 'legacy'],
  ] as const) {
    if (!dirs.has(dir.split('/')[1]!)) continue;
    const listed = await listDir(store, joinKey(objectKey, dir), signal);
    if (listed.files.has('inventory.json')) return { dir, naming, listed };
  }
  return undefined;
}

/**
 * What a cheap look at an object root finds (one listing, the sidecars): enough to know the
 * object's cache key before anything large is read. Pass it to {@link readProbedObject}.
 */
export interface ObjectProbe {
  /** Store key of the object root. */
  key: string;
  /** URI of the object root (store URI + key). */
  location: string;
  /** Key of the object's parsed state ({@link objectCacheKey}); undefined when a sidecar is missing or blank. */
  cacheKey?: string;
  rootFiles: InventoryFiles;
  headAt?: { dir: string; naming: '0005' | 'legacy' };
  headFiles?: InventoryFiles;
}

/**
 * Look at the object root at store key `key`: list it, find a mutable head, read the sidecars.
 * Throws NotFoundError when nothing is there, or no declaration and no inventory.json (an object
 * whose first version is being written), InvalidObjectError when a declared object has no
 * inventory.json or it is not a regular file, IoError from the store.
 */
export async function probeObject(
  store: ReadableStore,
  key: string,
  options: { signal?: AbortSignal } = {},
): Promise<ObjectProbe> {
  const { signal } = options;
  const root = await listDir(store, key, signal);
  if (root.special.has('inventory.json')) throw notAFile(joinKey(key, 'inventory.json'));
  if (!root.files.has('inventory.json')) {
    // Undeclared and without a root inventory: no object yet (a writer creates the first
    // version, then the root inventory — the commit point — then the declaration). Declared
    // without one: an object that lost its root inventory.
    if (![...root.files].some((f) => OBJECT_DECLARATION.test(f))) {
      const what = root.files.size === 0 && root.dirs.size === 0 ? '' : ' (an object being created)';
      throw new NotFoundError(`no OCFL object at ${key}${what}`, { operation: 'readObject', key });
    }
    throw new InvalidObjectError(`object root ${key} has no inventory.json`, {
      operation: 'readObject',
      key,
    });
  }
  const rootFiles = await readSidecar(store, key, '', root, signal);
  const headAt = root.dirs.has('extensions') ? await findMutableHead(store, key, signal) : undefined;
  const headFiles = headAt && (await readSidecar(store, key, headAt.dir, headAt.listed, signal));
  const location = `${store.uri.replace(/\/+$/, '')}/${key}`;
  const digests = [rootFiles.recorded, ...(headFiles ? [headFiles.recorded] : [])];
  const probe: ObjectProbe = { key, location, rootFiles };
  if (digests.every((d) => d !== undefined)) probe.cacheKey = objectCacheKey(location, digests as string[]);
  if (headAt && headFiles) {
    probe.headAt = { dir: headAt.dir, naming: headAt.naming };
    probe.headFiles = headFiles;
  }
  return probe;
}

/**
 * Read the object whose root is at store key `key`. Throws NotFoundError when nothing is there,
 * InvalidObjectError when there is no usable root inventory, IoError from the store.
 */
export async function readObject(
  store: ReadableStore,
  key: string,
  options: ReadObjectOptions = {},
): Promise<OcflObject> {
  return readProbedObject(store, await probeObject(store, key, options), options);
}

/** Read an object already probed by {@link probeObject} (the cache is consulted first). */
export async function readProbedObject(
  store: ReadableStore,
  probe: ObjectProbe,
  options: ReadObjectOptions = {},
): Promise<OcflObject> {
  const { signal, cache } = options;
  const { key, location, cacheKey, rootFiles, headAt, headFiles } = probe;
  if (cache && cacheKey) {
    const hit = await cache.get(cacheKey);
    // Tables are unpacked lazily: a damaged value (a cache file is someone's data too) surfaces
    // as MalformedError from the view, never as a RangeError.
    if (isObjectEntry(hit)) return fromEntry(hit, key, location, options, true);
  }
  const entry: ObjectEntry = { kind: 'ocfl-object', committed: undefined as never };
  const committed = await loadInventory(store, key, rootFiles, signal);
  if (committed.sidecar) entry.sidecar = committed.sidecar;
  let head: Loaded | undefined;
  if (headAt && headFiles) head = await loadInventory(store, key, headFiles, signal);
  if (cache && cacheKey && options.putInCache !== false) {
    entry.committed = snapshotInventory(committed.inventory);
    if (head && headAt) {
      entry.head = { naming: headAt.naming, dir: headAt.dir, snapshot: snapshotInventory(head.inventory) };
      if (head.sidecar) entry.head.sidecar = head.sidecar;
    }
    await cache.put(cacheKey, entry);
  }
  return assemble(key, location, options, false, committed, head && headAt && { ...head, ...headAt });
}

interface Loaded {
  inventory: Inventory;
  view: InventoryView;
  sidecar?: SidecarCheck;
  materialise: () => Inventory;
}

/** Web Crypto names of the sidecar algorithms it can compute off the main thread. */
const SUBTLE_NAMES: Record<string, string> = { sha512: 'SHA-512', sha256: 'SHA-256', sha1: 'SHA-1' };

/**
 * Lowercase hex digest of `bytes`. Web Crypto hashes on libuv's thread pool, so for the usual
 * algorithms the digest of a large inventory is computed while the main thread parses it.
 */
async function digestOffThread(bytes: Uint8Array, algorithm: string): Promise<string | undefined> {
  const name = SUBTLE_NAMES[algorithm];
  if (name === undefined) return digestBytes(bytes, [algorithm])[algorithm]?.toLowerCase();
  return Buffer.from(await globalThis.crypto.subtle.digest(name, bytes)).toString('hex');
}

async function loadInventory(
  store: ReadableStore,
  objectKey: string,
  at: InventoryFiles,
  signal?: AbortSignal,
): Promise<Loaded> {
  const inventoryKey = joinKey(objectKey, at.dir, 'inventory.json');
  const { sidecarAlgorithm: algorithm, recorded } = at;
  const wanted = algorithm && recorded ? algorithm : undefined;
  const read = await readInventory(
    store,
    inventoryKey,
    {
      whole: async (bytes) => {
        const digest = wanted ? digestOffThread(bytes, wanted) : undefined;
        // Parse while the digest is computed; a parse error still waits for it (no stray rejection).
        try {
          return { inventory: parseInventoryLenient(bytes, inventoryKey), digest: await digest };
        } finally {
          await digest?.catch(() => undefined);
        }
      },
      streamed: () => {
        // A large inventory: digested as it is scanned, never held whole.
        const reader = new LenientInventoryReader(
          inventoryKey,
          wanted && canCompute(wanted) ? wanted : undefined,
        );
        return {
          push: (chunk) => reader.push(chunk),
          get failed() {
            return reader.failed;
          },
          end: () => ({ inventory: reader.end(), digest: reader.digest }),
        };
      },
    },
    signal ? { signal } : {},
  );
  const inventory = read.inventory;
  const loaded: Loaded = { inventory, view: inventoryView(inventory), materialise: () => inventory };
  const actual = read.digest?.toLowerCase();
  if (algorithm && recorded && actual !== undefined) {
    loaded.sidecar = { algorithm, recorded, actual, matches: actual === recorded };
  }
  return loaded;
}

function fromEntry(
  entry: ObjectEntry,
  key: string,
  location: string,
  options: ReadObjectOptions,
  fromCache: boolean,
) {
  const committedView = snapshotView(entry.committed);
  const committed: Loaded = {
    inventory: undefined as never,
    view: committedView,
    materialise: () => committedView.toInventory(),
    ...(entry.sidecar && { sidecar: entry.sidecar }),
  };
  let head: (Loaded & { naming: '0005' | 'legacy'; dir: string }) | undefined;
  if (entry.head) {
    const headView = snapshotView(entry.head.snapshot);
    head = {
      inventory: undefined as never,
      view: headView,
      materialise: () => headView.toInventory(),
      naming: entry.head.naming,
      dir: entry.head.dir,
      ...(entry.head.sidecar && { sidecar: entry.head.sidecar }),
    };
  }
  return assemble(key, location, options, fromCache, committed, head);
}

function assemble(
  key: string,
  location: string,
  options: ReadObjectOptions,
  fromCache: boolean,
  committed: Loaded,
  head: (Loaded & { naming: '0005' | 'legacy'; dir: string }) | undefined,
): OcflObject {
  const showHead = head !== undefined && options.includeMutableHead !== false;
  const shown = showHead ? head! : committed;
  const out: OcflObject = {
    id: committed.view.id,
    key,
    location,
    committed: committed.view,
    view: shown.view,
    showsMutableHead: showHead,
    fromCache,
    inventory: shown.materialise,
  };
  if (committed.sidecar) out.sidecar = committed.sidecar;
  if (head) {
    out.mutableHead = { naming: head.naming, dir: head.dir, version: head.view.head, view: head.view };
    if (head.sidecar) out.mutableHead.sidecar = head.sidecar;
  }
  return out;
}

export { parseInventoryLenient, readInventoryBytes } from './inventory-reading.js';
