/**
 * Browsing the repository by path, as the Preservation API's `/repository/{path}` does: the
 * repository root, standalone containers (each its own OCFL object, listing the objects directly
 * below them), Archival Groups (their whole tree) and the containers and binaries inside a group.
 *
 * Which objects sit below a container is known only by walking the storage root (Fedora keeps a
 * database index for it): the walk is done once and kept, and this process's own writes update
 * it (`noteWrite`); `refresh()` walks again.
 *
 * Objects read are kept between calls (kept-objects.ts): each call probes the object root (one
 * listing and the inventory sidecar) and reuses the parsed inventory, resources and storage maps
 * while the sidecar is unchanged, so a request for one file of a large group does not parse the
 * group's inventory or read its Fedora headers again.
 */
import type { Readable } from 'node:stream';
import { storageMapCacheKey } from '../cache/port.js';
import { GoneError, hasCode, InvalidInputError, NotFoundError } from '../core/errors.js';
import { containerTitleFromRdf, fedoraIdOf } from '../core/fedora/header-writer.js';
import { type FedoraHeader, parseFedoraHeader } from '../core/fedora/headers.js';
import type { BinaryResource, ObjectResources, Resource } from '../core/fedora/model.js';
import { findResource } from '../core/fedora/model.js';
import { FEDORA_ID_PREFIX, ROOT_HEADER } from '../core/fedora/paths.js';
import { assertSafeRelativePath, quoteForMessage } from '../core/paths.js';
import type { StorageMap } from '../core/storage-map.js';
import { resolveVersion } from '../core/versions.js';
import { resourcesOf } from '../engine/fedora-resources.js';
import type { ObjectProbe, OcflObject } from '../engine/object-reader.js';
import { storageMapOf } from '../engine/storage-maps.js';
import { joinKey } from '../storage/port.js';
import { DEFAULT_MAX_KEPT_FILES, type KeptObject, KeptObjects, once } from './kept-objects.js';
import type { Repository } from './repository.js';

/** What an object at a repository path is. */
export type StructureKind = 'ArchivalGroup' | 'Container';

/** A child object of a container, as listed. */
export interface ChildObject {
  path: string;
  kind: StructureKind;
  name: string;
}

/** What stands at a repository path. `object` is the group's object as read (for its files). */
export type Located =
  | { kind: 'root' }
  | { kind: 'Container'; path: string; objectId: string; header: FedoraHeader; name: string }
  | { kind: 'ArchivalGroup'; path: string; objectId: string; resources: ObjectResources; object: OcflObject }
  | {
      kind: 'part';
      path: string;
      groupPath: string;
      objectId: string;
      resources: ObjectResources;
      resource: Resource;
      object: OcflObject;
    };

/** The stored bytes of a Binary: their size, and a way to read them (all, or an inclusive range). */
export interface BinaryContent {
  size: number;
  /** Open the content (or the inclusive byte `range` of it) as a stream. Throws the store's errors. */
  open(range?: { start: number; end: number }): Promise<Readable>;
}

/** Options of {@link RepositoryBrowser}. */
export interface RepositoryBrowserOptions {
  /**
   * Most logical files, summed over objects, whose parsed inventory, resources and storage maps
   * are kept between calls (default {@link DEFAULT_MAX_KEPT_FILES}; 0 keeps nothing).
   */
  maxKeptFiles?: number;
}

interface ObjectSummary {
  header: FedoraHeader;
  name: string;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Path-based reading of a repository. */
export class RepositoryBrowser {
  #children?: Promise<Map<string, Map<string, ChildObject>>>;
  readonly #kept: KeptObjects<ObjectSummary | undefined>;

  constructor(
    readonly repository: Repository,
    options: RepositoryBrowserOptions = {},
  ) {
    this.#kept = new KeptObjects(options.maxKeptFiles ?? DEFAULT_MAX_KEPT_FILES);
  }

  /**
   * The object's root header and name (a container's `dc:title`, else the last path element),
   * or undefined when there is no object for `path`.
   */
  async objectSummary(path: string): Promise<{ header: FedoraHeader; name: string } | undefined> {
    return (await this.objectAt(path))?.summary;
  }

  /** The object at `path` as kept (read again when its sidecar changed), or undefined. */
  private async objectAt(path: string): Promise<KeptObject<ObjectSummary | undefined> | undefined> {
    const id = fedoraIdOf(path);
    let probe: ObjectProbe;
    try {
      probe = await this.repository.root.probeObject(id);
    } catch (err) {
      if (hasCode(err, 'NOT_FOUND')) return undefined;
      // A declared object without a root inventory counts as no object (only a broken one throws).
      if (hasCode(err, 'INVALID_OBJECT') && !(await this.hasInventory(id))) return undefined;
      throw err;
    }
    return this.#kept.get(id, probe.cacheKey, () => this.readObject(id, path, probe));
  }

