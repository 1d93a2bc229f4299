/**
 * Turning the path written on a manifest or fetch line into a bag-relative path, reporting what
 * is wrong with it. Shared by payload manifests, tag manifests and fetch.txt so the three agree.
 */
import { versionAtLeast } from './declaration.js';
import type { BagIssues } from './issues.js';
import { decodeBagPath, isPayloadPath, normalizeBagPath } from './paths.js';

/** How a path is read: which version's encoding rules, and whether it must be in `data/`. */
export interface EntryPathRules {
  /** File being read, for messages. */
  file: string;
  version: string | null;
  /** True for payload manifests and fetch.txt. */
  payload: boolean;
}

/**
 * The bag-relative path for `written`, or null when it is absolute or escapes the bag (an error).
 * Percent-decoding applies from BagIt 1.0 on; a leading `./` is a warning from 0.97 on (older
 * tools wrote it routinely); other lexical noise is a warning; a payload path outside `data/` is
 * an error.
 */
export function readEntryPath(written: string, rules: EntryPathRules, issues: BagIssues): string | null {
  const decoded = versionAtLeast(rules.version, '1.0') ? decodeBagPath(written) : written;
  const norm = normalizeBagPath(decoded);
  if (norm.path === null) {
    const what = norm.absolute
      ? 'absolute path escapes the bag'
      : norm.escapes
        ? 'path escapes the bag'
        : 'empty path';
    issues.error('path-escape', rules.file, what, written);
    return null;
  }
  if (norm.leadingDotSlash && versionAtLeast(rules.version, '0.97')) {
    issues.warn('path-leading-dot-slash', rules.file, 'path starts with "./"', written);
  }
  if (norm.changed) issues.warn('path-not-normalized', rules.file, 'path is not in normal form', written);
  if (rules.payload && !isPayloadPath(norm.path)) {
    issues.error('path-outside-payload', rules.file, 'path outside the payload directory', written);
  }
  return norm.path;
}
