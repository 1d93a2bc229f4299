/**
 * Merge what a file's metadata sections and its mets:file attributes say into one set of facts,
 * reporting disagreements.
 *
 * Precedence, and why:
 * - Digests: PREMIS `fixity` blocks first (document order), then the mets:file CHECKSUM
 *   attribute. Repeating an identical value is not a conflict (Goobi writes each fixity twice);
 *   a different value for the same algorithm is reported and the first kept. Digests found only
 *   in "message digest calculation" events fill algorithms nothing else gave, and never count as
 *   conflicts: events are history, and a re-ingested file legitimately has older ones.
 * - Size: PREMIS `size` before mets:file SIZE (EPrints writes a SIZE that is not the file's).
 * - Format, original name, EXIF tags: the first PREMIS object that gives one.
 * - Virus check: the latest "virus check" event by its date as written (last one on ties).
 */
import { quoteForMessage, truncateForMessage } from '../../core/paths.js';
import { algorithmInText, checkDigest } from './digests.js';
import type { MetsFormat, MetsProblem, MetsVirusCheck } from './model.js';
import { problem, type SourcePosition } from './problems.js';
import type { DigestCandidate, FileRecord, MdSectionRecord, PremisEventRecord } from './records.js';

/** The merged facts for one file. */
export interface MergedFacts {
  digests: Record<string, string>;
  size: number | null;
  format: MetsFormat | null;
  originalName: string | null;
  virusCheck: MetsVirusCheck | null;
  /** The first object's EXIF tags, or null. */
  exif: Record<string, string> | null;
}

/** Merge the sections (already resolved from ADMID) and the file's own attributes. */
export function mergeFileFacts(
  path: string,
  file: FileRecord,
  sections: MdSectionRecord[],
  problems: MetsProblem[],
): MergedFacts {
  // Null prototype: an algorithm label such as `constructor` is an ordinary key.
  const digests: Record<string, string> = Object.create(null);
  const objects = sections.flatMap((s) => s.objects);
  const events = sections.flatMap((s) => s.events);
  for (const o of objects) for (const d of o.digests) addDigest(digests, d, path, problems, true);
  if (file.checksum) {
    addDigest(digests, { label: file.checksumType, value: file.checksum, at: file.at }, path, problems, true);
  }
  for (const e of events) {
    if (!/^message digest calculation$/i.test(e.type.trim()) || !e.outcomeDetail) continue;
    addDigest(
      digests,
      { label: algorithmInText(e.detail), value: e.outcomeDetail, at: e.at },
      path,
      problems,
      false,
    );
  }
  return {
    digests,
    size: mergeSize(path, objects, file, problems),
    format: objects.find((o) => o.format !== null)?.format ?? null,
    originalName: objects.find((o) => o.originalName !== null)?.originalName ?? null,
    virusCheck: latestVirusCheck(events),
    exif: objects.find((o) => o.exif !== null)?.exif ?? null,
  };
}

function addDigest(
  into: Record<string, string>,
  d: DigestCandidate,
  path: string,
  problems: MetsProblem[],
  authoritative: boolean,
): void {
  const v = checkDigest(d.label, d.value);
  if (!v.ok) {
    if (authoritative) problems.push(problem('DIGEST_INVALID', `${v.reason}; dropped`, path, d.at));
    return;
  }
  if (v.relabelled && authoritative) {
    const claimed =
      v.claimed === null ? 'an unlabelled digest' : `digest labelled ${quoteForMessage(d.label ?? '', 40)}`;
    problems.push(
      problem(
        'DIGEST_LENGTH_MISMATCH',
        `${claimed} has ${v.hex.length} hex digits; kept as ${v.algorithm}, not as ${quoteForMessage(v.claimed ?? 'labelled', 40)}`,
        path,
        d.at,
      ),
    );
  }
  const existing = into[v.algorithm];
  if (existing === undefined) {
    into[v.algorithm] = v.hex;
  } else if (existing !== v.hex && authoritative) {
    problems.push(
      problem(
        'DIGEST_CONFLICT',
        `two different ${quoteForMessage(v.algorithm, 40)} values: ${truncateForMessage(existing, 140)} (kept) and ${truncateForMessage(v.hex, 140)}`,
        path,
        d.at,
      ),
    );
  }
}

function mergeSize(
  path: string,
  objects: { size: { value: string; at: SourcePosition } | null }[],
  file: FileRecord,
  problems: MetsProblem[],
): number | null {
  let size: number | null = null;
  for (const o of objects) {
    if (!o.size) continue;
    const n = parseSize(o.size.value, path, o.size.at, problems);
    if (n === null) continue;
    if (size === null) size = n;
    else if (size !== n)
      problems.push(problem('SIZE_CONFLICT', `sizes ${size} (kept) and ${n}`, path, o.size.at));
  }
  if (file.size !== null) {
    const n = parseSize(file.size, path, file.at, problems);
    if (n !== null && size === null) size = n;
    else if (n !== null && size !== n) {
      problems.push(
        problem('SIZE_CONFLICT', `PREMIS size ${size} (kept) and mets:file SIZE ${n}`, path, file.at),
      );
    }
  }
  return size;
}

function parseSize(raw: string, path: string, at: SourcePosition, problems: MetsProblem[]): number | null {
  const s = raw.trim();
  if (s === '') return null;
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
    problems.push(
      problem('SIZE_INVALID', `size ${quoteForMessage(s, 40)} is not a byte count; dropped`, path, at),
    );
    return null;
  }
  return Number(s);
}

function latestVirusCheck(events: PremisEventRecord[]): MetsVirusCheck | null {
  let best: PremisEventRecord | null = null;
  for (const e of events) {
    if (!/^virus check$/i.test(e.type.trim())) continue;
    if (best === null || (e.date ?? '') >= (best.date ?? '')) best = e;
  }
  if (!best) return null;
  return {
    outcome: best.outcome,
    detail: best.detail,
    date: best.date,
    agent: best.agent,
    outcomeDetail: best.outcomeDetail,
  };
}
