/**
 * FLocat hrefs ↔ METS-relative paths.
 *
 * Producers disagree on escaping: the Leeds API writes raw names ("objects/AT&T guide.pdf",
 * "objects/résumé.pdf"), the Finnish KDK profile percent-encodes UTF-8 ("p%C3%A4%C3%A4t%C3%B6s"),
 * some prefix `file://` or `./`. Reading decodes only `%XX` escapes (UTF-8) and never turns `+`
 * into a space (that is form encoding, not URI encoding). Writing escapes `%` and the characters
 * a URI reference cannot hold, and nothing else, so the reader gets back the exact path.
 */

/** The result of turning an href into a path. */
export interface HrefPath {
  path: string;
  /** Set when the href is an absolute URL or absolute path (kept as written). */
  notRelative?: boolean;
  /** Set when `%XX` escapes did not decode as UTF-8 (the path keeps them). */
  badEscapes?: boolean;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Turn an FLocat href into a METS-relative path: strip `file://` and leading `./`, decode `%XX`.
 * An href with another scheme (http:, urn:) or an absolute path is returned as written and
 * flagged `notRelative`.
 */
export function hrefToPath(href: string): HrefPath {
  let h = href.trim();
  if (/^file:\/\//i.test(h)) h = h.slice(7);
  else if (/^file:/i.test(h)) h = h.slice(5);
  else if (SCHEME.test(h) && !/^[a-z]:[\\/]/i.test(h)) return { path: h, notRelative: true };
  while (h.startsWith('./')) h = h.slice(2);
  const decoded = percentDecode(h);
  const out: HrefPath = { path: decoded ?? h };
  if (decoded === null) out.badEscapes = true;
  if (out.path.startsWith('/') || /^[a-z]:[\\/]/i.test(out.path)) out.notRelative = true;
  return out;
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
