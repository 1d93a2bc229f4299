/**
 * Inventory validation: every rule that can be checked from one inventory's JSON alone
 * (spec §3.5–3.7). Rules that need the object's files (sidecars, directories, content digests,
 * comparisons between inventories) live in `lib/engine/validate/`.
 *
 * Spec versions: the rules of the inventory's spec version apply (from the object declaration
 * when the caller knows it, else from `type`). 1.1 codes that are clarifications of rules that
 * already held in 1.0 (E104/E105 version names, E108 content directory) are reported for 1.0
 * inventories too; rules that are new in 1.1 are not applied to 1.0: E107 (unused manifest
 * entries), E111 (non-object fixity, reported as E056 under 1.0), E106 (reported as E041).
 *
 * Pure module.
 */
import { type Inventory, type OcflSpecVersion, specVersionOfType } from '../inventory.js';
import { type ValidationIssue, ValidationReport } from './codes.js';
import { flag, flagUnknownKeys, type InventoryContext, isPlainObject, looksLikeUri, q } from './context.js';
import { CONTENT_DIGEST_ALGORITHMS } from './digests.js';
import { checkFixity, checkManifest } from './inventory-maps.js';
import { checkVersions } from './inventory-versions.js';
import { splitFirst } from './paths.js';
import type { VersionName } from './version-names.js';

const TOP_KEYS = [
  'id',
  'type',
  'digestAlgorithm',
  'head',
  'contentDirectory',
  'fixity',
  'manifest',
  'versions',
] as const;

/** Options for {@link validateInventory}. */
export interface InventoryValidationOptions {
  /**
   * The spec version the inventory must declare in `type` (E038), e.g. from the object's
   * declaration file for the root inventory. Default: none (any known type is accepted).
   */
  expectedSpecVersion?: OcflSpecVersion;
  /** Path of the inventory file, attached to every issue (e.g. `v2/inventory.json`). */
  path?: string;
  /**
   * Extra directories content paths may lie in besides `<version>/<contentDirectory>/`, e.g.
   * `extensions/0005-mutable-head/head/content` for a mutable-head inventory. Default none.
   */
  extraContentRoots?: string[];
  /**
   * An inventory of the same object already validated with no issues at all (e.g. the root
   * inventory when validating version inventories): version blocks and manifest entries
   * identical to its own are not checked again, which gives the same issues in a fraction of the
   * time. Default none. Passing an inventory that had issues would hide them.
   */
  reference?: Inventory;
}

/** Outcome of {@link validateInventory}. */
export interface InventoryValidation {
  /**
   * The inventory with every well-typed part kept (missing strings become `''`, malformed blocks
   * `{}`), so later checks can run; absent only when the JSON is not an object.
   */
  inventory?: Inventory;
  issues: ValidationIssue[];
  /** The spec version whose rules were applied. */
  specVersion: OcflSpecVersion;
  /** Well-formed `versions` keys sorted by number. */
  versionNames: VersionName[];
}

/**
 * Validate a parsed inventory (the result of `JSON.parse`). Never throws on bad input; every
 * problem is an issue. See the module doc for which spec version's rules apply.
 */
export function validateInventory(
  raw: unknown,
  options: InventoryValidationOptions = {},
): InventoryValidation {
  const report = new ValidationReport();
  const typeVersion =
    isPlainObject(raw) && typeof raw.type === 'string' ? specVersionOfType(raw.type) : undefined;
  const spec = options.expectedSpecVersion ?? typeVersion ?? '1.1';
  const ctx: InventoryContext = { report, spec, ...(options.path !== undefined && { path: options.path }) };
  if (!isPlainObject(raw)) {
    flag(ctx, 'E033', 'inventory is not a JSON object');
    return { issues: report.issues, specVersion: spec, versionNames: [] };
  }
  flagUnknownKeys(ctx, raw, TOP_KEYS, 'inventory');
  const id = checkId(raw, ctx);
  const type = checkType(raw, ctx, options.expectedSpecVersion);
  const digestAlgorithm = checkDigestAlgorithm(raw, ctx);
  const contentDirectory = checkContentDirectory(raw, ctx);
  const { versions, names } = checkVersions(raw, ctx, options.reference);
  const head = checkHead(raw, names, ctx);
  const manifest = checkManifest(raw, digestAlgorithm, ctx, options.reference);
  const contentPaths = new Set(Object.values(manifest).flat());
  checkContentLocations(
    contentPaths,
    names,
    contentDirectory ?? 'content',
    options.extraContentRoots ?? [],
    ctx,
  );
  checkStateDigests(manifest, versions, ctx);
  const fixity = checkFixity(raw, contentPaths, ctx);
  const inventory: Inventory = {
    id: id ?? '',
    type: type ?? '',
    digestAlgorithm: digestAlgorithm ?? '',
    head: head ?? '',
    manifest,
    versions,
  };
  if (contentDirectory !== undefined) inventory.contentDirectory = contentDirectory;
  if (fixity !== undefined) inventory.fixity = fixity;
  return { inventory, issues: report.issues, specVersion: spec, versionNames: names };
}

