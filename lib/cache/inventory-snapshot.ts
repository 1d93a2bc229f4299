/**
 * A compact, cache-friendly form of an inventory, and an {@link InventoryView} over it.
 *
 * Why: an inventory of 100,000 files and a few versions is ~60 MB of JSON, dominated by
 * repeated digests; decoding it (or its msgpack twin) costs as much as parsing it. The snapshot
 * stores each digest and path once, joined into a single string, and every version's state as
 * Uint32 indices (sorted by logical path). Decoding is then a few string splits, ~10× faster
 * than JSON.parse, and the view builds only the versions a caller asks for.
 *
 * Semantics match `versionFiles`: state digests resolve to manifest entries (case-insensitively)
 * and a digest with no manifest entry is dropped. A VersionFile's `digest` is the manifest's
 * spelling.
 */
import { MalformedError } from '../core/errors.js';
import type { DigestMap, Inventory, VersionUser } from '../core/inventory.js';
import { type InventoryView, type VersionFile, type VersionMeta, versionFiles } from '../core/versions.js';

/** Strings joined by `\n`, or a plain list when some string contains `\n`. */
export type PackedStrings = { joined: string; count: number } | { list: string[] };

/** One version: metadata, and its files as indices into the snapshot's tables. */
export interface SnapshotVersion {
  name: string;
  created: string;
  message?: string;
  user?: VersionUser;
  /** Uint32LE indices into `digests`. */
  digestIdx: Uint8Array;
  /** Uint32LE indices into `logicalPaths`, ascending by path. */
  pathIdx: Uint8Array;
}

/** A digest → paths block (manifest or fixity) in packed form. */
export interface PackedDigestMap {
  digests: PackedStrings;
  /** Uint32LE: how many paths each digest has. */
  counts: Uint8Array;
  paths: PackedStrings;
}

/** The cached form of an inventory. */
export interface InventorySnapshot {
  kind: 'inventory-snapshot';
  schema: 1;
  id: string;
  type: string;
  digestAlgorithm: string;
  head: string;
  contentDirectory?: string;
  manifest: PackedDigestMap;
  logicalPaths: PackedStrings;
  versions: SnapshotVersion[];
  /** Fixity blocks; undefined when the inventory had no `fixity` key (`{}` is kept as `[]`). */
  fixity?: Array<{ algorithm: string; block: PackedDigestMap }>;
}

/** Join strings for storage (a plain list when one contains the separator). */
export function pack(strings: string[]): PackedStrings {
  return strings.some((s) => s.includes('\n'))
    ? { list: strings }
    : { joined: strings.join('\n'), count: strings.length };
}

/** The strings {@link pack} joined. */
export function unpack(packed: PackedStrings): string[] {
  if ('list' in packed) return packed.list;
  return packed.count === 0 ? [] : packed.joined.split('\n');
}

/** Uint32 values as little-endian bytes (a plain Uint8Array every cache can store). */
export function packInts(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Uint32Array.from(values).buffer);
}

/**
 * Read Uint32LE values; copies when the bytes are not 4-byte aligned (decoders may hand out any
 * offset). Throws MalformedError when the length is not a multiple of 4 (a damaged cache value).
 */
export function unpackInts(bytes: Uint8Array): Uint32Array {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength % 4 !== 0) {
    throw new MalformedError('cached integer table is damaged', { operation: 'unpackInts' });
  }
  if (bytes.byteOffset % 4 === 0)
    return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Uint32Array(bytes.slice().buffer);
}

function packDigestMap(map: DigestMap): PackedDigestMap {
  const digests = Object.keys(map);
  const counts = digests.map((d) => (Array.isArray(map[d]) ? map[d]!.length : 0));
  const paths = digests.flatMap((d) => (Array.isArray(map[d]) ? map[d]! : []));
  return { digests: pack(digests), counts: packInts(counts), paths: pack(paths) };
}

