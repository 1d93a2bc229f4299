/**
 * Version names, memento timestamps and version selectors.
 *
 * Fedora exposes OCFL versions as mementos labelled `yyyyMMddHHmmss` (UTC), the version's
 * `created` truncated to the second (FEDORA-OCFL §4.6); the Preservation API accepts either that
 * label or the OCFL name (`v2`). Two versions created in the same second share a label; a
 * memento selector then resolves to the newest of them, which is what a client that saw the
 * later version listed under that label expects.
 */
import { InvalidInputError, NotFoundError } from './errors.js';
import { type Inventory, type VersionUser, versionNumber } from './inventory.js';
import { quoteForMessage, truncateForMessage } from './paths.js';

/** The Preservation API's version object. */
export interface VersionInfo {
  /** Version directory name, e.g. `v2`. */
  ocflVersion: string;
  /** The version's `created` as a UTC ISO instant, sub-second digits kept. */
  mementoDateTime: string;
  /** `yyyyMMddHHmmss` in UTC; empty when `created` could not be parsed. */
  mementoTimestamp: string;
}

/** A parsed version selector. */
export type VersionSelector = { kind: 'ocfl'; number: number } | { kind: 'memento'; timestamp: string };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** Parsed parts of an RFC 3339 date-time: the UTC instant (whole seconds) and the fraction digits. */
interface ParsedInstant {
  utcSeconds: Date;
  fraction: string;
}

