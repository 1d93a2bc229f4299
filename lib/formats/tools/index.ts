/**
 * Reading every tool output of a deposit into per-file metadata records keyed by deposit path.
 *
 * Input: the deposit's tool-output files (path + bytes; the caller reads them, this module does
 * no I/O) and the deposit's full file list. Files are recognised under `metadata/` or
 * `data/metadata/` (see classify.ts); each output's paths are resolved to deposit paths with one
 * resolver per tool run (see paths.ts), so that a Brunnhilde folder's CSV and virus log share
 * their workstation prefix. Records for files the tool saw but the deposit lacks are still keyed
 * by the deposit path they would have (the combiner reports them as `presence` mismatches);
 * paths that cannot be placed at all are reported as TOOL_UNRESOLVED_PATH.
 *
 * Sources: "Siegfried" for Siegfried outputs, "Brunnhilde" for everything read from a Brunnhilde
 * folder (its siegfried.csv and its ClamAV log, as the spec labels "Siegfried via Brunnhilde"),
 * "ClamAV" for other ClamAV logs, "ExifTool" for ExifTool listings.
 */
import type { FileFormatMetadata, Metadata, ToolOutput } from '../model.js';
import { type BrunnhildeProvenance, readBrunnhildeReport } from './brunnhilde.js';
import { type ClamAvReport, type ClamAvSummary, readClamAvLog } from './clamav.js';
import { type ClassifiedOutput, classifyToolOutput } from './classify.js';
import { readExifToolText } from './exiftool.js';
import {
  type DepositPathIndex,
  indexDepositPaths,
  makeToolPathResolver,
  type ResolvedToolPath,
} from './paths.js';
import type { ToolProblem } from './problems.js';
import { readSiegfriedCsv, readSiegfriedYaml, type SiegfriedRun, type ToolFileRecord } from './siegfried.js';
import { decodeToolText } from './text.js';
import { defaultScanScope, filesUnder, inferredCleanVerdict } from './virus-scope.js';

export type { ToolProblem } from './problems.js';

/** One deposit file handed to {@link readToolOutputs}. */
export interface ToolOutputFile {
  /** Deposit-relative path (no leading slash). */
  path: string;
  bytes: Uint8Array;
}

/** What one tool output told us about the run as a whole. */
export type ToolRunSummary =
  | {
      tool: 'Siegfried';
      source: string;
      origin: string;
      syntax: 'yaml' | 'csv';
      run: SiegfriedRun;
      files: number;
    }
  | {
      tool: 'ClamAV';
      source: string;
      origin: string;
      /** The SCAN SUMMARY block, null when the log has none. */
      summary: ClamAvSummary | null;
      /** Deposit paths of infected files. */
      infected: string[];
      /** Files ClamAV could not scan (path as printed). */
      errors: { toolPath: string; message: string }[];
      /** For infected-only logs: how the scope of clean files was found, and how many were inferred. */
      inferredClean: { scope: 'tool-run' | 'input-source' | 'deposit'; files: number } | null;
    }
  | {
      tool: 'ExifTool';
      source: string;
      origin: string;
      version: string | null;
      counts: Record<string, number>;
      files: number;
    }
  | {
      tool: 'Brunnhilde';
      source: string;
      origin: string;
      provenance: BrunnhildeProvenance;
      scope: string | null;
    };

/** Everything read from a deposit's tool outputs. */
export interface ToolOutputsResult {
  /** Deposit path → records from every tool that reported on it. */
  byPath: Map<string, Metadata[]>;
  /** Whole-output attachments (Brunnhilde's report.html). */
  reports: ToolOutput[];
  summaries: ToolRunSummary[];
  problems: ToolProblem[];
  /** Deposit paths of the files that were read as tool outputs. */
  outputs: string[];
}

/** A parsed output before its paths are resolved. */
interface Unit {
  c: ClassifiedOutput;
  source: string;
  entries: ToolFileRecord<Metadata>[];
  problems: ToolProblem[];
  summary: (resolve: (p: string) => ResolvedToolPath) => ToolRunSummary;
  clam?: ClamAvReport;
}

/**
 * Read all tool outputs among `files` (others are ignored) for a deposit whose files are
 * `depositPaths`. Never throws: unreadable parts become `problems`.
 */
