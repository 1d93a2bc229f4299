/**
 * The Preservation API's repository resources as JSON: RepositoryRoot, Container, Binary and
 * ArchivalGroup (spec "Resource Types"), built from the engine's resource model. Ids are
 * absolute URLs under the base URL; path segments go through the reversible name ↔ id mapping
 * (permitted characters, `%` escapes), names keep the original.
 */
import type { fedora, StorageMap } from '../../lib/index.js';
import { resourcePathToIdPath } from '../../lib/index.js';

type Resource = fedora.Resource;
type BinaryResource = fedora.BinaryResource;
type ContainerResource = fedora.ContainerResource;

/** URL builders for one server. */
export interface Urls {
  /** `<base>/repository/` + id path. */
  repository(path: string): string;
  /** `<base>/content/` + id path (+ `?version=`). */
  content(path: string, version?: string): string;
  /** The base URL (no trailing slash). */
  base: string;
}

/** URL builders under `baseUrl`. */
export function urlsFor(baseUrl: string): Urls {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    base,
    repository: (path) => `${base}/repository/${resourcePathToIdPath(path)}`,
    content: (path, version) =>
      `${base}/content/${resourcePathToIdPath(path)}${version ? `?version=${encodeURIComponent(version)}` : ''}`,
  };
}

function common(r: Resource, id: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id, type: r.type, name: r.name };
  if (r.created !== undefined) out.created = r.created;
  if (r.createdBy !== undefined) out.createdBy = r.createdBy;
  if (r.lastModified !== undefined) out.lastModified = r.lastModified;
  if (r.lastModifiedBy !== undefined) out.lastModifiedBy = r.lastModifiedBy;
  return out;
}

/** A Binary inside the group at `groupPath`. */
export function binaryJson(
  urls: Urls,
  groupPath: string,
  b: BinaryResource,
  version?: string,
): Record<string, unknown> {
  const path = join(groupPath, b.path);
  const out = common(b, urls.repository(path));
  out.contentType = b.contentType ?? 'application/octet-stream';
  if (b.digest !== undefined) out.digest = b.digest;
  if (b.size !== undefined) out.size = b.size;
  if (b.origin !== undefined) out.origin = b.origin;
  out.content = urls.content(path, version);
  out.partOf = urls.repository(groupPath);
  return out;
}

/**
 * A Container inside the group (its whole subtree when `deep`, else its immediate children
 * without their own children; `lightweight`: no children at all).
 */
export function containerJson(
  urls: Urls,
  groupPath: string,
  c: ContainerResource,
  options: { deep: boolean; lightweight?: boolean; version?: string },
): Record<string, unknown> {
  const path = join(groupPath, c.path);
  const out = common(c, urls.repository(path));
  if (c.type === 'ArchivalGroup') out.type = 'ArchivalGroup';
  if (options.lightweight) {
    out.containers = [];
    out.binaries = [];
  } else {
    const childOptions = options.deep ? options : { ...options, lightweight: true };
    out.containers = c.containers.map((x) => containerJson(urls, groupPath, x, childOptions));
    out.binaries = c.binaries.map((b) => binaryJson(urls, groupPath, b, options.version));
  }
  if (c.path !== '') out.partOf = urls.repository(groupPath);
  return out;
}

/** An ArchivalGroup: its tree (unless lightweight), versions and storage map. */
export function archivalGroupJson(
  urls: Urls,
  groupPath: string,
  resources: fedora.ObjectResources,
  options: { lightweight?: boolean; storageMap?: StorageMap; version?: string },
): Record<string, unknown> {
  const root = resources.root as ContainerResource;
  const out = containerJson(urls, groupPath, root, {
    deep: true,
    ...(options.lightweight !== undefined && { lightweight: options.lightweight }),
    ...(options.version !== undefined && { version: options.version }),
  });
  out.type = 'ArchivalGroup';
  out.version = resources.version;
  out.versions = resources.versions;
  if (options.storageMap) out.storageMap = options.storageMap;
  return out;
}

/** A standalone container or the repository root, with its child objects (no grandchildren). */
export function structureJson(
  urls: Urls,
  node: { path: string; type: 'RepositoryRoot' | 'Container'; name?: string; header?: fedora.FedoraHeader },
  children: Array<{ path: string; kind: 'Container' | 'ArchivalGroup'; name: string }>,
  lightweight = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: node.type === 'RepositoryRoot' ? `${urls.base}/repository/` : urls.repository(node.path),
    type: node.type,
  };
  if (node.name !== undefined) out.name = node.name;
  const h = node.header;
  if (h?.createdDate) out.created = h.createdDate;
  if (h?.createdBy) out.createdBy = h.createdBy;
  if (h?.lastModifiedDate) out.lastModified = h.lastModifiedDate;
  if (h?.lastModifiedBy) out.lastModifiedBy = h.lastModifiedBy;
  out.containers = lightweight
    ? []
    : children.map((c) => ({
        id: urls.repository(c.path),
        type: c.kind,
        name: c.name,
        containers: [],
        binaries: [],
      }));
  out.binaries = [];
  return out;
}

function join(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}/${b}`;
}
