/**
 * Logical path → content path, the way ocfl-java maps them for Fedora 6 (FEDORA-OCFL §4.1), so
 * that objects Strongroom writes store their files under the same names Fedora would.
 *
 * Both mappers percent-encode, with lowercase hex, `%` itself, C0 controls (U+0000–U+001F) and
 * U+007F–U+00A0 (each as its UTF-8 bytes), plus:
 * - `linux` (ocfl-java's Linux mapper, Fedora on a filesystem): the space;
 * - `cloud` (what S3 keys need, Fedora's `ContentPathConstraints.cloud()`): the space and
 *   `\ # [ ] * ?`.
 * Everything else, including non-ASCII letters, is kept. `/` separates elements and is never
 * encoded. The mapping is injective (`%` is always encoded), so two logical paths never share a
 * content path.
 *
 * Pure module.
 */

/** Which characters a content path must not hold literally. */
export type ContentPathMapper = 'linux' | 'cloud';

const EXTRA: Record<ContentPathMapper, string> = {
  linux: ' ',
  cloud: ' \\#[]*?',
};

function mustEncode(code: number, extra: string): boolean {
  return (
    code === 0x25 ||
    code <= 0x1f ||
    (code >= 0x7f && code <= 0xa0) ||
    extra.includes(String.fromCharCode(code))
  );
}

const utf8 = new TextEncoder();

/** Percent-encode one logical path for storage (see module doc). */
export function toContentPathPart(logicalPath: string, mapper: ContentPathMapper = 'linux'): string {
  const extra = EXTRA[mapper];
  let out = '';
  for (const ch of logicalPath) {
    const code = ch.codePointAt(0)!;
    if (code > 0xa0 || !mustEncode(code, extra)) {
      out += ch;
      continue;
    }
    for (const byte of utf8.encode(ch)) out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The content path of `logicalPath` in version `version` (`vN/content/<encoded>`). */
export function contentPathFor(
  version: string,
  logicalPath: string,
  options: { contentDirectory?: string; mapper?: ContentPathMapper } = {},
): string {
  return `${version}/${options.contentDirectory ?? 'content'}/${toContentPathPart(logicalPath, options.mapper)}`;
}

/**
 * Limits a content path must meet on S3 (Fedora's cloud constraints): keys of at most 1,024
 * bytes and elements of at most 254 characters. Returns what is wrong, or undefined.
 */
export function cloudPathProblem(storageKey: string): string | undefined {
  if (utf8.encode(storageKey).length > 1024) return 'longer than 1,024 bytes';
  if (storageKey.split('/').some((el) => [...el].length > 254))
    return 'a path element longer than 254 characters';
  return undefined;
}
