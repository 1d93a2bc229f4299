/**
 * One tool invocation over one batch, as the three tools share it: run the process with its
 * output in a file, turn the way it ended into messages, and hand back the batch's output bytes
 * (bounded: a batch is a bounded number of files, so its report is small) for the tool to merge.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ToolIssue } from './port.js';
import { firstStderrLine, runToolProcess } from './process.js';

/** Largest output one batch may produce (a batch's report is far smaller). */
export const BATCH_OUTPUT_MAX_BYTES = 256 * 1024 * 1024;

/** How a batch went. */
export interface BatchResult {
  /** The tool's standard output when it ended in an accepted way, else null. */
  output: Buffer | null;
  /** The exit code (null when it did not exit normally). */
  code: number | null;
  /** stderr's first line (for the tool's own messages). */
  stderr: string;
  issues: ToolIssue[];
  /** The program is not there: do not try it again in this run. */
  missing: boolean;
}

/** What to run for one batch. */
export interface BatchSpec {
  tool: string;
  command: string;
  args: string[];
  stageDir: string;
  workDir: string;
  timeoutMs: number;
  /** Exit codes after which the output is used (default: 0 only). */
  acceptedCodes?: readonly number[];
  signal?: AbortSignal;
}

/** Run one batch; see the module doc. Rejects only for local disk failures. */
export async function runBatch(spec: BatchSpec): Promise<BatchResult> {
  const file = join(spec.workDir, 'batch.out');
  const outcome = await runToolProcess({
    command: spec.command,
    args: spec.args,
    cwd: spec.stageDir,
    stdoutFile: file,
    timeoutMs: spec.timeoutMs,
    ...(spec.signal && { signal: spec.signal }),
  });
  const fail = (message: string, missing = false): BatchResult => ({
    output: null,
    code: null,
    stderr: '',
    issues: [{ message: `${spec.tool}: ${message}` }],
    missing,
  });
  try {
    if (outcome.kind === 'missing')
      return fail(`the program ${JSON.stringify(spec.command)} is not installed (${outcome.detail})`, true);
    if (outcome.kind === 'timeout')
      return fail(`stopped after ${Math.round(spec.timeoutMs / 1000)} s (the time limit of a tool run)`);
    if (outcome.kind === 'aborted') return fail('stopped (the run was cancelled)');
    const stderr = firstStderrLine(outcome.stderr);
    const accepted = spec.acceptedCodes ?? [0];
    if (outcome.code === null || !accepted.includes(outcome.code)) {
      const how = outcome.code === null ? `ended by ${outcome.signal}` : `exited with code ${outcome.code}`;
      return { ...fail(`${how}${stderr ? `: ${stderr}` : ''}`), code: outcome.code, stderr };
    }
    const size = (await stat(file)).size;
    if (size > BATCH_OUTPUT_MAX_BYTES)
      return fail(`wrote ${size} bytes for one batch, more than ${BATCH_OUTPUT_MAX_BYTES}; not used`);
    return { output: await readFile(file), code: outcome.code, stderr, issues: [], missing: false };
  } finally {
    await rm(file, { force: true });
  }
}
