/**
 * ClamAV log reader: `clamscan`/`clamdscan` console output or `--log` files, including the
 * `viruscheck-log.txt` Brunnhilde writes (which adds a `Date scanned:` line).
 *
 * Result lines are `<path>: OK`, `<path>: <Signature> FOUND` (several for one file with
 * `--allmatch`) and `<path>: <message> ERROR`; paths may themselves contain `: `, so the path
 * ends at the LAST `: ` before the verdict (for ERROR lines, at the `: ` before a known message
 * such as `lstat() failed: …`). Informational lines (`Symbolic link`, `Empty file`, `Excluded`,
 * `LibClamAV Warning: …`) give no verdict and are skipped.
 *
 * The `----------- SCAN SUMMARY -----------` block gives engine version, known-virus count,
 * scanned/infected file counts, data sizes, time, start and end dates (`2025:04:25 13:57:26`,
 * turned into ISO `2025-04-25T13:57:26`, local time as printed, no zone).
 *
 * Logs with several runs appended (`--log` appends) give the verdicts of all runs and the
 * summary fields of the last.
 *
 * Infected-only logs: `clamscan -i` (Brunnhilde always passes it) prints no OK lines. We call a
 * log `infected-only` when it has a summary, no OK lines, and fewer listed files than
 * `Scanned files`. Then every scanned file not listed is clean; this reader cannot know which
 * files those are, so it says so in the summary (`listing`) and leaves the inference to
 * readToolOutputs, which knows the run's scope (Brunnhilde's file list or the deposit).
 */

import { quoteForMessage } from '../../core/paths.js';
import type { VirusScanMetadata } from '../model.js';
import { CLAMAV_LOG_MAX_BYTES, inputSize, overCap } from './limits.js';
import { type ProblemSink, problemSink, type ToolProblem } from './problems.js';
import type { ToolFileRecord } from './siegfried.js';
import { decodeToolText, parseCount, splitLines } from './text.js';

/** The SCAN SUMMARY of one ClamAV run, plus how the log listed files. */
export interface ClamAvSummary {
  engineVersion: string | null;
  knownViruses: number | null;
  scannedDirectories: number | null;
  scannedFiles: number | null;
  infectedFiles: number | null;
  totalErrors: number | null;
  dataScanned: string | null;
  dataRead: string | null;
  time: string | null;
  /** ISO 8601 local date-time (no zone), or null when absent or malformed. */
  startDate: string | null;
  endDate: string | null;
  /** Every `Key: value` line of the summary as printed (including Brunnhilde's `Date scanned`). */
  fields: Record<string, string>;
  /**
   * `all`: OK lines are printed, so unlisted files were not scanned; `infected-only`: only
   * infected files are listed (`-i`), so every other scanned file is clean; `unknown`: no
   * summary, or nothing to tell them apart.
   */
  listing: 'all' | 'infected-only' | 'unknown';
  /** How many distinct files the log lists with a verdict. */
  listedFiles: number;
}

/** A ClamAV log's per-file verdicts (keyed by the path ClamAV printed), summary and problems. */
export interface ClamAvReport {
  files: ToolFileRecord<VirusScanMetadata>[];
  summary: ClamAvSummary | null;
  /** Files ClamAV could not scan: path as printed and its message. */
  errors: { toolPath: string; message: string }[];
  problems: ToolProblem[];
}

/** Options for {@link readClamAvLog}. */
export interface ClamAvReadOptions {
  /** `source` of the records; default "ClamAV". */
  source?: string;
  /** Deposit-relative path of the log (records' `origin`, problems' `path`). */
  origin?: string;
}

const SUMMARY_RULE = /^-{3,}\s*SCAN SUMMARY\s*-{3,}\s*$/;
/** Longest line read: ClamAV prints one path a line; longer lines are skipped (and reported). */
const MAX_LINE = 65536;

