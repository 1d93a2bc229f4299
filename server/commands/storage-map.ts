/**
 * `strongroom storage-map <storage-root> <object-id> [--version vN|yyyyMMddHHmmss] [--cache dir]
 * [--fedora-base-url url] [--fedora]`: print the StorageMap (Preservation API shape) of one
 * object as JSON. The storage root is a directory, `file://` or `s3://bucket/prefix` URI. With
 * `--cache`, parsed inventories are kept in an LMDB cache in that directory (default: none), so
 * repeated calls on a large object are fast. `--fedora` assumes Fedora's layout (0004, sha256,
 * 3×3) when the root declares none (the default detects it). Failures print `{ error }` on
 * stdout too, so the output is always one JSON object.
 *
 * Exit codes (README): 0 printed, 1 the object is invalid (e.g. a path that escapes it), 2 bad
 * usage or version selector, 3 no such root, object or version, 4 could not read it.
 */
import { LmdbCache, openRepository } from '../../lib/index.js';
import { parseArgs } from './args.js';
import { type Command, EXIT, reportFailure, usage } from './io.js';
import { cliStoreOptions } from './location.js';

const USAGE = `usage: strongroom storage-map <storage-root> <object-id> [--version vN|yyyyMMddHHmmss]
  --version v       a version label (v3) or memento timestamp (20250909110722); default: head
  --cache dir       keep parsed inventories in an LMDB cache in this directory
  --fedora          assume Fedora's layout (0004 sha256 3x3) when the root declares none
  --fedora-base-url url   give archivalGroup as a Fedora URL under this base (e.g. http://host/fcrepo/rest)
`;

/** Run the `storage-map` sub-command. */
export const run: Command = async (argv, io) => {
  const args = parseArgs(argv, {
    flags: ['--fedora'],
    options: ['--version', '--cache', '--fedora-base-url'],
  });
  if (!args.ok || args.positionals.length !== 2) {
    return usage(io, 'storage-map', USAGE, args.ok ? undefined : args.error, true);
  }
  const [location, objectId] = args.positionals as [string, string];
  const cacheDir = args.options.get('--cache');
  let cache: LmdbCache | undefined;
  try {
    cache = cacheDir ? LmdbCache.open({ path: cacheDir }) : undefined;
    const repo = await openRepository(location, {
      store: cliStoreOptions(io.env),
      ...(cache && { cache }),
      ...(args.flags.has('--fedora') && { fedora: true }),
    });
    const version = args.options.get('--version');
    const fedoraBaseUrl = args.options.get('--fedora-base-url');
    const json = await repo.storageMapJson(objectId, {
      ...(version !== undefined && { version }),
      ...(fedoraBaseUrl !== undefined && { fedoraBaseUrl }),
    });
    io.stdout.write(`${json}\n`);
    return EXIT.OK;
  } catch (err) {
    return reportFailure(io, 'storage-map', err, true);
  } finally {
    await cache?.close();
  }
};
