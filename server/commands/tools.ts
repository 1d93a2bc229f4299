/**
 * `strongroom tools <deposit-folder> [--json]`: read the tool outputs under the folder's
 * `metadata/` (or `data/metadata/` for a BagIt layout) and print the per-file metadata they give,
 * keyed by deposit-relative path. With `--json`, one object
 * `{ files: { [path]: Metadata[] }, reports, summaries, problems }`.
 *
 * Exit codes: 0 when the folder was read (whatever the tools say — problems and viruses are
 * printed, not turned into a verdict), 2 for bad usage or an unreadable folder.
 */
import { statSync } from 'node:fs';
import type { Metadata } from '../../lib/formats/model.js';
import { metadataLocation } from '../../lib/formats/tools/classify.js';
import {
  readToolOutputs,
  TOOL_OUTPUT_MAX_BYTES,
  type ToolOutputFile,
  type ToolOutputsResult,
  type ToolSpecialEntry,
} from '../../lib/formats/tools/index.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { parseArgs } from './args.js';
import { type Command, EXIT } from './io.js';

const USAGE = 'usage: strongroom tools <deposit-folder> [--json]\n';

/** Run the `tools` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json'] });
  if (!args.ok || args.positionals.length !== 1) {
    io.stderr.write(`${args.ok ? '' : `strongroom tools: ${args.error}\n`}${USAGE}`);
    return EXIT.USAGE;
  }
  const json = args.flags.has('--json');
  const folder = args.positionals[0]!;
  let deposit: Awaited<ReturnType<typeof readDeposit>>;
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a directory');
    deposit = await readDeposit(new FsStore(folder, { readOnly: true }));
  } catch (err) {
    io.stderr.write(`strongroom tools: cannot read ${folder}: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  const result = readToolOutputs(deposit.outputs, deposit.paths, { specialEntries: deposit.special });
  io.stdout.write(json ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(result));
  return EXIT.OK;
};

/**
 * The deposit's files (sorted), its special entries (FIFOs, sockets, devices, undecodable names:
 * reported, never read), and the bytes of the files under a metadata folder (only those can be
 * tool outputs), each read up to TOOL_OUTPUT_MAX_BYTES; a larger one passes its first 8 KiB
 * (enough to recognise it) and its size, and is reported as too large. Symlinks are not read.
 */
async function readDeposit(store: FsStore) {
  const paths: string[] = [];
  const special: ToolSpecialEntry[] = [];
  const outputs: ToolOutputFile[] = [];
  for await (const e of store.list('', { delimiter: false })) {
    if (e.kind === 'other') special.push({ path: e.key, type: e.type });
    if (e.kind !== 'file') continue;
    paths.push(e.key);
    if (e.symlink || metadataLocation(e.key) === null) continue;
    if (e.size <= TOOL_OUTPUT_MAX_BYTES) {
      outputs.push({ path: e.key, bytes: await store.readBytes(e.key, { maxBytes: TOOL_OUTPUT_MAX_BYTES }) });
      continue;
    }
    const head: Buffer[] = [];
    for await (const c of await store.read(e.key, { start: 0, end: 8191 })) head.push(c as Buffer);
    outputs.push({ path: e.key, bytes: Buffer.concat(head), size: e.size });
  }
  return { paths: paths.sort(), special, outputs };
}

function toJson(r: ToolOutputsResult): object {
  const files: Record<string, Metadata[]> = {};
  for (const p of [...r.byPath.keys()].sort()) files[p] = r.byPath.get(p)!;
  return { files, reports: r.reports, summaries: r.summaries, problems: r.problems };
}

function toText(r: ToolOutputsResult): string {
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
