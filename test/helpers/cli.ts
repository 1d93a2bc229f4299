/**
 * Drive the CLI in-process with captured stdout/stderr: either the whole `main(argv)`, as the
 * `strongroom` command would run it, or one sub-command's `run` directly. Both return the exit
 * code and the text written, so tests never spawn processes.
 */
import { PassThrough } from 'node:stream';
import { main } from '../../server/cli.js';
import type { Command, CommandIO } from '../../server/commands/io.js';

/** Outcome of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A CommandIO whose streams are collected in memory; `stdout()`/`stderr()` read what was written so far. */
export interface CapturedIO {
  io: CommandIO;
  stdout: () => string;
  stderr: () => string;
}

/** In-memory streams for a command: no TTY, env defaults to an empty one (no S3 settings leak in). */
export function captureIO(env: Record<string, string | undefined> = {}): CapturedIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  return {
    io: { stdout, stderr, isTTY: false, env },
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
  };
}

/** Run one sub-command's `run(argv, io)` with captured streams; env defaults to `{}`. */
export async function runCommand(
  command: Command,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const c = captureIO(env);
  const code = await command(argv, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

/** Run the CLI with `argv` (no node/script), env defaults to process.env, no TTY. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<CliRun> {
  const c = captureIO(env);
  const code = await main(argv, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}
