/**
 * Repository paths ↔ the path part of API ids (DECISIONS "Identity and URIs").
 *
 * An id's path may only hold the *permitted set* `a-z A-Z 0-9 ( ) - _ .` and `%` escapes. A
 * resource path (the Fedora path, which is also the OCFL logical path) may hold any UTF-8: each
 * of its segments maps to an id segment by percent-encoding, as UTF-8 bytes with uppercase hex,
 * every character outside the permitted set. The mapping is deterministic and reversible, so the
 * original name is always recoverable from the id, and two different names never share an id.
 *
 * Pure module.
 */
import { InvalidInputError } from './errors.js';
import { quoteForMessage } from './paths.js';

const PERMITTED = /^[A-Za-z0-9()\-_.]$/;
const ID_SEGMENT = /^(?:[A-Za-z0-9()\-_.]|%[0-9A-Fa-f]{2})+$/;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The id segment of one resource name. */
export function encodeIdSegment(name: string): string {
  let out = '';
  for (const ch of name) {
    if (PERMITTED.test(ch)) out += ch;
    else for (const b of utf8.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The id path of a resource path (`objects/a b.tif` → `objects/a%20b.tif`). */
export function resourcePathToIdPath(path: string): string {
  return path === '' ? '' : path.split('/').map(encodeIdSegment).join('/');
}

/**
 * The resource name an id segment stands for. Throws InvalidInputError for characters outside
 * the permitted set, a malformed escape, escapes that are not UTF-8, or a name that is `.`, `..`
 * or holds `/` or NUL once decoded.
 */
export function decodeIdSegment(segment: string): string {
  if (!ID_SEGMENT.test(segment)) {
    throw new InvalidInputError(
      `id segment ${quoteForMessage(segment)} has characters outside the permitted set`,
      {
        operation: 'decodeId',
        key: segment,
      },
    );
  }
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '%') {
      bytes.push(Number.parseInt(segment.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(segment.charCodeAt(i));
  }
  let name: string;
  try {
    name = strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    throw new InvalidInputError(`id segment ${quoteForMessage(segment)} does not decode to UTF-8`, {
      key: segment,
    });
  }
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new InvalidInputError(`id segment ${quoteForMessage(segment)} names ${quoteForMessage(name)}`, {
      key: segment,
    });
  }
  return name;
}

/** The resource path of an id path (`a/b%20c` → `a/b c`). Throws as {@link decodeIdSegment}. */
export function idPathToResourcePath(idPath: string): string {
  const trimmed = idPath.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  return trimmed.split('/').map(decodeIdSegment).join('/');
}

/**
 * The resource path of `id` under `base` (an absolute URI ending in `/`, e.g.
 * `https://host/repository/`). Throws InvalidInputError when `id` is not under `base` or its
 * path is not made of permitted segments.
 */
export function idToResourcePath(base: string, id: string): string {
  if (typeof id !== 'string' || !id.startsWith(base)) {
    throw new InvalidInputError(`${quoteForMessage(String(id))} is not a repository id under ${base}`, {
      key: String(id),
    });
  }
  return idPathToResourcePath(id.slice(base.length).split(/[?#]/)[0]!);
}

/** The id of resource path `path` under `base`. */
export function resourcePathToId(base: string, path: string): string {
  return `${base}${resourcePathToIdPath(path)}`;
}
