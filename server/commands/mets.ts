/**
 * `strongroom mets <file> [--json]`: read a METS file and print what Strongroom learns from it.
 * With `--json`, the MetsModel as one JSON object (files with path, name, contentType, size,
 * digests by algorithm, format; directories; title; access restrictions; rights statement;
 * problems; producer; editable). Without, a human summary.
 *
 * Exit codes (README): 0 when the file was read (problems are printed, not a verdict), 1 when it
 * is not well-formed XML (the message gives line:column), 2 bad usage, 3 no such file, 4 could
 * not read it.
 */
import { type MetsModel, type mets, readMetsAt } from '../../lib/index.js';
import { parseArgs } from './args.js';
import { type Command, EXIT, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = 'usage: strongroom mets <file> [--json]\n';

/** Run the `mets` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json'] });
  const json = argv.includes('--json');
  if (!args.ok || args.positionals.length !== 1)
    return usage(io, 'mets', USAGE, args.ok ? undefined : args.error, json);
  const file = args.positionals[0]!;
  let model: MetsModel;
  try {
    model = await readMetsAt(file, { store: cliStoreOptions(io.env) });
  } catch (err) {
    // A MalformedError reads "<file>:<line>:<column>: <what>" (see readMets).
    return reportFailure(io, 'mets', err, json);
  }
  io.stdout.write(json ? `${JSON.stringify(model)}\n` : summary(model));
  return EXIT.OK;
};

function summary(m: MetsModel): string {
  const lines = [
    `producer: ${m.producer.kind}${m.producer.agent ? ` (${m.producer.agent})` : ''}${m.editable ? ', editable' : ', read-only'}`,
    `title: ${m.title ?? '(none)'}`,
  ];
  if (m.accessRestrictions.length) lines.push(`access restrictions: ${m.accessRestrictions.join('; ')}`);
  if (m.rightsStatement) lines.push(`rights statement: ${m.rightsStatement}`);
  lines.push(
    `${m.files.length} file(s), ${m.directories.length} director${m.directories.length === 1 ? 'y' : 'ies'}`,
  );
  for (const d of m.directories)
    lines.push(`  ${d.path}/${d.name && d.name !== lastSegment(d.path) ? `  "${d.name}"` : ''}`);
  for (const f of m.files) lines.push(`  ${describeFile(f)}`);
  if (m.problems.length) lines.push(`${m.problems.length} problem(s):`);
  for (const p of m.problems) {
    const at = p.line ? ` (line ${p.line})` : '';
    lines.push(`  ${p.code}${p.path ? ` ${p.path}` : ''}${at}: ${p.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeFile(f: mets.MetsFile): string {
  const parts = [f.path];
  if (f.name && f.name !== lastSegment(f.path)) parts.push(`"${f.name}"`);
  if (f.size !== null) parts.push(`${f.size} B`);
  if (f.contentType) parts.push(f.contentType);
  if (f.format) parts.push(`${f.format.pronomKey ?? '?'}${f.format.name ? ` ${f.format.name}` : ''}`);
  for (const [alg, hex] of Object.entries(f.digests)) parts.push(`${alg}:${hex}`);
  if (f.virusCheck) parts.push(`virus check: ${f.virusCheck.outcome ?? '?'}`);
  return parts.join('  ');
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
