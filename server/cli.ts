#!/usr/bin/env node
/**
 * The `strongroom` command. Dispatches to one module per sub-command (server/commands/*),
 * each of which follows the `Command` contract in server/commands/io.ts. Only this file reads
 * process.argv / process.env and calls process.exit.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, type CommandIO, EXIT, reportFailure } from './commands/io.js';

const USAGE = `usage: strongroom <command> [options]

commands:
  validate <location> [--json] [--no-fixity]     validate an OCFL object or storage root (fs path, file:// or s3:// URI)
  storage-map <storage-root> <object-id> [--version vN|timestamp]   print the StorageMap JSON of an object
  ls <storage-root>                              list the object ids in a storage root
  mets <file> [--json]                           read a METS file and print its model
  bag validate <dir> [--json]                    validate a BagIt bag (exit 0 valid, 1 invalid)
  tools <deposit-folder> [--json]                print per-file metadata gathered from tool outputs
  put <storage-root> <group-path> <source>       make a group's next version mirror a folder (adds, patches, deletes)
  export <storage-root> <group-path> <dest> [--version vN] [--mode full|mets|stub]   copy a version out
  recover <storage-root> [--dry-run] [--json] [--lease-ms n]   clean what crashed writers left (unfinished versions, stale sidecars)

S3 locations use S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, S3_FORCE_PATH_STYLE.
`;

/** Sub-command name → lazily imported module (keeps start-up fast and failures local). */
const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  validate: () => import('./commands/validate.js'),
  'storage-map': () => import('./commands/storage-map.js'),
  ls: () => import('./commands/ls.js'),
  mets: () => import('./commands/mets.js'),
  bag: () => import('./commands/bag.js'),
  tools: () => import('./commands/tools.js'),
  put: () => import('./commands/put.js'),
  export: () => import('./commands/export.js'),
  recover: () => import('./commands/recover.js'),
};

/** Run the CLI with the given argv (without node and script) and IO; resolves to the exit code. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`strongroom: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.USAGE;
  }
  const mod = await load();
  return mod.run(rest, io);
}

/** True when this file is the process's main script (also via the npm bin symlink). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const io: CommandIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = reportFailure(io, process.argv[2] ?? '', err, false);
    },
  );
}
