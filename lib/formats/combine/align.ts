/**
 * Lining up the paths of METS and BagIt with the deposit's paths. METS paths are relative to
 * the METS file (so `objects/a.tif` is `data/objects/a.tif` when the METS sits in `data/`); BagIt
 * payload paths are relative to the bag root. Letter case: some METS writers lower-case paths
 * (the Leeds reference METS does), so a METS path with no exact deposit file is matched
 * case-insensitively when exactly one deposit file fits, and the difference is reported.
 */
import type { Mismatch } from '../model.js';
import type { BagLike, MetsLike } from './inputs.js';

/** Join deposit path parts, skipping empty ones. */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/** The folder part of a path ('' for a root-level file). */
export function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Strip `./` and leading/trailing slashes so every source spells paths the same way. */
export function cleanPath(path: string): string {
  return path
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
}

/**
 * The deposit folder METS paths are relative to: the METS file's folder when known, else the
 * candidate ('' or 'data') under which more METS file paths exist in the deposit.
 */
export function metsBase(mets: MetsLike, files: ReadonlySet<string>, metsPath: string | undefined): string {
  if (metsPath !== undefined) return dirnameOf(cleanPath(metsPath));
  let best = '';
  let bestHits = -1;
  for (const base of ['', 'data']) {
    const hits = mets.files.filter((f) => files.has(joinPath(base, cleanPath(f.path)))).length;
    if (hits > bestHits) {
      best = base;
      bestHits = hits;
    }
  }
  return best;
}

/** METS entries matched to deposit paths, and the METS paths that match nothing. */
export interface Alignment<T> {
  byDepositPath: Map<string, T>;
  unmatched: { path: string; entry: T }[];
}

/**
 * Match entries whose `path` is relative to `base` against the deposit's paths: exact, else
 * unique case-insensitive (pushing a `path` mismatch). `what` labels the other source.
 */
export function alignPaths<T extends { path: string }>(
  entries: readonly T[],
  base: string,
  deposit: ReadonlySet<string>,
  what: string,
  mismatches: Mismatch[],
): Alignment<T> {
  const lower = new Map<string, string[]>();
  for (const p of deposit) {
    const k = p.toLowerCase();
    lower.set(k, [...(lower.get(k) ?? []), p]);
  }
  const out: Alignment<T> = { byDepositPath: new Map(), unmatched: [] };
  for (const e of entries) {
    const full = joinPath(base, cleanPath(e.path));
    if (deposit.has(full)) {
      out.byDepositPath.set(full, e);
      continue;
    }
    const folded = lower.get(full.toLowerCase()) ?? [];
    if (folded.length === 1 && !out.byDepositPath.has(folded[0]!)) {
      out.byDepositPath.set(folded[0]!, e);
      mismatches.push({
        localPath: folded[0]!,
        field: 'path',
        values: { deposit: folded[0]!, [what]: full },
        message: `${what} names ${full}; the deposit has ${folded[0]} (letter case differs)`,
      });
    } else out.unmatched.push({ path: full, entry: e });
  }
  return out;
}

/** BagIt payload digests keyed by deposit path (bag paths prefixed with the bag's folder). */
export function bagDigests(bag: BagLike, bagRoot: string): Map<string, Record<string, string>> {
  const entries =
    bag.payloadDigests instanceof Map ? [...bag.payloadDigests] : Object.entries(bag.payloadDigests);
  return new Map(entries.map(([p, d]) => [joinPath(cleanPath(bagRoot), cleanPath(p)), d]));
}
