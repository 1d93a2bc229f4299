/**
 * Running one external tool process for the pipeline: its standard output goes straight to a
 * file (a Siegfried report of a big deposit is hundreds of megabytes; it is never held in
 * memory), its standard error is kept up to a small cap for messages, and it is killed when it
 * runs past its time or the caller aborts. A program that is not installed is an answer
 * (`missing`), not a throw, so the pipeline can name it and go on with the other tools.
 *
 * The child gets no shell (arguments are passed as a list, never parsed), no standard input, and
 * its own process group, so a kill reaches anything it started.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/** What to run. */
export interface ToolProcessSpec {
  /** The program: a path, or a name looked up on PATH. */
  command: string;
  args: readonly string[];
  /** Working directory. */
  cwd: string;
  /** Where standard output goes (created or truncated). */
  stdoutFile: string;
  /** Kill the process (SIGKILL to its group) after this many ms. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How a tool process ended. */
export type ToolProcessOutcome =
  /** It ran to its end: the exit code (null when a signal ended it) and the start of its stderr. */
  | { kind: 'exited'; code: number | null; signal: string | null; stderr: string }
  /** The program is not there (or not executable). */
  | { kind: 'missing'; detail: string }
  /** Killed after `timeoutMs`. */
  | { kind: 'timeout'; stderr: string }
  /** Killed because the caller aborted. */
  | { kind: 'aborted' };

/** The most stderr kept for messages. */
const STDERR_CAP = 16 * 1024;

/**
 * Run a tool to its end (or its time limit). Never rejects for the tool's own failures; rejects
 * only when the output file cannot be written (the caller's disk).
 */
export async function runToolProcess(spec: ToolProcessSpec): Promise<ToolProcessOutcome> {
  const out = createWriteStream(spec.stdoutFile);
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  if (spec.signal?.aborted) {
    out.end();
    await finished(out);
    return { kind: 'aborted' };
  }
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    shell: false,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < STDERR_CAP) stderr += chunk.slice(0, STDERR_CAP - stderr.length);
  });
  child.stdout.pipe(out);
  let ended: 'timeout' | 'aborted' | null = null;
  const kill = (why: 'timeout' | 'aborted') => {
    ended ??= why;
    try {
      // The group (negative pid): tools that start helpers must not leave them running.
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const timer = setTimeout(() => kill('timeout'), spec.timeoutMs);
  const onAbort = () => kill('aborted');
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  const result = await new Promise<ToolProcessOutcome>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'EACCES') resolve({ kind: 'missing', detail: err.code });
      else resolve({ kind: 'exited', code: null, signal: null, stderr: `could not start: ${err.code}` });
    });
    child.once('close', (code, signal) => {
      if (ended === 'timeout') resolve({ kind: 'timeout', stderr });
      else if (ended === 'aborted') resolve({ kind: 'aborted' });
      else resolve({ kind: 'exited', code, signal, stderr });
    });
  });
  clearTimeout(timer);
  spec.signal?.removeEventListener('abort', onAbort);
  child.stdout.unpipe(out);
  out.end();
  await finished(out);
  return result;
}

/** The first non-empty line of a tool's stderr, cut short, for an error message ('' when none). */
export function firstStderrLine(stderr: string): string {
  const line = stderr.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
