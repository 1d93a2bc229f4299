/**
 * Building a FileFormatMetadata record from one file's identification, whatever the tool's
 * output syntax (Siegfried YAML, Siegfried CSV, DROID-style CSV). Kept apart from the readers
 * so that every reader applies the same rules for UNKNOWN, PRONOM keys and ambiguity.
 */
import type { FileFormatMetadata, FormatMatch } from '../model.js';
import { nonEmpty, parseCount } from './text.js';

/** One file's identification as a tool printed it, before interpretation. */
export interface RawIdentification {
  /** The path as the tool recorded it. */
  filename: string;
  filesize: string | null;
  modified: string | null;
  errors: string | null;
  /** Checksums keyed by the tool's column/field name (md5, sha1, sha256, sha512, crc). */
  hashes: Record<string, string>;
  matches: FormatMatch[];
}

/** Where a record came from: the label for `source`, when the run happened, which output file. */
export interface RecordProvenance {
  source: string;
  timestamp: string | null;
  origin: string | null;
}

const PRONOM_KEY = /^(x-)?fmt\/\d+$/;

/**
 * Build one FormatMatch from a tool's fields. `id` "UNKNOWN" (any case) or empty means
 * unidentified: id and pronomKey null. A match counts as PRONOM when its namespace is "pronom"
 * (any case) or, for renamed identifiers, when the id looks like a PRONOM key.
 */
export function makeMatch(fields: {
  namespace: string | null;
  id: string | null;
  format: string | null;
  version: string | null;
  mime: string | null;
  formatClass?: string | null;
  basis: string | null;
  warning: string | null;
}): FormatMatch {
  const rawId = nonEmpty(fields.id);
  const id = rawId === null || rawId.toUpperCase() === 'UNKNOWN' ? null : rawId;
  const ns = nonEmpty(fields.namespace);
  const isPronom = (ns !== null && ns.toLowerCase() === 'pronom') || (id !== null && PRONOM_KEY.test(id));
  return {
    namespace: ns,
    id,
    pronomKey: isPronom ? id : null,
    formatName: nonEmpty(fields.format),
    contentType: nonEmpty(fields.mime),
    version: nonEmpty(fields.version),
    formatClass: nonEmpty(fields.formatClass),
    basis: nonEmpty(fields.basis),
    warning: nonEmpty(fields.warning),
  };
}

function isPronomMatch(m: FormatMatch): boolean {
  return m.pronomKey !== null || (m.namespace ?? '').toLowerCase() === 'pronom';
}

/**
 * The match whose facts are copied onto the record: the first identified PRONOM match, else the
 * first PRONOM match (UNKNOWN), else the first match of any namespace. Null when there are none.
 */
export function primaryMatch(matches: FormatMatch[]): FormatMatch | null {
  return (
    matches.find((m) => m.pronomKey !== null) ?? matches.find((m) => isPronomMatch(m)) ?? matches[0] ?? null
  );
}

/**
 * Ambiguous when more than one identified PRONOM match was reported (Siegfried's exhaustive
 * multi-match), or when the tool attached a warning to the chosen match ("match on extension
 * only", "extension mismatch", "no match; possibilities ...").
 */
export function isAmbiguous(matches: FormatMatch[], primary: FormatMatch | null): boolean {
  const identified = matches.filter((m) => m.pronomKey !== null).length;
  return identified > 1 || (primary?.warning ?? null) !== null;
}

/** Normalise a checksum column/field name: "SHA-256", "sha256", "SHA256_HASH" → "sha256". */
export function hashAlgorithmName(name: string): string | null {
  const n = name.toLowerCase().replace(/[-_ ]/g, '').replace(/hash$/, '');
  return /^(md5|sha1|sha224|sha256|sha384|sha512|crc|crc32|blake2b512)$/.test(n) ? n : null;
}

/** Interpret a raw identification as a FileFormatMetadata record (paths not yet relativised). */
export function toFormatRecord(raw: RawIdentification, prov: RecordProvenance): FileFormatMetadata {
  const primary = primaryMatch(raw.matches);
  const digests: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.hashes)) {
    const alg = hashAlgorithmName(k);
    const value = nonEmpty(v);
    if (alg !== null && value !== null) digests[alg] = value.toLowerCase();
  }
  const record: FileFormatMetadata = {
    type: 'FileFormatMetadata',
    source: prov.source,
    timestamp: prov.timestamp,
    origin: prov.origin,
    digest: digests['sha256'] ?? null,
    size: parseCount(raw.filesize),
    pronomKey: primary?.pronomKey ?? null,
    formatName: primary?.formatName ?? null,
    contentType: primary?.contentType ?? null,
    originalName: null,
    storageLocation: null,
    namespace: primary?.namespace ?? null,
    warning: primary?.warning ?? null,
    formatVersion: primary?.version ?? null,
    ambiguous: isAmbiguous(raw.matches, primary),
    modified: nonEmpty(raw.modified),
    errors: nonEmpty(raw.errors),
  };
  if (Object.keys(digests).length > 0) record.digests = digests;
  if (raw.matches.length > 1) record.matches = raw.matches;
  return record;
}
