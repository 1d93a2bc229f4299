/**
 * What each source says about one file, and where they disagree. Every disagreement becomes a
 * Mismatch listing each source's value; the WorkingFile still shows one value, chosen by a fixed
 * precedence (documented on {@link compareFile}) so the view is predictable, never by vote.
 *
 * Digests are compared only within one algorithm (a SHA-1 is never compared with a SHA-256).
 * MIME types are compared without parameters and case (`Text/Plain; charset=x` = `text/plain`).
 */
import type { FileFormatMetadata, Metadata, Mismatch } from '../model.js';
import type { ListingEntry, MetsFileLike } from './inputs.js';

/** One source's claim. */
interface Claim<T> {
  label: string;
  value: T;
}

/** The values shown on the WorkingFile plus the mismatches found. */
export interface FileFacts {
  digest: string | null;
  size: number | null;
  contentType: string | null;
  mismatches: Mismatch[];
}

/** Everything known about one deposit file. */
export interface FileEvidence {
  localPath: string;
  listing: ListingEntry;
  mets?: MetsFileLike;
  bag?: Record<string, string>;
  tools: readonly Metadata[];
}

/** Lower-case algorithm name without dashes: "SHA-256" → "sha256". */
export function algorithmKey(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * Compare one file's sources. Shown values: digest (SHA-256) from S3, else BagIt, else METS,
 * else the first tool; size from the listing, else METS, else the first tool; contentType from
 * METS, else the first tool that names one.
 */
export function compareFile(ev: FileEvidence): FileFacts {
  const mismatches: Mismatch[] = [];
  const tools = labelTools(ev.tools);
  const digests = digestClaims(ev, tools);
  for (const [alg, claims] of digests) {
    differ(ev.localPath, 'digest', claims, (v) => v, `${alg} digests differ`, mismatches);
  }
  const sizes = sizeClaims(ev, tools);
  differ(ev.localPath, 'size', sizes, String, 'sizes differ', mismatches);
  const types = typeClaims(ev, tools);
  differ(ev.localPath, 'contentType', types, normaliseMime, 'MIME types differ', mismatches);
  compareFormats(ev, tools, mismatches);
  return {
    digest: digests.get('sha256')?.[0]?.value ?? null,
    size: sizes[0]?.value ?? null,
    contentType: types[0]?.value ?? null,
    mismatches,
  };
}

/** Tool records with a label each: the source, or `source (origin)` when a source appears twice. */
function labelTools(records: readonly Metadata[]): { label: string; record: Metadata }[] {
  const count = new Map<string, number>();
  for (const r of records)
    if (r.type === 'FileFormatMetadata' || r.type === 'DigestMetadata')
      count.set(r.source, (count.get(r.source) ?? 0) + 1);
  return records.map((record) => ({
    label:
      (count.get(record.source) ?? 0) > 1 && record.origin
        ? `${record.source} (${record.origin})`
        : record.source,
    record,
  }));
}

function digestClaims(
  ev: FileEvidence,
  tools: { label: string; record: Metadata }[],
): Map<string, Claim<string>[]> {
  const out = new Map<string, Claim<string>[]>();
  const add = (alg: string, label: string, value: string | null | undefined) => {
    if (value === null || value === undefined || value.trim() === '') return;
    const key = algorithmKey(alg);
    const list = out.get(key) ?? [];
    if (!list.some((c) => c.label === label)) list.push({ label, value: value.trim().toLowerCase() });
    out.set(key, list);
  };
  // Order here is the precedence of the shown SHA-256.
  add('sha256', 'S3', ev.listing.s3Sha256);
  for (const [alg, v] of Object.entries(ev.bag ?? {})) add(alg, 'BagIt', v);
  for (const [alg, v] of Object.entries(ev.mets?.digests ?? {})) add(alg, 'METS', v);
  for (const { label, record } of tools) {
    if (record.type === 'DigestMetadata') add('sha256', label, record.digest);
    if (record.type !== 'FileFormatMetadata') continue;
    add('sha256', label, record.digest);
    for (const [alg, v] of Object.entries(record.digests ?? {})) add(alg, label, v);
  }
  return out;
}

function sizeClaims(ev: FileEvidence, tools: { label: string; record: Metadata }[]): Claim<number>[] {
  const out: Claim<number>[] = [];
  if (ev.listing.size !== null && ev.listing.size !== undefined)
    out.push({ label: 'deposit', value: ev.listing.size });
  if (ev.mets?.size !== null && ev.mets?.size !== undefined) out.push({ label: 'METS', value: ev.mets.size });
  for (const { label, record } of formatRecords(tools))
    if (record.size !== null) out.push({ label, value: record.size });
  return out;
}

function typeClaims(ev: FileEvidence, tools: { label: string; record: Metadata }[]): Claim<string>[] {
  const out: Claim<string>[] = [];
  if (ev.mets?.contentType) out.push({ label: 'METS', value: ev.mets.contentType });
  for (const { label, record } of formatRecords(tools))
    if (record.contentType) out.push({ label, value: record.contentType });
  return out;
}

function formatRecords(
  tools: { label: string; record: Metadata }[],
): { label: string; record: FileFormatMetadata }[] {
  return tools.filter(
    (t): t is { label: string; record: FileFormatMetadata } => t.record.type === 'FileFormatMetadata',
  );
}

/** `type/subtype` lower-cased without parameters. */
export function normaliseMime(mime: string): string {
  return mime.split(';')[0]!.trim().toLowerCase();
}

/** Push a mismatch when the claims hold more than one distinct (normalised) value. */
function differ<T extends string | number>(
  localPath: string,
  field: Mismatch['field'],
  claims: Claim<T>[],
  norm: (v: T) => string,
  what: string,
  out: Mismatch[],
): void {
  if (new Set(claims.map((c) => norm(c.value))).size <= 1) return;
  const values: Record<string, string | number> = Object.create(null);
  for (const c of claims) values[c.label] = c.value;
  out.push({
    localPath,
    field,
    values,
    message: `${localPath}: ${what}: ${claims.map((c) => `${c.label} ${c.value}`).join(', ')}`,
  });
}

/** PRONOM keys of METS and of each tool's chosen match must agree. */
function compareFormats(
  ev: FileEvidence,
  tools: { label: string; record: Metadata }[],
  out: Mismatch[],
): void {
  const claims: Claim<string>[] = [];
  const metsKey = ev.mets?.format?.pronomKey;
  if (metsKey) claims.push({ label: 'METS', value: metsKey });
  const fmts = formatRecords(tools);
  for (const { label, record } of fmts)
    if (record.pronomKey !== null) claims.push({ label, value: record.pronomKey });
  const before = out.length;
  differ(ev.localPath, 'format', claims, (v) => v, 'PRONOM formats differ', out);
  if (out.length === before || !metsKey) return;
  // Say when the METS format is among a tool's other candidates: that is a choice, not a contradiction.
  const alsoIn = fmts.filter(
    ({ record }) => record.pronomKey !== metsKey && record.matches?.some((m) => m.pronomKey === metsKey),
  );
  if (alsoIn.length > 0)
    out[out.length - 1]!.message +=
      ` (METS ${metsKey} is among the other matches of ${alsoIn.map((t) => t.label).join(', ')})`;
}
