/**
 * `strongroom export <storage-root> <archival-group-path> <destination> [--version vN]
 * [--mode full|mets|stub] [--json]`: copy a version of a group (default: the head) into a folder
 * or S3 prefix, restoring original names and paths, every file verified against its SHA-256.
 * `mets` exports only the METS file; `stub` writes placeholders (size, digest, origin) that can
 * never be stored back as content. Per-file failures are listed and the others go on.
 *
 * Exit codes (README): 0 exported, 1 some files failed (listed), 2 bad usage, 3 no such group or
 * version, 4 storage failure.
 */
import { type ExportMode, type ExportResult, exportVersion, openRepository } from '../../lib/index.js';
import { createProgressBar } from '../progress.js';
import { parseArgs } from './args.js';
import { type Command, EXIT, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = `usage: strongroom export <storage-root> <archival-group-path> <destination> [options]
  --version v   a version label (v3) or memento timestamp; default: the head
  --mode m      full (default), mets or stub
  --json        print one JSON object
`;

/** Run the `export` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json'], options: ['--version', '--mode'] });
  const json = argv.includes('--json');
  const mode = (args.ok ? (args.options.get('--mode') ?? 'full') : 'full') as ExportMode;
  if (!args.ok || args.positionals.length !== 3 || !['full', 'mets', 'stub'].includes(mode)) {
    const why = !args.ok ? args.error : args.positionals.length === 3 ? `unknown --mode ${mode}` : undefined;
    return usage(io, 'export', USAGE, why, json);
  }
  const [root, group, destination] = args.positionals as [string, string, string];
  const store = cliStoreOptions(io.env);
  const bar = createProgressBar(io.stderr, io.isTTY);
  let result: ExportResult;
  try {
    const repo = await openRepository(root, { store });
    const version = args.options.get('--version');
    result = await exportVersion(repo.root, `info:fedora/${group}`, destination, {
      mode,
      store,
      ...(version !== undefined && { version }),
      onProgress: (p) =>
        bar.update({
          files: p.filesDone,
          totalFiles: p.filesTotal,
          bytes: p.bytesDone,
          totalBytes: p.bytesTotal,
        }),
    });
  } catch (err) {
    bar.done();
    return reportFailure(io, 'export', err, json);
  }
  bar.done();
  if (json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout.write(
      `${group} ${result.version}: ${result.files.length} file(s) exported (${mode}) to ${destination}\n`,
    );
    for (const e of result.errors) io.stdout.write(`  FAILED ${e.path}: ${e.message}\n`);
  }
  return result.errors.length > 0 ? EXIT.INVALID : EXIT.OK;
};
