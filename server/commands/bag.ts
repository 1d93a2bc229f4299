/**
 * `strongroom bag validate <dir|bag.zip> [--json] [--no-fixity] [--advisories]`: validate a BagIt
 * bag (RFC 8493 and 0.93–0.97) in a folder or a zip file and print the verdict, every error and
 * every warning. With `--json`, one object
 * `{ valid, complete, errors, warnings, bag: { version, encoding, infoFile, info, payloadOxum,
 * baggingDate, manifests, tagManifests, fetch }, payload }`.
 *
 * Exit codes (README): 0 valid (warnings allowed; a holey bag is valid but reported incomplete),
 * 1 invalid, 2 bad usage, 3 nothing at the location, 4 could not read it.
 */
import { type bagit, validateBagAt } from '../../lib/index.js';
import { createProgressBar } from '../progress.js';
import { parseArgs } from './args.js';
import { type Command, EXIT, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = `usage: strongroom bag validate <dir|bag.zip> [--json] [--no-fixity] [--advisories]
  --json         print one JSON object
  --no-fixity    check structure and completeness only (no digests)
  --advisories   also warn about MD5/SHA-1-only manifests and tag files no tag manifest lists
`;

/** Run the `bag` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json', '--no-fixity', '--advisories'] });
  const json = argv.includes('--json');
  if (!args.ok || args.positionals.length !== 2 || args.positionals[0] !== 'validate') {
    return usage(io, 'bag', USAGE, args.ok ? undefined : args.error, json);
  }
  const location = args.positionals[1]!;
  const bar = createProgressBar(io.stderr, io.isTTY);
  let result: bagit.BagValidation;
  try {
    result = await validateBagAt(location, {
      store: cliStoreOptions(io.env),
      fixity: !args.flags.has('--no-fixity'),
      advisories: args.flags.has('--advisories'),
      onProgress: (p) => bar.update({ ...p, totalFiles: 0, totalBytes: 0, label: 'bag ' }),
    });
  } catch (err) {
    bar.done();
    return reportFailure(io, 'bag', err, json);
  }
  bar.done();
  io.stdout.write(json ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(location, result));
  return result.valid ? EXIT.OK : EXIT.INVALID;
};

/** The JSON shape documented above (manifests summarised: entry counts, not every line). */
export function toJson(r: bagit.BagValidation): object {
  return {
    valid: r.valid,
    complete: r.complete,
    errors: r.errors,
    warnings: r.warnings,
    bag: bagJson(r.bag),
    payload: r.payload,
  };
}

function bagJson(bag: bagit.BagModel): object {
  // Null prototype: a `__proto__` label is an ordinary key, not a prototype change.
  const info: Record<string, string | string[]> = Object.create(null);
  for (const { label, value } of bag.info) {
    const prior = info[label];
    info[label] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  const manifest = (m: bagit.BagManifest) => ({
    file: m.file,
    algorithm: m.algorithm,
    supported: m.supported,
    entries: m.entries.length,
  });
  return {
    version: bag.version,
    encoding: bag.encoding,
    infoFile: bag.infoFile,
    info,
    payloadOxum: bag.payloadOxum,
    baggingDate: bag.baggingDate,
    manifests: bag.manifests.map(manifest),
    tagManifests: bag.tagManifests.map(manifest),
    fetch: bag.fetch.map((f) => ({ url: f.url, length: f.length, path: f.path ?? f.raw })),
  };
}

function toText(location: string, r: bagit.BagValidation): string {
  const algs = r.bag.manifests.map((m) => m.algorithm).join(', ') || 'no manifest';
  const lines = [
    `${location}: ${r.valid ? 'valid' : 'INVALID'}${r.complete ? '' : ' (incomplete)'} — BagIt ${r.bag.version ?? '?'}, ` +
      `${r.bag.encoding ?? '?'}, ${algs}; ${r.payload.files} payload files, ${r.payload.octets} octets`,
    ...r.errors.map((e) => `error: ${e}`),
    ...r.warnings.map((w) => `warning: ${w}`),
    `${r.errors.length} errors, ${r.warnings.length} warnings`,
  ];
  return `${lines.join('\n')}\n`;
}
