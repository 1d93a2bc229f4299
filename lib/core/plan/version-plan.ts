/**
 * Planning a new version of a Fedora-shaped object, purely: from the current root inventory and
 * the requested changes to (1) the content to copy in, then — once the copies report their
 * digests — (2) the small files to write (headers, container RDF) and the new inventory.
 *
 * Two steps because the inventory digest of new content is only known after its bytes went
 * through the hash (a sha512 inventory, with SHA-256 as the API's digest). What the object
 * already holds is never copied again: content is matched by SHA-256 (the manifest when the
 * inventory is sha256, else the `fixity.sha256` block Strongroom writes) and reused by path.
 *
 * Layout of what is written (FEDORA-OCFL §4.3): a binary `P` is the logical path `P` plus the
 * header `.fcrepo/P.json`; a container `P` is `P/fcr-container.nt` (its title as `dc:title`)
 * plus `.fcrepo/P.json`; the object root's header is `.fcrepo/fcr-root.json`. Content paths are
 * `vN/content/<mapped logical path>` (ocfl-java's percent-encoding).
 *
 * Pure module.
 */
import { ConflictError, InvalidInputError, UnprocessableError } from '../errors.js';
import { type ContentPathMapper, contentPathFor } from '../fedora/content-paths.js';
import {
  containerRdf,
  containerRdfPathFor,
  type HeaderFields,
  headerPathFor,
  serializeHeader,
} from '../fedora/header-writer.js';
import type { FedoraHeader } from '../fedora/headers.js';
import { type DigestMap, INVENTORY_TYPES, type Inventory, versionNumber } from '../inventory.js';
import { digestBytes } from '../ocfl/digests.js';
import { type AppliedChanges, applyChanges, type ObjectChange } from './changes.js';
import { ObjectTree, parentOf } from './object-tree.js';

/** What {@link planVersion} needs. */
export interface PlanVersionInput {
  /** Fedora id of the resource at the object root (`info:fedora/<path>`): the OCFL object id. */
  objectId: string;
  /** Parent Fedora id of the object root resource. */
  parentId: string;
  /** An Archival Group (parts get `archivalGroupId`) or a standalone Container. */
  rootKind: 'ArchivalGroup' | 'Container';
  /** Title of the object root resource (a new object, or a rename of the root). */
  rootName?: string;
  /** The current root inventory; absent for a new object. */
  base?: Inventory;
  /**
   * Parsed headers of the base head by header logical path: at least the root's and those of
   * every path the changes touch (see {@link headersNeeded}).
   */
  baseHeaders: ReadonlyMap<string, FedoraHeader>;
  changes: readonly ObjectChange[];
  /** ISO instant of the new version. */
  created: string;
  /** Agent recorded as createdBy/lastModifiedBy and as the version's user. */
  agent: { name: string; address?: string };
  message?: string;
  /** Inventory digest algorithm of a new object (default sha512); an existing object keeps its own. */
  digestAlgorithm?: 'sha512' | 'sha256';
  mapper?: ContentPathMapper;
}

/** One file to copy into the object. */
export interface PlannedCopy {
  /** Where it goes, relative to the object root (`vN/content/…`). */
  contentPath: string;
  /** Where the bytes are (a location URI). */
  source: string;
  /** Expected SHA-256 (verified while copying). */
  sha256: string;
  size?: number;
}

/** What a copy found out about the bytes it wrote. */
export interface CopiedContent {
  /** Digest in the inventory's algorithm (for sha256 inventories, the SHA-256). */
  digest: string;
  size: number;
}

/** The plan of one new version. Serialisable (Maps aside) and free of I/O. */
export interface VersionPlan {
  objectId: string;
  /** The new version's name, e.g. `v3`. */
  version: string;
  /** The head it is built on; absent for a new object. */
  baseHead?: string;
  digestAlgorithm: 'sha512' | 'sha256';
  applied: AppliedChanges;
  /** Content to copy in (each distinct SHA-256 once). */
  copies: PlannedCopy[];
  /** @internal Everything `finalizeVersion` needs. */
  readonly pending: PendingVersion;
}

interface PendingVersion {
  input: PlanVersionInput;
  tree: ObjectTree;
  /** Base head state as logical path → digest. */
  baseState: Map<string, string>;
  /** sha256 → existing content (inventory digest and size) for reused content. */
  reused: Map<string, { digest: string }>;
  /** Paths whose header must be rewritten (changed, renamed, deleted, or the touched root). */
  touched: Set<string>;
}