/** Pack a parsed inventory. Pure; the inventory is not modified. */
export function snapshotInventory(inventory: Inventory): InventorySnapshot {
  const digestIndex = new Map<string, number>();
  Object.keys(inventory.manifest).forEach((d, i) => {
    digestIndex.set(d, i);
    if (!digestIndex.has(d.toLowerCase())) digestIndex.set(d.toLowerCase(), i);
  });
  const pathIndex = new Map<string, number>();
  const versions: SnapshotVersion[] = Object.entries(inventory.versions).map(([name, block]) => {
    const files = versionFiles(inventory, name);
    const digestIdx = files.map((f) => digestIndex.get(f.digest) ?? digestIndex.get(f.digest.toLowerCase())!);
    const pathIdx = files.map((f) => {
      const known = pathIndex.get(f.logicalPath);
      if (known !== undefined) return known;
      pathIndex.set(f.logicalPath, pathIndex.size);
      return pathIndex.size - 1;
    });
    const v: SnapshotVersion = {
      name,
      created: block.created,
      digestIdx: packInts(digestIdx),
      pathIdx: packInts(pathIdx),
    };
    if (block.message !== undefined) v.message = block.message;
    if (block.user !== undefined) v.user = block.user;
    return v;
  });
  const snap: InventorySnapshot = {
    kind: 'inventory-snapshot',
    schema: 1,
    id: inventory.id,
    type: inventory.type,
    digestAlgorithm: inventory.digestAlgorithm,
    head: inventory.head,
    manifest: packDigestMap(inventory.manifest),
    logicalPaths: pack([...pathIndex.keys()]),
    versions,
  };
  if (inventory.fixity !== undefined && inventory.fixity !== null) {
    snap.fixity = Object.entries(inventory.fixity).map(([algorithm, block]) => ({
      algorithm,
      block: packDigestMap(block),
    }));
  }
  if (inventory.contentDirectory !== undefined) snap.contentDirectory = inventory.contentDirectory;
  return snap;
}

/** True when `value` looks like a snapshot of the current schema (anything else is a cache miss). */
export function isInventorySnapshot(value: unknown): value is InventorySnapshot {
  const v = value as Partial<InventorySnapshot> | undefined;
  return v?.kind === 'inventory-snapshot' && v.schema === 1 && Array.isArray(v.versions);
}

interface UnpackedDigestMap {
  digests: string[];
  /** Index of each digest's first path in `paths`, plus a final end offset. */
  starts: number[];
  paths: string[];
}

function unpackDigestMap(packed: PackedDigestMap): UnpackedDigestMap {
  const counts = unpackInts(packed.counts);
  const starts = new Array<number>(counts.length + 1);
  starts[0] = 0;
  for (let i = 0; i < counts.length; i++) starts[i + 1] = starts[i]! + counts[i]!;
  return { digests: unpack(packed.digests), starts, paths: unpack(packed.paths) };
}

function toDigestMap(m: UnpackedDigestMap): DigestMap {
  const out: DigestMap = Object.create(null);
  m.digests.forEach((d, i) => {
    out[d] = m.paths.slice(m.starts[i], m.starts[i + 1]);
  });
  return out;
}

