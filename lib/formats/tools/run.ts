/**
 * Reading the outputs of one tool run — a single output file, or the files of one Brunnhilde
 * folder — and filing their records under deposit paths. All outputs of a run share one path
 * resolver, so a Brunnhilde CSV and its virus log agree on the workstation prefix, and the
 * report's "Input source" resolves to the scanned deposit directory.
 */
import type { Metadata } from '../model.js';
import { type BrunnhildeProvenance, readBrunnhildeReport } from './brunnhilde.js';
import { type ClamAvReport, readClamAvLog } from './clamav.js';
import type { ClassifiedOutput } from './classify.js';
import { readDroidCsv } from './droid.js';
import { readExifToolJson, readExifToolText } from './exiftool.js';
import { type DepositPathIndex, makeToolPathResolver, type ResolvedToolPath } from './paths.js';
import { problemSink, type ToolProblem } from './problems.js';
import {
  addRecord,
  type ClamAvRunSummary,
  type SiegfriedRunSummary,
  type ToolOutputsResult,
  type ToolRunSummary,
} from './result.js';
import {
  readSiegfriedCsv,
  readSiegfriedYaml,
  type SiegfriedReport,
  type ToolFileRecord,
} from './siegfried.js';
import { decodeToolText } from './text.js';
import { inferCleanVerdicts, type ScanScopeInputs } from './virus-scope.js';

type Resolve = (toolPath: string, kind?: 'file' | 'directory') => ResolvedToolPath;

/** A parsed output before its paths are resolved. */
interface Unit {
  c: ClassifiedOutput;
  source: string;
  entries: ToolFileRecord<Metadata>[];
  problems: ToolProblem[];
  summary: (resolve: Resolve) => ToolRunSummary;
  clam?: ClamAvReport;
}

/** One member of a run: its classification and bytes. */
export interface RunMember {
  c: ClassifiedOutput;
  bytes: Uint8Array;
}

/** Read the outputs of one tool run and add their records, reports, summaries and problems to `result`. */
export function readRun(
  members: RunMember[],
  index: DepositPathIndex,
  depositPaths: readonly string[],
  result: ToolOutputsResult,
): void {
  const reportMember = members.find((m) => m.c.kind === 'brunnhilde-report');
  const prov = reportMember ? readBrunnhildeReport(decodeToolText(reportMember.bytes).text) : null;
  const units = members.filter((m) => m !== reportMember).map((m) => parseUnit(m.c, m.bytes, prov));
  const resolve = makeToolPathResolver(
    units.flatMap((u) => u.entries.map((e) => e.toolPath)),
    index,
  );
  const scope = prov?.inputSource ? resolve(prov.inputSource, 'directory').localPath : null;
  for (const u of units) {
    result.problems.push(...u.problems);
    const placed = fileRecords(u, resolve, result);
    let summary = u.summary(resolve);
    if (summary.tool === 'ClamAV' && u.clam?.summary?.listing === 'infected-only') {
      summary = withInferred(summary, u, placed, { units, resolve, scope, depositPaths }, result);
    }
    result.summaries.push(summary);
  }
  if (reportMember && prov) {
    const origin = reportMember.c.path;
    const timestamp = prov.scanStarted;
    result.reports.push({
      type: 'ToolOutput',
      source: 'Brunnhilde',
      timestamp,
      origin,
      path: origin,
      contentType: 'text/html',
      scope,
    });
    result.summaries.push({ tool: 'Brunnhilde', source: 'Brunnhilde', origin, provenance: prov, scope });
  }
}

function parseUnit(c: ClassifiedOutput, bytes: Uint8Array, prov: BrunnhildeProvenance | null): Unit {
  if (c.kind === 'clamav' || c.kind === 'brunnhilde-viruscheck') return clamUnit(c, bytes);
  if (c.kind === 'exiftool' || c.kind === 'exiftool-json') return exifUnit(c, bytes);
  if (c.kind === 'droid-csv') return droidUnit(c, bytes);
  const source = c.kind === 'brunnhilde-siegfried-csv' ? 'Brunnhilde' : 'Siegfried';
  const opts = { source, origin: c.path, timestamp: prov?.scanStarted ?? null };
  const r = c.kind === 'siegfried-yaml' ? readSiegfriedYaml(bytes, opts) : readSiegfriedCsv(bytes, opts);
  // The CSV does not say which Siegfried wrote it; Brunnhilde's report does.
  if (r.run.version === null && prov?.siegfriedVersion) r.run.version = prov.siegfriedVersion;
  return siegfriedUnit(c, source, r);
}

/** A unit for a report in Siegfried's shape (its YAML or CSV, or a DROID CSV). */
function siegfriedUnit(c: ClassifiedOutput, source: string, r: SiegfriedReport): Unit {
  const summary = (): SiegfriedRunSummary => ({
    tool: 'Siegfried',
    source,
    origin: c.path,
    syntax: r.syntax,
    run: r.run,
    files: r.files.length,
  });
  return { c, source, entries: r.files, problems: r.problems, summary };
}

