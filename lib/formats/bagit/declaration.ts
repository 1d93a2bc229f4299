/**
 * `bagit.txt`, the bag declaration: exactly `BagIt-Version: M.N` then
 * `Tag-File-Character-Encoding: ENCODING`. Unlike bag-info, its format is strict: a label with
 * whitespace before the colon (`BagIt-Version : 1.0`) is an error (a value not written as
 * `: value` only a warning), as is a version that is not
 * `digits.digits` (`.97`). BagIt 1.0 also forbids a byte-order mark and any other line; for older
 * versions those are warnings, since tools of that era wrote them.
 */
import { quoteForMessage } from '../../core/paths.js';
import type { BagIssues } from './issues.js';
import type { BagDeclaration } from './model.js';
import { decodeTagText, hasUtf8Bom, splitLines, utf16Bom } from './text.js';

const FILE = 'bagit.txt';
const VERSION = 'BagIt-Version';
const ENCODING = 'Tag-File-Character-Encoding';

/** BagIt versions whose rules this reader knows. */
export const KNOWN_VERSIONS = ['0.93', '0.94', '0.95', '0.96', '0.97', '1.0'] as const;

/**
 * Parse `bagit.txt` bytes. Problems go to `issues` (never thrown); the result holds whatever
 * could be read (null fields when absent or unusable).
 */
export function parseBagDeclaration(bytes: Uint8Array, issues: BagIssues): BagDeclaration {
  const decl: BagDeclaration = { version: null, encoding: null };
  if (!(bytes instanceof Uint8Array)) {
    issues.error('declaration-invalid', FILE, 'not bytes; not read');
    return decl;
  }
  const bom16 = utf16Bom(bytes);
  const decoded = decodeTagText(bytes, bom16 === null ? 'UTF-8' : 'UTF-16');
  if (decoded.problem !== null) issues.error('encoding-invalid', FILE, decoded.problem);
  const lines = splitLines(decoded.text).filter((l) => l.trim() !== '');
  const seen: string[] = [];
  for (const line of lines) {
    const m = /^([^:]*):(.*)$/.exec(line);
    const label = m?.[1] ?? '';
    if (!m || (label.trim() !== VERSION && label.trim() !== ENCODING)) {
      issues.add(
        isV1(decl.version) ? 'error' : 'warning',
        'declaration-invalid',
        FILE,
        `unexpected line ${quoteForMessage(line, 80)}`,
      );
      continue;
    }
    const name = label.trim();
    const value = m[2]!.trim();
    if (label !== name)
      issues.error(
        'declaration-invalid',
        FILE,
        `invalid whitespace in the label ${quoteForMessage(label, 80)}`,
      );
    else if (!/^ \S/.test(m[2]!) || /\s$/.test(m[2]!)) {
      // Values are trimmed by every reader we know of; only the label form is held strictly.
      issues.warn('declaration-invalid', FILE, `"${name}" value is not written as ": value"`);
    }
    if (seen.includes(name)) issues.error('declaration-invalid', FILE, `repeated ${name}`);
    seen.push(name);
    if (name === VERSION) decl.version = value;
    else decl.encoding = value;
  }
  checkDeclaration(decl, seen, bytes, bom16 !== null, issues);
  return decl;
}

function checkDeclaration(
  decl: BagDeclaration,
  order: string[],
  bytes: Uint8Array,
  utf16: boolean,
  issues: BagIssues,
): void {
  const v1 = isV1(decl.version);
  // RFC 8493 §2.1.1 (and 0.97 before it): the declaration MUST NOT start with a BOM, whatever
  // the version it then declares. UTF-16 is a BOM too, and not UTF-8 besides.
  if (hasUtf8Bom(bytes) || utf16) {
    issues.error('declaration-invalid', FILE, 'must be UTF-8 without a byte-order mark');
  }
  if (decl.version === null) issues.error('version-invalid', FILE, `missing ${VERSION}`);
  else if (!/^\d+\.\d+$/.test(decl.version)) {
    issues.error('version-invalid', FILE, `invalid ${VERSION} ${quoteForMessage(decl.version, 40)}`);
  } else if (!(KNOWN_VERSIONS as readonly string[]).includes(decl.version)) {
    issues.warn(
      'version-unknown',
      FILE,
      `unknown ${VERSION} ${quoteForMessage(decl.version, 40)}; checked with the closest known rules`,
    );
  }
  if (decl.encoding === null) issues.error('encoding-missing', FILE, `missing ${ENCODING}`);
  else if (decl.encoding === '') issues.error('encoding-missing', FILE, `empty ${ENCODING}`);
  if (order.length === 2 && order[0] !== VERSION) {
    issues.add(v1 ? 'error' : 'warning', 'declaration-invalid', FILE, `${VERSION} must come first`);
  }
}

/** Numeric (major, minor) of a `M.N` version string, or null when malformed. */
export function parseVersion(version: string | null): [number, number] | null {
  const m = typeof version === 'string' ? /^(\d+)\.(\d+)$/.exec(version) : null;
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** True when `version` is at least `min` (both `M.N`); false when `version` is malformed. */
export function versionAtLeast(version: string | null, min: string): boolean {
  const v = parseVersion(version);
  const m = parseVersion(min)!;
  return v !== null && (v[0] > m[0] || (v[0] === m[0] && v[1] >= m[1]));
}

/** True for BagIt 1.0 and later (percent-encoded paths, stricter duplicates and declaration). */
export function isV1(version: string | null): boolean {
  return versionAtLeast(version, '1.0');
}
