/**
 * `strongroom validate <location> [--json] [--no-fixity] [--threads n]`: validate an OCFL object,
 * a storage root, or a lone inventory file, on the filesystem or in S3. What the location holds
 * is detected from its declaration file (`0=ocfl_object_1.x` or `0=ocfl_1.x`).
 *
 * Output: a verdict line and every error and warning with its OCFL code and path; `--json`
 * prints one object `{ location, kind, valid, errors, warnings, objects? }`, or `{ error }` when
 * the location could not be validated. A progress bar is drawn on stderr when it is a terminal.
 * Exit codes (README): 0 valid (warnings allowed), 1 invalid or not OCFL, 2 bad usage, 3 nothing
 * at the location, 4 could not read it.
 */
import { HashPool, type LocationValidation, type ocfl, validateLocation } from '../../lib/index.js';
import { createProgressBar } from '../progress.js';
import { parseArgs } from './args.js';
import { type Command, EXIT, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = `usage: strongroom validate <location> [--json] [--no-fixity] [--threads n]
  <location>     an OCFL object or storage root: a directory, file:///dir, or s3://bucket/prefix;
                 or a lone inventory.json file
  --json         print one JSON object instead of text
  --no-fixity    check structure and inventories only (do not hash content)
  --threads n    hashing threads for local content (default: the CPU count)
`;

/** Run the `validate` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json', '--no-fixity'], options: ['--threads'] });
  const json = argv.includes('--json');
  const threads = args.ok ? args.options.get('--threads') : undefined;
  const badThreads = threads !== undefined && !/^[1-9]\d{0,3}$/.test(threads);
  if (!args.ok || args.positionals.length !== 1 || badThreads) {
    const why = !args.ok
      ? args.error
      : badThreads
        ? '--threads takes a whole number from 1 to 9999'
        : undefined;
    return usage(io, 'validate', USAGE, why, json);
  }
  const location = args.positionals[0]!;
  // One pool for this run, closed at the end so no hashing thread outlives the command.
  const pool = new HashPool(threads === undefined ? {} : { threads: Number(threads) });
  const bar = createProgressBar(io.stderr, io.isTTY);
  let output: LocationValidation;
  try {
    output = await validateLocation(location, {
      fixity: !args.flags.has('--no-fixity'),
      pool,
      store: cliStoreOptions(io.env),
      onProgress: (p) =>
        bar.update({
          ...p,
          ...(p.objectsFound !== undefined && { label: `${p.objectsDone}/${p.objectsFound} objects ` }),
        }),
    });
  } catch (err) {
    bar.done();
    return reportFailure(io, 'validate', err, json);
  } finally {
    await pool.close();
  }
  bar.done();
  io.stdout.write(json ? `${JSON.stringify(output, null, 2)}\n` : toText(output));
  return output.valid ? EXIT.OK : EXIT.INVALID;
};

function issueLines(issues: ocfl.ValidationIssue[], indent: string): string {
  return issues.map((i) => `${indent}${i.code} ${i.message}${i.path ? ` (${i.path})` : ''}\n`).join('');
}

function toText(out: LocationValidation): string {
  const what = out.kind === 'storage-root' ? 'storage root' : out.kind === 'object' ? 'object' : 'inventory';
  const ident = out.id ? ` ${out.id}${out.head ? ` @ ${out.head}` : ''}` : '';
  let text = `${out.valid ? 'VALID' : 'INVALID'} OCFL ${what}${ident}: ${out.location} (${out.errors.length} errors, ${out.warnings.length} warnings)\n`;
  text += issueLines(out.errors, '  error   ') + issueLines(out.warnings, '  warning ');
  if (out.objects) {
    const bad = out.objects.filter((o) => !o.valid).length;
    text += `  ${out.objects.length} objects, ${bad} invalid\n`;
    for (const o of out.objects) {
      if (o.valid && o.warnings.length === 0) continue;
      text += `  ${o.valid ? 'valid  ' : 'INVALID'} ${o.objectRoot}${o.id ? ` (${o.id})` : ''}\n`;
      text += issueLines(o.errors, '      error   ') + issueLines(o.warnings, '      warning ');
    }
  }
  return text;
}