  private async hasInventory(id: string): Promise<boolean> {
    const root = this.repository.root;
    const objectRoot = await root.resolveObjectRoot(id);
    return root.store.exists(joinKey(root.keyOf(objectRoot), 'inventory.json'));
  }

  private async readObject(
    id: string,
    path: string,
    probe: ObjectProbe,
  ): Promise<KeptObject<ObjectSummary | undefined>> {
    const object = await this.repository.root.openObject(id, {}, probe);
    return {
      object,
      summary: await this.summaryOf(object, path),
      resources: new Map(),
      storageMaps: new Map(),
      storageMapTexts: new Map(),
    };
  }

  private async summaryOf(object: OcflObject, path: string): Promise<ObjectSummary | undefined> {
    const root = this.repository.root;
    const files = object.view.files(object.view.head);
    const read = async (logical: string, max: number) => {
      const file = files.find((f) => f.logicalPath === logical);
      if (!file) return undefined;
      const key = joinKey(object.key, assertSafeRelativePath(file.contentPath, 'content path'));
      return (await root.store.readBytes(key, { maxBytes: max })).toString('utf8');
    };
    const headerText = await read(ROOT_HEADER, 1 << 20);
    if (headerText === undefined) return undefined;
    const header = parseFedoraHeader(headerText);
    const rdf = (header.contentSize ?? 0) > 0 ? await read('fcr-container.nt', 64 * 1024) : undefined;
    const title = rdf === undefined ? undefined : containerTitleFromRdf(rdf);
    return { header, name: title || lastSegment(path) };
  }

  /**
   * What is at `path` (`''`: the repository root) at `version` (groups only; default the head).
   * Throws NotFoundError, GoneError (a tombstone), InvalidInputError (a bad version).
   */
  async locate(path: string, options: { version?: string } = {}): Promise<Located> {
    if (path === '') return { kind: 'root' };
    const parts = path.split('/');
    // Nothing inside a group is an object of its own (its parts live in the group's object), so
    // below a group known from an earlier call only that group is checked, not every deeper
    // prefix (three or four store lookups fewer for each file of a group).
    const depth = this.keptGroupAbove(parts);
    if (depth !== undefined) {
      const found = await this.locateAt(path, parts, depth, options);
      if (found !== undefined && found !== 'stop' && found.kind === 'part') return found;
    }
    for (let i = parts.length; i >= 1; i--) {
      const found = await this.locateAt(path, parts, i, options);
      if (found === 'stop') break; // below a standalone container only other objects live
      if (found !== undefined) return found;
    }
    throw new NotFoundError(`nothing at ${quoteForMessage(path)}`, { key: path });
  }

  /** The depth of a live Archival Group kept from an earlier call that is above `parts`. */
  private keptGroupAbove(parts: string[]): number | undefined {
    for (let i = 1; i < parts.length; i++) {
      const header = this.#kept.peek(fedoraIdOf(parts.slice(0, i).join('/')))?.summary?.header;
      if (header?.archivalGroup && !header.deleted) return i;
    }
    return undefined;
  }

  /** What the object at the first `i` parts of `path` makes of `path`: undefined when there is none. */
  private async locateAt(
    path: string,
    parts: string[],
    i: number,
    options: { version?: string },
  ): Promise<Located | 'stop' | undefined> {
    const prefix = parts.slice(0, i).join('/');
    const kept = await this.objectAt(prefix);
    if (!kept?.summary) return undefined;
    const { header, name } = kept.summary;
    const objectId = fedoraIdOf(prefix);
    if (header.deleted && prefix === path)
      throw new GoneError(`${quoteForMessage(path)} was deleted`, { key: path });
    if (!header.archivalGroup) {
      return prefix === path ? { kind: 'Container', path, objectId, header, name } : 'stop';
    }
    const { object } = kept;
    const version = resolveVersion(object.view, options.version);
    const resources = await once(kept.resources, version, () =>
      resourcesOf(this.repository.root, object, { version }),
    );
    if (prefix === path) return { kind: 'ArchivalGroup', path, objectId, resources, object };
    const resource = findResource(resources, parts.slice(i).join('/'));
    return { kind: 'part', path, groupPath: prefix, objectId, resources, resource, object };
  }

  /**
   * The StorageMap of the group `located` at its version (built once per version while the group
   * is unchanged).
   */
  async storageMap(located: Extract<Located, { kind: 'ArchivalGroup' }>): Promise<StorageMap> {
    const version = located.resources.version.ocflVersion;
    const build = () => storageMapOf(this.repository.root, located.object, { version });
    const kept = await this.objectAt(located.path);
    // A group changed since it was located: build for the object the caller holds, keep nothing.
    return kept?.object === located.object ? once(kept.storageMaps, version, build) : build();
  }