/** Header logical paths {@link planVersion} needs parsed: the root's and each changed path's. */
export function headersNeeded(changes: readonly ObjectChange[]): string[] {
  const out = new Set<string>([headerPathFor('')]);
  for (const c of changes) if (typeof c.path === 'string') out.add(headerPathFor(c.path));
  return [...out];
}

/**
 * The next version name after `head`, keeping the object's zero-padding (`v9` → `v10`,
 * `v0009` → `v0010`). `zeroPadded` defaults to whether `head` starts with `v0`; pass it when the
 * object's first version says so (`v999` of a `v001` object is full). Throws ConflictError when
 * a padded object has no name left, InvalidInputError for a malformed head.
 */
export function nextVersionName(head: string, zeroPadded = head.startsWith('v0')): string {
  const n = versionNumber(head);
  if (n === undefined)
    throw new InvalidInputError(`cannot follow version ${JSON.stringify(head)}`, { key: head });
  const width = head.length - 1;
  const padded = zeroPadded;
  const next = String(n + 1);
  if (!padded) return `v${next}`;
  if (next.length > width)
    throw new ConflictError(`object is full: no version after ${head} in its zero-padded naming`);
  return `v${next.padStart(width, '0')}`;
}

/**
 * Plan the next version. Throws UnprocessableError listing every change that cannot be applied,
 * InvalidInputError for an unusable base.
 */
export function planVersion(input: PlanVersionInput): VersionPlan {
  const base = input.base;
  const algorithm = (base?.digestAlgorithm ?? input.digestAlgorithm ?? 'sha512') as 'sha512' | 'sha256';
  if (algorithm !== 'sha512' && algorithm !== 'sha256') {
    throw new InvalidInputError(`cannot write to an object whose digest algorithm is ${algorithm}`);
  }
  const version = base
    ? nextVersionName(
        base.head,
        Object.keys(base.versions).some((v) => v.startsWith('v0')),
      )
    : 'v1';
  const headState = base ? base.versions[base.head]?.state : undefined;
  if (base && !headState) throw new InvalidInputError(`inventory has no head version ${base.head}`);
  const tree = ObjectTree.fromState(headState);
  if (!base) tree.set('', { kind: 'container', headerDigest: '' });
  else if (!tree.isLive('')) {
    throw new ConflictError(`${input.objectId} is deleted (a tombstone); purge it before writing there`);
  }
  const applied = isRootDelete(input.changes)
    ? deleteRoot(tree, input.changes.slice(0, -1))
    : applyChanges(tree, input.changes);
  if (applied.problems.length > 0) {
    const n = applied.problems.length;
    throw new UnprocessableError(`${n} change(s) cannot be applied to ${input.objectId}`, applied.problems);
  }
  const baseState = new Map<string, string>();
  if (headState) for (const digest in headState) for (const p of headState[digest]!) baseState.set(p, digest);
  const existing = sha256Lookup(base);
  const reused = new Map<string, { digest: string }>();
  const copies: PlannedCopy[] = [];
  const copied = new Set<string>();
  for (const [path, put] of applied.puts) {
    const known = existing(put.sha256);
    if (known) {
      reused.set(put.sha256, known);
      continue;
    }
    if (copied.has(put.sha256)) continue;
    copied.add(put.sha256);
    const copy: PlannedCopy = {
      contentPath: contentPathFor(version, path, mapperOf(input)),
      source: put.source,
      sha256: put.sha256,
    };
    if (put.size !== undefined) copy.size = put.size;
    copies.push(copy);
  }
  const touched = new Set<string>(['', ...applied.puts.keys(), ...applied.deleted, ...applied.renamed]);
  for (const p of applied.containersAdded) touched.add(p);
  const plan: VersionPlan = {
    objectId: input.objectId,
    version,
    digestAlgorithm: algorithm,
    applied,
    copies,
    pending: { input, tree, baseState, reused, touched },
  };
  if (base) plan.baseHead = base.head;
  return plan;
}

/**
 * A change set that deletes the object's own root resource: the root's delete comes last, after
 * nothing but deletes (a standalone container's tombstone, or an Archival Group deleted whole).
 */
function isRootDelete(changes: readonly ObjectChange[]): boolean {
  const last = changes.at(-1);
  return (
    last !== undefined &&
    last.op === 'delete' &&
    last.path === '' &&
    changes.every((c) => c.op === 'delete') &&
    changes.slice(0, -1).every((c) => c.path !== '')
  );
}

