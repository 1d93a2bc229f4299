/**
 * The contract every CLI sub-command module follows: `run(argv, io)` resolves to the exit code
 * and writes only through `io`, so tests can drive commands without spawning processes.
 *
 * Exit codes come from the one error table (lib/core/error-table.ts, README "Exit codes"):
 * 0 success / valid, 1 invalid, 2 usage, 3 not found, 4 failure, 5 conflict.
 */
import type { Writable } from 'node:stream';
import { EXIT, exitCodeFor, StrongroomError } from '../../lib/errors.js';

export { EXIT };

/** Where a command writes, and whether stderr is a terminal (progress bars only then). */
export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  /** True when stderr is a TTY: draw progress bars. Default false in tests. */
  isTTY: boolean;
  /** Environment to read S3 settings etc. from (default process.env in the CLI). */
  env: Record<string, string | undefined>;
}

/** A sub-command: parses its own argv (everything after the command name). */
export type Command = (argv: string[], io: CommandIO) => Promise<number>;

/** The JSON of an error: a Strongroom error as it serialises, anything else as INTERNAL. */
export function errorJson(err: unknown): Record<string, unknown> {
  if (err instanceof StrongroomError) return err.toJSON();
  return { code: 'INTERNAL', message: 'unexpected internal error (a bug: please report it)' };
}

/** A one-line description of an error for stderr: `[CODE] message`. */
export function describeError(err: unknown): string {
  if (err instanceof StrongroomError) return `[${err.code}] ${err.message}`;
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return `[INTERNAL] unexpected internal error (a bug: please report it): ${what.slice(0, 300)}`;
}

/**
 * Report a failed command: the error on stderr, and with `--json` also as `{ "error": … }` on
 * stdout (so every outcome is one JSON object there). Returns the exit code the table gives.
 */
export function reportFailure(io: CommandIO, command: string, err: unknown, json: boolean): number {
  if (json) io.stdout.write(`${JSON.stringify({ error: errorJson(err) }, null, 2)}\n`);
  io.stderr.write(`strongroom ${command}: ${describeError(err)}\n`);
  return exitCodeFor(err);
}

/** Report a usage error (bad arguments): the reason and the usage text on stderr; exit 2. */
export function usage(io: CommandIO, command: string, text: string, why?: string, json = false): number {
  if (json) {
    const error = { code: 'INVALID_INPUT', message: why ?? 'bad arguments', operation: 'parseArgs' };
    io.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
  }
  io.stderr.write(`${why ? `strongroom ${command}: ${why}\n` : ''}${text}`);
  return EXIT.USAGE;
}
