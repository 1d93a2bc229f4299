/**
 * The resources (ArchivalGroup / Container / Binary) of an object version, read through the
 * storage port: Fedora headers are read (bounded concurrency, cached by content digest) and
 * handed to the pure model builder in `lib/core/fedora`.
 */
import { headerCacheKey, type InventoryCache } from '../cache/port.js';
import { hasCode } from '../core/errors.js';
import { containerRdfPathFor, containerTitleFromRdf } from '../core/fedora/header-writer.js';
import { MAX_FEDORA_HEADER_BYTES } from '../core/fedora/headers.js';
import {
  buildObjectResources,
  type FedoraHeader,
  isHeaderPath,
  type ObjectResources,
  parseFedoraHeader,
} from '../core/fedora/index.js';
import { assertSafeInventoryPath } from '../core/ocfl/path-safety.js';
import { assertSafeRelativePath } from '../core/paths.js';
import { resolveVersion } from '../core/versions.js';
import { joinKey, type ReadableStore } from '../storage/port.js';
import { mapLimit } from './concurrency.js';
import { objectLocation } from './locations.js';
import type { OcflObject } from './object-reader.js';
import { readSmallFiles } from './small-reads.js';
import type { StorageRoot } from './storage-root.js';

/** Options for {@link readVersionHeaders}. */
export interface ReadHeadersOptions {
  cache?: InventoryCache;
  /** Concurrent reads (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
}

interface CachedHeader {
  kind: 'fcrepo-header';
  header: FedoraHeader;
}

function isCachedHeader(value: unknown): value is CachedHeader {
  const v = value as Partial<CachedHeader> | undefined;
  return v?.kind === 'fcrepo-header' && Array.isArray(v.header?.digests);
}

/**
 * Parsed `.fcrepo/*.json` headers of `version` (of the object's shown inventory) by header
 * logical path. Unparseable headers are left out (lenient reading); a missing content file is
 * an error from the store.
 */
export async function readVersionHeaders(
  store: ReadableStore,
  object: OcflObject,
  version: string,
  options: ReadHeadersOptions = {},
): Promise<Map<string, FedoraHeader>> {
  const algorithm = object.view.digestAlgorithm;
  const files = object.view
    .files(version)
    .filter((f) => isHeaderPath(f.logicalPath) && f.logicalPath.endsWith('.json'));
  // Cached headers first; the rest are read together (in the hashing workers on the filesystem,
  // small-reads.ts), parsed, and put in the cache together, in one turn, so the cache (LMDB)
  // commits them in one transaction: awaiting a put per header (a commit and an fsync each) cost
  // 19 s on a 100,000-file group.
  const cache = options.cache;
  const parsed: Array<FedoraHeader | undefined> = new Array(files.length);
  const missing: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const hit = cache ? await cache.get(headerCacheKey(algorithm, files[i]!.digest)) : undefined;
    if (isCachedHeader(hit)) parsed[i] = hit.header;
    else missing.push(i);
  }
  // The reader already refused unsafe inventory paths; checked again right before the read.
  const keys = missing.map((i) =>
    joinKey(
      object.key,
      assertSafeInventoryPath(files[i]!.contentPath, 'content path', `object ${object.id}`),
    ),
  );
  const read = await readSmallFiles(store, keys, {
    maxBytes: MAX_FEDORA_HEADER_BYTES,
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.signal && { signal: options.signal }),
  });
  const fresh: Array<[string, FedoraHeader]> = [];
  missing.forEach((i, j) => {
    const file = files[i]!;
    try {
      parsed[i] = parseFedoraHeader(read[j]!, file.contentPath);
    } catch (err) {
      if (hasCode(err, 'MALFORMED')) return;
      throw err;
    }
    if (cache) fresh.push([headerCacheKey(algorithm, file.digest), parsed[i]!]);
  });
  if (cache && fresh.length > 0) {
    // After the caller has its answer (encoding 100,000 headers for the cache takes seconds),
    // and never failing it: the headers are in hand, the cache is only for next time.
    setImmediate(() => {
      void Promise.allSettled(
        fresh.map(([key, header]) =>
          cache.put(key, { kind: 'fcrepo-header', header } satisfies CachedHeader),
        ),
      );
    });
  }
  const out = new Map<string, FedoraHeader>();
  files.forEach((f, i) => {
    if (parsed[i]) out.set(f.logicalPath, parsed[i]!);
  });
  return out;
}