/**
 * Apply the deletes before the root's (each leaves its own tombstone, as a job's delete would),
 * then tombstone the root, which must be empty by then.
 */
function deleteRoot(tree: ObjectTree, before: readonly ObjectChange[]): AppliedChanges {
  const applied = applyChanges(tree, before);
  const live = [...tree.childrenOf('')];
  tree.set('', { kind: 'tombstone', headerDigest: '' });
  applied.deleted.push('');
  if (live.length > 0)
    applied.problems.push({ path: '', message: `the object still holds ${live.length} item(s)` });
  return applied;
}

function mapperOf(input: PlanVersionInput): { mapper?: ContentPathMapper; contentDirectory?: string } {
  const out: { mapper?: ContentPathMapper; contentDirectory?: string } = {};
  if (input.mapper) out.mapper = input.mapper;
  if (input.base?.contentDirectory) out.contentDirectory = input.base.contentDirectory;
  return out;
}

/**
 * A lookup sha256 → inventory digest of the content an object already holds: the manifest
 * itself for a sha256 inventory, else its `fixity.sha256` block. Nothing is indexed up front, so
 * planning a one-file patch of a large object costs no pass over its manifest.
 */
export function sha256Lookup(
  base: Inventory | undefined,
): (sha256: string) => { digest: string } | undefined {
  const map = base?.digestAlgorithm === 'sha256' ? base.manifest : base?.fixity?.['sha256'];
  if (!base || !map) return () => undefined;
  // Digests are compared ignoring case; an inventory spelling them in capitals gets the full index.
  for (const key in map) {
    if (/[A-F]/.test(key)) {
      const index = sha256Index(base);
      return (sha256) => index.get(sha256.toLowerCase());
    }
  }
  if (base.digestAlgorithm === 'sha256') {
    return (sha256) => {
      const s = sha256.toLowerCase();
      return Object.hasOwn(map, s) ? { digest: s } : undefined;
    };
  }
  // The manifest digest of content found by its SHA-256 needs the content paths' digests: built
  // once, at the first hit (new content, a patch's usual case, never needs it).
  let byPath: Map<string, string> | undefined;
  return (sha256) => {
    const s = sha256.toLowerCase();
    if (!Object.hasOwn(map, s)) return undefined;
    byPath ??= contentDigests(base.manifest);
    const digest = map[s]!.map((p) => byPath!.get(p)).find((d) => d !== undefined);
    return digest === undefined ? undefined : { digest };
  };
}

function contentDigests(manifest: DigestMap): Map<string, string> {
  const out = new Map<string, string>();
  for (const digest in manifest) for (const p of manifest[digest]!) out.set(p, digest);
  return out;
}

/**
 * Every SHA-256 of content the object holds (lowercase) with its manifest digest: from the
 * manifest under sha256, else from the sha256 fixity block. See {@link sha256Lookup} for one
 * lookup at a time.
 */
export function sha256Index(base: Inventory | undefined): Map<string, { digest: string }> {
  const out = new Map<string, { digest: string }>();
  if (!base) return out;
  if (base.digestAlgorithm === 'sha256') {
    for (const digest of Object.keys(base.manifest)) out.set(digest.toLowerCase(), { digest });
    return out;
  }
  const fixity = base.fixity?.['sha256'];
  if (!fixity) return out;
  const byPath = new Map<string, string>();
  for (const [digest, paths] of Object.entries(base.manifest)) for (const p of paths) byPath.set(p, digest);
  for (const [sha, paths] of Object.entries(fixity)) {
    const digest = paths.map((p) => byPath.get(p)).find((d) => d !== undefined);
    if (digest !== undefined) out.set(sha.toLowerCase(), { digest });
  }
  return out;
}

/** The new version once every planned copy is done: the inventory and the small files to write. */
export interface FinalizedVersion {
  inventory: Inventory;
  /** Headers and container RDF to write, at their content paths (only what the object lacks). */
  files: Array<{ contentPath: string; bytes: Uint8Array }>;
}

/**
 * Build the new inventory and the housekeeping files from the plan and the copies' results
 * (by content path). Throws InvalidInputError when a planned copy has no result.
 */
