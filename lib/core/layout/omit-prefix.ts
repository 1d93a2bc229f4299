/**
 * 0006-flat-omit-prefix and 0007-n-tuple-omit-prefix layouts: both drop everything up to and
 * including the right-most occurrence of a delimiter, matched case-insensitively; the remainder
 * keeps its original case.
 */
import { InvalidInputError } from '../errors.js';
import { boolParam, ConfigProblems, checkExtensionName, intParam, stringParam } from './config-fields.js';
import { assertSegment } from './flat-direct.js';
import { LAYOUT_EXTENSIONS, type StorageLayout } from './types.js';

/** Parameters of 0006 (`delimiter` is required). */
export interface FlatOmitPrefixConfig {
  delimiter: string;
}

/** Parameters of 0007 (defaults: `:`, 3, 3, `left`, false). */
export interface NTupleOmitPrefixConfig {
  delimiter: string;
  tupleSize: number;
  numberOfTuples: number;
  zeroPadding: 'left' | 'right';
  reverseObjectRoot: boolean;
}

/**
 * The id after the right-most case-insensitive occurrence of `delimiter` (the whole id when
 * absent). Throws InvalidInputError when the id ends with the delimiter.
 */
export function omitPrefix(id: string, delimiter: string, what: string): string {
  const at = id.toLowerCase().lastIndexOf(delimiter.toLowerCase());
  if (at < 0) return id;
  const rest = id.slice(at + delimiter.length);
  if (rest === '') {
    throw new InvalidInputError(
      `${what} cannot map object id ${JSON.stringify(id)}: nothing follows the delimiter`,
      {
        operation: 'objectRootFor',
        key: id,
      },
    );
  }
  return rest;
}

/** Build a 0006 layout. Throws InvalidInputError when `delimiter` is missing or empty. */
export function flatOmitPrefixLayout(config: Record<string, unknown> = {}): StorageLayout {
  const problems = new ConfigProblems(LAYOUT_EXTENSIONS.flatOmitPrefix);
  checkExtensionName(config, problems);
  const delimiter = stringParam(config, 'delimiter', undefined, problems);
  problems.throwIfAny();
  const params: FlatOmitPrefixConfig = { delimiter: delimiter! };
  return {
    extensionName: LAYOUT_EXTENSIONS.flatOmitPrefix,
    config: { extensionName: LAYOUT_EXTENSIONS.flatOmitPrefix, ...params },
    objectRootFor(id: string): string {
      const rest = omitPrefix(id, params.delimiter, LAYOUT_EXTENSIONS.flatOmitPrefix);
      assertSegment(rest, id, LAYOUT_EXTENSIONS.flatOmitPrefix);
      return rest;
    },
  };
}

function readNTupleParams(config: Record<string, unknown>, problems: ConfigProblems): NTupleOmitPrefixConfig {
  const padding = config['zeroPadding'] ?? 'left';
  if (padding !== 'left' && padding !== 'right') {
    problems.add(`zeroPadding must be "left" or "right" (got ${JSON.stringify(padding)})`);
  }
  return {
    delimiter: stringParam(config, 'delimiter', ':', problems)!,
    tupleSize: intParam(config, 'tupleSize', 3, [1, 32], problems),
    numberOfTuples: intParam(config, 'numberOfTuples', 3, [1, 32], problems),
    zeroPadding: padding === 'right' ? 'right' : 'left',
    reverseObjectRoot: boolParam(config, 'reverseObjectRoot', false, problems),
  };
}

/** Build a 0007 layout. Throws InvalidInputError listing every bad parameter. */
export function nTupleOmitPrefixLayout(config: Record<string, unknown> = {}): StorageLayout {
  const problems = new ConfigProblems(LAYOUT_EXTENSIONS.nTupleOmitPrefix);
  checkExtensionName(config, problems);
  const params = readNTupleParams(config, problems);
  problems.throwIfAny();
  const what = LAYOUT_EXTENSIONS.nTupleOmitPrefix;
  return {
    extensionName: what,
    config: { extensionName: what, ...params },
    objectRootFor(id: string): string {
      // The extension only defines ids of printable ASCII; anything else has no agreed mapping.
      if (!/^[\x20-\x7f]*$/.test(id)) {
        throw new InvalidInputError(`${what} cannot map object id ${JSON.stringify(id)}: it is not ASCII`, {
          operation: 'objectRootFor',
          key: id,
        });
      }
      const rest = omitPrefix(id, params.delimiter, what);
      assertSegment(rest, id, what);
      const width = params.tupleSize * params.numberOfTuples;
      let padded = params.zeroPadding === 'left' ? rest.padStart(width, '0') : rest.padEnd(width, '0');
      if (params.reverseObjectRoot) padded = [...padded].reverse().join('');
      const dirs: string[] = [];
      for (let i = 0; i < params.numberOfTuples; i++) {
        dirs.push(padded.slice(i * params.tupleSize, (i + 1) * params.tupleSize));
      }
      for (const dir of dirs) assertSegment(dir, id, what);
      return [...dirs, rest].join('/');
    },
  };
}
