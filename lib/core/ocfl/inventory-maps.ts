/**
 * Checks of the digest → content-path maps of an inventory: `manifest` and each `fixity`
 * algorithm block. Internal to `lib/core/ocfl`; the entry point is `validateInventory`.
 */
import type { DigestMap, Inventory } from '../inventory.js';
import type { OcflCode } from './codes.js';
import { flag, type InventoryContext, isPlainObject, q } from './context.js';
import { digestFormatProblem, FIXITY_ALGORITHMS, fixityFormatCode } from './digests.js';
import { sameStrings, usableReference } from './inventory-reference.js';
import { findPathClashes, pathProblems } from './paths.js';

/**
 * Check `manifest` (E041/E106, E092 value shape, path form, E096, E101, digest form). Entries
 * identical to those of `reference` (an inventory with no issues, same algorithm) are taken
 * from it unchecked.
 */
export function checkManifest(
  raw: Record<string, unknown>,
  digestAlgorithm: string | undefined,
  ctx: InventoryContext,
  reference?: Inventory,
): DigestMap {
  // Null prototypes for everything keyed by data: a digest `__proto__` is an ordinary key.
  if (!('manifest' in raw)) {
    flag(ctx, 'E041', 'inventory has no manifest block');
    return Object.create(null);
  }
  if (!isPlainObject(raw.manifest)) {
    flag(ctx, ctx.spec === '1.0' ? 'E041' : 'E106', 'manifest is not a JSON object');
    return Object.create(null);
  }
  const ref = usableReference(reference, digestAlgorithm)?.manifest;
  const all: string[] = [];
  let allShared = ref !== undefined;
  const manifest = keptDigestMap(raw.manifest, (digest, paths) => {
    if (ref && Object.hasOwn(ref, digest) && sameStrings(paths, ref[digest])) {
      return ref[digest]!; // same entry as in a valid manifest: nothing to check
    }
    allShared = false;
    if (digestAlgorithm) checkContentDigest(digestAlgorithm, digest, ctx);
    if (!Array.isArray(paths)) {
      flag(ctx, 'E092', `manifest[${q(digest)}] is not an array of content paths`);
      return undefined;
    }
    const kept = keptPaths(paths, (p) => checkContentPath(p, 'manifest', ctx));
    for (const p of kept) all.push(p);
    return kept;
  });
  // A subset of a valid manifest has no case duplicates or clashes; otherwise check them all.
  if (allShared) return manifest;
  flagCaseDuplicates(Object.keys(manifest), 'E096', 'manifest', ctx);
  const clashes = findPathClashes(ref ? Object.values(manifest).flat() : all);
  for (const p of clashes.duplicates) flag(ctx, 'E101', `manifest lists content path ${q(p)} more than once`);
  for (const [dir, p] of clashes.conflicts) {
    flag(ctx, 'E101', `manifest has content path ${q(dir)} that is also a directory of ${q(p)}`);
  }
  return manifest;
}

/** Manifest keys must be hex digests of the declared algorithm (encoding E030/E031, length E039). */
function checkContentDigest(alg: string, digest: string, ctx: InventoryContext): void {
  const problem = digestFormatProblem(alg, digest);
  if (!problem) return;
  const code: OcflCode = problem === 'not hex' ? (alg === 'sha256' ? 'E030' : 'E031') : 'E039';
  flag(ctx, code, `manifest key ${q(digest)} is not a ${alg} digest (${problem})`);
}

/** Check one content path's form (E098–E100); true when it is usable. */
export function checkContentPath(p: unknown, where: string, ctx: InventoryContext): boolean {
  const problems = pathProblems(p);
  for (const problem of problems) {
    if (problem === 'not-a-path') flag(ctx, 'E098', `${where} has a content path that is not a path`);
    if (problem === 'slash-at-end') flag(ctx, 'E100', `${where}: ${q(p)} starts or ends with "/"`);
    if (problem === 'bad-element') flag(ctx, 'E099', `${where}: ${q(p)} has an empty, "." or ".." element`);
    if (problem === 'nul') flag(ctx, 'E098', `${where}: ${q(p)} contains a NUL character`);
  }
  return problems.length === 0;
}

