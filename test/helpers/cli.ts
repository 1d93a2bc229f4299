/**
 * Drive the CLI in-process: run `main(argv)` with captured stdout/stderr, as the `strongroom`
 * command would, and return the exit code and the text written.
 */
import { PassThrough } from 'node:stream';
import { main } from '../../server/cli.js';

/** Outcome of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI with `argv` (no node/script), env defaults to process.env, no TTY. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await main(argv, { stdout, stderr, isTTY: false, env });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
