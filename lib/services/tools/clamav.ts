/**
 * ClamAV (`clamscan`), the virus scanner: its console log, one `path: OK` / `path: <name> FOUND`
 * / `path: <message> ERROR` line per file followed by the SCAN SUMMARY, written to
 * `metadata/clamav/clamscan.log` (the classifier reads any ClamAV log in a `clamav/` folder).
 * Every file is listed (no `-i`), so every scanned file gets a verdict of its own.
 *
 * Exit codes: 0 nothing found, 1 a virus found (both are good runs), 2 errors (the log still
 * lists what was scanned; the ERROR lines and the exit are reported). A run that loaded no
 * signatures (a missing or empty database) says OK to everything: it is reported and its log is
 * not used, so no file is ever called clean by a scanner that knew no viruses. Size limits are raised to
 * ClamAV's maximum (4000 MiB) so large files are scanned whole, not silently passed over.
 *
 * Batches: the verdict lines of every run in order, then one SCAN SUMMARY whose counts (files,
 * directories, infected files, errors, data, time) are the sums over the runs, whose engine and
 * signature count are the first run's, Start Date the first run's and End Date the last's. A log
 * with one summary per run would make a reader compare the last run's counts with all runs' lines.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBatch } from './batch.js';
import type { PipelineTool, ToolIssue, ToolRun } from './port.js';

/** How to run ClamAV. */
export interface ClamAvConfig {
  /** The `clamscan` program (path or name on PATH). Default `clamscan`. */
  command?: string;
  /** A signature database file or folder (`-d`); default: ClamAV's own database folder. */
  database?: string;
}

const RULE = '----------- SCAN SUMMARY -----------';

/** The ClamAV tool. */
export function clamAvTool(config: ClamAvConfig = {}): PipelineTool {
  const command = config.command ?? 'clamscan';
  const args = [
    ...(config.database ? ['-d', config.database] : []),
    '-r',
    '--max-filesize=4000M',
    '--max-scansize=4000M',
  ];
  return {
    name: 'ClamAV',
    output: 'clamav/clamscan.log',
    contentType: 'text/plain',
    open: (workDir, timeoutMs) => new ClamAvRun(command, args, workDir, timeoutMs),
  };
}

/** The summary counts added up over the runs. */
interface Totals {
  first: Record<string, string> | null;
  last: Record<string, string> | null;
  sums: Record<string, number>;
  mb: Record<string, number>;
  seconds: number;
}

const COUNTED = ['Scanned directories', 'Scanned files', 'Infected files', 'Total errors'];
const SIZES = ['Data scanned', 'Data read'];

class ClamAvRun implements ToolRun {
  readonly #out: string;
  #missing = false;
  #started = false;
  readonly #totals: Totals = { first: null, last: null, sums: {}, mb: {}, seconds: 0 };

  constructor(
    private readonly command: string,
    private readonly args: string[],
    private readonly workDir: string,
    private readonly timeoutMs: number,
  ) {
    this.#out = join(workDir, 'clamscan.log');
  }

  async batch(stageDir: string, folder: string, signal?: AbortSignal): Promise<ToolIssue[]> {
    if (this.#missing) return [];
    const r = await runBatch({
      tool: 'ClamAV',
      command: this.command,
      args: [...this.args, folder],
      stageDir,
      workDir: this.workDir,
      timeoutMs: this.timeoutMs,
      acceptedCodes: [0, 1, 2],
      ...(signal && { signal }),
    });
    this.#missing = r.missing;
    if (r.output === null) return r.issues;
    const log = splitLog(r.output.toString('utf8'));
    if (log === null) {
      // Exit 2 with no summary: the scan never ran (e.g. no usable signature database).
      const why = r.stderr ? `: ${r.stderr}` : '';
      return [{ message: `ClamAV: no scan summary (exit code ${r.code})${why}` }];
    }
    const known = Number.parseInt(log.fields['Known viruses'] ?? '', 10);
    if (known === 0 || (r.code === 2 && log.verdicts === '')) {
      // No signatures loaded (or nothing scanned at all): every "OK" would be a false assurance.
      const what = known === 0 ? 'no virus signatures were loaded' : 'nothing was scanned';
      return [{ message: `ClamAV: ${what} (exit code ${r.code})${r.stderr ? `: ${r.stderr}` : ''}` }];
    }
    if (!this.#started) await writeFile(this.#out, '');
    this.#started = true;
    if (log.verdicts !== '') await appendFile(this.#out, log.verdicts);
    this.add(log.fields);
    const issues: ToolIssue[] = [];
    if (r.code === 2) issues.push({ message: `ClamAV: some files could not be scanned (exit code 2)` });
    for (const line of log.verdicts.split('\n')) {
      if (line.endsWith(' FOUND')) issues.push({ message: `ClamAV: infected: ${line.slice(0, -6)}` });
      else if (line.endsWith(' ERROR')) issues.push({ message: `ClamAV: not scanned: ${line.slice(0, -6)}` });
    }
    return issues;
  }

  private add(fields: Record<string, string>): void {
    const t = this.#totals;
    t.first ??= fields;
    t.last = fields;
    for (const k of COUNTED) {
      const n = Number.parseInt(fields[k] ?? '', 10);
      if (Number.isFinite(n)) t.sums[k] = (t.sums[k] ?? 0) + n;
    }
    for (const k of SIZES) {
      const m = /^([\d.]+) MB/.exec(fields[k] ?? '');
      if (m) t.mb[k] = (t.mb[k] ?? 0) + Number(m[1]);
    }
    const s = /^([\d.]+) sec/.exec(fields.Time ?? '');
    if (s) t.seconds += Number(s[1]);
  }

  async finish(): Promise<string | null> {
    if (!this.#started) return null;
    const t = this.#totals;
    const lines = ['', RULE];
    const copy = (k: string, from: Record<string, string> | null) => {
      if (from?.[k] !== undefined) lines.push(`${k}: ${from[k]}`);
    };
    copy('Known viruses', t.first);
    copy('Engine version', t.first);
    for (const k of COUNTED) if (t.sums[k] !== undefined) lines.push(`${k}: ${t.sums[k]}`);
    for (const k of SIZES) if (t.mb[k] !== undefined) lines.push(`${k}: ${t.mb[k]!.toFixed(2)} MB`);
    const secs = t.seconds;
    lines.push(`Time: ${secs.toFixed(3)} sec (${Math.floor(secs / 60)} m ${Math.floor(secs % 60)} s)`);
    copy('Start Date', t.first);
    copy('End Date', t.last);
    await appendFile(this.#out, `${lines.join('\n')}\n`);
    return this.#out;
  }
}

/** A clamscan log split into its verdict lines (each ending in `\n`) and its summary fields; null without a summary. */
export function splitLog(text: string): { verdicts: string; fields: Record<string, string> } | null {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^-{3,}\s*SCAN SUMMARY\s*-{3,}\s*$/.test(l));
  if (at < 0) return null;
  const verdicts = lines.slice(0, at).filter((l) => l.trim() !== '');
  const fields: Record<string, string> = Object.create(null);
  for (const l of lines.slice(at + 1)) {
    const m = /^([^:]+):\s*(.*)$/.exec(l);
    if (m) fields[m[1]!.trim()] = m[2]!.trim();
  }
  return { verdicts: verdicts.map((l) => `${l}\n`).join(''), fields };
}
