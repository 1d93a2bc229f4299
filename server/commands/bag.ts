/**
 * `strongroom bag validate <dir|bag.zip> [--json] [--no-fixity] [--advisories]`: validate a BagIt
 * bag (RFC 8493 and 0.93–0.97) in a folder or a zip file and print the verdict, every error and
 * every warning. With `--json`, one object
 * `{ valid, complete, errors, warnings, bag: { version, encoding, infoFile, info, payloadOxum,
 * baggingDate, manifests, tagManifests, fetch }, payload }`.
 *
 * Exit codes: 0 valid (warnings allowed; a holey bag is valid but reported incomplete), 1 invalid,
 * 2 bad usage or a location that cannot be read.
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openZipBagInStore, storeBagSource } from '../../lib/engine/bag-source.js';
import type { BagManifest, BagModel } from '../../lib/formats/bagit/model.js';
import type { BagSource } from '../../lib/formats/bagit/source.js';
import { type BagValidation, validateBag } from '../../lib/formats/bagit/validate.js';
import { openStore } from '../../lib/storage/location.js';
import { createProgressBar } from '../progress.js';
import { parseArgs } from './args.js';
import { type Command, type CommandIO, EXIT } from './io.js';

const USAGE = `usage: strongroom bag validate <dir|bag.zip> [--json] [--no-fixity] [--advisories]
  --json         print one JSON object
  --no-fixity    check structure and completeness only (no digests)
  --advisories   also warn about MD5/SHA-1-only manifests and tag files no tag manifest lists
`;

/** Run the `bag` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, { flags: ['--json', '--no-fixity', '--advisories'] });
  if (!args.ok || args.positionals.length !== 2 || args.positionals[0] !== 'validate') {
    io.stderr.write(`${args.ok ? '' : `strongroom bag: ${args.error}\n`}${USAGE}`);
    return EXIT.USAGE;
  }
  const location = args.positionals[1]!;
  const source = await openBag(location, io);
  if (source === null) return EXIT.USAGE;
  const bar = createProgressBar(io.stderr, io.isTTY);
  let result: BagValidation;
  try {
    result = await validateBag(source, {
      fixity: !args.flags.has('--no-fixity'),
      advisories: args.flags.has('--advisories'),
      onProgress: (p) => bar.update({ ...p, totalFiles: 0, totalBytes: 0, label: 'bag ' }),
    });
  } catch (err) {
    bar.done();
    io.stderr.write(`strongroom bag: cannot read ${location}: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  } finally {
    await source.close?.();
  }
  bar.done();
  io.stdout.write(
    args.flags.has('--json') ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(location, result),
  );
  return result.valid ? EXIT.OK : EXIT.NEGATIVE;
};

async function openBag(
  location: string,
  io: CommandIO,
): Promise<(BagSource & { close?(): Promise<void> }) | null> {
  try {
    const st = statSync(location);
    if (st.isDirectory()) return storeBagSource(await openStore(pathToFileURL(resolve(location)).href));
    // A zip is read where it lies, by ranges: never loaded whole.
    if (st.isFile())
      return await openZipBagInStore(
        await openStore(pathToFileURL(resolve(dirname(location))).href),
        basename(location),
        {
          location: `zip:${location}`,
        },
      );
    throw new Error('neither a directory nor a file');
  } catch (err) {
    io.stderr.write(`strongroom bag: cannot read ${location}: ${(err as Error).message}\n`);
    return null;
  }
}

/** The JSON shape documented above (manifests summarised: entry counts, not every line). */
export function toJson(r: BagValidation): object {
  return {
    valid: r.valid,
    complete: r.complete,
    errors: r.errors,
    warnings: r.warnings,
    bag: bagJson(r.bag),
    payload: r.payload,
  };
}

function bagJson(bag: BagModel): object {
  // Null prototype: a `__proto__` label is an ordinary key, not a prototype change.
  const info: Record<string, string | string[]> = Object.create(null);
  for (const { label, value } of bag.info) {
    const prior = info[label];
    info[label] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  const manifest = (m: BagManifest) => ({
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

function toText(location: string, r: BagValidation): string {
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
