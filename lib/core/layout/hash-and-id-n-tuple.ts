/**
 * 0003-hash-and-id-n-tuple-storage-layout: `numberOfTuples` directories of `tupleSize` hex
 * characters from the digest of the id, then an encapsulation directory holding the id itself,
 * percent-encoded (everything but `A-Z a-z 0-9 - _` becomes `%xx` per UTF-8 byte, lowercase).
 * An encoded id longer than 100 characters is cut to 100 and followed by `-` and the full digest.
 */
import { ConfigProblems, checkExtensionName, intParam, stringParam } from './config-fields.js';
import { DIGEST_HEX_LENGTH, digestId, isLayoutDigestSupported, tuples } from './id-digest.js';
import { LAYOUT_EXTENSIONS, type StorageLayout } from './types.js';

/** Parameters of 0003 (defaults: sha256, 3, 3). */
export interface HashAndIdNTupleConfig {
  digestAlgorithm: string;
  tupleSize: number;
  numberOfTuples: number;
}

const MAX_ENCODED = 100;

/** Percent-encode an id the way 0003 names its encapsulation directory. */
export function encodeIdFor0003(id: string): string {
  let out = '';
  for (const ch of id) {
    if (/^[A-Za-z0-9_-]$/.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Check tuple parameters shared by 0003 and 0004: both zero or both non-zero, fitting the digest. */
export function checkTupleParams(
  algorithm: string,
  tupleSize: number,
  numberOfTuples: number,
  problems: ConfigProblems,
): void {
  if (!isLayoutDigestSupported(algorithm)) {
    problems.add(`digestAlgorithm ${JSON.stringify(algorithm)} is not supported`);
    return;
  }
  if ((tupleSize === 0) !== (numberOfTuples === 0)) {
    problems.add('tupleSize and numberOfTuples must both be 0 or both be non-zero');
  }
  const hexLength = DIGEST_HEX_LENGTH[algorithm]!;
  if (tupleSize * numberOfTuples > hexLength) {
    problems.add(`tupleSize × numberOfTuples exceeds the ${hexLength}-character ${algorithm} digest`);
  }
}

/** Build a 0003 layout from `config.json` contents. Throws InvalidInputError listing every bad parameter. */
export function hashAndIdNTupleLayout(config: Record<string, unknown> = {}): StorageLayout {
  const problems = new ConfigProblems(LAYOUT_EXTENSIONS.hashAndIdNTuple);
  checkExtensionName(config, problems);
  const params: HashAndIdNTupleConfig = {
    digestAlgorithm: stringParam(config, 'digestAlgorithm', 'sha256', problems)!,
    tupleSize: intParam(config, 'tupleSize', 3, [0, 32], problems),
    numberOfTuples: intParam(config, 'numberOfTuples', 3, [0, 32], problems),
  };
  checkTupleParams(params.digestAlgorithm, params.tupleSize, params.numberOfTuples, problems);
  problems.throwIfAny();
  return {
    extensionName: LAYOUT_EXTENSIONS.hashAndIdNTuple,
    config: { extensionName: LAYOUT_EXTENSIONS.hashAndIdNTuple, ...params },
    objectRootFor(id: string): string {
      const hex = digestId(params.digestAlgorithm, id);
      let encoded = encodeIdFor0003(id);
      if (encoded.length > MAX_ENCODED) encoded = `${encoded.slice(0, MAX_ENCODED)}-${hex}`;
      return [...tuples(hex, params.tupleSize, params.numberOfTuples), encoded].join('/');
    },
  };
}
