/**
 * `strongroom storage-map <storage-root> <object-id> [--version vN|yyyyMMddHHmmss] [--cache dir]
 * [--fedora-base-url url] [--fedora]`: print the StorageMap (Preservation API shape) of one
 * object as JSON. The storage root is a directory, `file://` or `s3://bucket/prefix` URI. With
 * `--cache`, parsed inventories are kept in an LMDB cache in that directory (default: none), so
 * repeated calls on a large object are fast. `--fedora` assumes Fedora's layout (0004, sha256,
 * 3×3) when the root declares none (the default detects it).
 *
 * Exit codes: 0 printed, 1 the object or version does not exist, 2 bad usage or unreadable root.
 */
import { LmdbCache } from '../../lib/cache/lmdb-cache.js';
import { hasCode } from '../../lib/core/errors.js';
import { getStorageMapJson } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { parseArgs } from './args.js';
import { type Command, EXIT } from './io.js';
import { describeError, openCliLocation } from './location.js';

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
    io.stderr.write(`${args.ok ? '' : `strongroom storage-map: ${args.error}\n`}${USAGE}`);
    return EXIT.USAGE;
  }
  const [location, objectId] = args.positionals as [string, string];
  const cacheDir = args.options.get('--cache');
  const cache = cacheDir ? LmdbCache.open({ path: cacheDir }) : undefined;
  try {
    const { store } = await openCliLocation(location, io.env);
    const root = await openStorageRoot(store, {
      ...(cache && { cache }),
      ...(args.flags.has('--fedora') && { fedora: true }),
    });
    const version = args.options.get('--version');
    const fedoraBaseUrl = args.options.get('--fedora-base-url');
    const json = await getStorageMapJson(root, objectId, {
      ...(version !== undefined && { version }),
      ...(fedoraBaseUrl !== undefined && { fedoraBaseUrl }),
    });
    io.stdout.write(`${json}\n`);
    return EXIT.OK;
  } catch (err) {
    io.stderr.write(`strongroom storage-map: ${describeError(err)}\n`);
    return hasCode(err, 'NOT_FOUND') || hasCode(err, 'INVALID_INPUT') ? EXIT.NEGATIVE : EXIT.USAGE;
  } finally {
    await cache?.close();
  }
};
