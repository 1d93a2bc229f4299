/** Fedora 6 on OCFL: header parsing, naming rules, and the Preservation API resource model. */
export {
  type FedoraDigest,
  type FedoraHeader,
  headerDigest,
  headerFromJson,
  INTERACTION_MODELS,
  isContainerModel,
  parseDigestUrn,
  parseFedoraHeader,
} from './headers.js';
export {
  type ArchivalGroupResource,
  type BinaryResource,
  type ContainerResource,
  findResource,
  type ObjectResources,
  type Resource,
  type ResourceBase,
  type Tombstone,
} from './model.js';
export {
  FEDORA_ID_PREFIX,
  fedoraIdToPath,
  fedoraIdToUrl,
  HEADER_DIR,
  isFedoraHousekeeping,
  isHeaderPath,
  looksLikeFedora,
  ROOT_HEADER,
} from './paths.js';
export { buildObjectResources, type ResourceModelInput } from './resources.js';
