/**
 * `strongroom put <storage-root> <archival-group-path> <source> [--name n] [--message m]
 * [--agent a] [--parents] [--init] [--json]`: make the group's next version mirror the source
 * folder (a directory, `file:///…` or `s3://bucket/prefix`): new files are added, changed ones
 * patched, missing ones deleted (tombstones), folders follow. Every byte is verified against its
 * SHA-256 before the version commits; nothing changes when the group already mirrors the folder.
 * `--parents` creates missing parent containers, `--init` an empty storage root (Fedora's layout).
 * A progress bar is drawn on a TTY.
 *
 * Exit codes (README): 0 committed (or nothing to do), 1 the source or the changes cannot be
 * applied (each item named), 2 bad usage, 3 no parent container / no storage root, 4 storage
 * failure, 5 the group changed meanwhile (retry).
 */
import { HashPool, openRepositoryWriter, type PutResult, putFolder } from '../../lib/index.js';
import { createProgressBar } from '../progress.js';
import { parseArgs } from './args.js';
import { type Command, EXIT, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = `usage: strongroom put <storage-root> <archival-group-path> <source> [options]
  <storage-root>          where the repository is: a directory, file:///dir or s3://bucket/prefix
  <archival-group-path>   the group's path in the repository, e.g. library/books/b1
  <source>                the folder to mirror: a directory, file:///dir or s3://bucket/prefix
  --name n                name of a group this creates (default: the last path element)
  --message m             the version's message
  --agent a               who makes the change (default: $USER)
  --parents               create missing parent containers
  --init                  create an empty storage root when there is none
  --json                  print one JSON object
`;

/** Run the `put` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, {
    flags: ['--parents', '--init', '--json'],
    options: ['--name', '--message', '--agent'],
  });
  const json = argv.includes('--json');
  if (!args.ok || args.positionals.length !== 3)
    return usage(io, 'put', USAGE, args.ok ? undefined : args.error, json);
  const [root, group, source] = args.positionals as [string, string, string];
  const store = cliStoreOptions(io.env);
  const pool = new HashPool();
  const bar = createProgressBar(io.stderr, io.isTTY);
  let result: PutResult;
  try {
    const writer = await openRepositoryWriter(root, {
      store,
      sourceStore: store,
      create: args.flags.has('--init'),
    });
    const name = args.options.get('--name');
    const message = args.options.get('--message');
    result = await putFolder(writer, group, source, {
      agent: { name: args.options.get('--agent') ?? io.env.USER ?? 'strongroom-cli' },
      ...(name !== undefined && { name }),
      ...(message !== undefined && { message }),
      parents: args.flags.has('--parents'),
      store,
      pool,
      onProgress: (p) =>
        p.phase === 'hash'
          ? bar.update({ ...p, label: 'hashing ' })
          : bar.update({
              files: p.filesDone,
              totalFiles: p.filesTotal,
              bytes: p.bytesDone,
              totalBytes: p.bytesTotal,
              label: `${p.step} `,
            }),
    });
  } catch (err) {
    bar.done();
    return reportFailure(io, 'put', err, json);
  } finally {
    await pool.close();
  }
  bar.done();
  const summary = summarise(result);
  io.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : text(group, summary));
  return EXIT.OK;
};

function summarise(r: PutResult) {
  const count = (op: string) => r.changes.filter((c) => c.op === op).length;
  return {
    version: r.commit?.version ?? null,
    created: r.commit?.created ?? null,
    objectId: r.commit?.objectId ?? null,
    containersAdded: r.commit?.plan.applied.containersAdded ?? [],
    binariesAdded: r.commit?.plan.applied.binariesAdded ?? [],
    binariesPatched: r.commit?.plan.applied.binariesPatched ?? [],
    deleted: r.commit?.plan.applied.deleted ?? [],
    copied: r.commit?.plan.copies.length ?? 0,
    changes: {
      createContainer: count('createContainer'),
      putBinary: count('putBinary'),
      delete: count('delete'),
    },
  };
}

function text(group: string, s: ReturnType<typeof summarise>): string {
  if (s.version === null) return `${group}: no changes (the group already mirrors the source)\n`;
  return (
    `${group}: committed ${s.version} (${s.created})\n` +
    `  ${s.binariesAdded.length} added, ${s.binariesPatched.length} patched, ${s.deleted.length} deleted, ` +
    `${s.containersAdded.length} folders added; ${s.copied} files copied\n`
  );
}
