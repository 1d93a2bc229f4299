/**
 * Checks of the `versions` block of an inventory: version names and sequence, each version's
 * `created`, `message`, `user` and `state` (logical paths). Internal to `lib/core/ocfl`; the
 * entry point is `validateInventory`.
 */
import type { DigestMap, Inventory, InventoryVersion, VersionUser } from '../inventory.js';
import { flag, flagUnknownKeys, type InventoryContext, isPlainObject, looksLikeUri, q } from './context.js';
import { keptDigestMap, keptPaths } from './inventory-maps.js';
import { sameVersion } from './inventory-reference.js';
import { findPathClashes, pathProblems } from './paths.js';
import { checkVersionSequence, type VersionName } from './version-names.js';

const VERSION_KEYS = ['created', 'message', 'user', 'state'] as const;
const USER_KEYS = ['name', 'address'] as const;

/** The sanitised versions block and its well-formed names in order. */
export interface CheckedVersions {
  versions: Record<string, InventoryVersion>;
  /** Well-formed version names sorted by number (empty when the block is missing or empty). */
  names: VersionName[];
}

/**
 * Check `versions` (E041/E043/E045/E008, names, each block). Blocks identical to those of
 * `reference` (an inventory with no issues) are taken from it unchecked.
 */
export function checkVersions(
  raw: Record<string, unknown>,
  ctx: InventoryContext,
  reference?: Inventory,
): CheckedVersions {
  // Null prototypes for everything keyed by data: a version `__proto__` is an ordinary key.
  const versions: Record<string, InventoryVersion> = Object.create(null);
  if (!('versions' in raw)) {
    flag(ctx, 'E043', 'inventory has no versions block');
    return { versions, names: [] };
  }
  const block = raw.versions;
  if (!isPlainObject(block)) {
    flag(ctx, 'E045', 'versions is not a JSON object');
    return { versions, names: [] };
  }
  const keys = Object.keys(block);
  if (keys.length === 0) flag(ctx, 'E008', 'versions is empty: an object needs at least one version');
  const names = checkVersionSequence(keys, 'versions key', (code, message) => flag(ctx, code, message));
  for (const key of keys) {
    // A block identical to the valid reference's raises nothing: share it instead of re-checking.
    const refBlock =
      reference && Object.hasOwn(reference.versions, key) ? reference.versions[key] : undefined;
    const version = sameVersion(block[key], refBlock) ?? checkVersion(key, block[key], ctx);
    if (version) versions[key] = version;
  }
  return { versions, names };
}

function checkVersion(name: string, raw: unknown, ctx: InventoryContext): InventoryVersion | undefined {
  const where = `versions.${q(name)}`;
  if (!isPlainObject(raw)) {
    flag(ctx, 'E047', `${where} is not a JSON object`);
    return undefined;
  }
  flagUnknownKeys(ctx, raw, VERSION_KEYS, where);
  const version: InventoryVersion = { created: '', state: checkState(raw, where, ctx) };
  if (!('created' in raw)) flag(ctx, 'E048', `${where} has no created`);
  else if (typeof raw.created !== 'string' || !isRfc3339(raw.created)) {
    flag(ctx, 'E049', `${where}.created is not an RFC 3339 date-time with time zone and seconds`);
  } else version.created = raw.created;
  if ('message' in raw) {
    if (typeof raw.message === 'string') version.message = raw.message;
    else flag(ctx, 'E094', `${where}.message is not a JSON string`);
  }
  if ('user' in raw) {
    const user = checkUser(raw.user, where, ctx);
    if (user) version.user = user;
  }
  if (!('message' in raw) || !('user' in raw)) {
    flag(ctx, 'W007', `${where} should have both message and user`);
  }
  return version;
}

function checkUser(raw: unknown, where: string, ctx: InventoryContext): VersionUser | undefined {
  if (!isPlainObject(raw)) {
    flag(ctx, 'E054', `${where}.user is not a JSON object`);
    return undefined;
  }
  flagUnknownKeys(ctx, raw, USER_KEYS, `${where}.user`);
  if (typeof raw.name !== 'string') {
    flag(ctx, 'E054', `${where}.user has no string name`);
    return undefined;
  }
  const user: VersionUser = { name: raw.name };
  if (!('address' in raw)) flag(ctx, 'W008', `${where}.user has no address`);
  else if (typeof raw.address !== 'string' || !looksLikeUri(raw.address)) {
    flag(ctx, 'W009', `${where}.user.address is not a URI (mailto: or a personal identifier URL)`);
    if (typeof raw.address === 'string') user.address = raw.address;
  } else user.address = raw.address;
  return user;
}

/** Check one `state` block: shape, logical path form (E051–E053) and clashes (E095). */
function checkState(raw: Record<string, unknown>, where: string, ctx: InventoryContext): DigestMap {
  if (!('state' in raw)) {
    flag(ctx, 'E048', `${where} has no state`);
    return Object.create(null);
  }
  if (!isPlainObject(raw.state)) {
    flag(ctx, 'E050', `${where}.state is not a JSON object of digests`);
    return Object.create(null);
  }
  const all: string[] = [];
  const state = keptDigestMap(raw.state, (digest, paths) => {
    if (!Array.isArray(paths)) {
      flag(ctx, 'E051', `${where}.state[${q(digest)}] is not an array of logical paths`);
      return undefined;
    }
    const kept = keptPaths(paths, (p) => checkLogicalPath(p, where, ctx));
    for (const p of kept) all.push(p);
    return kept;
  });
  const clashes = findPathClashes(all);
  for (const p of clashes.duplicates) flag(ctx, 'E095', `${where}.state lists logical path ${q(p)} twice`);
  for (const [dir, p] of clashes.conflicts) {
    flag(ctx, 'E095', `${where}.state has logical path ${q(dir)} that is also a directory of ${q(p)}`);
  }
  return state;
}

function checkLogicalPath(p: unknown, where: string, ctx: InventoryContext): boolean {
  const problems = pathProblems(p);
  for (const problem of problems) {
    if (problem === 'not-a-path') flag(ctx, 'E051', `${where}.state has a logical path that is not a path`);
    if (problem === 'slash-at-end') flag(ctx, 'E053', `${where}.state: ${q(p)} starts or ends with "/"`);
    if (problem === 'bad-element')
      flag(ctx, 'E052', `${where}.state: ${q(p)} has an empty, "." or ".." element`);
    if (problem === 'nul') flag(ctx, 'E051', `${where}.state: ${q(p)} contains a NUL character`);
  }
  return problems.length === 0;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * RFC 3339 `date-time` (§5.6): full date, `T`, time to the second with optional fraction, and a
 * mandatory zone. Field ranges are checked too (leap second 60 allowed).
 */
export function isRfc3339(v: string): boolean {
  const m = RFC3339.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth) return false;
  if (h > 23 || mi > 59 || s > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}
