/**
 * Manifest checks that need the listing but no file contents: duplicates, presence of every
 * listed file, and (payload manifests) every payload file being listed. Each check yields the
 * digests to verify afterwards.
 *
 * Version rules, as the conformance suite pins them: the same path listed twice with the same
 * digest is a warning before 1.0 and an error from 1.0 on; with different digests always an
 * error. Two entries that differ only in Unicode normalization or letter case are a warning
 * (they collide on macOS / case-insensitive filesystems); when only one of them is present, the
 * other is taken to be that same file rather than missing.
 */
import { isV1 } from './declaration.js';
import type { BagIssues } from './issues.js';
import type { BagListing } from './listing.js';
import type { BagManifest, ManifestEntry } from './model.js';
import { caseKey, normalizationKey } from './paths.js';

/** One digest to verify: the file to read, and what the manifest says it must hash to. */
export interface DigestExpectation {
  /** Manifest file that makes the claim. */
  file: string;
  algorithm: string;
  /** Path as the manifest names it (decoded, normalised). */
  entryPath: string;
  /** Listing path to read (differs from entryPath for normalization/case variants). */
  listingPath: string;
  digest: string;
}

/** What checking one manifest against the listing found. */
export interface ManifestCheck {
  expectations: DigestExpectation[];
  /** Entry paths neither present nor accounted for (payload: and not pending in fetch.txt). */
  missing: string[];
}

/**
 * Check one manifest against the listing. `pending` holds payload paths that fetch.txt names
 * (absent ones are not missing, the bag is just incomplete).
 */
export function checkManifest(
  m: BagManifest,
  listing: BagListing,
  version: string | null,
  pending: ReadonlySet<string>,
  issues: BagIssues,
): ManifestCheck {
  const unique = uniqueEntries(m, version, issues);
  const exact = new Set(unique.map((e) => e.path!));
  reportVariants(m.file, [...exact], issues);
  const out: ManifestCheck = { expectations: [], missing: [] };
  const covered = new Set<string>();
  for (const e of unique) {
    const path = e.path!;
    const found = listing.find(path, !isV1(version));
    // A case-only match is the same file only when the manifest also lists that exact name.
    if (found !== null && (found.how !== 'case' || exact.has(found.path))) {
      if (found.how === 'normalization' && !exact.has(found.path)) {
        issues.warn(
          'normalization-variant',
          m.file,
          `found only under another Unicode normalization: ${found.path} for`,
          path,
        );
      }
      covered.add(found.path);
      out.expectations.push({
        file: m.file,
        algorithm: m.algorithm,
        entryPath: path,
        listingPath: found.path,
        digest: e.digest,
      });
    } else if (!pending.has(path)) {
      issues.error('missing-file', m.file, 'missing file', path);
      out.missing.push(path);
    }
  }
  if (m.kind === 'payload') {
    for (const p of listing.payloadPaths()) {
      if (!covered.has(p)) issues.error('unlisted-file', m.file, 'payload file not listed', p);
    }
  }
  return out;
}

/** First entry per exact path, reporting repeats. Entries with unusable paths are dropped. */
function uniqueEntries(m: BagManifest, version: string | null, issues: BagIssues): ManifestEntry[] {
  const byPath = new Map<string, ManifestEntry[]>();
  for (const e of m.entries) {
    if (e.path !== null) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  }
  for (const [path, group] of byPath) {
    if (group.length < 2) continue;
    if (group.every((x) => x.digest === group[0]!.digest)) {
      issues.add(
        isV1(version) ? 'error' : 'warning',
        'duplicate-entry',
        m.file,
        'listed more than once',
        path,
      );
    } else {
      issues.error('duplicate-entry', m.file, 'listed more than once with different digests', path);
    }
  }
  return [...byPath.values()].map((group) => group[0]!);
}

function reportVariants(file: string, paths: string[], issues: BagIssues): void {
  const byNorm = groupBy(paths, normalizationKey);
  for (const group of byNorm.values()) {
    if (group.length > 1) {
      issues.warn(
        'normalization-variant',
        file,
        'listed twice with different Unicode normalization',
        group.join(' | '),
      );
    }
  }
  const byCase = groupBy([...byNorm.keys()], caseKey);
  for (const group of byCase.values()) {
    if (group.length > 1)
      issues.warn('case-variant', file, 'listed twice with different letter case', group.join(' | '));
  }
}

function groupBy(items: string[], key: (s: string) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}