export function finalizeVersion(
  plan: VersionPlan,
  results: ReadonlyMap<string, CopiedContent>,
): FinalizedVersion {
  const { input, baseState, reused, touched, tree } = plan.pending;
  const base = input.base;
  const alg = plan.digestAlgorithm;
  const state = new Map(baseState);
  const manifest: Record<string, string[]> = cloneMap(base?.manifest);
  const sha256Fixity: Record<string, string[]> = cloneMap(base?.fixity?.['sha256']);
  const files: FinalizedVersion['files'] = [];
  const addFile = (logical: string, bytes: Uint8Array): string => {
    const digest = digestBytes(bytes, [alg])[alg]!;
    if (!Object.hasOwn(manifest, digest)) {
      const contentPath = contentPathFor(plan.version, logical, mapperOf(input));
      manifest[digest] = [contentPath];
      files.push({ contentPath, bytes });
      if (alg !== 'sha256') sha256Fixity[digestBytes(bytes, ['sha256']).sha256!] = [contentPath];
    }
    state.set(logical, digest);
    return digest;
  };
  const content = new Map<string, { digest: string; size: number }>();
  for (const copy of plan.copies) {
    const done = results.get(copy.contentPath);
    if (!done)
      throw new InvalidInputError(`no copy result for ${copy.contentPath}`, { key: copy.contentPath });
    content.set(copy.sha256, { digest: done.digest, size: done.size });
    // A new array, never a push: the base's arrays are shared with it (see cloneMap).
    manifest[done.digest] = [...(manifest[done.digest] ?? []), copy.contentPath];
    if (alg !== 'sha256') sha256Fixity[copy.sha256] = [copy.contentPath];
  }
  // Deepest first (children before their containers), then by path; depths computed once.
  const depth = (p: string) => {
    let n = 1;
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) n++;
    return n;
  };
  const ordered = [...touched]
    .map((p) => ({ p, d: depth(p) }))
    .sort((a, b) => b.d - a.d || (a.p < b.p ? -1 : 1))
    .map((x) => x.p);
  for (const path of ordered) {
    const entry = tree.get(path)!;
    const header = headerFieldsFor(plan, path, entry.kind);
    if (entry.kind === 'tombstone' && !baseState.has(headerPathFor(path))) {
      // Created and deleted within this change set: it never existed, so it leaves no tombstone.
      continue;
    }
    if (entry.kind === 'tombstone') {
      state.delete(path);
      state.delete(containerRdfPathFor(path));
      header.deleted = true;
    } else if (entry.kind === 'binary') {
      const put = plan.applied.puts.get(path);
      const old = input.baseHeaders.get(headerPathFor(path));
      const sha256 = put?.sha256 ?? old?.digests.find((d) => d.algorithm === 'sha256')?.hex;
      const fromCopy = sha256 !== undefined ? content.get(sha256) : undefined;
      const digest = put ? (fromCopy?.digest ?? reused.get(put.sha256)?.digest) : baseState.get(path);
      if (digest === undefined) throw new InvalidInputError(`no content digest for ${path}`, { key: path });
      state.set(path, digest);
      header.contentPath = path;
      header.contentSize = fromCopy?.size ?? put?.size ?? old?.contentSize ?? 0;
      header.digests = { [alg]: digest, ...(sha256 !== undefined && { sha256 }) };
    } else {
      const rdfPath = containerRdfPathFor(path);
      const renamed = plan.applied.names.has(path) || (path === '' && input.rootName !== undefined);
      const keep = baseState.get(rdfPath);
      if (renamed || keep === undefined) {
        const rdf = containerRdf(header.id, titleOf(plan, path));
        header.digests = { [alg]: addFile(rdfPath, rdf) };
        header.contentSize = rdf.length;
      } else {
        state.set(rdfPath, keep);
        header.digests = { [alg]: keep };
        header.contentSize = input.baseHeaders.get(headerPathFor(path))?.contentSize ?? 0;
      }
      header.contentPath = rdfPath;
    }
    addFile(headerPathFor(path), serializeHeader(header));
  }
  return { inventory: buildInventory(plan, state, manifest, sha256Fixity), files };
}