function flagCaseDuplicates(digests: string[], code: OcflCode, where: string, ctx: InventoryContext): void {
  const seen = new Map<string, string>();
  for (const d of digests) {
    const lower = d.toLowerCase();
    const prior = seen.get(lower);
    if (prior !== undefined)
      flag(ctx, code, `${where} lists digest ${d} twice (${q(prior)} differs only in case)`);
    else seen.set(lower, d);
  }
}

/**
 * Check `fixity` (E111/E056 for a non-object, E056 unknown algorithm, E057 shape and paths not in
 * the manifest, E097, digest form). `contentPaths` is the set of manifest content paths.
 */
export function checkFixity(
  raw: Record<string, unknown>,
  contentPaths: ReadonlySet<string>,
  ctx: InventoryContext,
): Record<string, DigestMap> | undefined {
  if (!('fixity' in raw)) return undefined;
  if (!isPlainObject(raw.fixity)) {
    // 1.1 added E111 for exactly this; under 1.0 the nearest rule is the vocabulary one.
    flag(ctx, ctx.spec === '1.0' ? 'E056' : 'E111', 'fixity is present but is not a JSON object');
    return undefined;
  }
  const fixity: Record<string, DigestMap> = Object.create(null);
  for (const [alg, block] of Object.entries(raw.fixity)) {
    if (!Object.hasOwn(FIXITY_ALGORITHMS, alg)) {
      flag(ctx, 'E056', `fixity algorithm ${q(alg)} is neither in the spec's table nor in extension 0009`);
    }
    if (!isPlainObject(block)) {
      flag(ctx, 'E057', `fixity.${q(alg)} is not a JSON object of digests`);
      continue;
    }
    fixity[alg] = checkFixityBlock(alg, block, contentPaths, ctx);
  }
  return fixity;
}

function checkFixityBlock(
  alg: string,
  block: Record<string, unknown>,
  contentPaths: ReadonlySet<string>,
  ctx: InventoryContext,
): DigestMap {
  const where = `fixity.${q(alg)}`;
  const out = keptDigestMap(block, (digest, paths) => {
    const problem = digestFormatProblem(alg, digest);
    if (problem) flag(ctx, fixityFormatCode(alg), `${where} key ${q(digest)}: ${problem}`);
    if (!Array.isArray(paths)) {
      flag(ctx, 'E057', `${where}[${q(digest)}] is not an array of content paths`);
      return undefined;
    }
    return keptPaths(paths, (p) => {
      if (!checkContentPath(p, where, ctx)) return false;
      if (contentPaths.has(p as string)) return true;
      flag(ctx, 'E057', `${where} names ${q(p)}, which is not a manifest content path`);
      return false;
    });
  });
  flagCaseDuplicates(Object.keys(block), 'E097', where, ctx);
  return out;
}

/**
 * The digest map of `raw` with each entry's paths as `entry` returns them (undefined: dropped).
 * Built without copying when nothing was dropped or replaced and `raw` has a null prototype (as
 * the streaming reader makes them): `raw` itself is the result, so a million-entry block is not
 * rebuilt. Otherwise a new null-prototype map. `entry` runs once per key, in order.
 */
export function keptDigestMap(
  raw: Record<string, unknown>,
  entry: (digest: string, paths: unknown) => string[] | undefined,
): DigestMap {
  const keys = Object.keys(raw);
  let out: DigestMap | undefined = Object.getPrototypeOf(raw) === null ? undefined : Object.create(null);
  for (let i = 0; i < keys.length; i++) {
    const digest = keys[i]!;
    const paths = raw[digest];
    const kept = entry(digest, paths);
    if (out === undefined && kept === paths) continue;
    if (out === undefined) {
      out = Object.create(null) as DigestMap;
      for (let j = 0; j < i; j++) out[keys[j]!] = raw[keys[j]!] as string[];
    }
    if (kept !== undefined) out[digest] = kept;
  }
  return out ?? (raw as DigestMap);
}

/** `paths` itself when `ok` accepts every element, else a new array of those it accepts. */
export function keptPaths(paths: unknown[], ok: (p: unknown) => boolean): string[] {
  let out: string[] | undefined;
  for (let i = 0; i < paths.length; i++) {
    const good = ok(paths[i]);
    if (good && out === undefined) continue;
    if (out === undefined) out = paths.slice(0, i) as string[];
    if (good) out.push(paths[i] as string);
  }
  return out ?? (paths as string[]);
}
