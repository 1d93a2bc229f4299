/**
 * `bag-info.txt` (called `package-info.txt` in BagIt 0.93–0.95): `Label: value` lines in the
 * declared tag-file encoding. Labels may repeat (all values are kept, in order). A line that
 * starts with a space or tab continues the previous value (joined with one space). Real bags put
 * whitespace on either side of the colon (`Test-Tag   :   5`), so both are trimmed.
 */
import { quoteForMessage } from '../../core/paths.js';
import type { BagIssues } from './issues.js';
import { type BagInfoEntry, infoValues, type PayloadOxum } from './model.js';
import { splitLines } from './text.js';

/** Parse bag-info text (already decoded). Lines that fit no rule are reported and skipped. */
export function parseBagInfo(text: string, file: string, issues: BagIssues): BagInfoEntry[] {
  const entries: BagInfoEntry[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    if (/^[ \t]/.test(line)) {
      const last = entries[entries.length - 1];
      if (last === undefined)
        issues.error('bag-info-invalid', file, `line ${i + 1}: continuation without a label`);
      else last.value = last.value === '' ? line.trim() : `${last.value} ${line.trim()}`;
      return;
    }
    const colon = line.indexOf(':');
    const label = colon < 0 ? '' : line.slice(0, colon).trim();
    if (label === '') {
      issues.error('bag-info-invalid', file, `line ${i + 1}: not a "Label: value" line`);
      return;
    }
    entries.push({ label, value: line.slice(colon + 1).trim() });
  });
  return entries;
}

/** Parse a `Payload-Oxum` value (`octets.streams`); null when malformed. */
export function parsePayloadOxum(value: string): PayloadOxum | null {
  const m = /^(\d+)\.(\d+)$/.exec(value.trim());
  return m ? { octets: Number(m[1]), streams: Number(m[2]) } : null;
}

/**
 * The bag's Payload-Oxum, reporting a malformed value as an error and a repeated one as a
 * warning (or an error when the repeats disagree). Null when absent or malformed.
 */
export function readPayloadOxum(info: BagInfoEntry[], file: string, issues: BagIssues): PayloadOxum | null {
  const values = infoValues(info, 'Payload-Oxum');
  if (values.length === 0) return null;
  if (new Set(values).size > 1)
    issues.error(
      'payload-oxum-invalid',
      file,
      `conflicting Payload-Oxum values ${values
        .slice(0, 5)
        .map((v) => quoteForMessage(v, 40))
        .join(', ')}`,
    );
  else if (values.length > 1) issues.warn('payload-oxum-invalid', file, 'Payload-Oxum is repeated');
  const oxum = parsePayloadOxum(values[0]!);
  if (oxum === null)
    issues.error('payload-oxum-invalid', file, `malformed Payload-Oxum ${quoteForMessage(values[0]!, 40)}`);
  return oxum;
}

/** The bagging date: `Bagging-Date`, or the 0.93–0.95 `Packing-Date`; null when neither is there. */
export function baggingDate(info: BagInfoEntry[]): string | null {
  return infoValues(info, 'Bagging-Date')[0] ?? infoValues(info, 'Packing-Date')[0] ?? null;
}
