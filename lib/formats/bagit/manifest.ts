/**
 * Payload manifests (`manifest-<alg>.txt`) and tag manifests (`tagmanifest-<alg>.txt`): one
 * `<hex digest><whitespace><path>` per line. A single space followed by `*` is the binary-mode
 * marker of `md5sum`-style tools and is not part of the path.
 */
import { bagAlgorithm, canonicalAlgorithm } from './algorithms.js';
import { readEntryPath } from './entry-path.js';
import type { BagIssues } from './issues.js';
import type { BagManifest, ManifestEntry, ManifestKind } from './model.js';
import { splitLines } from './text.js';

/** Kind and algorithm of a manifest file name at the bag root, or null when it is not one. */
export function manifestName(name: string): { kind: ManifestKind; algorithm: string } | null {
  const m = /^(tag)?manifest-(.+)\.txt$/.exec(name);
  if (!m || m[2]!.includes('/')) return null;
  return { kind: m[1] ? 'tag' : 'payload', algorithm: canonicalAlgorithm(m[2]!) };
}

/**
 * Parse a manifest's (decoded) text. `file` is its name (`manifest-sha256.txt`); `version` the
 * bag's BagIt-Version (decides percent-decoding and `./` warnings). Malformed lines, bad digests
 * and bad paths are reported to `issues`; lines with an unusable path are kept with `path: null`.
 * An unknown algorithm is not reported here (the validator decides what it means).
 */
export function parseManifest(
  text: string,
  file: string,
  version: string | null,
  issues: BagIssues,
): BagManifest {
  if (typeof file !== 'string') file = String(file);
  const named = manifestName(file);
  const kind = named?.kind ?? 'payload';
  const algorithm = named?.algorithm ?? 'unknown';
  const alg = bagAlgorithm(algorithm);
  const entries: ManifestEntry[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^[ \t]*(\S+)([ \t]+)(.+)$/.exec(line);
    if (!m) {
      issues.error('manifest-line-invalid', file, `line ${i + 1}: not "<digest> <path>"`);
      return;
    }
    const raw = m[2] === ' ' && m[3]!.startsWith('*') ? m[3]!.slice(1) : m[3]!;
    const digest = m[1]!.toLowerCase();
    if (!/^[0-9a-f]+$/.test(digest) || (alg !== undefined && digest.length !== alg.hexLength)) {
      issues.error('digest-invalid', file, `line ${i + 1}: invalid ${algorithm} digest for`, raw);
    }
    const path = readEntryPath(raw, { file, version, payload: kind === 'payload' }, issues);
    entries.push({ path, raw, digest, line: i + 1 });
  });
  return { file, kind, algorithm, supported: alg !== undefined, entries };
}
