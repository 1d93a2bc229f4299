/**
 * Which layout a storage root uses: the one passed in options, the one `ocfl_layout.json` (and
 * `extensions/<name>/config.json`) declare, read with their size caps, or Fedora's default when
 * the hierarchy looks like Fedora's. Split from `storage-root.ts`.
 */
import { hasCode } from '../core/errors.js';
import type { StorageLayout } from '../core/layout/index.js';
import {
  fedoraDefaultLayout,
  layoutFromConfig,
  parseExtensionConfig,
  parseLayoutDeclaration,
} from '../core/layout/index.js';
import { MAX_EXTENSION_CONFIG_BYTES, MAX_LAYOUT_FILE_BYTES } from '../core/ocfl/limits.js';
import { isSafeRelativePath, quoteForMessage } from '../core/paths.js';
import { joinKey, type ReadableStore } from '../storage/port.js';
import { listDir } from './list-dir.js';
import type { LayoutSource, OpenStorageRootOptions } from './storage-root.js';

/** The layout a storage root uses, where it came from, and why a declared one is not used. */
export interface ChosenLayout {
  layout?: StorageLayout;
  source: LayoutSource;
  problem?: string;
}

/**
 * Pick the layout (see `storage-root.ts` module doc for the order). Throws MalformedError for an
 * unparseable `ocfl_layout.json`, TooLargeError past the layout file or config caps.
 */
export async function chooseLayout(
  store: ReadableStore,
  prefix: string,
  files: string[],
  dirs: string[],
  options: OpenStorageRootOptions,
): Promise<ChosenLayout> {
  if (options.layout) return { layout: options.layout, source: 'option' };
  if (files.includes('ocfl_layout.json')) return declaredLayout(store, prefix, options.signal);
  if (options.fedora === true) return { layout: fedoraDefaultLayout(), source: 'fedora-default' };
  if (options.fedora !== false && (await looksLikeFedoraRoot(store, prefix, dirs, options.signal))) {
    return { layout: fedoraDefaultLayout(), source: 'fedora-default' };
  }
  return { source: 'none' };
}

async function declaredLayout(
  store: ReadableStore,
  prefix: string,
  signal?: AbortSignal,
): Promise<ChosenLayout> {
  const read = (key: string, maxBytes: number) =>
    store.readBytes(joinKey(prefix, key), { maxBytes, ...(signal && { signal }) });
  const declaration = parseLayoutDeclaration(await read('ocfl_layout.json', MAX_LAYOUT_FILE_BYTES));
  if (!isSafeRelativePath(declaration.extension) || declaration.extension.includes('/')) {
    return {
      source: 'none',
      problem: `layout extension name ${quoteForMessage(declaration.extension)} is not a directory name`,
    };
  }
  const configKey = `extensions/${declaration.extension}/config.json`;
  const config = (await store.exists(joinKey(prefix, configKey)))
    ? parseExtensionConfig(await read(configKey, MAX_EXTENSION_CONFIG_BYTES), declaration.extension)
    : {};
  try {
    return { layout: layoutFromConfig(declaration.extension, config), source: 'declared' };
  } catch (err) {
    if (hasCode(err, 'UNSUPPORTED') || hasCode(err, 'INVALID_INPUT')) {
      return { source: 'none', problem: (err as Error).message };
    }
    throw err;
  }
}

const TUPLE = /^[0-9a-f]{3}$/;

/** Follow the first 3-hex tuple path down: Fedora's layout ends in the 64-hex digest starting with those tuples. */
async function looksLikeFedoraRoot(
  store: ReadableStore,
  prefix: string,
  dirs: string[],
  signal?: AbortSignal,
): Promise<boolean> {
  const top = dirs.filter((d) => d !== 'extensions');
  if (top.length === 0 || !top.every((d) => TUPLE.test(d))) return false;
  const path = [top[0]!];
  for (let depth = 1; depth <= 3; depth++) {
    const { dirs: below } = await listDir(store, joinKey(prefix, ...path), signal);
    const pick = depth < 3 ? below.find((d) => TUPLE.test(d)) : below.find((d) => /^[0-9a-f]{64}$/.test(d));
    if (pick === undefined) return false;
    path.push(pick);
  }
  return path[3]!.startsWith(path.slice(0, 3).join(''));
}