/** True when the text looks like ClamAV output: a SCAN SUMMARY rule or verdict lines. */
export function looksLikeClamAv(text: string): boolean {
  const lines = splitLines(text.slice(0, 20000)).filter((l) => l.trim() !== '');
  if (lines.some((l) => SUMMARY_RULE.test(l))) return true;
  return (
    lines.length > 0 &&
    lines.slice(0, 20).every((l) => / (OK|FOUND|ERROR)$/.test(l) || /^(LibClamAV|WARNING)/.test(l))
  );
}

/** Read a ClamAV log. Never throws; odd lines become `problems`. */
export function readClamAvLog(input: Uint8Array | string, options: ClamAvReadOptions = {}): ClamAvReport {
  const problems: ToolProblem[] = [];
  const report = problemSink(problems, options.origin);
  if (overCap(inputSize(input), CLAMAV_LOG_MAX_BYTES, report))
    return { files: [], summary: null, errors: [], problems };
  const scan = scanLog(splitLines(decodeToolText(input, problems, options.origin).text), report);
  const infectedListed = [...scan.verdicts.values()].filter((v) => v.viruses.length > 0).length;
  const counts = { listed: scan.verdicts.size, infectedListed, okLines: scan.okLines };
  const summary = scan.sawSummary ? summarise(scan.fields, counts, report) : null;
  const files = [...scan.verdicts].map(([toolPath, v]) => ({
    toolPath,
    record: verdict(v, summary, options),
  }));
  for (const f of files) {
    if (!f.record.hasVirus) continue;
    const message = `${quoteForMessage(f.toolPath)}: ${quoteForMessage(f.record.virusesFound.join(', '))}`;
    report('TOOL_VIRUS_FOUND', message);
  }
  return { files, summary, errors: scan.errors, problems };
}

/** What one pass over the log's lines collects. */
interface LogScan {
  verdicts: Map<string, { viruses: string[]; lines: string[] }>;
  errors: ClamAvReport['errors'];
  fields: Record<string, string>;
  sawSummary: boolean;
  okLines: number;
}

const INFORMATIONAL =
  /^(LibClamAV|WARNING|ERROR|Loading|\S.*: (Symbolic link|Empty file|Excluded|Is a directory))/;

function scanLog(lines: string[], report: ProblemSink): LogScan {
  // Null prototype: a summary line `__proto__: x` is a field like any other.
  const fields: Record<string, string> = Object.create(null);
  const scan: LogScan = { verdicts: new Map(), errors: [], fields, sawSummary: false, okLines: 0 };
  let inSummary = false;
  for (const [n, line] of lines.entries()) {
    if (line.length > MAX_LINE)
      report('TOOL_SYNTAX', `line longer than ${MAX_LINE} characters; skipped`, n + 1);
    else if (SUMMARY_RULE.test(line)) scan.sawSummary = inSummary = true;
    else if (line.trim() === '') continue;
    else if (inSummary && parseResultLine(line) === null) {
      const kv = /^([^:]+):\s*(.*)$/.exec(line);
      if (kv !== null) scan.fields[kv[1]!.trim()] = kv[2]!.trim();
    } else {
      // A verdict after a summary is a later run appended to the same log (`clamscan -l`).
      inSummary = false;
      addResult(scan, line, n + 1, report);
    }
  }
  return scan;
}

function addResult(scan: LogScan, line: string, lineNo: number, report: ProblemSink): void {
  const r = parseResultLine(line);
  if (r === null) {
    if (!INFORMATIONAL.test(line))
      report('TOOL_SYNTAX', `unrecognised line: ${quoteForMessage(line, 120)}`, lineNo);
  } else if (r.kind === 'error') {
    scan.errors.push({ toolPath: r.path, message: r.detail });
    report('TOOL_SCAN_ERROR', `${quoteForMessage(r.path)}: ${quoteForMessage(r.detail, 120)}`, lineNo);
  } else {
    if (r.kind === 'ok') scan.okLines++;
    const v = scan.verdicts.get(r.path) ?? { viruses: [], lines: [] };
    if (r.kind === 'found' && !v.viruses.includes(r.detail)) v.viruses.push(r.detail);
    v.lines.push(line);
    scan.verdicts.set(r.path, v);
  }
}

