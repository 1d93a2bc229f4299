/**
 * Siegfried output readers: `sf -yaml` (the default format) and `sf -csv`, any version we know
 * of (1.4 to 1.11), with one or several identifiers and with exhaustive multi-match output.
 *
 * YAML: a header document (`siegfried`, `scandate`, `signature`, `created`, `identifiers`: list of
 * `name`/`details`), then one document per file (`filename`, `filesize`, `modified`, `errors`,
 * optional hash field named after the algorithm, `matches`: list of `ns`, `id`, `format`,
 * `version` (or `full` for LoC), `mime`, `class` (≥ 1.9), `basis`, `warning`). Versions before
 * 1.5 wrote `id` (identifier name) + `puid` instead of `ns` + `id`; both are read.
 *
 * CSV: `filename,filesize,modified,errors[,<hash>]` then one column group per identifier, each
 * starting with `namespace` (or old `id,puid`). A file with several matches takes several rows
 * (file columns repeated); shorter groups are padded with empty cells. Rows are merged per file.
 * The CSV has no scan date, so its records' timestamp is null unless the caller supplies one.
 */

import { quoteForMessage } from '../../core/paths.js';
import type { FileFormatMetadata, FormatMatch } from '../model.js';
import { parseCsv } from './csv.js';
import { makeMatch, type RawIdentification, type RecordProvenance, toFormatRecord } from './format-record.js';
import { inputSize, overCap, SIEGFRIED_MAX_BYTES } from './limits.js';
import { type ProblemSink, problemSink, type ToolProblem } from './problems.js';
import { decodeToolText, nonEmpty } from './text.js';
import { parseYamlSubset, type YamlMap, type YamlValue } from './yaml-subset.js';

/** A per-file record still keyed by the path the tool recorded. */
export interface ToolFileRecord<T> {
  toolPath: string;
  record: T;
}

/** One identifier configured in the run (header `identifiers`). */
export interface SiegfriedIdentifier {
  name: string;
  details: string | null;
}

/** Facts about the Siegfried run (from the YAML header; CSV gives only identifier namespaces). */
export interface SiegfriedRun {
  version: string | null;
  scanDate: string | null;
  signature: string | null;
  created: string | null;
  identifiers: SiegfriedIdentifier[];
}

/** What a Siegfried output contains. */
export interface SiegfriedReport {
  syntax: 'yaml' | 'csv';
  run: SiegfriedRun;
  files: ToolFileRecord<FileFormatMetadata>[];
  problems: ToolProblem[];
}

/** Options shared by the readers. */
export interface SiegfriedReadOptions {
  /** `source` of the records; default "Siegfried" (Brunnhilde's copy passes "Brunnhilde"). */
  source?: string;
  /** Deposit-relative path of the output, put in `origin` and in problems. */
  origin?: string;
  /** Timestamp for records when the output has none (CSV); default null. */
  timestamp?: string | null;
}

/** True when the text starts like `sf -yaml` output (a `siegfried :` header or a `filename :` document). */
export function looksLikeSiegfriedYaml(text: string): boolean {
  const head = text.replace(/^\uFEFF/, '').slice(0, 2000);
  return /^---[ \t]*\r?\n\s*(siegfried|filename)\s*:/.test(head);
}

/** True when the first line is a Siegfried CSV header (`filename,filesize,modified,errors,...`). */
export function looksLikeSiegfriedCsv(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/, 1)[0] ?? '';
  return /^"?filename"?,"?filesize"?,"?modified"?,"?errors"?(,|$)/i.test(first);
}

/** Read `sf -yaml` output. Never throws: unparseable parts become `problems`. */
export function readSiegfriedYaml(
  input: Uint8Array | string,
  options: SiegfriedReadOptions = {},
): SiegfriedReport {
  const problems: ToolProblem[] = [];
  const report = problemSink(problems, options.origin);
  if (overCap(inputSize(input), SIEGFRIED_MAX_BYTES, report))
    return { syntax: 'yaml', run: emptyRun(), files: [], problems };
  const parsed = parseYamlSubset(decodeToolText(input, problems, options.origin).text);
  for (const e of parsed.errors) report('TOOL_SYNTAX', e.message, e.line);
  const run = emptyRun();
  const raws: RawIdentification[] = [];
  for (const doc of parsed.documents) {
    const map = asMap(doc.value);
    if (map === null) report('TOOL_SYNTAX', 'document is not a mapping', doc.line);
    else if ('siegfried' in map) Object.assign(run, readHeader(map));
    else if (typeof map['filename'] === 'string') raws.push(readFileDoc(map));
    else report('TOOL_SYNTAX', 'document has no filename', doc.line);
  }
  const timestamp = run.scanDate ?? options.timestamp ?? null;
  const prov = { source: options.source ?? 'Siegfried', timestamp, origin: options.origin ?? null };
  return { syntax: 'yaml', run, files: raws.map((r) => toEntry(r, prov, report)), problems };
}

