/**
 * `strongroom ls <storage-root> [--json]`: list the ids of the objects in a storage root, one
 * per line (object root after a tab), found by walking the hierarchy for object declarations.
 * Objects whose inventory cannot be read are listed with the reason on stderr. `--json` prints
 * one array of `{ id, objectRoot, error? }`.
 *
 * Exit codes: 0 listed (even when empty), 1 some object could not be read, 2 bad usage or no
 * storage root at the location.
 */
import type { StoredObjectRef } from '../../lib/engine/storage-root.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { parseArgs } from './args.js';
import { type Command, EXIT } from './io.js';
import { describeError, openCliLocation } from './location.js';

const USAGE = `usage: strongroom ls <storage-root> [--json]
  <storage-root>   a directory, file:///dir, or s3://bucket/prefix holding 0=ocfl_1.x
  --json           print one JSON array of { id, objectRoot, error? }
`;

/** Run the `ls` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json'] });
  if (!args.ok || args.positionals.length !== 1) {
    io.stderr.write(`${args.ok ? '' : `strongroom ls: ${args.error}\n`}${USAGE}`);
    return EXIT.USAGE;
  }
  const json = args.flags.has('--json');
  const found: StoredObjectRef[] = [];
  try {
    const { store } = await openCliLocation(args.positionals[0]!, io.env);
    const root = await openStorageRoot(store);
    for await (const ref of root.listObjects()) {
      found.push(ref);
      if (json) continue;
      if (ref.error) io.stderr.write(`${ref.objectRoot}: ${describeError(ref.error)}\n`);
      else io.stdout.write(`${ref.id}\t${ref.objectRoot}\n`);
    }
  } catch (err) {
    io.stderr.write(`strongroom ls: ${describeError(err)}\n`);
    return EXIT.USAGE;
  }
  if (json) {
    const rows = found.map((r) => ({
      id: r.id ?? null,
      objectRoot: r.objectRoot,
      ...(r.error && { error: { code: r.error.code, message: r.error.message } }),
    }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  }
  return found.some((r) => r.error) ? EXIT.NEGATIVE : EXIT.OK;
};
