/**
 * FLocat hrefs ↔ METS-relative paths.
 *
 * Producers disagree on escaping: the Leeds API writes raw names ("objects/AT&T guide.pdf",
 * "objects/résumé.pdf"), the Finnish KDK profile percent-encodes UTF-8 ("p%C3%A4%C3%A4t%C3%B6s")
 * and writes `file://` before a relative path ("file://asettamiset/x.pdf"), some prefix `./`.
 * Reading decodes only `%XX` escapes (UTF-8) and never turns `+` into a space (that is form
 * encoding, not URI encoding). Writing escapes `%` and the characters a URI reference cannot
 * hold, and nothing else, so the reader gets back the exact path.
 *
 * Safety: an href is someone else's data. After decoding, the path that would be used must pass
 * {@link pathSafetyProblems} (no `..`, nothing absolute, no drive letter or UNC, no backslash,
 * NUL or control character, at most 4096 characters) and be at most {@link MAX_PATH_DEPTH}
 * levels deep; otherwise the href is `unsafe` and its path is never used. `file:///x` and
 * `file://localhost/x` are absolute; `file://host/x` names another machine (a UNC path), except in
 * METS of the KDK profile, where `file://` is that profile's prefix for relative paths.
 */
import { describePathProblem, pathSafetyProblems } from '../../core/paths.js';

/** The result of turning an href into a path. */
export interface HrefPath {
  /** The decoded METS-relative path; '' when `unsafe` (the href must not be used then). */
  path: string;
  /** Set when the href is a URL of another scheme (http:, urn:), kept as written. */
  notRelative?: boolean;
  /** Set when `%XX` escapes did not decode as UTF-8 (the path keeps them). */
  badEscapes?: boolean;
  /** Why the href is not a safe relative path (escapes, absolute, host, control characters). */
  unsafe?: string;
}

/** Options of {@link hrefToPath}. */
export interface HrefOptions {
  /** Read `file://a/b` as the relative path `a/b` (the KDK profile's convention). Default false. */
  fileUriIsRelative?: boolean;
}

/**
 * Deepest path (in `/`-separated levels) the reader accepts from a METS. Directories are listed
 * by full path, so every level of a path costs the whole path again; this bound keeps the model
 * linear in the size of the METS.
 */
export const MAX_PATH_DEPTH = 64;

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const DRIVE = /^[a-z]:/i;

/**
 * Turn an FLocat href into a METS-relative path: strip `./` (and `file://` where it is the
 * producer's convention), decode `%XX`, then check the result (see the module doc). A URL of
 * another scheme (http:, urn:) is returned as written and flagged `notRelative`.
 */
export function hrefToPath(href: string, options: HrefOptions = {}): HrefPath {
  let h = href.trim();
  const file = /^file:(\/\/)?(.*)$/is.exec(h);
  if (file !== null) {
    const rest = file[2]!;
    if (file[1] !== undefined && !options.fileUriIsRelative) {
      const host = rest.slice(0, Math.max(0, rest.indexOf('/')));
      if (rest.startsWith('/') || /^localhost$/i.test(host))
        return unsafe('a file URI with an absolute path');
      return unsafe('a file URI naming a host (a network share)');
    }
    h = rest;
  } else if (SCHEME.test(h) && !DRIVE.test(h)) {
    return { path: h, notRelative: true };
  }
  while (h.startsWith('./')) h = h.slice(2);
  const decoded = percentDecode(h);
  const out: HrefPath = { path: decoded ?? h };
  if (decoded === null) out.badEscapes = true;
  const why = pathProblem(out.path);
  return why === null ? out : unsafe(why);
}

/**
 * Why `path` (a METS-relative path: decoded href, derived directory) cannot be used, or null when
 * it can: the core path-safety check plus {@link MAX_PATH_DEPTH}.
 */
export function pathProblem(path: string): string | null {
  const problems = pathSafetyProblems(path);
  if (problems.length > 0) return problems.map(describePathProblem).join(', ');
  let depth = 1;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) depth++;
  return depth > MAX_PATH_DEPTH ? `more than ${MAX_PATH_DEPTH} levels deep` : null;
}

function unsafe(why: string): HrefPath {
  return { path: '', unsafe: why };
}

/** Decode runs of `%XX` as UTF-8; leaves a lone `%` alone; null when a run is not valid UTF-8. */
export function percentDecode(s: string): string | null {
  if (!s.includes('%')) return s;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let failed = false;
  const out = s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    try {
      return decoder.decode(bytes);
    } catch {
      failed = true;
      return run;
    }
  });
  return failed ? null : out;
}

/**
 * Turn a path into an href our reader decodes back to the same path: percent-encode `%`, space,
 * controls and the ASCII characters not allowed in a URI reference (`"#<>?[\]^`{|}`); keep
 * letters (including non-ASCII, as IRIs allow), digits and `-._~!$&'()*+,;=:@/`.
 */
export function pathToHref(path: string): string {
  let out = '';
  for (const ch of path) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7f || /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/.test(ch)) out += ch;
    else out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The last segment of a `/`-separated (or Windows `\`) path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** The parent of a `/`-separated path ('' at the top). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Archivematica writes original names with a location placeholder
 * (`%transferDirectory%objects/a.jpg`, `%SIPDirectory%objects/...`): strip it.
 */
export function stripPlaceholder(name: string): string {
  return name.replace(/^%[A-Za-z]+%/, '');
}
