/**
 * `strongroom ls <storage-root> [--json]`: list the ids of the objects in a storage root, one
 * per line (object root after a tab), found by walking the hierarchy for object declarations.
 * Objects whose inventory cannot be read are listed with the reason on stderr. `--json` prints
 * one array of `{ id, objectRoot, error? }`, or `{ error }` when the root cannot be read.
 *
 * Exit codes (README): 0 listed (even when empty), 1 some object could not be read, 2 bad usage,
 * 3 no storage root at the location, 4 could not read it.
 */
import { openRepository, type StoredObjectRef } from '../../lib/index.js';
import { parseArgs } from './args.js';
import { type Command, describeError, EXIT, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = `usage: strongroom ls <storage-root> [--json]
  <storage-root>   a directory, file:///dir, or s3://bucket/prefix holding 0=ocfl_1.x
  --json           print one JSON array of { id, objectRoot, error? }
`;

/** Run the `ls` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json'] });
  const json = argv.includes('--json');
  if (!args.ok || args.positionals.length !== 1)
    return usage(io, 'ls', USAGE, args.ok ? undefined : args.error, json);
  const found: StoredObjectRef[] = [];
  try {
    const repo = await openRepository(args.positionals[0]!, { store: cliStoreOptions(io.env) });
    for await (const ref of repo.listObjects()) {
      found.push(ref);
      if (json) continue;
      if (ref.error) io.stderr.write(`${ref.objectRoot}: ${describeError(ref.error)}\n`);
      else io.stdout.write(`${ref.id}\t${ref.objectRoot}\n`);
    }
  } catch (err) {
    return reportFailure(io, 'ls', err, json);
  }
  if (json) {
    const rows = found.map((r) => ({
      id: r.id ?? null,
      objectRoot: r.objectRoot,
      ...(r.error && { error: { code: r.error.code, message: r.error.message } }),
    }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  }
  return found.some((r) => r.error) ? EXIT.INVALID : EXIT.OK;
};
