/**
 * The BagIt model (RFC 8493 and the drafts 0.93–0.97 before it) that the pure parsers produce and
 * the validator fills in, plus the issue type every check reports through.
 *
 * Paths in the model are bag-relative, `/`-separated, already decoded (percent-encoding undone
 * where the bag's version calls for it) and lexically normalised (`./` and `a/../` removed). The
 * form written in the file is kept in `raw` so messages and tools can show what the bag said.
 */
import type { Finding } from '../../core/findings.js';

/** Severity of a {@link BagIssue}: errors make a bag invalid, warnings do not. */
export type BagSeverity = 'error' | 'warning';

/**
 * Stable machine codes of bag issues. Messages are for people; branch on these. Adding a code is
 * fine, renaming one is a breaking change.
 */
export type BagIssueCode =
  | 'declaration-missing'
  | 'declaration-invalid'
  | 'version-invalid'
  | 'version-unknown'
  | 'encoding-missing'
  | 'encoding-unsupported'
  | 'encoding-invalid'
  | 'tag-file-unreadable'
  | 'bag-info-invalid'
  | 'payload-oxum-invalid'
  | 'payload-oxum-mismatch'
  | 'manifest-missing'
  | 'manifest-line-invalid'
  | 'digest-invalid'
  | 'algorithm-unknown'
  | 'algorithm-weak'
  | 'path-escape'
  | 'path-outside-payload'
  | 'path-not-normalized'
  | 'path-leading-dot-slash'
  | 'duplicate-entry'
  | 'normalization-variant'
  | 'case-variant'
  | 'missing-file'
  | 'unlisted-file'
  | 'digest-mismatch'
  | 'unreadable-file'
  | 'symlink'
  | 'fetch-line-invalid'
  | 'fetch-not-in-manifest'
  | 'fetch-pending'
  | 'tag-manifest-missing'
  | 'tag-file-unlisted'
  /** A tag file larger than its cap (see limits.ts): not read. */
  | 'tag-file-too-large'
  /** A FIFO, socket or device (or a zip member of such a type): never read. */
  | 'special-file'
  /** An entry whose name is not valid UTF-8: never read. */
  | 'name-not-utf8'
  /** A zip member whose name is absolute, climbs with `..`, or holds `\` or control characters. */
  | 'unsafe-name'
  /** A zip member that is a symbolic link. */
  | 'zip-symlink'
  /** A zip member name that occurs more than once (no copy is believed). */
  | 'duplicate-member'
  /** A zip member that is encrypted or uses an unsupported compression method. */
  | 'member-unsupported'
  /** A zip member past the inflation limits (size, total, or an impossible ratio). */
  | 'member-too-large'
  /** A zip member whose sizes disagree or whose data overlaps another member's. */
  | 'member-inconsistent';

/** One finding. `file` is the tag file it is about (e.g. `manifest-sha256.txt`), `path` the entry. */
export interface BagIssue extends Finding {
  severity: BagSeverity;
  code: BagIssueCode;
  /** `<file>: <what> <path>`, e.g. `manifest-sha256.txt: missing file data/a.tif`. */
  message: string;
  file?: string;
  path?: string;
}

/** The parsed `bagit.txt`. */
export interface BagDeclaration {
  /** `BagIt-Version` as written (`1.0`, `0.97`), or null when absent. */
  version: string | null;
  /** `Tag-File-Character-Encoding` as written (`UTF-8`), or null when absent. */
  encoding: string | null;
}

/** One `label: value` element of `bag-info.txt` (continuation lines joined with one space). */
export interface BagInfoEntry {
  label: string;
  value: string;
}

/** `Payload-Oxum`: total payload octets and file ("stream") count. */
export interface PayloadOxum {
  octets: number;
  streams: number;
}

/** Whether a manifest lists payload files (`manifest-*.txt`) or tag files (`tagmanifest-*.txt`). */
export type ManifestKind = 'payload' | 'tag';

/** One manifest line. */
export interface ManifestEntry {
  /** Decoded, normalised bag-relative path. Null when the path was unusable (escape, absolute). */
  path: string | null;
  /** The path exactly as written in the manifest (binary-mode `*` removed). */
  raw: string;
  /** Lowercase hex digest. */
  digest: string;
  /** 1-based line number. */
  line: number;
}

/** A parsed payload or tag manifest. */
export interface BagManifest {
  /** File name at the bag root, e.g. `manifest-sha256.txt`. */
  file: string;
  kind: ManifestKind;
  /** Lowercase algorithm name from the file name (`sha256`). */
  algorithm: string;
  /** True when this implementation can compute the algorithm. */
  supported: boolean;
  entries: ManifestEntry[];
}

/** One `fetch.txt` line: a payload file to be fetched from `url`. */
export interface FetchEntry {
  url: string;
  /** Octets, or null for `-` (unknown). */
  length: number | null;
  path: string | null;
  raw: string;
  line: number;
}

/** Everything read from a bag's tag files. */
export interface BagModel {
  version: string | null;
  encoding: string | null;
  /** `bag-info.txt`, or `package-info.txt` (BagIt 0.93–0.95), or null when the bag has neither. */
  infoFile: string | null;
  /** bag-info elements in file order; repeated labels are kept. */
  info: BagInfoEntry[];
  payloadOxum: PayloadOxum | null;
  /** `Bagging-Date` (or 0.93–0.95 `Packing-Date`) as written, or null. */
  baggingDate: string | null;
  manifests: BagManifest[];
  tagManifests: BagManifest[];
  /** `fetch.txt` entries; empty when the bag has no fetch file. */
  fetch: FetchEntry[];
}

/** Values of a bag-info label, compared case-insensitively, in file order. */
export function infoValues(info: readonly BagInfoEntry[], label: string): string[] {
  const want = label.toLowerCase();
  return info.filter((e) => e.label.toLowerCase() === want).map((e) => e.value);
}
