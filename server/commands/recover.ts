/**
 * `strongroom recover <storage-root> [--dry-run] [--json] [--lease-ms n]`: find and clean what
 * crashed writers left in a storage root (unfinished versions above an object's head, stale
 * root sidecars, half-created and half-purged objects; see lib/txn/recover.ts), reporting each
 * finding with what was done and why. `--dry-run` only reports. A progress bar is drawn on stderr
 * when it is a terminal.
 *
 * Exit codes (README): 0 the root is clean after this run (dry run: nothing to do); 1 something
 * remains that recovery does not resolve (damage to validate), or in a dry run there is work to
 * do; 5 a writer holds a live claim (run again when it is done); 2 bad usage; 3 no storage root
 * there; 4 failure (storage errors, also on single objects).
 */
import { EXIT, openRepositoryWriter, type RecoveryFinding, type RecoveryReport } from '../../lib/index.js';
import { createProgressBar } from '../progress.js';
import { parseArgs } from './args.js';
import { type Command, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = `usage: strongroom recover <storage-root> [--dry-run] [--json] [--lease-ms n]
  <storage-root>  a storage root Strongroom writes to: a directory, file:///dir or s3://bucket/prefix
  --dry-run       only report what would be done
  --json          print the report as one JSON object
  --lease-ms n    age in ms after which an unfinished version with no claim record counts as
                  abandoned (default 120000, the writers' lease); claim records carry their own expiry
`;

/** Run the `recover` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--dry-run', '--json'], options: ['--lease-ms'] });
  const json = argv.includes('--json');
  const lease = args.ok ? args.options.get('--lease-ms') : undefined;
  const badLease = lease !== undefined && !/^[1-9]\d{0,9}$/.test(lease);
  if (!args.ok || args.positionals.length !== 1 || badLease) {
    const why = !args.ok
      ? args.error
      : badLease
        ? '--lease-ms takes a whole number of milliseconds'
        : undefined;
    return usage(io, 'recover', USAGE, why, json);
  }
  const dryRun = args.flags.has('--dry-run');
  const bar = createProgressBar(io.stderr, io.isTTY);
  let report: RecoveryReport;
  try {
    const writer = await openRepositoryWriter(args.positionals[0]!, { store: cliStoreOptions(io.env) });
    report = await writer.recover({
      dryRun,
      ...(lease !== undefined && { leaseMs: Number(lease) }),
      onProgress: (p) =>
        bar.update({
          files: p.objectsChecked,
          totalFiles: p.objectsFound,
          bytes: 0,
          totalBytes: 0,
          label: `${p.findings} findings `,
        }),
    });
  } catch (err) {
    bar.done();
    return reportFailure(io, 'recover', err, json);
  }
  bar.done();
  io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : toText(report));
  return exitCode(report);
};

/** See the module doc. */
function exitCode(report: RecoveryReport): number {
  if (report.errors.length > 0) return EXIT.FAILURE;
  if (report.findings.some((f) => f.situation === 'live-claim' || f.situation === 'recent-version')) {
    return EXIT.CONFLICT;
  }
  const unresolved = report.findings.some((f) => !f.applied);
  return unresolved ? EXIT.INVALID : EXIT.OK;
}

function verb(f: RecoveryFinding, dryRun: boolean): string {
  const done: Record<RecoveryFinding['action'], [string, string]> = {
    'delete-version': ['deleted', 'would delete'],
    'delete-object': ['deleted', 'would delete'],
    'rewrite-sidecar': ['rewrote', 'would rewrite'],
    'write-declaration': ['wrote', 'would write'],
    leave: ['left', 'left'],
  };
  const [past, would] = done[f.action];
  if (f.applied || f.action === 'leave') return past;
  return dryRun ? would : `not ${past}`;
}

/** Text from storage (ids, keys) as printed: JSON-quoted when it holds control characters. */
function shown(text: string): string {
  return /[\u0000-\u001f\u007f-\u009f]/.test(text) ? JSON.stringify(text) : text;
}

function toText(report: RecoveryReport): string {
  const mode = report.dryRun ? ' (dry run: nothing changed)' : '';
  let text = `recover ${report.location}: ${report.objectsChecked} objects checked, ${report.findings.length} findings, ${report.errors.length} errors${mode}\n`;
  for (const f of report.findings) {
    const what = `${f.version ? `${f.version} of ` : ''}${f.objectId ?? f.objectKey}`;
    text += `  ${verb(f, report.dryRun).padEnd(13)} ${shown(what)} [${f.situation}] ${shown(f.reason)} (${shown(f.key)})\n`;
  }
  for (const e of report.errors) {
    text += `  error         ${shown(e.objectKey)}: [${e.code}] ${shown(e.message)}\n`;
  }
  return text;
}