export function readToolOutputs(
  files: readonly ToolOutputFile[],
  depositPaths: readonly string[],
): ToolOutputsResult {
  const index = indexDepositPaths(depositPaths);
  const result: ToolOutputsResult = {
    byPath: new Map(),
    reports: [],
    summaries: [],
    problems: [],
    outputs: [],
  };
  const groups = new Map<string, { c: ClassifiedOutput; bytes: Uint8Array }[]>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const c = classifyToolOutput(f.path, () => decodeToolText(f.bytes.subarray(0, 8192)).text);
    if (c === 'unrecognised') {
      result.problems.push({
        code: 'TOOL_UNRECOGNISED',
        severity: 'warning',
        path: f.path,
        message: 'not a tool output we can read',
      });
    } else if (c !== null) {
      const list = groups.get(c.group) ?? [];
      list.push({ c, bytes: f.bytes });
      groups.set(c.group, list);
      result.outputs.push(f.path);
    }
  }
  for (const members of groups.values()) readRun(members, index, depositPaths, result);
  for (const list of result.byPath.values()) list.sort(byKindThenOrigin);
  return result;
}

const KIND_ORDER = [
  'FileFormatMetadata',
  'DigestMetadata',
  'VirusScanMetadata',
  'ExifMetadata',
  'ToolOutput',
];