function titleOf(plan: VersionPlan, path: string): string | undefined {
  if (path === '') return plan.applied.names.get('') ?? plan.pending.input.rootName;
  return plan.applied.names.get(path) ?? lastSegment(path);
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function headerFieldsFor(plan: VersionPlan, path: string, kind: string): HeaderFields {
  const { input } = plan.pending;
  const old = input.baseHeaders.get(headerPathFor(path));
  const isRoot = path === '';
  const id = isRoot ? input.objectId : `${input.objectId}/${path}`;
  const parent = isRoot
    ? input.parentId
    : parentOf(path) === ''
      ? input.objectId
      : `${input.objectId}/${parentOf(path)}`;
  const recreated = old === undefined || old.deleted;
  const fields: HeaderFields = {
    id,
    parent,
    kind:
      kind === 'binary' || (kind === 'tombstone' && old?.interactionModel?.endsWith('NonRDFSource'))
        ? 'binary'
        : 'container',
    created: recreated ? input.created : (old.createdDate ?? input.created),
    createdBy: recreated ? input.agent.name : (old.createdBy ?? input.agent.name),
    lastModified: input.created,
    lastModifiedBy: input.agent.name,
  };
  if (isRoot) {
    fields.objectRoot = true;
    fields.archivalGroup = input.rootKind === 'ArchivalGroup';
  } else if (input.rootKind === 'ArchivalGroup') fields.archivalGroupId = input.objectId;
  if (fields.kind === 'binary' && kind !== 'tombstone') {
    const put = plan.applied.puts.get(path);
    fields.mimeType = put?.contentType ?? old?.mimeType ?? 'application/octet-stream';
    fields.filename = plan.applied.names.get(path) ?? old?.filename ?? lastSegment(path);
  }
  return fields;
}

/**
 * A new map over the same path arrays (copying 200,000 arrays cost ≈0.7 s): whoever changes an
 * entry of the copy puts a new array there, so the base inventory is never changed.
 */
function cloneMap(map: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  if (map) for (const k in map) out[k] = map[k]!;
  return out;
}

function buildInventory(
  plan: VersionPlan,
  state: Map<string, string>,
  manifest: Record<string, string[]>,
  sha256Fixity: Record<string, string[]>,
): Inventory {
  const { input } = plan.pending;
  const base = input.base;
  const block: Record<string, string[]> = Object.create(null);
  for (const [logical, digest] of state) {
    const paths = block[digest];
    if (paths) paths.push(logical);
    else block[digest] = [logical];
  }
  const versions: Inventory['versions'] = Object.create(null);
  for (const [name, v] of Object.entries(base?.versions ?? {})) versions[name] = v;
  versions[plan.version] = {
    created: input.created,
    message: input.message ?? defaultVersionMessage(plan.applied),
    user: versionUser(input.agent),
    state: block,
  };
  const inventory: Inventory = {
    id: input.objectId,
    type: base?.type ?? INVENTORY_TYPES['1.1'],
    digestAlgorithm: plan.digestAlgorithm,
    head: plan.version,
    contentDirectory: base?.contentDirectory ?? 'content',
    manifest,
    versions,
  };
  const fixity: Record<string, Record<string, string[]>> = Object.create(null);
  for (const [alg, map] of Object.entries(base?.fixity ?? {})) fixity[alg] = map;
  if (plan.digestAlgorithm !== 'sha256') fixity['sha256'] = sha256Fixity;
  inventory.fixity = fixity;
  return inventory;
}

/**
 * The version message written when the caller gives none: what the version did, e.g.
 * `Strongroom: 2 binaries added, 1 patched, 1 deleted` (OCFL validators warn, W007, on a version
 * without a message; Fedora always writes one).
 */
export function defaultVersionMessage(applied: AppliedChanges): string {
  const parts: string[] = [];
  const count = (n: number, one: string, many: string, done: string) => {
    if (n > 0) parts.push(`${n} ${n === 1 ? one : many} ${done}`.replace(/ {2}/g, ' '));
  };
  count(applied.containersAdded.length, 'container', 'containers', 'added');
  count(applied.binariesAdded.length, 'binary', 'binaries', 'added');
  count(applied.binariesPatched.length, '', '', 'patched');
  count(applied.renamed.length, '', '', 'renamed');
  count(applied.deleted.length, '', '', 'deleted');
  return `Strongroom: ${parts.length > 0 ? parts.join(', ') : 'no changes'}`;
}

/**
 * A version's `user`: the agent with an address (a URI; validators warn, W008, without one). An
 * agent whose name is an absolute URI (as the server's agents are) is its own address; any other
 * name gets `info:fedora/<name>`, the form Fedora 6 writes for its users (`info:fedora/fedoraAdmin`).
 */
export function versionUser(agent: { name: string; address?: string }): { name: string; address: string } {
  if (agent.address !== undefined) return { name: agent.name, address: agent.address };
  const isUri = /^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(agent.name);
  return { name: agent.name, address: isUri ? agent.name : `info:fedora/${encodeURIComponent(agent.name)}` };
}