/** A lazy {@link InventoryView} over a snapshot: tables are unpacked on first use, versions one by one. */
export function snapshotView(snap: InventorySnapshot): InventoryView & { toInventory(): Inventory } {
  let manifest: UnpackedDigestMap | undefined;
  let logical: string[] | undefined;
  const byName = new Map(snap.versions.map((v) => [v.name, v]));
  const files = new Map<string, VersionFile[]>();
  const digests = new Map<string, Map<string, string>>();
  const getManifest = () => (manifest ??= unpackDigestMap(snap.manifest));
  const versions: Record<string, VersionMeta> = Object.create(null);
  for (const v of snap.versions) {
    const meta: VersionMeta = { created: v.created };
    if (v.message !== undefined) meta.message = v.message;
    if (v.user !== undefined) meta.user = v.user;
    versions[v.name] = meta;
  }
  const filesOf = (name: string): VersionFile[] => {
    const v = byName.get(name);
    if (v === undefined)
      throw new MalformedError(`snapshot of ${snap.id} has no version ${name}`, { key: name });
    const m = getManifest();
    logical ??= unpack(snap.logicalPaths);
    const di = unpackInts(v.digestIdx);
    const pi = unpackInts(v.pathIdx);
    const out = new Array<VersionFile>(di.length);
    for (let i = 0; i < di.length; i++) {
      const d = di[i]!;
      out[i] = { logicalPath: logical[pi[i]!]!, digest: m.digests[d]!, contentPath: m.paths[m.starts[d]!]! };
    }
    return out;
  };
  const digestsOf = (algorithm: string): Map<string, string> => {
    const out = new Map<string, string>();
    const block =
      algorithm === snap.digestAlgorithm
        ? getManifest()
        : (() => {
            const f = snap.fixity?.find((x) => x.algorithm === algorithm);
            return f ? unpackDigestMap(f.block) : undefined;
          })();
    if (!block) return out;
    block.digests.forEach((d, i) => {
      const lower = d.toLowerCase();
      for (let j = block.starts[i]!; j < block.starts[i + 1]!; j++) out.set(block.paths[j]!, lower);
    });
    return out;
  };
  const view = {
    id: snap.id,
    type: snap.type,
    digestAlgorithm: snap.digestAlgorithm,
    head: snap.head,
    versions,
    fixityAlgorithms: (snap.fixity ?? []).map((f) => f.algorithm),
    files(version: string): VersionFile[] {
      if (!byName.has(version)) return versionFiles({ id: snap.id, versions: {}, manifest: {} }, version);
      const known = files.get(version);
      if (known) return known;
      const out = filesOf(version);
      files.set(version, out);
      return out;
    },
    contentDigests(algorithm: string): Map<string, string> {
      const known = digests.get(algorithm);
      if (known) return known;
      const out = digestsOf(algorithm);
      digests.set(algorithm, out);
      return out;
    },
    toInventory: () => snapshotToInventory(snap),
  };
  if (snap.contentDirectory !== undefined) Object.assign(view, { contentDirectory: snap.contentDirectory });
  return view;
}

/** Rebuild the full inventory from a snapshot (slow for large ones: prefer the view). */
export function snapshotToInventory(snap: InventorySnapshot): Inventory {
  const manifestMap = unpackDigestMap(snap.manifest);
  const logical = unpack(snap.logicalPaths);
  const inventory: Inventory = {
    id: snap.id,
    type: snap.type,
    digestAlgorithm: snap.digestAlgorithm,
    head: snap.head,
    manifest: toDigestMap(manifestMap),
    // Null prototypes throughout: `__proto__` as a version name, digest or algorithm stays a key.
    versions: Object.create(null),
  };
  if (snap.contentDirectory !== undefined) inventory.contentDirectory = snap.contentDirectory;
  for (const v of snap.versions) {
    const state: DigestMap = Object.create(null);
    const di = unpackInts(v.digestIdx);
    const pi = unpackInts(v.pathIdx);
    for (let i = 0; i < di.length; i++) {
      const digest = manifestMap.digests[di[i]!]!;
      const paths = Object.hasOwn(state, digest) ? state[digest]! : [];
      paths.push(logical[pi[i]!]!);
      state[digest] = paths;
    }
    const block: Inventory['versions'][string] = { created: v.created, state };
    if (v.message !== undefined) block.message = v.message;
    if (v.user !== undefined) block.user = v.user;
    inventory.versions[v.name] = block;
  }
  if (snap.fixity !== undefined) {
    inventory.fixity = Object.create(null) as Record<string, DigestMap>;
    for (const f of snap.fixity) inventory.fixity[f.algorithm] = toDigestMap(unpackDigestMap(f.block));
  }
  return inventory;
}
