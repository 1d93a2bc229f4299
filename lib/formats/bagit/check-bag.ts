/**
 * Bag-level checks that need the listing but no file contents: fetch.txt against the manifests
 * and the payload, Payload-Oxum against the payload, manifest algorithms, and the optional
 * advisories (weak algorithms, tag files no tag manifest covers).
 */
import { quoteForMessage } from '../../core/paths.js';
import { bagAlgorithm } from './algorithms.js';
import { isV1 } from './declaration.js';
import type { BagIssues } from './issues.js';
import type { BagListing } from './listing.js';
import type { BagModel } from './model.js';
import { isPayloadPath } from './paths.js';

/**
 * Check fetch.txt and return the payload paths it names that are not in the bag yet. Every
 * fetched path must be in every payload manifest; absent ones make the bag incomplete (a
 * warning: a holey bag is valid-but-incomplete until fetched).
 */
export function checkFetch(bag: BagModel, listing: BagListing, issues: BagIssues): Set<string> {
  const pending = new Set<string>();
  const seen = new Set<string>();
  const listed = bag.manifests.map((m) => ({ file: m.file, paths: new Set(m.entries.map((e) => e.path)) }));
  for (const f of bag.fetch) {
    if (f.path === null) continue;
    if (seen.has(f.path))
      issues.add(
        isV1(bag.version) ? 'error' : 'warning',
        'fetch-line-invalid',
        'fetch.txt',
        'listed more than once',
        f.path,
      );
    seen.add(f.path);
    for (const m of listed) {
      if (!m.paths.has(f.path))
        issues.error('fetch-not-in-manifest', 'fetch.txt', `not listed in ${m.file}`, f.path);
    }
    const present = listing.files.get(f.path);
    if (!isPayloadPath(f.path)) continue; // already an error; never a file to wait for
    if (present === undefined) {
      pending.add(f.path);
      issues.warn('fetch-pending', 'fetch.txt', 'not fetched yet', f.path);
    } else if (f.length !== null && f.length !== present.size) {
      issues.warn(
        'fetch-line-invalid',
        'fetch.txt',
        `length ${f.length} differs from the file's ${present.size} octets`,
        f.path,
      );
    }
  }
  return pending;
}

/** Compare Payload-Oxum with the payload found. Skipped while fetch.txt files are pending. */
export function checkPayloadOxum(
  bag: BagModel,
  listing: BagListing,
  pending: number,
  issues: BagIssues,
): void {
  if (bag.payloadOxum === null || bag.infoFile === null || pending > 0) return;
  let octets = 0;
  let streams = 0;
  for (const p of listing.payloadPaths()) {
    octets += listing.files.get(p)!.size;
    streams++;
  }
  const { octets: o, streams: s } = bag.payloadOxum;
  if (o !== octets || s !== streams) {
    issues.error(
      'payload-oxum-mismatch',
      bag.infoFile,
      `Payload-Oxum mismatch: declared ${o}.${s}, found ${octets}.${streams}`,
    );
  }
}

/**
 * Require a payload manifest and report algorithms we cannot compute: an error when no payload
 * manifest can be verified at all, otherwise a warning naming the manifest left unchecked.
 */
export function checkAlgorithms(bag: BagModel, issues: BagIssues): void {
  if (bag.manifests.length === 0) {
    issues.error('manifest-missing', 'manifest-<algorithm>.txt', 'no payload manifest');
    return;
  }
  const anyVerifiable = bag.manifests.some((m) => m.supported);
  for (const m of [...bag.manifests, ...bag.tagManifests]) {
    if (m.supported) continue;
    const what = `unknown algorithm ${quoteForMessage(m.algorithm, 40)}: digests not checked`;
    if (m.kind === 'payload' && !anyVerifiable) issues.error('algorithm-unknown', m.file, what);
    else issues.warn('algorithm-unknown', m.file, what);
  }
}

/** Advisories (off by default): only weak payload algorithms, no tag manifest, uncovered tag files. */
export function checkAdvisories(bag: BagModel, listing: BagListing, issues: BagIssues): void {
  if (bag.manifests.length > 0 && bag.manifests.every((m) => bagAlgorithm(m.algorithm)?.weak ?? false)) {
    issues.warn(
      'algorithm-weak',
      bag.manifests[0]!.file,
      'only MD5/SHA-1 payload manifests; SHA-256 or SHA-512 recommended',
    );
  }
  if (bag.tagManifests.length === 0) {
    issues.warn('tag-manifest-missing', 'tagmanifest-<algorithm>.txt', 'no tag manifest');
    return;
  }
  const covered = new Set(bag.tagManifests.flatMap((m) => m.entries.map((e) => e.path)));
  for (const p of listing.tagPaths()) {
    if (!p.startsWith('tagmanifest-') && !covered.has(p)) {
      issues.warn('tag-file-unlisted', bag.tagManifests[0]!.file, 'tag file not listed', p);
    }
  }
}