  /**
   * The StorageMap of the Archival Group at `path` as pretty-printed JSON text (what
   * `Repository.storageMapJson` gives), at `version` (vN or a memento timestamp; default the
   * head). Neither the group's resources nor its Fedora headers are read. Throws
   * InvalidInputError when `path` is not an Archival Group (or for a bad version),
   * NotFoundError, GoneError.
   */
  async storageMapJson(path: string, options: { version?: string } = {}): Promise<string> {
    // A restarted server: the text made before is in the cache under the object's sidecar
    // digests (any change to the object is a new key), so nothing else is read.
    const cache = this.repository.root.options.cache;
    const byName = options.version === undefined || /^v\d+$/.test(options.version);
    const slot =
      cache && byName && path !== '' && !this.#kept.peek(fedoraIdOf(path))
        ? await this.jsonSlot(path, options.version)
        : undefined;
    if (slot) {
      const hit = await cache!.get(slot);
      if (typeof hit === 'string') return hit;
    }
    const kept = path === '' ? undefined : await this.objectAt(path);
    const header = kept?.summary?.header;
    if (!kept || !header || header.deleted || !header.archivalGroup) {
      // The usual answer for what is there (404, 410, or a container or part: not a group).
      await this.locate(path);
      throw new InvalidInputError(`${quoteForMessage(path)} is not an Archival Group`);
    }
    const version = resolveVersion(kept.object.view, options.version);
    return once(kept.storageMapTexts, version, async () => {
      const map = await once(kept.storageMaps, version, () =>
        storageMapOf(this.repository.root, kept.object, { version }),
      );
      const json = JSON.stringify(map, null, 2);
      // The slot probed above when the object was not kept; a kept object's first map probes now.
      const key = slot ?? (cache && byName ? await this.jsonSlot(path, options.version) : undefined);
      // After the answer, and never failing it: the cache is only for the next process.
      if (key) setImmediate(() => void cache!.put(key, json).catch(() => {}));
      return json;
    });
  }

  /** The cache key of the storage-map text of the group at `path` (vN or head), if it has one. */
  private async jsonSlot(path: string, version: string | undefined): Promise<string | undefined> {
    try {
      const probe = await this.repository.root.probeObject(fedoraIdOf(path));
      const includeMutableHead = this.repository.root.includeMutableHead;
      return (
        probe.cacheKey &&
        `${storageMapCacheKey(probe.cacheKey, { version, includeMutableHead })}|browser-json`
      );
    } catch {
      return undefined; // whatever is wrong is said by the slow path
    }
  }

  /**
   * The stored bytes of the Binary `located`, read from its content file without reading the
   * group's inventory again; the size is the recorded one, else the file's. Throws
   * NotFoundError (no stored content: an external binary), PathEscapeError (an unsafe content
   * path), the store's errors.
   */
  async content(located: Extract<Located, { kind: 'part' }>): Promise<BinaryContent> {
    const binary = located.resource as BinaryResource;
    if (binary.type !== 'Binary' || binary.contentPath === undefined || binary.logicalPath === undefined) {
      throw new NotFoundError(`${quoteForMessage(located.path)} has no stored content`, {
        key: located.path,
      });
    }
    const store = this.repository.store;
    const key = joinKey(located.object.key, assertSafeRelativePath(binary.contentPath, 'content path'));
    const size = binary.size ?? (await store.stat(key)).size;
    return {
      size,
      open: (range) => store.read(key, range ? { start: range.start, end: range.end } : {}),
    };
  }

  /** The live objects directly below `path` (`''`: the repository root), sorted by path. */
  async childObjects(path: string): Promise<ChildObject[]> {
    this.#children ??= this.build();
    const index = await this.#children;
    return [...(index.get(path)?.values() ?? [])].sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** Forget the containment index (the next listing walks the storage root again). */
  refresh(): void {
    this.#children = undefined;
    this.#kept.clear();
    this.repository.root.invalidate();
  }

  /** Record a write of this process: `path` now holds `kind` (or nothing, `undefined`). */
  async noteWrite(path: string, kind: StructureKind | undefined, name?: string): Promise<void> {
    this.#kept.forget(fedoraIdOf(path));
    if (!this.#children) return;
    const index = await this.#children;
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const siblings = index.get(parent) ?? new Map<string, ChildObject>();
    index.set(parent, siblings);
    if (kind === undefined) siblings.delete(path);
    else siblings.set(path, { path, kind, name: name ?? siblings.get(path)?.name ?? lastSegment(path) });
  }

  private async build(): Promise<Map<string, Map<string, ChildObject>>> {
    const index = new Map<string, Map<string, ChildObject>>();
    for await (const ref of this.repository.listObjects()) {
      if (!ref.id?.startsWith(`${FEDORA_ID_PREFIX}/`)) continue;
      const path = ref.id.slice(FEDORA_ID_PREFIX.length + 1);
      const summary = await this.objectSummary(path).catch(() => undefined);
      if (!summary || summary.header.deleted) continue;
      const { header } = summary;
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      const siblings = index.get(parent) ?? new Map<string, ChildObject>();
      index.set(parent, siblings);
      siblings.set(path, {
        path,
        kind: header.archivalGroup ? 'ArchivalGroup' : 'Container',
        name: summary.name,
      });
    }
    return index;
  }
}
