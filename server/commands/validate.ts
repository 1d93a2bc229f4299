/**
 * `strongroom validate <location> [--json] [--no-fixity] [--threads n]`: validate an OCFL object, a storage
 * root, or a lone inventory file, on the filesystem or in S3. What the location holds is
 * detected from its declaration file (`0=ocfl_object_1.x` or `0=ocfl_1.x`).
 *
 * Output: a verdict line and every error and warning with its OCFL code and path; `--json`
 * prints one object `{ location, kind, valid, errors, warnings, objects? }`. A progress bar is
 * drawn on stderr when it is a terminal. Exit codes: 0 valid (warnings allowed), 1 invalid,
 * 2 bad usage or a location that cannot be read.
 */
import type { ValidationIssue } from '../../lib/core/ocfl/codes.js';
import { validateInventoryFile } from '../../lib/engine/validate/inventory-file.js';
import { validateObject } from '../../lib/engine/validate/object.js';
import { detectLocationKind, validateStorageRoot } from '../../lib/engine/validate/storage-root.js';
import { HashPool } from '../../lib/hash/pool.js';
import { createProgressBar } from '../progress.js';
import { parseArgs } from './args.js';
import { type Command, type CommandIO, EXIT } from './io.js';
import { describeError, openCliLocation } from './location.js';

const USAGE = `usage: strongroom validate <location> [--json] [--no-fixity] [--threads n]
  <location>     an OCFL object or storage root: a directory, file:///dir, or s3://bucket/prefix;
                 or a lone inventory.json file
  --json         print one JSON object instead of text
  --no-fixity    check structure and inventories only (do not hash content)
  --threads n    hashing threads for local content (default: the CPU count)
`;

/** The JSON shape printed with --json. */
interface ValidateOutput {
  location: string;
  kind: 'object' | 'storage-root' | 'inventory';
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  id?: string;
  head?: string;
  objects?: {
    objectRoot: string;
    id?: string;
    valid: boolean;
    errors: ValidationIssue[];
    warnings: ValidationIssue[];
  }[];
}

/** Run the `validate` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json', '--no-fixity'], options: ['--threads'] });
  const threads = args.ok ? args.options.get('--threads') : undefined;
  const badThreads = threads !== undefined && !/^[1-9]\d{0,3}$/.test(threads);
  if (!args.ok || args.positionals.length !== 1 || badThreads) {
    const why = !args.ok ? args.error : badThreads ? '--threads takes a whole number from 1 to 9999' : '';
    io.stderr.write(`${why ? `strongroom validate: ${why}\n` : ''}${USAGE}`);
    return EXIT.USAGE;
  }
  const location = args.positionals[0]!;
  // One pool for this run, closed at the end so no hashing thread outlives the command.
  const pool = new HashPool(threads === undefined ? {} : { threads: Number(threads) });
  let output: ValidateOutput | undefined;
  try {
    output = await validateLocation(location, !args.flags.has('--no-fixity'), pool, io);
  } catch (err) {
    io.stderr.write(`strongroom validate: cannot validate ${location}: ${describeError(err)}\n`);
    return EXIT.USAGE;
  } finally {
    await pool.close();
  }
  if (!output) {
    io.stderr.write(
      `strongroom validate: ${location} is not an OCFL object, storage root or inventory file\n`,
    );
    return EXIT.USAGE;
  }
  io.stdout.write(args.flags.has('--json') ? `${JSON.stringify(output, null, 2)}\n` : toText(output));
  return output.valid ? EXIT.OK : EXIT.NEGATIVE;
};

async function validateLocation(
  location: string,
  fixity: boolean,
  pool: HashPool,
  io: CommandIO,
): Promise<ValidateOutput | undefined> {
  const { store, file } = await openCliLocation(location, io.env);
  if (file !== undefined) {
    const report = validateInventoryFile(await store.readBytes(file), { path: file });
    return { location, kind: 'inventory', ...report.toJSON() };
  }
  const kind = await detectLocationKind(store, '');
  const bar = createProgressBar(io.stderr, io.isTTY);
  try {
    if (kind === 'object') {
      const report = await validateObject(store, '', { fixity, pool, onProgress: (p) => bar.update(p) });
      const { objectRoot: _root, ...fields } = report.toJSON();
      return { location, kind, ...fields };
    }
    if (kind === 'storage-root') {
      const report = await validateStorageRoot(store, {
        fixity,
        pool,
        onProgress: (p) =>
          bar.update({
            files: p.files,
            bytes: p.bytes,
            totalFiles: 0,
            totalBytes: 0,
            label: `${p.objectsDone}/${p.objectsFound} objects `,
          }),
      });
      const objects = report.objects.map((o) => o.toJSON());
      return {
        location,
        kind,
        valid: report.valid,
        errors: report.errors,
        warnings: report.warnings,
        objects,
      };
    }
    return undefined;
  } finally {
    bar.done();
  }
}

function issueLines(issues: ValidationIssue[], indent: string): string {
  return issues.map((i) => `${indent}${i.code} ${i.message}${i.path ? ` (${i.path})` : ''}\n`).join('');
}

function toText(out: ValidateOutput): string {
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
