/**
 * Build the resource model ({@link ObjectResources}) of one version of an object, pure.
 *
 * Objects Fedora wrote are described by their `.fcrepo/*.json` headers: each header is one
 * resource (descriptions and ACLs are folded away), placed by its Fedora id relative to the
 * object root's id (or, for old headers without ids, by the header's file name). Plain OCFL
 * objects are synthesised from logical paths: the root is an ArchivalGroup, directories are
 * Containers, files are Binaries, and paths dropped by an earlier version are tombstones.
 */
import type { Inventory, VersionUser } from '../inventory.js';
import { assertSafeInventoryPath } from '../ocfl/path-safety.js';
import {
  asView,
  type InventoryView,
  listVersions,
  sortedVersionNames,
  type VersionFile,
} from '../versions.js';
import { type FedoraHeader, INTERACTION_MODELS, isContainerModel } from './headers.js';
import {
  type ArchivalGroupResource,
  type BinaryResource,
  type ContainerResource,
  emptyContainer,
  lastSegment,
  linkTree,
  type ObjectResources,
  type Resource,
  type Tombstone,
} from './model.js';
import { fedoraIdToPath, HEADER_DIR, isHeaderPath, ROOT_HEADER } from './paths.js';

/** What {@link buildObjectResources} needs. */
export interface ResourceModelInput {
  /** The (effective) inventory, parsed or as a view. */
  inventory: Inventory | InventoryView;
  /** Resolved version directory name. */
  version: string;
  /** Parsed headers of this version by header logical path (`.fcrepo/…json`); omit for plain OCFL. */
  headers?: ReadonlyMap<string, FedoraHeader>;
  /** URI of a content path's bytes (root + objectPath + fullPath); omit to leave `origin` unset. */
  originFor?: (contentPath: string) => string;
}

/** Digests known for each content path from the manifest and every fixity block. */
function digestIndex(inventory: InventoryView): (contentPath: string) => Record<string, string> {
  const algorithms = new Set([inventory.digestAlgorithm, ...inventory.fixityAlgorithms]);
  const maps = [...algorithms].map((alg) => [alg, inventory.contentDigests(alg)] as const);
  return (contentPath) => {
    // Null prototype: an algorithm named `__proto__` or `constructor` is an ordinary key.
    const out: Record<string, string> = Object.create(null);
    for (const [alg, map] of maps) {
      const hex = map.get(contentPath);
      if (hex !== undefined) out[alg] = hex;
    }
    return out;
  };
}

/** Fill `size` from a 0009 `size` fixity value when nothing better is known. */
function sizeFromDigests(digests: Record<string, string>): number | undefined {
  const size = digests['size'];
  return size !== undefined && /^\d+$/.test(size) ? Number(size) : undefined;
}

function userUri(user: VersionUser | undefined): string | undefined {
  return user?.address ?? user?.name;
}

/**
 * The resources of `input.version`. Uses the Fedora headers when any are given (or the state has
 * `.fcrepo/` paths whose headers were supplied), else synthesises from logical paths.
 */
export function buildObjectResources(input: ResourceModelInput): ObjectResources {
  const view = asView(input.inventory);
  const files = view.files(input.version);
  const fedora =
    input.headers !== undefined && input.headers.size > 0 && files.some((f) => isHeaderPath(f.logicalPath));
  const versions = listVersions(view);
  const version = versions.find((v) => v.ocflVersion === input.version)!;
  const built = fedora ? fromFedoraHeaders(input, view, files) : fromLogicalPaths(input, view, files);
  if (built.root.type === 'ArchivalGroup') {
    const ag = built.root as ArchivalGroupResource;
    ag.version = version;
    ag.versions = versions;
  }
  linkTree(built.root, built.byPath);
  if (!fedora && built.root.type !== 'Binary') fillContainerTimes(built.root);
  return {
    source: fedora ? 'fedora' : 'ocfl',
    objectId: view.id,
    version,
    versions,
    root: built.root,
    byPath: built.byPath,
    tombstones: built.tombstones,
  };
}

interface Built {
  root: Resource;
  byPath: Map<string, Resource>;
  tombstones: Tombstone[];
}

// ---------------------------------------------------------------- Fedora headers

/** Headers of descriptions (`fcr:metadata`) and ACLs describe another resource: not resources of their own. */
function isAuxiliary(header: FedoraHeader, headerPath: string): boolean {
  if (header.interactionModel === INTERACTION_MODELS.description) return true;
  if (header.interactionModel === INTERACTION_MODELS.acl) return true;
  return /~fcr-(desc|acl)\.json$/.test(headerPath);
}

