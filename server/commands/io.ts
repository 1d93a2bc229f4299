/**
 * The contract every CLI sub-command module follows: `run(argv, io)` resolves to the exit code
 * (0 success, 1 a negative verdict such as "invalid", 2 bad usage or an operational error) and
 * writes only through `io`, so tests can drive commands without spawning processes.
 */
import type { Writable } from 'node:stream';

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

/** Exit codes shared by every command. */
export const EXIT = { OK: 0, NEGATIVE: 1, USAGE: 2 } as const;
