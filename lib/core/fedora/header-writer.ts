/**
 * Writing Fedora 6 resource headers (`.fcrepo/*.json`, FEDORA-OCFL §4.4) and the other
 * housekeeping files of a resource, so that an object Strongroom writes is indexed by Fedora and
 * read by our own reader exactly as one Fedora wrote.
 *
 * Fields follow what Fedora 6.5 writes: `headersVersion` 1.0, full `info:fedora/…` ids, ISO
 * instants, `stateToken` (uppercase hex MD5 of the modification instant's epoch milliseconds),
 * `digests` as `urn:sha-512:`/`urn:sha-256:` URNs, `contentSize` -1 and no digests for a
 * tombstone. Absent optional fields are omitted, as Jackson does with nulls.
 *
 * Pure module (hashing the state token is pure).
 */
import { createHash } from 'node:crypto';
import { INTERACTION_MODELS } from './headers.js';
import { FEDORA_ID_PREFIX, HEADER_DIR, ROOT_HEADER } from './paths.js';

/** What a header describes. */
export interface HeaderFields {
  /** Full Fedora id, `info:fedora/…`. */
  id: string;
  /** Parent's Fedora id (`info:fedora` at the top). */
  parent: string;
  kind: 'container' | 'binary';
  /** The enclosing Archival Group's id, on its parts. */
  archivalGroupId?: string;
  /** True on an Archival Group's root. */
  archivalGroup?: boolean;
  /** True on the resource at the OCFL object root. */
  objectRoot?: boolean;
  /** ISO instants and agent names. */
  created: string;
  createdBy: string;
  lastModified: string;
  lastModifiedBy: string;
  /** Binaries: content type and original file name. */
  mimeType?: string;
  filename?: string;
  /** Logical path of the content file (binaries: the file; containers: their `fcr-container.nt`). */
  contentPath?: string;
  /** Bytes of the content file. */
  contentSize?: number;
  /** Digests of the content file: OCFL algorithm name → lowercase hex. */
  digests?: Record<string, string>;
  /** A tombstone: the resource was deleted in this version. */
  deleted?: boolean;
}

/** The URN names Fedora writes for OCFL algorithms (Java's names, lowercase). */
const URN_NAMES: Record<string, string> = {
  sha512: 'sha-512',
  sha256: 'sha-256',
  sha1: 'sha1',
  md5: 'md5',
  'sha512/256': 'sha-512/256',
};

let lastToken: { instant: string; token: string } | undefined;

/** `stateToken`: uppercase hex MD5 of the epoch milliseconds of `instant`. */
export function stateTokenOf(instant: string): string {
  // Every header of a version has the same instant: remember the last one (10,000s per commit).
  if (lastToken?.instant === instant) return lastToken.token;
  const token = createHash('md5')
    .update(String(Date.parse(instant)))
    .digest('hex')
    .toUpperCase();
  lastToken = { instant, token };
  return token;
}

/** The JSON object of a header, keys in Fedora's order. */
export function headerObject(fields: HeaderFields): Record<string, unknown> {
  const out: Record<string, unknown> = { headersVersion: '1.0', id: fields.id, parent: fields.parent };
  if (fields.archivalGroupId !== undefined) out.archivalGroupId = fields.archivalGroupId;
  out.stateToken = stateTokenOf(fields.lastModified);
  out.interactionModel =
    fields.kind === 'container' ? INTERACTION_MODELS.basicContainer : INTERACTION_MODELS.nonRdfSource;
  if (fields.mimeType !== undefined) out.mimeType = fields.mimeType;
  if (fields.filename !== undefined) out.filename = fields.filename;
  if (fields.deleted) {
    out.contentSize = -1;
    out.digests = [];
  } else {
    out.contentSize = fields.contentSize ?? 0;
    out.digests = Object.entries(fields.digests ?? {})
      .sort(([a], [b]) => (a === 'sha512' ? -1 : b === 'sha512' ? 1 : a < b ? -1 : 1))
      .map(([alg, hex]) => `urn:${URN_NAMES[alg] ?? alg}:${hex}`);
  }
  out.createdDate = fields.created;
  out.createdBy = fields.createdBy;
  out.lastModifiedDate = fields.lastModified;
  out.lastModifiedBy = fields.lastModifiedBy;
  out.mementoCreatedDate = fields.lastModified;
  out.archivalGroup = fields.archivalGroup === true;
  out.objectRoot = fields.objectRoot === true;
  out.deleted = fields.deleted === true;
  if (!fields.deleted && fields.contentPath !== undefined) out.contentPath = fields.contentPath;
  return out;
}

/** The bytes of a header file (compact JSON, as Fedora writes). */
export function serializeHeader(fields: HeaderFields): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(headerObject(fields)));
}

/**
 * Logical path of the header of the resource at `path` relative to the object root (`''` = the
 * object root): `.fcrepo/fcr-root.json`, else `.fcrepo/<path>.json`.
 */
export function headerPathFor(path: string): string {
  return path === '' ? ROOT_HEADER : `${HEADER_DIR}${path}.json`;
}

/** Logical path of a container's RDF file: `fcr-container.nt` at its path. */
export function containerRdfPathFor(path: string): string {
  return path === '' ? 'fcr-container.nt' : `${path}/fcr-container.nt`;
}

/** The Fedora id of repository path `path` (`''` = the repository root, `info:fedora`). */
export function fedoraIdOf(path: string): string {
  return path === '' ? FEDORA_ID_PREFIX : `${FEDORA_ID_PREFIX}/${path}`;
}

/** The parent Fedora id of repository path `path` (`info:fedora` for top-level paths). */
export function parentIdOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? FEDORA_ID_PREFIX : fedoraIdOf(path.slice(0, i));
}

const DC_TITLE = 'http://purl.org/dc/elements/1.1/title';

/**
 * The N-Triples of a container: its title (the original name) as `dc:title`, which is where
 * Fedora keeps user properties. Literals are escaped per N-Triples (`\\`, `"`, newlines, controls).
 */
export function containerRdf(id: string, title: string | undefined): Uint8Array {
  if (title === undefined) return new Uint8Array(0);
  return new TextEncoder().encode(`<${id}> <${DC_TITLE}> "${escapeLiteral(title)}" .\n`);
}

function escapeLiteral(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/**
 * The title of a container from its N-Triples (the first `dc:title` literal), or undefined.
 * Reads what {@link containerRdf} writes, and the same triple written by Fedora itself.
 */
export function containerTitleFromRdf(text: string): string | undefined {
  const at = text.indexOf(`<${DC_TITLE}>`);
  if (at < 0) return undefined;
  const m = /^\s*"((?:[^"\\]|\\.)*)"/.exec(text.slice(at + DC_TITLE.length + 2));
  if (!m) return undefined;
  return m[1]!.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_all, esc: string) => {
    if (esc.length > 1) return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
    return { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }[esc] ?? esc;
  });
}
