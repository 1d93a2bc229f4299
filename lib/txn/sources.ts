/**
 * Where a transaction may read the bytes it stores from. A `source` URI in a change comes from a
 * client (an import job names `s3://…` or `file:///…` origins), so it is only followed when it
 * lies inside one of the roots the caller allowed — a deposit's own working area — or anyone
 * could ingest `/etc/shadow` and read it back. Each root is opened once, read-only.
 */
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { type OpenStoreOptions, openStore, parseLocation } from '../storage/location.js';
import { assertKey, type ReadableStore } from '../storage/port.js';

/** A source resolved to a store and a key in it. */
export interface ResolvedSource {
  store: ReadableStore;
  key: string;
}

/** Resolves change sources; see {@link sourceRoots}. */
export interface SourceAccess {
  /** Throws InvalidInputError for a URI outside every allowed root or malformed. */
  resolve(uri: string): Promise<ResolvedSource>;
  /** True when `uri` lies inside an allowed root (nothing is opened). */
  allows(uri: string): boolean;
}

interface Root {
  /** What a source URI must start with (the root URI with a trailing `/`). */
  prefix: string;
  kind: 'file' | 's3' | 'memory';
  /** Filesystem roots: the directory path with a trailing `/`. */
  path?: string;
  store?: Promise<ReadableStore>;
  uri: string;
}

/**
 * Sources inside `roots` (location URIs of folders: `file:///data/deposits/d1`,
 * `s3://bucket/deposits/d1`, `memory://name/prefix` is not supported). A `file:` source is
 * compared as a path after URL decoding; an `s3:` source as written (S3 keys are not
 * percent-encoded in `s3://` URIs). Throws InvalidInputError for a bad root.
 */
export function sourceRoots(roots: readonly string[], options: OpenStoreOptions = {}): SourceAccess {
  const list: Root[] = roots.map((uri) => {
    const loc = parseLocation(uri);
    if (loc.kind === 'file') {
      const path = loc.path.endsWith('/') ? loc.path : `${loc.path}/`;
      return { prefix: '', kind: 'file', path, uri };
    }
    const trimmed = uri.replace(/\/+$/, '');
    return { prefix: `${trimmed}/`, kind: loc.kind, uri: trimmed };
  });
  const within = (uri: string): { root: Root; key: string } | undefined => {
    for (const root of list) {
      const key = keyUnder(root, uri);
      if (key === undefined) continue;
      try {
        assertKey(key);
      } catch {
        return undefined;
      }
      return { root, key };
    }
    return undefined;
  };
  return {
    allows: (uri) => typeof uri === 'string' && within(uri) !== undefined,
    async resolve(uri: string): Promise<ResolvedSource> {
      const found = within(uri);
      if (found) {
        const { root, key } = found;
        root.store ??= openStore(root.kind === 'file' ? `file://${root.path}` : root.uri, options);
        return { store: await root.store, key };
      }
      throw new InvalidInputError(
        `source ${quoteForMessage(uri)} is not inside the allowed source locations`,
        {
          operation: 'resolveSource',
          key: uri,
        },
      );
    },
  };
}

function keyUnder(root: Root, uri: string): string | undefined {
  if (root.kind === 'file') {
    if (!/^file:\/\//i.test(uri)) return undefined;
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    return path.startsWith(root.path!) ? path.slice(root.path!.length) : undefined;
  }
  return uri.startsWith(root.prefix) ? uri.slice(root.prefix.length) : undefined;
}
