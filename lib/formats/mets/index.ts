/**
 * METS: read any producer's METS into a {@link MetsModel}; write and edit Strongroom's own.
 * See reader.ts, document.ts and writer.ts for the details and the decisions behind them.
 */

export { checkDigest, type DigestVerdict, normaliseAlgorithm } from './digests.js';
export {
  type CreateOptions,
  type DocumentDirectory,
  type DocumentFile,
  type FileUpdate,
  isDocumentFile,
  MetsDocument,
  type MetsTemplate,
  type TemplateLayout,
  templateLayout,
} from './document.js';
export { type FromWorkingFileOptions, fileUpdateFromWorkingFile } from './from-tools.js';
export type {
  MetsDirectory,
  MetsFile,
  MetsFormat,
  MetsModel,
  MetsProblem,
  MetsProducer,
  MetsProducerKind,
  MetsVirusCheck,
} from './model.js';
export { type HrefOptions, type HrefPath, hrefToPath, pathToHref } from './paths.js';
export type { MetsProblemCode } from './problems.js';
export { isEditable, isStrongroomMets, STRONGROOM_AGENT, STRONGROOM_PROFILE } from './producer.js';
export { type ReadMetsOptions, readMets } from './reader.js';
export { metsChunks, writeMets } from './writer.js';