function clamUnit(c: ClassifiedOutput, bytes: Uint8Array): Unit {
  const source = c.kind === 'clamav' ? 'ClamAV' : 'Brunnhilde';
  const r = readClamAvLog(bytes, { source, origin: c.path });
  const summary = (resolve: Resolve): ClamAvRunSummary => ({
    tool: 'ClamAV',
    source,
    origin: c.path,
    summary: r.summary,
    infected: r.files
      .filter((f) => f.record.hasVirus)
      .map((f) => resolve(f.toolPath).localPath ?? f.toolPath),
    errors: r.errors,
    inferredClean: null,
  });
  return { c, source, entries: r.files, problems: r.problems, summary, clam: r };
}

function droidUnit(c: ClassifiedOutput, bytes: Uint8Array): Unit {
  // `sf -droid` writes this format too; under metadata/siegfried/ it is Siegfried's.
  const source = /(^|\/)metadata\/siegfried\//i.test(c.path) ? 'Siegfried' : 'DROID';
  return siegfriedUnit(c, source, readDroidCsv(bytes, { source, origin: c.path }));
}

function exifUnit(c: ClassifiedOutput, bytes: Uint8Array): Unit {
  const r = (c.kind === 'exiftool-json' ? readExifToolJson : readExifToolText)(bytes, { origin: c.path });
  const summary = () => ({
    tool: 'ExifTool' as const,
    source: 'ExifTool',
    origin: c.path,
    version: r.version,
    counts: r.counts,
    files: r.files.length,
  });
  return { c, source: 'ExifTool', entries: r.files, problems: r.problems, summary };
}

/** File a unit's records under their deposit paths. Returns the placed paths, or null if any path could not be placed. */
function fileRecords(u: Unit, resolve: Resolve, result: ToolOutputsResult): Set<string> | null {
  const placed = new Set<string>();
  const unresolved: string[] = [];
  for (const e of u.entries) {
    const r = resolve(e.toolPath);
    if (r.localPath === null) {
      unresolved.push(e.toolPath);
      continue;
    }
    if (e.record.type === 'FileFormatMetadata') {
      e.record.originalName = r.originalName;
      e.record.storageLocation = r.storageLocation;
    }
    addRecord(result.byPath, r.localPath, e.record);
    placed.add(r.localPath);
  }
  if (unresolved.length === 0) return placed;
  const examples = unresolved.slice(0, 5).join(', ') + (unresolved.length > 5 ? ', ...' : '');
  problemSink(result.problems, u.c.path)(
    'TOOL_UNRESOLVED_PATH',
    `${unresolved.length} path(s) match no deposit file: ${examples}`,
  );
  return null;
}

/** Infer clean verdicts for an infected-only log (unless a listed path could not be placed). */
function withInferred(
  summary: ClamAvRunSummary,
  u: Unit,
  placed: Set<string> | null,
  run: { units: Unit[]; resolve: Resolve; scope: string | null; depositPaths: readonly string[] },
  result: ToolOutputsResult,
): ClamAvRunSummary {
  const report = problemSink(result.problems, u.c.path);
  const clam = u.clam!.summary!;
  const listedInfected = u.clam!.files.filter((f) => f.record.hasVirus).length;
  if (clam.infectedFiles === null || clam.infectedFiles !== listedInfected) {
    // The summary counts infected files the log does not name (or cannot be checked): any of the
    // unlisted files may be one of them, so none is called clean; they stay without a verdict.
    const counted =
      clam.infectedFiles === null ? 'gives no infected count' : `counts ${clam.infectedFiles} infected`;
    report(
      'TOOL_INCONSISTENT',
      `infected-only log ${counted} but names ${listedInfected}: no clean verdicts inferred for unlisted files (their status is unknown)`,
    );
    return summary;
  }
  if (placed === null) {
    // Calling the rest clean when we cannot tell where a listed (infected) file is could hide it.
    report(
      'TOOL_UNRESOLVED_PATH',
      'infected-only log with unplaceable paths: no clean verdicts inferred for unlisted files',
    );
    return summary;
  }
  const sibling = run.units.filter((o) => o !== u && o.c.kind === 'brunnhilde-siegfried-csv');
  const inputs: ScanScopeInputs = {
    runFiles:
      sibling.length === 0
        ? null
        : sibling
            .flatMap((s) => s.entries.map((e) => run.resolve(e.toolPath).localPath))
            .filter((p) => p !== null),
    scannedDirectory: run.scope,
    depositPaths: run.depositPaths,
  };
  const inferred = inferCleanVerdicts(
    u.clam!.summary!,
    inputs,
    placed,
    { source: u.source, origin: u.c.path },
    report,
  );
  for (const [path, record] of inferred.records) addRecord(result.byPath, path, record);
  return { ...summary, inferredClean: { scope: inferred.scope, files: inferred.records.length } };
}