function findRootHeader(headers: ReadonlyMap<string, FedoraHeader>): FedoraHeader | undefined {
  const root = headers.get(ROOT_HEADER);
  if (root) return root;
  for (const [path, h] of headers) if (h.objectRoot && !isAuxiliary(h, path)) return h;
  return undefined;
}

/** Path of a header's resource relative to the object root, from its id, else its file name. */
function fedoraResourcePath(header: FedoraHeader, headerPath: string, rootId: string | undefined): string {
  if (rootId !== undefined && header.id !== undefined) {
    if (header.id === rootId) return '';
    if (header.id.startsWith(`${rootId}/`))
      return safeResourcePath(header.id.slice(rootId.length + 1), headerPath);
  }
  const rel = headerPath.slice(HEADER_DIR.length).replace(/\.json$/, '');
  return rel === 'fcr-root' || header.objectRoot ? '' : safeResourcePath(rel, headerPath);
}

/**
 * A resource path taken from a header's id or file name must stay below the object root like
 * any path from data (`info:fedora/ag/../../other` would climb out). Throws PathEscapeError.
 */
function safeResourcePath(path: string, headerPath: string): string {
  return assertSafeInventoryPath(path, 'Fedora resource path', `header ${headerPath}`);
}

function fromFedoraHeaders(input: ResourceModelInput, view: InventoryView, files: VersionFile[]): Built {
  const headers = input.headers!;
  const byLogical = new Map(files.map((f) => [f.logicalPath, f]));
  const digestsOf = digestIndex(view);
  const rootHeader = findRootHeader(headers);
  const rootId = rootHeader?.id;
  const byPath = new Map<string, Resource>();
  const tombstones: Tombstone[] = [];
  const agRoot = rootHeader?.archivalGroup === true;
  for (const [headerPath, header] of headers) {
    if (isAuxiliary(header, headerPath)) continue;
    const path = fedoraResourcePath(header, headerPath, rootId);
    const type = isContainerModel(header.interactionModel) ? 'Container' : 'Binary';
    if (header.deleted) {
      tombstones.push(tombstoneOf(path, header, type));
      continue;
    }
    const resource =
      type === 'Container'
        ? fedoraContainer(path, header, rootId)
        : fedoraBinary(path, header, rootId, byLogical, digestsOf, input.originFor);
    if (agRoot && path !== '') resource.partOf = '';
    byPath.set(path, resource);
  }
  let root = byPath.get('');
  if (root === undefined) {
    // No usable root header: keep the parts reachable under a stand-in root.
    root = emptyContainer('', lastSegment(fedoraIdToPath(view.id)) || view.id);
    byPath.set('', root);
  }
  if (agRoot && root.type === 'Container') (root as ContainerResource).type = 'ArchivalGroup';
  tombstones.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { root, byPath, tombstones };
}

function tombstoneOf(path: string, header: FedoraHeader, type: 'Container' | 'Binary'): Tombstone {
  const t: Tombstone = { path, type };
  if (header.id !== undefined) t.fedoraId = header.id;
  const when = header.lastModifiedDate ?? header.mementoCreatedDate;
  if (when !== undefined) t.deleted = when;
  return t;
}

function commonFields(resource: Resource, header: FedoraHeader): void {
  if (header.id !== undefined) resource.fedoraId = header.id;
  if (header.createdDate !== undefined) resource.created = header.createdDate;
  if (header.createdBy !== undefined) resource.createdBy = header.createdBy;
  if (header.lastModifiedDate !== undefined) resource.lastModified = header.lastModifiedDate;
  if (header.lastModifiedBy !== undefined) resource.lastModifiedBy = header.lastModifiedBy;
}

/** Name of a resource from its path, or for the object root from its Fedora id. */
function pathName(path: string, rootId: string | undefined): string {
  if (path !== '') return lastSegment(path);
  return lastSegment(fedoraIdToPath(rootId ?? ''));
}

function fedoraContainer(path: string, header: FedoraHeader, rootId: string | undefined): ContainerResource {
  const container = emptyContainer(path, pathName(path, rootId));
  commonFields(container, header);
  return container;
}

