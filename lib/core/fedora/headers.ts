/**
 * Fedora 6 resource headers (`.fcrepo/*.json`, FEDORA-OCFL §4.4), parsed leniently: every field
 * is optional, unknown fields are ignored, wrongly typed fields are dropped, so that 2020-era
 * and migration-utils files read as well as current ones. Digest URNs are normalised to
 * `{ algorithm, hex }` with OCFL algorithm names (`urn:sha-512:…` and `urn:sha512:…` → `sha512`).
 */
import { MalformedError } from '../errors.js';
import { describeJsonError } from '../json-scan.js';

/**
 * Largest `.fcrepo` header file read: 1 MiB. Fedora writes a few hundred bytes to a few KiB per
 * resource; anything near this cap is not a header, and reading it whole would let one file of
 * someone else's take the memory.
 */
export const MAX_FEDORA_HEADER_BYTES = 1024 * 1024;

/** A normalised content digest. */
export interface FedoraDigest {
  /** OCFL algorithm name: `md5`, `sha1`, `sha256`, `sha512`, `sha512/256`, or the URN's own lowercased name. */
  algorithm: string;
  /** Lowercase hex. */
  hex: string;
}

/** Interaction models Fedora writes (`InteractionModel.java`). */
export const INTERACTION_MODELS = {
  basicContainer: 'http://www.w3.org/ns/ldp#BasicContainer',
  directContainer: 'http://www.w3.org/ns/ldp#DirectContainer',
  indirectContainer: 'http://www.w3.org/ns/ldp#IndirectContainer',
  nonRdfSource: 'http://www.w3.org/ns/ldp#NonRDFSource',
  description: 'http://fedora.info/definitions/v4/repository#NonRdfSourceDescription',
  acl: 'http://fedora.info/definitions/v4/webac#Acl',
} as const;

/** One parsed header. Absent fields were absent (or unusable) in the file. */
export interface FedoraHeader {
  id?: string;
  parent?: string;
  archivalGroupId?: string;
  interactionModel?: string;
  mimeType?: string;
  filename?: string;
  /** Bytes of the content file; absent when the header says -1 (no content). */
  contentSize?: number;
  digests: FedoraDigest[];
  externalUrl?: string;
  externalHandling?: string;
  createdDate?: string;
  createdBy?: string;
  lastModifiedDate?: string;
  lastModifiedBy?: string;
  mementoCreatedDate?: string;
  stateToken?: string;
  archivalGroup: boolean;
  objectRoot: boolean;
  deleted: boolean;
  /** Logical path (within the OCFL object) of the content file. */
  contentPath?: string;
  headersVersion?: string;
}

const ALGORITHM_ALIASES: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  'sha-1': 'sha1',
  sha256: 'sha256',
  'sha-256': 'sha256',
  sha512: 'sha512',
  'sha-512': 'sha512',
  'sha512/256': 'sha512/256',
  'sha-512/256': 'sha512/256',
};

/**
 * Parse a digest URN (`urn:sha-256:ab…`, `urn:sha256:AB…`). The algorithm is everything between
 * `urn:` and the last `:`. Returns undefined for anything that is not `urn:<alg>:<hex>`.
 */
export function parseDigestUrn(urn: string): FedoraDigest | undefined {
  const m = /^urn:(.+):([0-9a-fA-F]+)$/.exec(urn.trim());
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  return { algorithm: ALGORITHM_ALIASES[name] ?? name, hex: m[2]!.toLowerCase() };
}

const STRING_FIELDS = [
  'id',
  'parent',
  'archivalGroupId',
  'interactionModel',
  'mimeType',
  'filename',
  'externalUrl',
  'externalHandling',
  'createdDate',
  'createdBy',
  'lastModifiedDate',
  'lastModifiedBy',
  'mementoCreatedDate',
  'stateToken',
  'contentPath',
  'headersVersion',
] as const;

/** Build a header from an already-parsed JSON value. Throws MalformedError unless it is an object. */
export function headerFromJson(json: unknown, key?: string): FedoraHeader {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new MalformedError('Fedora header is not a JSON object', { operation: 'parseFedoraHeader', key });
  }
  const raw = json as Record<string, unknown>;
  const header: FedoraHeader = {
    digests: [],
    archivalGroup: raw['archivalGroup'] === true,
    objectRoot: raw['objectRoot'] === true,
    deleted: raw['deleted'] === true,
  };
  for (const field of STRING_FIELDS) {
    const value = raw[field];
    if (typeof value === 'string') header[field] = value;
  }
  const size = raw['contentSize'];
  if (typeof size === 'number' && Number.isFinite(size) && size >= 0) header.contentSize = size;
  if (Array.isArray(raw['digests'])) {
    for (const urn of raw['digests']) {
      const digest = typeof urn === 'string' ? parseDigestUrn(urn) : undefined;
      if (digest) header.digests.push(digest);
    }
  }
  return header;
}

/** Parse a header file's bytes. Throws MalformedError for bad JSON or a non-object. */
export function parseFedoraHeader(bytes: Uint8Array | string, key?: string): FedoraHeader {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    // No `cause`: V8's message quotes the text; only the position is reported.
    throw new MalformedError(`Fedora header is not valid JSON (${describeJsonError(cause)})`, {
      operation: 'parseFedoraHeader',
      ...(key !== undefined && { key }),
    });
  }
  return headerFromJson(json, key);
}

/** The header's digest in `algorithm` (OCFL name), if recorded. */
export function headerDigest(header: FedoraHeader, algorithm: string): string | undefined {
  return header.digests.find((d) => d.algorithm === algorithm)?.hex;
}

/** True for LDP containers of any kind (basic, direct, indirect). */
export function isContainerModel(model: string | undefined): boolean {
  return (
    model === INTERACTION_MODELS.basicContainer ||
    model === INTERACTION_MODELS.directContainer ||
    model === INTERACTION_MODELS.indirectContainer
  );
}
