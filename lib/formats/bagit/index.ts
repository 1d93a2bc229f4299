/**
 * BagIt (RFC 8493, and the 0.93–0.97 drafts): pure tag-file parsers, the manifest reading the
 * combiner takes, and the validator that checks a bag through any {@link BagSource}.
 */
export { type BagAlgorithm, bagAlgorithm, canonicalAlgorithm } from './algorithms.js';
export { baggingDate, parseBagInfo, parsePayloadOxum } from './bag-info.js';
export { isV1, KNOWN_VERSIONS, parseBagDeclaration, versionAtLeast } from './declaration.js';
export { parseFetch } from './fetch.js';
export { digestBagFiles } from './fixity.js';
export { BagIssues } from './issues.js';
export { manifestName, parseManifest } from './manifest.js';
export * from './model.js';
export {
  decodeBagPath,
  encodeBagPath,
  isAbsoluteBagPath,
  type NormalizedPath,
  normalizeBagPath,
} from './paths.js';
export {
  type BagDigestMap,
  type BagManifestReading,
  bagPayloadDigests,
  bagTagDigests,
  isParsedTagFile,
  listBag,
  parseBagManifests,
  parseBagTagFiles,
  readBag,
  readBagManifests,
} from './read.js';
export type { BagDigestOptions, BagDigestRequest, BagDigestResult, BagFile, BagSource } from './source.js';
export { storeBagSource } from './store-source.js';
export { type DecodedText, decodeTagText, splitLines } from './text.js';
export { type BagValidation, type ValidateBagOptions, validateBag } from './validate.js';
export { zipBagSource } from './zip-source.js';