function toEntry(
  raw: RawIdentification,
  prov: RecordProvenance,
  report: ProblemSink,
): ToolFileRecord<FileFormatMetadata> {
  const record = toFormatRecord(raw, prov);
  if (record.errors)
    report('TOOL_SCAN_ERROR', `${quoteForMessage(raw.filename)}: ${quoteForMessage(record.errors, 120)}`);
  return { toolPath: raw.filename, record };
}

function asMap(v: YamlValue | undefined): YamlMap | null {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

function str(v: YamlValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function readHeader(map: YamlMap): SiegfriedRun {
  const ids = Array.isArray(map['identifiers']) ? map['identifiers'] : [];
  const identifiers: SiegfriedIdentifier[] = [];
  for (const item of ids) {
    const m = asMap(item);
    const name = m === null ? str(item) : str(m['name']);
    if (name !== null) identifiers.push({ name, details: m === null ? null : str(m['details']) });
  }
  return {
    version: str(map['siegfried']),
    scanDate: str(map['scandate']),
    signature: str(map['signature']),
    created: str(map['created']),
    identifiers,
  };
}

const FILE_KEYS = new Set(['filename', 'filesize', 'modified', 'errors', 'matches']);

function readFileDoc(map: YamlMap): RawIdentification {
  const hashes: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(map)) {
    if (!FILE_KEYS.has(k) && typeof v === 'string') hashes[k] = v;
  }
  const matches: FormatMatch[] = [];
  for (const item of Array.isArray(map['matches']) ? map['matches'] : []) {
    const m = asMap(item);
    if (m !== null) matches.push(yamlMatch(m));
  }
  return {
    filename: str(map['filename'])!,
    filesize: str(map['filesize']),
    modified: str(map['modified']),
    errors: str(map['errors']),
    hashes,
    matches,
  };
}

function yamlMatch(m: YamlMap): FormatMatch {
  // Before 1.5: `id` named the identifier and `puid` held the key.
  const old = 'puid' in m;
  return makeMatch({
    namespace: str(old ? m['id'] : m['ns']),
    id: str(old ? m['puid'] : m['id']),
    // LoC FDD matches carry `full` (the long format name) instead of `version`.
    format: nonEmpty(str(m['format'])) ?? str(m['full']),
    version: str(m['version']),
    mime: str(m['mime']),
    formatClass: str(m['class']),
    basis: str(m['basis']),
    warning: str(m['warning']),
  });
}

/** Read `sf -csv` output (also Brunnhilde's siegfried.csv). Never throws. */
export function readSiegfriedCsv(
  input: Uint8Array | string,
  options: SiegfriedReadOptions = {},
): SiegfriedReport {
  const problems: ToolProblem[] = [];
  const report = problemSink(problems, options.origin);
  if (overCap(inputSize(input), SIEGFRIED_MAX_BYTES, report))
    return { syntax: 'csv', run: emptyRun(), files: [], problems };
  const csv = parseCsv(decodeToolText(input, problems, options.origin).text);
  if (csv.unterminatedQuoteLine !== null)
    report('TOOL_SYNTAX', 'unterminated quoted field', csv.unterminatedQuoteLine);
  const run = emptyRun();
  const [header, ...rows] = csv.records;
  const layout = header === undefined ? null : csvLayout(header.fields);
  if (header !== undefined && layout === null)
    report('TOOL_SYNTAX', 'not a Siegfried CSV header', header.line);
  if (layout === null) return { syntax: 'csv', run, files: [], problems };
  const byName = new Map<string, CsvFile>();
  for (const row of rows) mergeCsvRow(row.fields, row.line, layout, byName, report);
  // Matches are listed identifier by identifier, as the YAML lists them, not row by row.
  for (const f of byName.values()) f.raw.matches = f.perGroup.flat();
  run.identifiers = identifierNames(byName);
  const prov = {
    source: options.source ?? 'Siegfried',
    timestamp: options.timestamp ?? null,
    origin: options.origin ?? null,
  };
  const files = [...byName.values()].map((f) => toEntry(f.raw, prov, report));
  return { syntax: 'csv', run, files, problems };
}

function emptyRun(): SiegfriedRun {
  return { version: null, scanDate: null, signature: null, created: null, identifiers: [] };
}

interface CsvGroup {
  namespace: number;
  id: number;
  format: number;
  version: number;
  full: number;
  mime: number;
  formatClass: number;
  basis: number;
  warning: number;
}

interface CsvLayout {
  filename: number;
  filesize: number;
  modified: number;
  errors: number;
  hashes: { name: string; index: number }[];
  groups: CsvGroup[];
  width: number;
}

/** Find the file columns and the per-identifier column groups in a header row. */
export function csvLayout(header: string[]): CsvLayout | null {
  const h = header.map((c) => c.trim().toLowerCase());
  const filename = h.indexOf('filename');
  if (filename < 0) return null;
  const starts: number[] = [];
  for (let i = 0; i < h.length; i++) {
    if (h[i] === 'namespace' || (h[i] === 'id' && h[i + 1] === 'puid')) starts.push(i);
  }
  const firstGroup = starts[0] ?? h.length;
  const fixed = new Set(['filename', 'filesize', 'modified', 'errors']);
  const hashes = h
    .slice(0, firstGroup)
    .map((name, index) => ({ name, index }))
    .filter((c) => !fixed.has(c.name) && c.name !== '');
  const groups = starts.map((s, g) => groupColumns(h, s, starts[g + 1] ?? h.length));
  return {
    filename,
    filesize: h.indexOf('filesize'),
    modified: h.indexOf('modified'),
    errors: h.indexOf('errors'),
    hashes,
    groups,
    width: h.length,
  };
}

function groupColumns(h: string[], start: number, end: number): CsvGroup {
  const find = (...names: string[]) => {
    for (let i = start; i < end; i++) if (names.includes(h[i]!)) return i;
    return -1;
  };
  const old = h[start] === 'id';
  return {
    namespace: start,
    id: old ? find('puid') : find('id'),
    format: find('format'),
    version: find('version'),
    full: find('full'),
    mime: find('mime'),
    formatClass: find('class'),
    basis: find('basis'),
    warning: find('warning'),
  };
}

/** A file being assembled from its rows: matches kept per identifier column group. */
interface CsvFile {
  raw: RawIdentification;
  perGroup: FormatMatch[][];
}

function cell(row: string[], i: number): string | null {
  return i < 0 ? null : (row[i] ?? null);
}

function mergeCsvRow(
  row: string[],
  line: number,
  layout: CsvLayout,
  byName: Map<string, CsvFile>,
  report: ProblemSink,
): void {
  const filename = cell(row, layout.filename);
  if (filename === null || filename === '') {
    report('TOOL_SYNTAX', 'row without filename', line);
    return;
  }
  if (row.length !== layout.width)
    report('TOOL_SYNTAX', `row has ${row.length} cells, header has ${layout.width}`, line);
  let file = byName.get(filename);
  if (file === undefined) {
    file = newCsvFile(filename, row, layout);
    byName.set(filename, file);
  } else if (nonEmpty(cell(row, layout.filesize)) !== nonEmpty(file.raw.filesize)) {
    report('TOOL_INCONSISTENT', `${quoteForMessage(filename)}: rows give different sizes`, line);
  }
  for (const [gi, g] of layout.groups.entries()) {
    // Padding cells of an identifier with fewer matches than another are empty: not a match.
    if (nonEmpty(cell(row, g.namespace)) === null && nonEmpty(cell(row, g.id)) === null) continue;
    file.perGroup[gi]!.push(csvMatch(row, g));
  }
}

function newCsvFile(filename: string, row: string[], layout: CsvLayout): CsvFile {
  const raw: RawIdentification = {
    filename,
    filesize: cell(row, layout.filesize),
    modified: cell(row, layout.modified),
    errors: cell(row, layout.errors),
    hashes: Object.create(null),
    matches: [],
  };
  for (const h of layout.hashes) raw.hashes[h.name] = cell(row, h.index) ?? '';
  return { raw, perGroup: layout.groups.map(() => []) };
}

function csvMatch(row: string[], g: CsvGroup): FormatMatch {
  return makeMatch({
    namespace: cell(row, g.namespace),
    id: cell(row, g.id),
    format: nonEmpty(cell(row, g.format)) ?? cell(row, g.full),
    version: cell(row, g.version),
    mime: cell(row, g.mime),
    formatClass: cell(row, g.formatClass),
    basis: cell(row, g.basis),
    warning: cell(row, g.warning),
  });
}

function identifierNames(byName: Map<string, CsvFile>): SiegfriedIdentifier[] {
  const names: string[] = [];
  for (const f of byName.values()) {
    for (const m of f.raw.matches)
      if (m.namespace !== null && !names.includes(m.namespace)) names.push(m.namespace);
  }
  return names.map((name) => ({ name, details: null }));
}
