/**
 * Fedora's naming inside an OCFL object (FEDORA-OCFL §4.3) and Fedora ids.
 *
 * Housekeeping files are the ones a Preservation API client never sees as Binaries: headers
 * under `.fcrepo/`, container RDF `fcr-container.nt` (at any depth), and the RDF of binary
 * descriptions and ACLs (`…~fcr-desc.nt`, `…~fcr-acl.nt`, `fcr-container~fcr-acl.nt`).
 */

/** Prefix of every Fedora id. */
export const FEDORA_ID_PREFIX = 'info:fedora';

/** Folder of header files inside an object's logical state. */
export const HEADER_DIR = '.fcrepo/';

/** Header logical path of the resource at the object root. */
export const ROOT_HEADER = '.fcrepo/fcr-root.json';

/** True for a logical path that is a Fedora header (`PersistencePaths.isHeaderFile`). */
export function isHeaderPath(logicalPath: string): boolean {
  return logicalPath.startsWith(HEADER_DIR);
}

/** True for logical paths that are Fedora bookkeeping rather than user content. */
export function isFedoraHousekeeping(logicalPath: string): boolean {
  if (isHeaderPath(logicalPath)) return true;
  const name = logicalPath.slice(logicalPath.lastIndexOf('/') + 1);
  return name === 'fcr-container.nt' || name.endsWith('~fcr-desc.nt') || name.endsWith('~fcr-acl.nt');
}

/** True when a version's logical paths show Fedora wrote the object (any `.fcrepo/` header). */
export function looksLikeFedora(logicalPaths: Iterable<string>): boolean {
  for (const p of logicalPaths) if (isHeaderPath(p)) return true;
  return false;
}

/**
 * The repository path of a Fedora id: `info:fedora/a/b` → `a/b`, `info:fedora` (and the
 * `info:fedora/` migration-utils writes as a parent) → ``. Ids without the prefix come back unchanged.
 */
export function fedoraIdToPath(id: string): string {
  if (id === FEDORA_ID_PREFIX) return '';
  if (id.startsWith(`${FEDORA_ID_PREFIX}/`)) return id.slice(FEDORA_ID_PREFIX.length + 1).replace(/\/+$/, '');
  return id;
}

/** Percent-encode one path segment, keeping RFC 3986 `pchar`s (so `1711.dl:UWPAbout` stays readable). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /%(3A|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi,
    (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * The HTTP URL of a Fedora id under a Fedora REST base URL:
 * (`info:fedora/a b/c`, `https://h/fcrepo/rest`) → `https://h/fcrepo/rest/a%20b/c`.
 */
export function fedoraIdToUrl(id: string, baseUrl: string): string {
  const path = fedoraIdToPath(id);
  const base = baseUrl.replace(/\/+$/, '');
  if (path === '') return base;
  return `${base}/${path.split('/').map(encodeSegment).join('/')}`;
}
