/**
 * Browsing the repository by path, as the Preservation API's `/repository/{path}` does: the
 * repository root, standalone containers (each its own OCFL object, listing the objects directly
 * below them), Archival Groups (their whole tree) and the containers and binaries inside a group.
 *
 * Which objects sit below a container is known only by walking the storage root (Fedora keeps a
 * database index for it): the walk is done once and kept, and this process's own writes update
 * it (`noteWrite`); `refresh()` walks again.
 */
import { GoneError, hasCode, NotFoundError } from '../core/errors.js';
import { containerTitleFromRdf, fedoraIdOf } from '../core/fedora/header-writer.js';
import { type FedoraHeader, parseFedoraHeader } from '../core/fedora/headers.js';
import type { ObjectResources, Resource } from '../core/fedora/model.js';
import { findResource } from '../core/fedora/model.js';
import { FEDORA_ID_PREFIX, ROOT_HEADER } from '../core/fedora/paths.js';
import { assertSafeRelativePath, quoteForMessage } from '../core/paths.js';
import { joinKey } from '../storage/port.js';
import type { Repository } from './repository.js';

/** What an object at a repository path is. */
export type StructureKind = 'ArchivalGroup' | 'Container';

/** A child object of a container, as listed. */
export interface ChildObject {
  path: string;
  kind: StructureKind;
  name: string;
}

/** What stands at a repository path. */
export type Located =
  | { kind: 'root' }
  | { kind: 'Container'; path: string; objectId: string; header: FedoraHeader; name: string }
  | { kind: 'ArchivalGroup'; path: string; objectId: string; resources: ObjectResources }
  | {
      kind: 'part';
      path: string;
      groupPath: string;
      objectId: string;
      resources: ObjectResources;
      resource: Resource;
    };

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Path-based reading of a repository. */
export class RepositoryBrowser {
  #children?: Promise<Map<string, Map<string, ChildObject>>>;

  constructor(readonly repository: Repository) {}

  /**
   * The object's root header and name (a container's `dc:title`, else the last path element),
   * or undefined when there is no object for `path`.
   */
  async objectSummary(path: string): Promise<{ header: FedoraHeader; name: string } | undefined> {
    const id = fedoraIdOf(path);
    const root = this.repository.root;
    let objectRoot: string;
    try {
      objectRoot = await root.resolveObjectRoot(id);
    } catch (err) {
      if (hasCode(err, 'NOT_FOUND')) return undefined;
      throw err;
    }
    if (!(await root.store.exists(joinKey(root.keyOf(objectRoot), 'inventory.json')))) return undefined;
    const object = await root.openObject(id);
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
    for (let i = parts.length; i >= 1; i--) {
      const prefix = parts.slice(0, i).join('/');
      const summary = await this.objectSummary(prefix);
      if (!summary) continue;
      const { header, name } = summary;
      const objectId = fedoraIdOf(prefix);
      if (header.deleted && prefix === path)
        throw new GoneError(`${quoteForMessage(path)} was deleted`, { key: path });
      if (!header.archivalGroup) {
        if (prefix === path) return { kind: 'Container', path, objectId, header, name };
        break; // below a standalone container only other objects live
      }
      const resources = await this.repository.resources(
        objectId,
        options.version ? { version: options.version } : {},
      );
      if (prefix === path) return { kind: 'ArchivalGroup', path, objectId, resources };
      const resource = findResource(resources, parts.slice(i).join('/'));
      return { kind: 'part', path, groupPath: prefix, objectId, resources, resource };
    }
    throw new NotFoundError(`nothing at ${quoteForMessage(path)}`, { key: path });
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
    this.repository.root.invalidate();
  }

  /** Record a write of this process: `path` now holds `kind` (or nothing, `undefined`). */
  async noteWrite(path: string, kind: StructureKind | undefined, name?: string): Promise<void> {
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
