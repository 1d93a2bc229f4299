/**
 * The LMDB environment that holds the durable state (records and the job queue) under a data
 * directory. One environment, several named databases, so one write transaction can span them
 * and several processes can share the directory: LMDB serialises writers across processes with
 * a lock in `lock.mdb`, which is what makes a queue claim atomic between two server processes.
 *
 * The directory is checked first with the cache's checks (lib/cache/lmdb-directory.ts: no endless
 * mkdir, no memory-mapping a file that is not LMDB). A schema number is kept in the `meta`
 * database: a directory written by a newer Strongroom is refused rather than misread.
 */
import { open, type RootDatabase } from 'lmdb';
import { prepareLmdbDirectory } from '../cache/lmdb-directory.js';
import { IoError, UnsupportedError } from '../core/errors.js';
import { quoteForMessage, truncateForMessage } from '../core/paths.js';
import { STATE_SCHEMA_VERSION } from './schema.js';

/** Options of {@link openStateEnvironment}. */
export interface StateEnvironmentOptions {
  /** Directory holding `data.mdb` and `lock.mdb` (created if missing). */
  path: string;
  /** Maximum database size in bytes (default: lmdb's, which grows as needed). */
  mapSize?: number;
}

/** An open environment and how many users share it (it closes when the last one lets go). */
export interface StateEnvironment {
  /** The root database; named databases are opened from it. */
  readonly root: RootDatabase;
  /** The directory. */
  readonly path: string;
  /** Take a share (the environment stays open until every share is released). */
  retain(): void;
  /** Release a share; the last release closes the environment. */
  release(): Promise<void>;
}

/**
 * Open (or create) the state environment at `options.path`. Throws IoError when the directory
 * cannot be used, UnsupportedError when it was written with a newer schema.
 */
export function openStateEnvironment(options: StateEnvironmentOptions): StateEnvironment {
  prepareLmdbDirectory(options.path, 'state store');
  let root: RootDatabase;
  try {
    root = open({
      path: options.path,
      noSubdir: false,
      maxDbs: 32,
      compression: true,
      ...(options.mapSize !== undefined ? { mapSize: options.mapSize } : {}),
    });
  } catch (cause) {
    const why = cause instanceof Error ? `: ${truncateForMessage(cause.message, 160)}` : '';
    throw new IoError(`cannot open state store at ${quoteForMessage(options.path)}${why}`, {
      operation: 'open',
      key: options.path,
      cause,
    });
  }
  const meta = root.openDB<unknown, string>('meta', {});
  const schema = root.transactionSync(() => {
    const found = meta.get('schema');
    if (found === undefined) meta.putSync('schema', STATE_SCHEMA_VERSION);
    return found ?? STATE_SCHEMA_VERSION;
  });
  if (typeof schema !== 'number' || schema > STATE_SCHEMA_VERSION) {
    void root.close();
    throw new UnsupportedError(
      `state store at ${quoteForMessage(options.path)} has schema ${String(schema)}; this build reads up to ${STATE_SCHEMA_VERSION}`,
      { operation: 'open', key: options.path },
    );
  }
  let shares = 1;
  return {
    root,
    path: options.path,
    retain: () => {
      shares++;
    },
    release: async () => {
      if (--shares === 0) await root.close();
    },
  };
}
