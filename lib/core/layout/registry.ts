/**
 * From a storage root's declarations to a layout: parse `ocfl_layout.json` and
 * `extensions/<name>/config.json`, and build the layout they name.
 */
import { InvalidInputError, MalformedError, UnsupportedError } from '../errors.js';
import { describeJsonError, findDuplicateKeys } from '../json-scan.js';
import { quoteForMessage, truncateForMessage } from '../paths.js';
import { flatDirectLayout } from './flat-direct.js';
import { hashAndIdNTupleLayout } from './hash-and-id-n-tuple.js';
import { FEDORA_LAYOUT_CONFIG, hashedNTupleLayout } from './hashed-n-tuple.js';
import { flatOmitPrefixLayout, nTupleOmitPrefixLayout } from './omit-prefix.js';
import { LAYOUT_EXTENSIONS, type StorageLayout } from './types.js';

/** The contents of a storage root's `ocfl_layout.json`. */
export interface LayoutDeclaration {
  /** Registered extension name of the layout. */
  extension: string;
  description?: string;
}

const BUILDERS: Record<string, (config: Record<string, unknown>) => StorageLayout> = {
  [LAYOUT_EXTENSIONS.flatDirect]: flatDirectLayout,
  [LAYOUT_EXTENSIONS.hashAndIdNTuple]: hashAndIdNTupleLayout,
  [LAYOUT_EXTENSIONS.hashedNTuple]: hashedNTupleLayout,
  [LAYOUT_EXTENSIONS.flatOmitPrefix]: flatOmitPrefixLayout,
  [LAYOUT_EXTENSIONS.nTupleOmitPrefix]: nTupleOmitPrefixLayout,
};

/** Extension names {@link layoutFromConfig} can build. */
export const SUPPORTED_LAYOUTS: readonly string[] = Object.keys(BUILDERS);

/**
 * Build the layout `extensionName` with `config` (the parsed `config.json`; missing parameters
 * take the extension's defaults). Throws UnsupportedError for a layout we do not implement,
 * InvalidInputError for bad parameters.
 */
export function layoutFromConfig(extensionName: string, config: Record<string, unknown> = {}): StorageLayout {
  // Own keys only: an extension named `toString` must not find Object.prototype's.
  const build = Object.hasOwn(BUILDERS, extensionName) ? BUILDERS[extensionName] : undefined;
  if (build === undefined) {
    throw new UnsupportedError(`storage layout extension not supported: ${quoteForMessage(extensionName)}`, {
      operation: 'layoutFromConfig',
      key: truncateForMessage(extensionName),
    });
  }
  return build(config);
}

/** The layout Fedora 6 uses when its root declares none: 0004, sha256, 3 × 3, full digest as the object directory. */
export function fedoraDefaultLayout(): StorageLayout {
  return hashedNTupleLayout({ ...FEDORA_LAYOUT_CONFIG });
}

function parseJsonObject(bytes: Uint8Array | string, what: string): Record<string, unknown> {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    // No `cause`: V8's message quotes the text; only the position is reported.
    throw new MalformedError(`${what} is not valid JSON (${describeJsonError(cause)})`, {
      operation: 'parse',
      key: what,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedError(`${what} must hold a JSON object`, { operation: 'parse', key: what });
  }
  // Two `extension` keys would let two readers pick two layouts: refuse rather than guess.
  const [duplicate] = findDuplicateKeys(Buffer.from(text), { limit: 1, parsed: value });
  if (duplicate) {
    throw new MalformedError(`${what} has the key ${quoteForMessage(duplicate.key, 80)} twice`, {
      operation: 'parse',
      key: what,
    });
  }
  return value as Record<string, unknown>;
}

/**
 * Parse `ocfl_layout.json`. Throws MalformedError for bad JSON, InvalidInputError when
 * `extension` is missing. Extra keys are tolerated (the validator reports them, E070).
 */
export function parseLayoutDeclaration(bytes: Uint8Array | string): LayoutDeclaration {
  const json = parseJsonObject(bytes, 'ocfl_layout.json');
  if (typeof json['extension'] !== 'string' || json['extension'] === '') {
    throw new InvalidInputError('ocfl_layout.json has no "extension" string', { key: 'ocfl_layout.json' });
  }
  const out: LayoutDeclaration = { extension: json['extension'] };
  if (typeof json['description'] === 'string') out.description = json['description'];
  return out;
}

/** Parse an extension's `config.json` into a plain object. Throws MalformedError. */
export function parseExtensionConfig(
  bytes: Uint8Array | string,
  extensionName: string,
): Record<string, unknown> {
  return parseJsonObject(bytes, `extensions/${extensionName}/config.json`);
}
