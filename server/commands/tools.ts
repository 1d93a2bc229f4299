/**
 * `strongroom tools <deposit-folder> [--json]`: read the tool outputs under the folder's
 * `metadata/` (or `data/metadata/` for a BagIt layout) and print the per-file metadata they give,
 * keyed by deposit-relative path. With `--json`, one object
 * `{ files: { [path]: Metadata[] }, reports, summaries, problems }`.
 *
 * Exit codes (README): 0 when the folder was read (whatever the tools say — problems and viruses
 * are printed, not turned into a verdict), 2 bad usage or a file instead of a folder, 3 no such
 * folder, 4 could not read it.
 */
import { type Metadata, readToolOutputsAt, type tools } from '../../lib/index.js';
import { parseArgs } from './args.js';
import { type Command, EXIT, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = 'usage: strongroom tools <deposit-folder> [--json]\n';

/** Run the `tools` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json'] });
  const json = argv.includes('--json');
  if (!args.ok || args.positionals.length !== 1)
    return usage(io, 'tools', USAGE, args.ok ? undefined : args.error, json);
  let result: tools.ToolOutputsResult;
  try {
    result = await readToolOutputsAt(args.positionals[0]!, { store: cliStoreOptions(io.env) });
  } catch (err) {
    return reportFailure(io, 'tools', err, json);
  }
  io.stdout.write(json ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(result));
  return EXIT.OK;
};

function toJson(r: tools.ToolOutputsResult): object {
  const files: Record<string, Metadata[]> = {};
  for (const p of [...r.byPath.keys()].sort()) files[p] = r.byPath.get(p)!;
  return { files, reports: r.reports, summaries: r.summaries, problems: r.problems };
}

function toText(r: tools.ToolOutputsResult): string {
  const lines: string[] = [];
  for (const p of [...r.byPath.keys()].sort()) {
    lines.push(p);
    for (const m of r.byPath.get(p)!) lines.push(`  ${describe(m)}`);
  }
  if (r.byPath.size === 0) lines.push('(no per-file metadata found)');
  for (const rep of r.reports)
    lines.push(`report: ${rep.path} (${rep.source}${rep.scope ? `, scanned ${rep.scope}` : ''})`);
  for (const s of r.summaries)
    lines.push(`read: ${s.origin} (${s.tool}${s.source !== s.tool ? ` via ${s.source}` : ''})`);
  for (const pr of r.problems)
    lines.push(
      `${pr.severity} ${pr.code}${pr.path ? ` ${pr.path}` : ''}${pr.line ? `:${pr.line}` : ''}: ${pr.message}`,
    );
  return `${lines.join('\n')}\n`;
}

function describe(m: Metadata): string {
  switch (m.type) {
    case 'FileFormatMetadata': {
      const fmt = m.pronomKey ?? 'UNKNOWN';
      const more = m.matches && m.matches.length > 1 ? ` (+${m.matches.length - 1} other matches)` : '';
      const warn = m.warning ? ` [${m.warning}]` : '';
      return `format  ${m.source}: ${fmt} ${m.formatName ?? ''}${m.contentType ? ` (${m.contentType})` : ''}${more}${warn}`;
    }
    case 'VirusScanMetadata':
      return `virus   ${m.source}: ${m.hasVirus ? `FOUND ${m.virusesFound.join(', ')}` : 'clean'}${m.inferred ? ' (not listed in an infected-only log)' : ''}`;
    case 'ExifMetadata':
      return `exif    ${m.source}: ${Object.keys(m.tags).length} tags`;
    case 'DigestMetadata':
      return `digest  ${m.source}: ${m.digest}`;
    default:
      return `report  ${m.source}: ${m.path}`;
  }
}