/** Records of one file in a stable order: by type, then by the output they came from. */
function byKindThenOrigin(a: Metadata, b: Metadata): number {
  const k = KIND_ORDER.indexOf(a.type) - KIND_ORDER.indexOf(b.type);
  if (k !== 0) return k;
  const x = a.origin ?? '';
  const y = b.origin ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Read the outputs of one tool run (one file, or one Brunnhilde folder) and file their records. */
function readRun(
  members: { c: ClassifiedOutput; bytes: Uint8Array }[],
  index: DepositPathIndex,
  depositPaths: readonly string[],
  result: ToolOutputsResult,
): void {
  const reportMember = members.find((m) => m.c.kind === 'brunnhilde-report');
  const provenance =
    reportMember === undefined ? null : readBrunnhildeReport(decodeToolText(reportMember.bytes).text);
  const units = members.filter((m) => m !== reportMember).map((m) => parseUnit(m.c, m.bytes, provenance));
  const resolve = makeToolPathResolver(
    units.flatMap((u) => u.entries.map((e) => e.toolPath)),
    index,
  );
  const scope =
    provenance?.inputSource == null ? null : resolve(provenance.inputSource, 'directory').localPath;
  for (const u of units) {
    result.problems.push(...u.problems);
    const { placed, unresolved } = fileRecords(u, resolve, result);
    if (u.clam?.summary?.listing === 'infected-only') {
      // If we cannot tell where a listed (infected) file is, calling the rest clean could hide it.
      if (unresolved === 0) inferClean(u, placed, { units, resolve, scope, depositPaths }, result);
      else {
        result.problems.push({
          code: 'TOOL_UNRESOLVED_PATH',
          severity: 'warning',
          path: u.c.path,
          message: 'infected-only log with unplaceable paths: no clean verdicts inferred for unlisted files',
        });
      }
    }
    result.summaries.push(u.summary(resolve));
  }
  if (reportMember !== undefined && provenance !== null) {
    const origin = reportMember.c.path;
    result.reports.push({
      type: 'ToolOutput',
      source: 'Brunnhilde',
      timestamp: provenance.scanStarted,
      origin,
      path: origin,
      contentType: 'text/html',
      scope,
    });
    result.summaries.push({ tool: 'Brunnhilde', source: 'Brunnhilde', origin, provenance, scope });
  }
}

function parseUnit(c: ClassifiedOutput, bytes: Uint8Array, prov: BrunnhildeProvenance | null): Unit {
  const origin = c.path;
  switch (c.kind) {
    case 'siegfried-yaml':
    case 'siegfried-csv':
    case 'brunnhilde-siegfried-csv': {
      const source = c.kind === 'brunnhilde-siegfried-csv' ? 'Brunnhilde' : 'Siegfried';
      const opts = { source, origin, timestamp: prov?.scanStarted ?? null };
      const r = c.kind === 'siegfried-yaml' ? readSiegfriedYaml(bytes, opts) : readSiegfriedCsv(bytes, opts);
      // The CSV does not say which Siegfried wrote it; Brunnhilde's report does.
      if (r.run.version === null && prov?.siegfriedVersion) r.run.version = prov.siegfriedVersion;
      const summary = () => ({
        tool: 'Siegfried' as const,
        source,
        origin,
        syntax: r.syntax,
        run: r.run,
        files: r.files.length,
      });
      return { c, source, entries: r.files, problems: r.problems, summary };
    }
    case 'clamav':
    case 'brunnhilde-viruscheck': {
      const source = c.kind === 'clamav' ? 'ClamAV' : 'Brunnhilde';
      const r = readClamAvLog(bytes, { source, origin });
      const summary = (resolve: (p: string) => ResolvedToolPath) => ({
        tool: 'ClamAV' as const,
        source,
        origin,
        summary: r.summary,
        infected: r.files
          .filter((f) => f.record.hasVirus)
          .map((f) => resolve(f.toolPath).localPath ?? f.toolPath),
        errors: r.errors,
        inferredClean: null,
      });
      return { c, source, entries: r.files, problems: r.problems, summary, clam: r };
    }
    default: {
      const r = readExifToolText(bytes, { origin });
      const summary = () => ({
        tool: 'ExifTool' as const,
        source: 'ExifTool',
        origin,
        version: r.version,
        counts: r.counts,
        files: r.files.length,
      });
      return { c, source: 'ExifTool', entries: r.files, problems: r.problems, summary };
    }
  }
}

/** File a unit's records under their deposit paths; returns the deposit paths placed and how many were not. */
function fileRecords(
  u: Unit,
  resolve: (p: string) => ResolvedToolPath,
  result: ToolOutputsResult,
): { placed: Set<string>; unresolved: number } {
  const placed = new Set<string>();
  const unresolved: string[] = [];
  for (const e of u.entries) {
    const r = resolve(e.toolPath);
    if (r.localPath === null) {
      unresolved.push(e.toolPath);
      continue;
    }
    if (e.record.type === 'FileFormatMetadata') setToolPaths(e.record, r);
    addRecord(result.byPath, r.localPath, e.record);
    placed.add(r.localPath);
  }
  if (unresolved.length > 0) {
    const examples = unresolved.slice(0, 5).join(', ');
    result.problems.push({
      code: 'TOOL_UNRESOLVED_PATH',
      severity: 'warning',
      path: u.c.path,
      message: `${unresolved.length} path(s) match no deposit file: ${examples}${unresolved.length > 5 ? ', ...' : ''}`,
    });
  }
  return { placed, unresolved: unresolved.length };
}

function setToolPaths(record: FileFormatMetadata, r: ResolvedToolPath): void {
  record.originalName = r.originalName;
  record.storageLocation = r.storageLocation;
}

function addRecord(byPath: Map<string, Metadata[]>, path: string, record: Metadata): void {
  const list = byPath.get(path);
  if (list === undefined) byPath.set(path, [record]);
  else list.push(record);
}

/** Give every file in the scan's scope that an infected-only log did not list a clean verdict. */
function inferClean(
  u: Unit,
  listed: Set<string>,
  run: {
    units: Unit[];
    resolve: (p: string) => ResolvedToolPath;
    scope: string | null;
    depositPaths: readonly string[];
  },
  result: ToolOutputsResult,
): void {
  const summary = u.clam!.summary!;
  const siblings = run.units.filter((o) => o !== u && o.c.kind === 'brunnhilde-siegfried-csv');
  let kind: 'tool-run' | 'input-source' | 'deposit';
  let scope: string[];
  if (siblings.length > 0) {
    kind = 'tool-run';
    scope = siblings
      .flatMap((s) => s.entries.map((e) => run.resolve(e.toolPath).localPath))
      .filter((p) => p !== null);
  } else if (run.scope !== null) {
    kind = 'input-source';
    scope = filesUnder(run.depositPaths, run.scope);
  } else {
    kind = 'deposit';
    scope = defaultScanScope(run.depositPaths);
  }
  const unique = [...new Set(scope)];
  let inferred = 0;
  for (const p of unique) {
    if (listed.has(p)) continue;
    addRecord(result.byPath, p, inferredCleanVerdict(summary, u.source, u.c.path));
    inferred++;
  }
  if (summary.scannedFiles !== null && summary.scannedFiles !== unique.length) {
    result.problems.push({
      code: 'TOOL_INCONSISTENT',
      severity: 'warning',
      path: u.c.path,
      message: `log says ${summary.scannedFiles} files were scanned; ${unique.length} file(s) in the inferred scope (${kind})`,
    });
  }
  const summaryOf = u.summary;
  u.summary = (resolve) => ({
    ...(summaryOf(resolve) as Extract<ToolRunSummary, { tool: 'ClamAV' }>),
    inferredClean: { scope: kind, files: inferred },
  });
}