function checkId(raw: Record<string, unknown>, ctx: InventoryContext): string | undefined {
  if (!('id' in raw)) return void flag(ctx, 'E036', 'inventory has no id');
  if (typeof raw.id !== 'string' || raw.id === '')
    return void flag(ctx, 'E037', 'id is not a non-empty string');
  if (!looksLikeUri(raw.id)) flag(ctx, 'W005', `id ${q(raw.id)} is not a URI`);
  return raw.id;
}

function checkType(
  raw: Record<string, unknown>,
  ctx: InventoryContext,
  expected: OcflSpecVersion | undefined,
): string | undefined {
  if (!('type' in raw)) return void flag(ctx, 'E036', 'inventory has no type');
  if (typeof raw.type !== 'string') return void flag(ctx, 'E038', 'type is not a string');
  const version = specVersionOfType(raw.type);
  if (!version) flag(ctx, 'E038', `type ${q(raw.type)} is not an OCFL inventory type URI`);
  else if (expected && version !== expected) {
    flag(ctx, 'E038', `type declares OCFL ${version} but the object declares ${expected}`);
  }
  return raw.type;
}

function checkDigestAlgorithm(raw: Record<string, unknown>, ctx: InventoryContext): string | undefined {
  if (!('digestAlgorithm' in raw)) return void flag(ctx, 'E036', 'inventory has no digestAlgorithm');
  const alg = raw.digestAlgorithm;
  if (typeof alg !== 'string' || !(CONTENT_DIGEST_ALGORITHMS as readonly string[]).includes(alg)) {
    return void flag(
      ctx,
      'E025',
      `digestAlgorithm ${q(JSON.stringify(alg) ?? typeof alg)} is neither sha512 nor sha256`,
    );
  }
  if (alg !== 'sha512') flag(ctx, 'W004', `digestAlgorithm is ${alg}; sha512 is recommended`);
  return alg;
}

function checkContentDirectory(raw: Record<string, unknown>, ctx: InventoryContext): string | undefined {
  if (!('contentDirectory' in raw)) return undefined;
  const cd = raw.contentDirectory;
  if (typeof cd !== 'string') return void flag(ctx, 'E017', 'contentDirectory is not a string');
  if (cd.includes('/')) return void flag(ctx, 'E017', `contentDirectory ${q(cd)} contains "/"`);
  if (cd === '.' || cd === '..') return void flag(ctx, 'E018', `contentDirectory is ${q(cd)}`);
  if (cd === '') return void flag(ctx, 'E108', 'contentDirectory is empty');
  return cd;
}

function checkHead(
  raw: Record<string, unknown>,
  names: VersionName[],
  ctx: InventoryContext,
): string | undefined {
  if (!('head' in raw)) return void flag(ctx, 'E036', 'inventory has no head');
  if (typeof raw.head !== 'string') return void flag(ctx, 'E040', 'head is not a string');
  const newest = names[names.length - 1];
  if (newest && newest.name !== raw.head) {
    flag(ctx, 'E040', `head is ${q(raw.head)} but the newest version is ${newest.name}`);
  }
  return raw.head;
}

/** Content paths must lie in `<version>/<contentDirectory>/…` of a version of this inventory (E042). */
function checkContentLocations(
  paths: Iterable<string>,
  names: VersionName[],
  contentDirectory: string,
  extraRoots: string[],
  ctx: InventoryContext,
): void {
  const versionNames = new Set(names.map((n) => n.name));
  for (const p of paths) {
    if (extraRoots.some((root) => p.startsWith(`${root}/`))) continue;
    const [version, rest] = splitFirst(p);
    const [dir, file] = splitFirst(rest);
    if (!versionNames.has(version)) {
      flag(ctx, 'E042', `content path ${q(p)} is not in a version directory of this inventory`);
    } else if (dir !== contentDirectory || file === '') {
      flag(ctx, 'E042', `content path ${q(p)} is not inside ${q(`${version}/${contentDirectory}/`)}`);
    }
  }
}

/** State digests must be manifest keys exactly (E050); 1.1: manifest keys must be used (E107). */
function checkStateDigests(
  manifest: Inventory['manifest'],
  versions: Inventory['versions'],
  ctx: InventoryContext,
): void {
  const used = new Set<string>();
  for (const [name, version] of Object.entries(versions)) {
    for (const digest of Object.keys(version.state)) {
      used.add(digest);
      if (!Object.hasOwn(manifest, digest)) {
        flag(ctx, 'E050', `versions.${q(name)}.state digest ${q(digest)} is not a manifest key`);
      }
    }
  }
  if (ctx.spec === '1.0') return;
  for (const digest of Object.keys(manifest)) {
    if (!used.has(digest)) flag(ctx, 'E107', `manifest digest ${q(digest)} is used by no version state`);
  }
}