function fedoraBinary(
  path: string,
  header: FedoraHeader,
  rootId: string | undefined,
  byLogical: Map<string, VersionFile>,
  digestsOf: (contentPath: string) => Record<string, string>,
  originFor: ((contentPath: string) => string) | undefined,
): BinaryResource {
  const name =
    header.filename !== undefined && header.filename !== '' ? header.filename : pathName(path, rootId);
  const binary: BinaryResource = { type: 'Binary', path, name, digests: Object.create(null) };
  commonFields(binary, header);
  if (header.mimeType !== undefined) binary.contentType = header.mimeType;
  // 2020-era headers have no contentPath: their binaries sit at the resource's own path.
  const file = byLogical.get(header.contentPath ?? path);
  if (file !== undefined) {
    binary.logicalPath = file.logicalPath;
    binary.contentPath = file.contentPath;
    Object.assign(binary.digests, digestsOf(file.contentPath));
    if (originFor) binary.origin = originFor(file.contentPath);
  }
  for (const d of header.digests) binary.digests[d.algorithm] ??= d.hex;
  if (binary.digests['sha256'] !== undefined) binary.digest = binary.digests['sha256'];
  const size = header.contentSize ?? sizeFromDigests(binary.digests);
  if (size !== undefined) binary.size = size;
  if (header.externalUrl !== undefined) binary.origin = header.externalUrl;
  return binary;
}

// ---------------------------------------------------------------- plain OCFL

interface PathHistory {
  digest: string;
  created: string;
  createdBy?: string;
  modified: string;
  modifiedBy?: string;
}

/** Walk versions up to `version`, tracking when each logical path appeared and last changed. */
function pathHistories(inventory: InventoryView, version: string) {
  const live = new Map<string, PathHistory>();
  const removed = new Map<string, string>();
  for (const name of sortedVersionNames(inventory)) {
    const block = inventory.versions[name]!;
    const by = userUri(block.user);
    const seen = new Set<string>();
    for (const { logicalPath: p, digest } of inventory.files(name)) {
      seen.add(p);
      removed.delete(p);
      const prev = live.get(p);
      if (!prev) {
        live.set(p, {
          digest,
          created: block.created,
          createdBy: by,
          modified: block.created,
          modifiedBy: by,
        });
      } else if (prev.digest !== digest) {
        Object.assign(prev, { digest, modified: block.created, modifiedBy: by });
      }
    }
    for (const p of [...live.keys()]) {
      if (seen.has(p)) continue;
      live.delete(p);
      removed.set(p, block.created);
    }
    if (name === version) break;
  }
  return { live, removed };
}

function setTimes(resource: Resource, h: PathHistory | undefined): void {
  if (!h) return;
  resource.created = h.created;
  resource.lastModified = h.modified;
  if (h.createdBy !== undefined) resource.createdBy = h.createdBy;
  if (h.modifiedBy !== undefined) resource.lastModifiedBy = h.modifiedBy;
}

function fromLogicalPaths(input: ResourceModelInput, inventory: InventoryView, files: VersionFile[]): Built {
  const { version } = input;
  const digestsOf = digestIndex(inventory);
  const { live, removed } = pathHistories(inventory, version);
  const first = inventory.versions[sortedVersionNames(inventory)[0]!]!;
  const current = inventory.versions[version]!;
  const root: ContainerResource = { ...emptyContainer('', inventory.id), type: 'ArchivalGroup' };
  setTimes(root, {
    digest: '',
    created: first.created,
    createdBy: userUri(first.user),
    modified: current.created,
    modifiedBy: userUri(current.user),
  });
  const byPath = new Map<string, Resource>([['', root]]);
  for (const file of files) {
    const digests = digestsOf(file.contentPath);
    const binary: BinaryResource = {
      type: 'Binary',
      path: file.logicalPath,
      name: lastSegment(file.logicalPath),
      partOf: '',
      digests,
      logicalPath: file.logicalPath,
      contentPath: file.contentPath,
    };
    if (digests['sha256'] !== undefined) binary.digest = digests['sha256'];
    const size = sizeFromDigests(digests);
    if (size !== undefined) binary.size = size;
    if (input.originFor) binary.origin = input.originFor(file.contentPath);
    setTimes(binary, live.get(file.logicalPath));
    byPath.set(file.logicalPath, binary);
  }
  const tombstones: Tombstone[] = [...removed]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, deleted]) => ({ path, type: 'Binary' as const, deleted }));
  return { root, byPath, tombstones };
}

/** Give synthesised Containers the earliest `created` and latest `lastModified` below them. */
function fillContainerTimes(container: ContainerResource): void {
  const children: Resource[] = [...container.containers, ...container.binaries];
  for (const child of container.containers) fillContainerTimes(child);
  if (container.path === '') return;
  for (const child of children) {
    if (
      child.created !== undefined &&
      (container.created === undefined || child.created < container.created)
    ) {
      container.created = child.created;
      if (child.createdBy !== undefined) container.createdBy = child.createdBy;
    }
    if (
      child.lastModified !== undefined &&
      (container.lastModified === undefined || child.lastModified > container.lastModified)
    ) {
      container.lastModified = child.lastModified;
      if (child.lastModifiedBy !== undefined) container.lastModifiedBy = child.lastModifiedBy;
    }
  }
}