/** Options for {@link getObjectResources}. */
export interface ObjectResourcesOptions {
  /** `vN` or a memento timestamp; default the head (the mutable head when shown). */
  version?: string;
  includeMutableHead?: boolean;
  /**
   * Stat content files whose size no inventory or header records (plain OCFL objects without
   * 0009 `size` fixity). Default false: one request per file.
   */
  statSizes?: boolean;
  signal?: AbortSignal;
}

/**
 * The resources of object `objectId` in `root` at a version. Throws NotFoundError for an unknown
 * object or version, InvalidInputError for a malformed version selector.
 */
export async function getObjectResources(
  root: StorageRoot,
  objectId: string,
  options: ObjectResourcesOptions = {},
): Promise<ObjectResources> {
  const object = await root.openObject(objectId, {
    ...(options.includeMutableHead !== undefined && { includeMutableHead: options.includeMutableHead }),
    ...(options.signal && { signal: options.signal }),
  });
  return resourcesOf(root, object, options);
}

/** The resources of an already-read object (see {@link getObjectResources}). */
export async function resourcesOf(
  root: StorageRoot,
  object: OcflObject,
  options: Omit<ObjectResourcesOptions, 'includeMutableHead'> = {},
): Promise<ObjectResources> {
  const version = resolveVersion(object.view, options.version);
  const headers = await readVersionHeaders(root.store, object, version, headerOptions(root, options.signal));
  const location = objectLocation(root.store, root.prefix, object.key);
  const model = buildObjectResources({
    inventory: object.view,
    version,
    headers,
    originFor: location.originFor,
  });
  if (options.statSizes) await fillSizes(root, object, model, options.signal);
  if (model.source === 'fedora')
    await fillContainerTitles(root, object, version, model, headers, options.signal);
  return model;
}

/**
 * Containers keep their name as `dc:title` in their RDF (`fcr-container.nt`, see
 * lib/core/fedora/header-writer.ts): read the non-empty ones (their header gives the size) and
 * use the title as the container's name.
 */
async function fillContainerTitles(
  root: StorageRoot,
  object: OcflObject,
  version: string,
  model: ObjectResources,
  headers: ReadonlyMap<string, FedoraHeader>,
  signal?: AbortSignal,
): Promise<void> {
  const withRdf = new Set<string>();
  for (const h of headers.values()) {
    if (h.contentPath?.endsWith('fcr-container.nt') && (h.contentSize ?? 0) > 0) withRdf.add(h.contentPath);
  }
  if (withRdf.size === 0) return;
  const byLogical = new Map(object.view.files(version).map((f) => [f.logicalPath, f.contentPath]));
  const containers = [...model.byPath.values()].filter((r) => r.type !== 'Binary');
  await mapLimit(containers, 8, async (c) => {
    const rdf = containerRdfPathFor(c.path);
    const contentPath = byLogical.get(rdf);
    if (!withRdf.has(rdf) || contentPath === undefined) return;
    const bytes = await root.store.readBytes(
      joinKey(object.key, assertSafeRelativePath(contentPath, 'content path')),
      {
        maxBytes: MAX_CONTAINER_RDF_BYTES,
        ...(signal && { signal }),
      },
    );
    const title = containerTitleFromRdf(bytes.toString('utf8'));
    if (title !== undefined && title !== '') c.name = title;
  });
}

/** Largest container RDF read for its title (64 KiB). */
export const MAX_CONTAINER_RDF_BYTES = 64 * 1024;

/** Header-reading options that follow the storage root's cache and concurrency. */
export function headerOptions(root: StorageRoot, signal?: AbortSignal): ReadHeadersOptions {
  return {
    ...(root.options.cache && { cache: root.options.cache }),
    ...(root.options.concurrency !== undefined && { concurrency: root.options.concurrency }),
    ...(signal && { signal }),
  };
}

async function fillSizes(
  root: StorageRoot,
  object: OcflObject,
  model: ObjectResources,
  signal?: AbortSignal,
) {
  const unsized = [...model.byPath.values()].filter(
    (r) => r.type === 'Binary' && r.size === undefined && r.contentPath,
  );
  await mapLimit(unsized, root.options.concurrency ?? 8, async (r) => {
    if (r.type !== 'Binary' || !r.contentPath) return;
    signal?.throwIfAborted();
    r.size = (await root.store.stat(joinKey(object.key, r.contentPath))).size;
  });
}
