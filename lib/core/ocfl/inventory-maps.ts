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
  const manifest: DigestMap = Object.create(null);
  if (!('manifest' in raw)) {
    flag(ctx, 'E041', 'inventory has no manifest block');
    return manifest;
  }
  if (!isPlainObject(raw.manifest)) {
    flag(ctx, ctx.spec === '1.0' ? 'E041' : 'E106', 'manifest is not a JSON object');
    return manifest;
  }
  const ref = usableReference(reference, digestAlgorithm)?.manifest;
  const all: string[] = [];
  let allShared = ref !== undefined;
  for (const [digest, paths] of Object.entries(raw.manifest)) {
    if (ref && Object.hasOwn(ref, digest) && sameStrings(paths, ref[digest])) {
      manifest[digest] = ref[digest]!; // same entry as in a valid manifest: nothing to check
      continue;
    }
    allShared = false;
    if (digestAlgorithm) checkContentDigest(digestAlgorithm, digest, ctx);
    if (!Array.isArray(paths)) {
      flag(ctx, 'E092', `manifest[${q(digest)}] is not an array of content paths`);
      continue;
    }
    manifest[digest] = [];
    for (const p of paths) {
      if (!checkContentPath(p, 'manifest', ctx)) continue;
      manifest[digest]!.push(p as string);
      all.push(p as string);
    }
  }
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
  const out: DigestMap = Object.create(null);
  for (const [digest, paths] of Object.entries(block)) {
    const problem = digestFormatProblem(alg, digest);
    if (problem) flag(ctx, fixityFormatCode(alg), `${where} key ${q(digest)}: ${problem}`);
    if (!Array.isArray(paths)) {
      flag(ctx, 'E057', `${where}[${q(digest)}] is not an array of content paths`);
      continue;
    }
    out[digest] = [];
    for (const p of paths) {
      if (!checkContentPath(p, where, ctx)) continue;
      if (!contentPaths.has(p as string)) {
        flag(ctx, 'E057', `${where} names ${q(p)}, which is not a manifest content path`);
        continue;
      }
      out[digest]!.push(p as string);
    }
  }
  flagCaseDuplicates(Object.keys(block), 'E097', where, ctx);
  return out;
}
