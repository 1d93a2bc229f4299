/**
 * The resources the Preservation API shows for one version of one OCFL object: an
 * ArchivalGroup (or, for Fedora objects outside an AG, a Container or Binary) at the object
 * root, with nested Containers and Binaries. Resource ids are `path`s relative to the object
 * root (`''` is the root); the server turns them into URIs. Tombstones are resources that
 * existed and were deleted: looking one up is a GoneError, not a NotFoundError.
 */
import { GoneError, NotFoundError } from '../errors.js';
import type { VersionInfo } from '../versions.js';

/** Properties every resource has. */
export interface ResourceBase {
  type: 'ArchivalGroup' | 'Container' | 'Binary';
  /** Path relative to the object root, `/`-separated; `''` for the resource at the root. */
  path: string;
  /** Original name (any UTF-8). */
  name: string;
  /** Fedora id (`info:fedora/…`), for objects Fedora wrote. */
  fedoraId?: string;
  created?: string;
  createdBy?: string;
  lastModified?: string;
  lastModifiedBy?: string;
  /** Path of the enclosing ArchivalGroup (`''` = the object root); absent outside an AG. */
  partOf?: string;
}

/** A Binary: one file. */
export interface BinaryResource extends ResourceBase {
  type: 'Binary';
  contentType?: string;
  /** Bytes, when recorded (Fedora header, fixity `size`) or measured. */
  size?: number;
  /** Lowercase hex SHA-256, when recorded anywhere (header, fixity, or a sha256 inventory). */
  digest?: string;
  /** Every digest known for the content: OCFL algorithm name → lowercase hex. */
  digests: Record<string, string>;
  /** Logical path of the content in the OCFL version state. */
  logicalPath?: string;
  /** Content path (relative to the object root) of the bytes; the storage map's `fullPath`. */
  contentPath?: string;
  /** URI of the stored bytes (`s3://bucket/…`, `file:///…`), or the external URL of a Fedora external binary. */
  origin?: string;
}

/** A Container: a folder. */
export interface ContainerResource extends ResourceBase {
  type: 'Container' | 'ArchivalGroup';
  containers: ContainerResource[];
  binaries: BinaryResource[];
}

/** The ArchivalGroup at an object root, with its versions. */
export interface ArchivalGroupResource extends ContainerResource {
  type: 'ArchivalGroup';
  version: VersionInfo;
  versions: VersionInfo[];
}

/** Any resource. */
export type Resource = ContainerResource | BinaryResource;

/** A deleted resource. */
export interface Tombstone {
  path: string;
  fedoraId?: string;
  /** What it was, when known. */
  type?: 'Container' | 'Binary';
  /** When it was deleted (Fedora header `lastModifiedDate`, or the version that dropped it). */
  deleted?: string;
}

/** The resources of one version of one object. */
export interface ObjectResources {
  /** `fedora` when `.fcrepo` headers drove the model, `ocfl` when synthesised from logical paths. */
  source: 'fedora' | 'ocfl';
  objectId: string;
  version: VersionInfo;
  versions: VersionInfo[];
  root: Resource;
  /** Every live resource by path. */
  byPath: Map<string, Resource>;
  tombstones: Tombstone[];
}

/**
 * The live resource at `path` (`''` = the object root). Throws GoneError for a tombstone,
 * NotFoundError otherwise.
 */
export function findResource(model: ObjectResources, path: string): Resource {
  const clean = path.replace(/^\/+|\/+$/g, '');
  const found = model.byPath.get(clean);
  if (found) return found;
  const gone = model.tombstones.find((t) => t.path === clean);
  if (gone) {
    throw new GoneError(
      `${clean} in ${model.objectId} was deleted${gone.deleted ? ` at ${gone.deleted}` : ''}`,
      {
        operation: 'findResource',
        key: clean,
      },
    );
  }
  throw new NotFoundError(`no resource ${clean} in ${model.objectId} at ${model.version.ocflVersion}`, {
    operation: 'findResource',
    key: clean,
  });
}

/** Last `/`-segment of a path. */
export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Parent path (`''` for a top-level path). */
export function parentPath(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/** A fresh empty Container at `path`. */
export function emptyContainer(path: string, name = lastSegment(path)): ContainerResource {
  return { type: 'Container', path, name, containers: [], binaries: [] };
}

/**
 * Attach every non-root resource to its parent Container, creating the intermediate Containers
 * that have no resource of their own (Fedora "ghost" nodes, plain OCFL directories). Children
 * are sorted by path. Binaries never have children: a resource under a Binary is dropped from
 * the tree (it stays in `byPath`).
 */
export function linkTree(root: Resource, byPath: Map<string, Resource>): void {
  const paths = [...byPath.keys()].filter((p) => p !== '').sort();
  for (const path of paths) {
    const parent = ensureContainer(parentPath(path), root, byPath);
    if (!parent) continue;
    const child = byPath.get(path)!;
    if (child.type === 'Binary') parent.binaries.push(child);
    else parent.containers.push(child);
  }
  const byPathOrder = (a: Resource, b: Resource) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  for (const r of [root, ...byPath.values()]) {
    if (r.type === 'Binary') continue;
    r.containers.sort(byPathOrder);
    r.binaries.sort(byPathOrder);
  }
}

function ensureContainer(
  path: string,
  root: Resource,
  byPath: Map<string, Resource>,
): ContainerResource | undefined {
  if (path === '') return root.type === 'Binary' ? undefined : root;
  const existing = byPath.get(path);
  if (existing) return existing.type === 'Binary' ? undefined : existing;
  const created = emptyContainer(path);
  if (root.type === 'ArchivalGroup') created.partOf = '';
  byPath.set(path, created);
  const parent = ensureContainer(parentPath(path), root, byPath);
  parent?.containers.push(created);
  return created;
}