function parseInstant(created: string): ParsedInstant | undefined {
  const m = RFC3339.exec(created.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  // A missing zone is read as UTC: lenient, and what Fedora's own tooling writes anyway.
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const utc = new Date(ms - offsetMinutes * 60_000);
  if (Number.isNaN(utc.getTime())) return undefined;
  return { utcSeconds: utc, fraction: frac ?? '' };
}

/** `yyyyMMddHHmmss` (UTC) of an RFC 3339 date-time, truncated to the second; undefined when unparseable. */
export function mementoTimestampOf(created: string): string | undefined {
  const p = parseInstant(created);
  if (!p) return undefined;
  return p.utcSeconds.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/**
 * The ISO instant (UTC, `Z`) of an RFC 3339 date-time, keeping its sub-second digits
 * (`2025-09-09T11:09:44.900134Z` stays as is). Returns the input unchanged when unparseable.
 */
export function mementoDateTimeOf(created: string): string {
  const p = parseInstant(created);
  if (!p) return created;
  return `${p.utcSeconds.toISOString().slice(0, 19)}${p.fraction}Z`;
}

/** The version object for version `name` created at `created`. */
export function versionInfo(name: string, created: string): VersionInfo {
  return {
    ocflVersion: name,
    mementoDateTime: mementoDateTimeOf(created),
    mementoTimestamp: mementoTimestampOf(created) ?? '',
  };
}

/** What the version helpers need to know of each version. */
export interface VersionMeta {
  created: string;
  message?: string;
  user?: VersionUser;
}

/** Anything with versions keyed by name: an {@link Inventory} or an {@link InventoryView}. */
export interface HasVersions {
  readonly id: string;
  readonly head: string;
  readonly versions: Readonly<Record<string, VersionMeta>>;
}

/** Version names of an inventory in numeric order (malformed names last, by name). */
export function sortedVersionNames(inventory: Pick<HasVersions, 'versions'>): string[] {
  return Object.keys(inventory.versions).sort((a, b) => {
    const na = versionNumber(a) ?? Number.MAX_SAFE_INTEGER;
    const nb = versionNumber(b) ?? Number.MAX_SAFE_INTEGER;
    return na - nb || a.localeCompare(b);
  });
}

/** Every version of an inventory as version objects, oldest first. */
export function listVersions(inventory: Pick<HasVersions, 'versions'>): VersionInfo[] {
  return sortedVersionNames(inventory).map((name) =>
    versionInfo(name, inventory.versions[name]?.created ?? ''),
  );
}

/**
 * Parse a version selector: `vN` (any zero padding) or a 14-digit memento timestamp.
 * Throws InvalidInputError for anything else.
 */
export function parseVersionSelector(text: string): VersionSelector {
  const n = versionNumber(text);
  if (n !== undefined) return { kind: 'ocfl', number: n };
  if (/^\d{14}$/.test(text)) return { kind: 'memento', timestamp: text };
  throw new InvalidInputError(
    `not a version: ${JSON.stringify(text)} (expected an OCFL version such as "v2" or a memento timestamp yyyyMMddHHmmss)`,
    { operation: 'parseVersion', key: text },
  );
}

/**
 * The version directory name `selector` designates in `inventory` (the head when undefined).
 * `v1` matches a zero-padded `v001`. Throws InvalidInputError for a malformed selector,
 * NotFoundError when the object has no such version.
 */
export function resolveVersion(inventory: HasVersions, selector?: string | VersionSelector): string {
  if (selector === undefined) return inventory.head;
  const sel = typeof selector === 'string' ? parseVersionSelector(selector) : selector;
  const names = sortedVersionNames(inventory);
  let found: string | undefined;
  if (sel.kind === 'ocfl') {
    found = names.find((name) => versionNumber(name) === sel.number);
  } else {
    // Newest match wins when two versions fall in the same second (see module doc).
    found = names
      .filter((name) => mementoTimestampOf(String(inventory.versions[name]!.created)) === sel.timestamp)
      .pop();
  }
  if (found === undefined) {
    const label = sel.kind === 'ocfl' ? `v${sel.number}` : `memento ${sel.timestamp}`;
    throw new NotFoundError(
      `object ${truncateForMessage(inventory.id)} has no version ${label} (versions: ${truncateForMessage(names.join(', '))})`,
      {
        operation: 'resolveVersion',
        key: label,
      },
    );
  }
  return found;
}

/** One logical file of a version: its inventory digest and the content path holding its bytes. */
export interface VersionFile {
  logicalPath: string;
  /** Digest in the inventory's `digestAlgorithm`, exactly as the state block spells it. */
  digest: string;
  /** First manifest content path for the digest (relative to the object root). */
  contentPath: string;
}

/**
 * Every logical file of `version`, in logical-path order. Content paths come from the manifest
 * by digest, never from the logical path (Fedora percent-encodes names: `a b.txt` is stored as
 * `v1/content/a%20b.txt`). The manifest lookup tolerates case differences in digests. Throws
 * NotFoundError for an unknown version; a digest with no manifest entry is skipped (the
 * validator reports it as E050).
 */
export function versionFiles(
  inventory: Pick<Inventory, 'versions' | 'manifest' | 'id'>,
  version: string,
): VersionFile[] {
  // Own keys only: a version named `constructor` must not find Object.prototype's.
  const block = Object.hasOwn(inventory.versions, version) ? inventory.versions[version] : undefined;
  if (block === undefined) {
    throw new NotFoundError(
      `object ${truncateForMessage(inventory.id)} has no version ${quoteForMessage(version)}`,
      { key: truncateForMessage(version) },
    );
  }
  // Case-insensitive fallback, built only if some state digest differs in case from the manifest.
  let lower: Map<string, string[]> | undefined;
  const byLowerCase = (digest: string) => {
    lower ??= new Map(Object.entries(inventory.manifest).map(([d, paths]) => [d.toLowerCase(), paths]));
    return lower.get(digest.toLowerCase());
  };
  const out: VersionFile[] = [];
  for (const [digest, logicalPaths] of Object.entries(block.state)) {
    const contentPaths = Object.hasOwn(inventory.manifest, digest)
      ? inventory.manifest[digest]
      : byLowerCase(digest);
    // Lenient reading: malformed entries (not arrays) are skipped; the validator reports them.
    const contentPath = Array.isArray(contentPaths) ? contentPaths[0] : undefined;
    if (typeof contentPath !== 'string' || !Array.isArray(logicalPaths)) continue;
    for (const logicalPath of logicalPaths) {
      if (typeof logicalPath === 'string') out.push({ logicalPath, digest, contentPath });
    }
  }
  return out.sort((a, b) => (a.logicalPath < b.logicalPath ? -1 : a.logicalPath > b.logicalPath ? 1 : 0));
}

/**
 * content path → lowercase hex digest in `algorithm`, from the inventory: the manifest when it
 * is the inventory's algorithm, else the fixity block. Empty when nothing records it.
 */
export function contentDigests(
  inventory: Pick<Inventory, 'digestAlgorithm' | 'manifest' | 'fixity'>,
  algorithm: string,
): Map<string, string> {
  const out = new Map<string, string>();
  const fixity = inventory.fixity;
  const block =
    inventory.digestAlgorithm === algorithm
      ? inventory.manifest
      : fixity && Object.hasOwn(fixity, algorithm)
        ? fixity[algorithm]
        : undefined;
  if (block === undefined || block === null) return out;
  for (const [digest, paths] of Object.entries(block)) {
    if (!Array.isArray(paths)) continue;
    for (const p of paths) out.set(p, digest.toLowerCase());
  }
  return out;
}

/**
 * Read access to an inventory that the storage-map and resource builders use, so a large
 * inventory can be served from a compact cached form without rebuilding JSON-shaped records.
 * `files` and `contentDigests` follow {@link versionFiles} and {@link contentDigests}.
 */
export interface InventoryView extends HasVersions {
  readonly type: string;
  readonly digestAlgorithm: string;
  readonly contentDirectory?: string;
  /** Algorithms that have a fixity block. */
  readonly fixityAlgorithms: readonly string[];
  /** Files of a version, by logical path. Throws NotFoundError for an unknown version. */
  files(version: string): VersionFile[];
  /** content path → lowercase hex in `algorithm` (manifest or fixity). */
  contentDigests(algorithm: string): Map<string, string>;
}

/** Version metadata without the state blocks. */
function versionMetas(inventory: Inventory): Record<string, VersionMeta> {
  // Null prototype: a version named `__proto__` is an ordinary key.
  const out: Record<string, VersionMeta> = Object.create(null);
  for (const [name, block] of Object.entries(inventory.versions)) {
    const meta: VersionMeta = { created: block.created };
    if (block.message !== undefined) meta.message = block.message;
    if (block.user !== undefined) meta.user = block.user;
    out[name] = meta;
  }
  return out;
}

/** An {@link InventoryView} over a parsed inventory; results are computed once per version/algorithm. */
export function inventoryView(inventory: Inventory): InventoryView {
  const files = new Map<string, VersionFile[]>();
  const digests = new Map<string, Map<string, string>>();
  const view: InventoryView = {
    id: inventory.id,
    type: inventory.type,
    digestAlgorithm: inventory.digestAlgorithm,
    head: inventory.head,
    versions: versionMetas(inventory),
    fixityAlgorithms: Object.keys(inventory.fixity ?? {}),
    files(version) {
      const known = files.get(version);
      if (known) return known;
      const out = versionFiles(inventory, version);
      files.set(version, out);
      return out;
    },
    contentDigests(algorithm) {
      const known = digests.get(algorithm);
      if (known) return known;
      const out = contentDigests(inventory, algorithm);
      digests.set(algorithm, out);
      return out;
    },
  };
  if (inventory.contentDirectory !== undefined)
    (view as { contentDirectory?: string }).contentDirectory = inventory.contentDirectory;
  return view;
}

/** Wrap a parsed inventory in a view; pass views through unchanged. */
export function asView(inventory: Inventory | InventoryView): InventoryView {
  return typeof (inventory as InventoryView).files === 'function'
    ? (inventory as InventoryView)
    : inventoryView(inventory as Inventory);
}
