/**
 * DROID-style CSV, as written by DROID's export and by `sf -droid`: one row per file or folder,
 * quoted header `"ID","PARENT_ID","URI","FILE_PATH","NAME","METHOD","STATUS","SIZE","TYPE","EXT",
 * "LAST_MODIFIED","EXTENSION_MISMATCH","<ALG>_HASH"|"HASH","FORMAT_COUNT","PUID","MIME_TYPE",
 * "FORMAT_NAME","FORMAT_VERSION"`. A file with FORMAT_COUNT > 1 carries further
 * PUID/MIME_TYPE/FORMAT_NAME/FORMAT_VERSION groups in extra cells beyond the header. Folder rows
 * are skipped. All identifications are PRONOM.
 */
import type { FormatMatch } from '../model.js';
import { parseCsv } from './csv.js';
import { makeMatch, type RawIdentification, toFormatRecord } from './format-record.js';
import { DROID_CSV_MAX_BYTES, inputSize, overCap } from './limits.js';
import { problemSink, type ToolProblem } from './problems.js';
import type { SiegfriedReadOptions, SiegfriedReport } from './siegfried.js';
import { decodeToolText, parseCount } from './text.js';

/** True when the first line is a DROID CSV header (has FILE_PATH and PUID columns). */
export function looksLikeDroidCsv(text: string): boolean {
  const first = (text.replace(/^\uFEFF/, '').split(/\r?\n|\r/, 1)[0] ?? '').toUpperCase();
  return /(^|,)"?ID"?,/.test(first) && first.includes('FILE_PATH') && first.includes('PUID');
}

/** Read DROID-style CSV into the same report shape as Siegfried's readers. Never throws. */
export function readDroidCsv(
  input: Uint8Array | string,
  options: SiegfriedReadOptions = {},
): SiegfriedReport {
  const problems: ToolProblem[] = [];
  const report = problemSink(problems, options.origin);
  const run = {
    version: null,
    scanDate: null,
    signature: null,
    created: null,
    identifiers: [{ name: 'pronom', details: null }],
  };
  if (overCap(inputSize(input), DROID_CSV_MAX_BYTES, report))
    return { syntax: 'csv', run, files: [], problems };
  const [header, ...rows] = parseCsv(decodeToolText(input, problems, options.origin).text).records;
  const col = new Map((header?.fields ?? []).map((h, i) => [h.trim().toUpperCase(), i]));
  const puid = col.get('PUID');
  if (header === undefined || col.get('FILE_PATH') === undefined || puid === undefined) {
    report('TOOL_SYNTAX', 'not a DROID CSV header', header?.line);
    return { syntax: 'csv', run, files: [], problems };
  }
  const hashCol = [...col.keys()].find((k) => /^([A-Z0-9]+_)?HASH$/.test(k));
  const prov = {
    source: options.source ?? 'DROID',
    timestamp: options.timestamp ?? null,
    origin: options.origin ?? null,
  };
  const files = [];
  for (const row of rows) {
    const get = (name: string) => row.fields[col.get(name) ?? -1] ?? null;
    if ((get('TYPE') ?? '').toLowerCase() === 'folder') continue;
    const raw: RawIdentification = {
      filename: get('FILE_PATH') ?? '',
      filesize: get('SIZE'),
      modified: get('LAST_MODIFIED'),
      errors: null,
      hashes: hashCol === undefined ? {} : { [hashName(hashCol)]: get(hashCol) ?? '' },
      matches: droidMatches(
        row.fields,
        puid,
        parseCount(get('FORMAT_COUNT')) ?? 1,
        get('METHOD'),
        get('EXTENSION_MISMATCH'),
      ),
    };
    if (raw.filename === '') report('TOOL_SYNTAX', 'row without FILE_PATH', row.line);
    else files.push({ toolPath: raw.filename, record: toFormatRecord(raw, prov) });
  }
  return { syntax: 'csv', run, files, problems };
}

/** `SHA256_HASH` → `sha256`; a bare `HASH` column is assumed MD5 (DROID's default). */
function hashName(column: string): string {
  return column === 'HASH' ? 'md5' : column.replace(/_HASH$/, '').toLowerCase();
}

/** The FORMAT_COUNT groups of four cells starting at the PUID column. */
function droidMatches(
  cells: string[],
  puid: number,
  count: number,
  method: string | null,
  mismatch: string | null,
): FormatMatch[] {
  const out: FormatMatch[] = [];
  for (let g = 0; g < Math.max(count, 1); g++) {
    const at = puid + g * 4;
    if (at >= cells.length || (cells[at] ?? '') === '') continue;
    const warning = (mismatch ?? '').toLowerCase() === 'true' ? 'extension mismatch' : null;
    out.push(
      makeMatch({
        namespace: 'pronom',
        id: cells[at] ?? null,
        mime: cells[at + 1] ?? null,
        format: cells[at + 2] ?? null,
        version: cells[at + 3] ?? null,
        basis: method,
        warning,
      }),
    );
  }
  return out;
}
