/**
 * The pure plan of a synthetic many-small-files OCFL object: which content files each version
 * adds, and each version's logical state, with additions, modifications, deletions and renames
 * from v2 on. Writing bytes is `generate.ts`'s job; keeping the plan pure makes the object's
 * shape easy to reason about (and identical for identical parameters).
 *
 * Shape rules that keep the object valid OCFL 1.1: every content file is new content added by
 * exactly one version and used by that version's state (no unused manifest entry, E107; no empty
 * content directory); every file carries a unique header so no two digests collide (one content
 * path per manifest entry); logical names end in `.dat` inside `dNNN/` directories, so no path
 * is a directory prefix of another (E095/E101).
 */
import { Prng } from './prng.js';

/** Parameters of the small-files object. */
export interface SmallObjectParams {
  /** Total content files over all versions (default 100,000). */
  files: number;
  /** Number of versions (default 5). */
  versions: number;
  /** Smallest and largest file size in bytes (defaults 64 and 4096). */
  minSize: number;
  maxSize: number;
  seed: number;
}

/** One content file (one manifest entry). */
export interface PlannedContent {
  /** Unique index; also written into the file's first line. */
  index: number;
  /** 1-based number of the version that adds it. */
  version: number;
  contentPath: string;
  size: number;
  /** Offset of the body in the byte pool. */
  poolOffset: number;
}

/** One version: its logical state, logical path → content index. */
export interface PlannedVersion {
  name: string;
  created: string;
  message: string;
  state: Map<string, number>;
}

/** The whole plan. */
export interface ObjectPlan {
  contents: PlannedContent[];
  versions: PlannedVersion[];
}

/** Fractions of the previous state touched by each later version. */
const DELETE_SHARE = 0.01;
const RENAME_SHARE = 0.02;
const MODIFY_SHARE = 0.05;
/** Files per `dNNN/` directory: keeps directories realistic (≈1,000 entries). */
const FILES_PER_DIR = 1000;

/** Number of new content files version `v` (1-based) adds: an even share, the remainder last. */
function newContentCount(p: SmallObjectParams, v: number): number {
  const share = Math.floor(p.files / p.versions);
  return v === p.versions ? p.files - share * (p.versions - 1) : share;
}

/** Pick `count` distinct keys of `state` pseudo-randomly (partial Fisher-Yates). */
function pick(prng: Prng, keys: string[], count: number): string[] {
  const n = Math.min(count, keys.length);
  for (let i = 0; i < n; i++) {
    const j = prng.int(i, keys.length - 1);
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  return keys.slice(0, n);
}

/**
 * Plan the object. Throws RangeError on parameters that cannot give a valid object (fewer
 * files than versions, sizes below the unique header).
 */
export function planSmallObject(p: SmallObjectParams, poolSize: number): ObjectPlan {
  if (p.versions < 1 || p.files < p.versions) throw new RangeError('need at least one file per version');
  if (p.minSize < 16 || p.maxSize < p.minSize) throw new RangeError('sizes must be ≥ 16 and min ≤ max');
  const prng = new Prng(p.seed);
  const contents: PlannedContent[] = [];
  const versions: PlannedVersion[] = [];
  const addContent = (version: number, logical: string): number => {
    const index = contents.length;
    const size = prng.int(p.minSize, p.maxSize);
    const poolOffset = prng.int(0, poolSize - size);
    contents.push({ index, version, contentPath: `v${version}/content/${logical}`, size, poolOffset });
    return index;
  };
  let state = new Map<string, number>();
  for (let v = 1; v <= p.versions; v++) {
    state = new Map(state);
    let fresh = newContentCount(p, v);
    if (v > 1) fresh -= changeExisting(prng, state, v, Math.floor(fresh / 2), addContent);
    for (let i = 0; i < fresh; i++) {
      const n = contents.length;
      const dir = String(Math.floor(n / FILES_PER_DIR)).padStart(3, '0');
      const logical = `d${dir}/f${String(n).padStart(6, '0')}.dat`;
      state.set(logical, addContent(v, logical));
    }
    const created = new Date(Date.UTC(2024, 0, v, 12, 0, 0)).toISOString().replace('.000Z', 'Z');
    versions.push({ name: `v${v}`, created, message: `benchmark version ${v}`, state });
  }
  return { contents, versions };
}

/**
 * Delete, rename and modify a share of `state` in place; returns how many new content files the
 * modifications created (at most `maxModify`).
 */
function changeExisting(
  prng: Prng,
  state: Map<string, number>,
  v: number,
  maxModify: number,
  addContent: (version: number, logical: string) => number,
): number {
  const size = state.size;
  const deletes = Math.floor(size * DELETE_SHARE);
  const renames = Math.floor(size * RENAME_SHARE);
  const modifies = Math.min(maxModify, Math.floor(size * MODIFY_SHARE));
  const chosen = pick(prng, [...state.keys()], deletes + renames + modifies);
  for (const logical of chosen.slice(0, deletes)) state.delete(logical);
  for (const logical of chosen.slice(deletes, deletes + renames)) {
    const index = state.get(logical)!;
    state.delete(logical);
    state.set(logical.replace(/\.dat$/, `-r${v}.dat`), index);
  }
  for (const logical of chosen.slice(deletes + renames)) state.set(logical, addContent(v, logical));
  return chosen.length - deletes - renames;
}
