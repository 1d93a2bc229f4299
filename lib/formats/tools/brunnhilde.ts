/**
 * Brunnhilde (https://github.com/tw4l/brunnhilde) runs Siegfried and ClamAV over a directory and
 * writes, in its output folder (placed by convention at `metadata/brunnhilde/`, or
 * `data/metadata/brunnhilde/` in a BagIt layout):
 *
 * - `siegfried.csv` (some setups: `siegfried/siegfried.csv`) — `sf -csv` output, read by
 *   readSiegfriedCsv with source "Brunnhilde";
 * - `logs/viruscheck-log.txt` — `clamscan -i` output plus `Date scanned:`, read by readClamAvLog
 *   with source "Brunnhilde" (infected-only listing: unlisted scanned files are clean);
 * - `report.html` — the human report, attached whole as a ToolOutput; its Provenance section
 *   gives the scanned directory ("Input source") and the start time, which the CSV lacks;
 * - `tree.txt`, `csv_reports/*.csv`, `logs/*` of other tools — summaries, not read per file.
 *
 * classify.ts knows that layout; this module reads report.html's provenance. Pure; no I/O.
 */

import { BRUNNHILDE_REPORT_MAX_BYTES } from './limits.js';

/** Facts from report.html's Provenance section. */
export interface BrunnhildeProvenance {
  /** "Input source (directory or disk image)" as printed (a workstation path). */
  inputSource: string | null;
  accession: string | null;
  brunnhildeVersion: string | null;
  siegfriedVersion: string | null;
  /** "Scan started" as ISO 8601 local date-time (no zone), when readable. */
  scanStarted: string | null;
}

/**
 * Read the Provenance facts of a Brunnhilde report.html (text already decoded). Never throws; a
 * report past {@link BRUNNHILDE_REPORT_MAX_BYTES} (or not text) gives no facts.
 */
export function readBrunnhildeReport(html: string): BrunnhildeProvenance {
  const facts = new Map<string, string>();
  if (typeof html !== 'string' || html.length > BRUNNHILDE_REPORT_MAX_BYTES) html = '';
  // Each fact is `<strong>Label:</strong> value</p>`; the value may span lines. Label and value
  // are bounded so that a report without `</p>` costs linear time, not a scan to the end per fact.
  const re = /<strong>\s*([^<:]{1,200}?)\s*:\s*<\/strong>([\s\S]{0,4096}?)<\/p>/gi;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    const label = m[1]!.trim().toLowerCase();
    if (!facts.has(label)) facts.set(label, htmlText(m[2]!));
  }
  const get = (prefix: string) => {
    for (const [k, v] of facts) if (k.startsWith(prefix)) return v === '' ? null : v;
    return null;
  };
  const started = get('scan started');
  return {
    inputSource: get('input source'),
    accession: get('accession'),
    brunnhildeVersion: firstLine(get('brunnhilde version'))?.replace(/^brunnhilde\s+/i, '') ?? null,
    siegfriedVersion: firstLine(get('siegfried version'))?.replace(/^siegfried\s+/i, '') ?? null,
    scanStarted: started === null ? null : isoLocal(started),
  };
}

function firstLine(s: string | null): string | null {
  return s === null ? null : (s.split('\n')[0]?.trim() ?? null);
}

function isoLocal(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?/.exec(s.trim());
  return m === null ? null : `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}`;
}

// A Map: `&constructor;` must not find Object's constructor.
const ENTITIES = new Map<string, string>([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
]);

/** Strip tags and decode the common entities; trims. */
function htmlText(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        // fromCodePoint throws past U+10FFFF: such a reference is kept as written.
        return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
      }
      return ENTITIES.get(e.toLowerCase()) ?? all;
    })
    .trim();
}
