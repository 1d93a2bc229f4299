/**
 * 0004-hashed-n-tuple-storage-layout (Fedora 6's layout): `numberOfTuples` directories of
 * `tupleSize` hex characters from the digest of the id, then the full digest as the object
 * directory, or only the unused remainder of it when `shortObjectRoot` is true.
 */
import { boolParam, ConfigProblems, checkExtensionName, intParam, stringParam } from './config-fields.js';
import { checkTupleParams } from './hash-and-id-n-tuple.js';
import { DIGEST_HEX_LENGTH, digestId, tuples } from './id-digest.js';
import { LAYOUT_EXTENSIONS, type StorageLayout } from './types.js';

/** Parameters of 0004 (defaults: sha256, 3, 3, false). */
export interface HashedNTupleConfig {
  digestAlgorithm: string;
  tupleSize: number;
  numberOfTuples: number;
  shortObjectRoot: boolean;
}

/** The parameters Fedora 6 uses (ocfl-java's HashedNTupleLayoutConfig defaults). */
export const FEDORA_LAYOUT_CONFIG: Readonly<HashedNTupleConfig> = Object.freeze({
  digestAlgorithm: 'sha256',
  tupleSize: 3,
  numberOfTuples: 3,
  shortObjectRoot: false,
});

/** Build a 0004 layout from `config.json` contents. Throws InvalidInputError listing every bad parameter. */
export function hashedNTupleLayout(config: Record<string, unknown> = {}): StorageLayout {
  const problems = new ConfigProblems(LAYOUT_EXTENSIONS.hashedNTuple);
  checkExtensionName(config, problems);
  const params: HashedNTupleConfig = {
    digestAlgorithm: stringParam(config, 'digestAlgorithm', 'sha256', problems)!,
    tupleSize: intParam(config, 'tupleSize', 3, [0, 32], problems),
    numberOfTuples: intParam(config, 'numberOfTuples', 3, [0, 32], problems),
    shortObjectRoot: boolParam(config, 'shortObjectRoot', false, problems),
  };
  checkTupleParams(params.digestAlgorithm, params.tupleSize, params.numberOfTuples, problems);
  const used = params.tupleSize * params.numberOfTuples;
  if (params.shortObjectRoot && used >= (DIGEST_HEX_LENGTH[params.digestAlgorithm] ?? Infinity)) {
    problems.add('shortObjectRoot must be false when the tuples consume the whole digest');
  }
  problems.throwIfAny();
  return {
    extensionName: LAYOUT_EXTENSIONS.hashedNTuple,
    config: { extensionName: LAYOUT_EXTENSIONS.hashedNTuple, ...params },
    objectRootFor(id: string): string {
      const hex = digestId(params.digestAlgorithm, id);
      const last = params.shortObjectRoot ? hex.slice(used) : hex;
      return [...tuples(hex, params.tupleSize, params.numberOfTuples), last].join('/');
    },
  };
}