type ResultLine = { kind: 'ok' | 'found' | 'error'; path: string; detail: string };

/**
 * Split a verdict line at the last `: ` before the verdict (paths may contain `: `). Scanned by
 * hand: the equivalent regular expression backtracks quadratically on long lines.
 */
export function parseResultLine(line: string): ResultLine | null {
  if (line.endsWith(': OK')) return { kind: 'ok', path: line.slice(0, -4), detail: 'OK' };
  if (!line.endsWith(' FOUND') && !line.endsWith(' ERROR')) return null;
  const found = line.endsWith(' FOUND');
  const body = line.slice(0, -' FOUND'.length); // ' ERROR' has the same length
  // ERROR messages may contain ': ' themselves ("lstat() failed: No such file or directory.").
  const known = found
    ? -1
    : body.search(/: (lstat\(\) failed|Can't |Access denied|Not supported|File path check failure)/);
  const cut = known >= 0 ? known : body.lastIndexOf(': ');
  if (cut <= 0) return null;
  return { kind: found ? 'found' : 'error', path: body.slice(0, cut), detail: body.slice(cut + 2).trim() };
}

function verdict(
  v: { viruses: string[]; lines: string[] },
  summary: ClamAvSummary | null,
  options: ClamAvReadOptions,
): VirusScanMetadata {
  return {
    type: 'VirusScanMetadata',
    source: options.source ?? 'ClamAV',
    timestamp: summary === null ? null : scanTimestamp(summary),
    origin: options.origin ?? null,
    hasVirus: v.viruses.length > 0,
    virusesFound: v.viruses,
    engineVersion: summary?.engineVersion ?? null,
    knownViruses: summary?.knownViruses ?? null,
    raw: v.lines.join('\n'),
  };
}

/** When the scan ran: Start Date, else Brunnhilde's `Date scanned`, else End Date. */
export function scanTimestamp(summary: ClamAvSummary): string | null {
  return summary.startDate ?? clamDate(summary.fields['Date scanned'] ?? null) ?? summary.endDate;
}

function summarise(
  fields: Record<string, string>,
  counts: { listed: number; infectedListed: number; okLines: number },
  report: ProblemSink,
): ClamAvSummary {
  const date = (key: string) => {
    const iso = clamDate(fields[key] ?? null);
    if (fields[key] !== undefined && iso === null)
      report('TOOL_SYNTAX', `unreadable ${key}: ${quoteForMessage(fields[key], 80)}`);
    return iso;
  };
  const scannedFiles = parseCount(fields['Scanned files']);
  const infectedFiles = parseCount(fields['Infected files']);
  const { listed, infectedListed, okLines } = counts;
  const listing =
    okLines > 0 ? 'all' : scannedFiles !== null && scannedFiles > listed ? 'infected-only' : 'unknown';
  if (infectedFiles !== null && infectedFiles !== infectedListed) {
    report(
      'TOOL_INCONSISTENT',
      `summary says ${infectedFiles} infected files; the log lists ${infectedListed}`,
    );
  }
  return {
    engineVersion: fields['Engine version'] ?? null,
    knownViruses: parseCount(fields['Known viruses']),
    scannedDirectories: parseCount(fields['Scanned directories']),
    scannedFiles,
    infectedFiles,
    totalErrors: parseCount(fields['Total errors']),
    dataScanned: fields['Data scanned'] ?? null,
    dataRead: fields['Data read'] ?? null,
    time: fields['Time'] ?? null,
    startDate: date('Start Date'),
    endDate: date('End Date'),
    fields,
    listing,
    listedFiles: listed,
  };
}

/**
 * ClamAV's `2025:04:25 13:57:26` (or Brunnhilde's `2025-04-25 13:57:26.560287`) → ISO 8601
 * `2025-04-25T13:57:26[.fraction]`; null when the value is not exactly a date-time.
 */
export function clamDate(value: string | null): string | null {
  if (value === null) return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?$/.exec(value.trim());
  return m === null ? null : `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}`;
}
