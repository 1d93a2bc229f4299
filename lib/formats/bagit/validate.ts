/**
 * Validating a bag (RFC 8493 §3, and the 0.93–0.97 drafts as the LoC conformance suite reads
 * them) through a {@link BagSource}, so the same code checks a folder, a store prefix or a zip.
 *
 * Order: list the bag; parse the tag files; check fetch.txt, every manifest against the listing
 * (presence, duplicates, every payload file listed in every payload manifest), Payload-Oxum and
 * algorithms; then read each file once and compare it with every digest any manifest claims.
 * Everything is collected: a bad manifest line does not stop the other checks.
 */
import { truncateForMessage } from '../../core/paths.js';
import { checkAdvisories, checkAlgorithms, checkFetch, checkPayloadOxum } from './check-bag.js';
import { checkManifest, type DigestExpectation } from './check-manifests.js';
import { separateDefects } from './defects.js';
import { digestBagFiles } from './fixity.js';
import { BagIssues } from './issues.js';
import { BagListing } from './listing.js';
import type { BagIssue, BagModel } from './model.js';
import { listBag, readBag } from './read.js';
import type { BagDigestRequest, BagSource } from './source.js';

/** Options of {@link validateBag}. */
export interface ValidateBagOptions {
  /** Read files and compare digests (default true). False checks structure and completeness only. */
  fixity?: boolean;
  /** Also warn about weak-only algorithms, a missing tag manifest and uncovered tag files (default false). */
  advisories?: boolean;
  /** Progress of digesting (cumulative files and bytes). */
  onProgress?: (progress: { files: number; bytes: number }) => void;
  signal?: AbortSignal;
}

/** The verdict on a bag. */
export interface BagValidation {
  /** No errors. A holey bag whose fetch.txt files are all that is absent is still valid. */
  valid: boolean;
  /** Every file the manifests and fetch.txt name is present. */
  complete: boolean;
  /** Error messages, `<file>: <what> <path>`. */
  errors: string[];
  /** Warning messages, same shape. */
  warnings: string[];
  /** The same findings with stable codes. */
  issues: BagIssue[];
  bag: BagModel;
  /** Payload files and octets found (from the listing). */
  payload: { files: number; octets: number };
}

/**
 * Validate the bag `source` holds. Never throws for anything wrong with the bag (that is in the
 * result); rejects only when the source cannot be listed at all or `signal` aborts.
 */
export async function validateBag(
  source: BagSource,
  options: ValidateBagOptions = {},
): Promise<BagValidation> {
  const listed = await listBag(source, options.signal);
  const issues = new BagIssues();
  // FIFOs, devices, undecodable names and hostile zip members: reported, never read.
  const files = separateDefects(listed, issues);
  const listing = new BagListing(files);
  const read = await readBag(source, files);
  issues.list.push(...read.issues);
  const { bag } = read;
  for (const f of files.values()) if (f.symlink) issues.warn('symlink', f.path, 'is a symbolic link');
  checkAlgorithms(bag, issues);
  const pending = checkFetch(bag, listing, issues);
  const expectations: DigestExpectation[] = [];
  let missing = 0;
  for (const m of [...bag.manifests, ...bag.tagManifests]) {
    const check = checkManifest(m, listing, bag.version, m.kind === 'payload' ? pending : new Set(), issues);
    if (m.supported) expectations.push(...check.expectations);
    missing += check.missing.length;
  }
  checkPayloadOxum(bag, listing, pending.size, issues);
  if (options.advisories) checkAdvisories(bag, listing, issues);
  if (options.fixity !== false) await verifyDigests(source, expectations, issues, options);
  return summarize(bag, listing, issues, missing === 0 && pending.size === 0);
}

async function verifyDigests(
  source: BagSource,
  expectations: DigestExpectation[],
  issues: BagIssues,
  options: ValidateBagOptions,
): Promise<void> {
  const wanted = new Map<string, Set<string>>();
  for (const x of expectations)
    wanted.set(x.listingPath, (wanted.get(x.listingPath) ?? new Set()).add(x.algorithm));
  const requests: BagDigestRequest[] = [...wanted].map(([path, algs]) => ({
    path,
    algorithms: [...algs].sort(),
  }));
  const results = await digestBagFiles(source, requests, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const byPath = new Map(results.map((r) => [r.path, r]));
  const unreadable = new Set<string>();
  for (const x of expectations) {
    const r = byPath.get(x.listingPath);
    if (r === undefined || r.error !== undefined) {
      if (!unreadable.has(x.listingPath)) {
        unreadable.add(x.listingPath);
        issues.error(
          'unreadable-file',
          x.file,
          `cannot read (${truncateForMessage(r?.error ?? 'no result')})`,
          x.listingPath,
        );
      }
    } else if (r.digests[x.algorithm] !== x.digest) {
      issues.error('digest-mismatch', x.file, 'digest mismatch', x.entryPath);
    }
  }
}

function summarize(bag: BagModel, listing: BagListing, issues: BagIssues, complete: boolean): BagValidation {
  let octets = 0;
  const payloadPaths = listing.payloadPaths();
  for (const p of payloadPaths) octets += listing.files.get(p)!.size;
  return {
    valid: !issues.hasErrors(),
    complete,
    errors: issues.list.filter((i) => i.severity === 'error').map((i) => i.message),
    warnings: issues.list.filter((i) => i.severity === 'warning').map((i) => i.message),
    issues: issues.list,
    bag,
    payload: { files: payloadPaths.length, octets },
  };
}
