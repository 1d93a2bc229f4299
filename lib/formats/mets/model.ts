/**
 * What the METS reader returns: the facts a METS file gives about a deposit, in the JSON shape
 * `strongroom mets --json` prints. Paths are relative to the folder holding the METS file
 * (the combiner places them in the deposit). Pure types, no I/O.
 */
import type { Finding, FindingSeverity } from '../../core/findings.js';

/** Producers we recognise from the METS header, root attributes and characteristic structure. */
export type MetsProducerKind =
  | 'strongroom'
  | 'leeds-preservation-api'
  | 'goobi'
  | 'archivematica'
  | 'eprints'
  | 'dspace'
  | 'dataverse'
  | 'other';

/** Who wrote the METS; `agent` is the creator agent's name as written, when there is one. */
export interface MetsProducer {
  kind: MetsProducerKind;
  agent?: string;
}

/**
 * Something in the file the reader could not take at face value. Reading goes on; the value
 * concerned is dropped or re-labelled as the message says. Codes are listed in `problems.ts`.
 */
export interface MetsProblem extends Finding {
  code: string;
  /** `error` for what leaves an item out or untrusted (see problems.ts), else `warning`. */
  severity: FindingSeverity;
  message: string;
  /** The METS-relative path of the file or directory concerned, when known. */
  path?: string;
  /** 1-based position in the METS file, when known. */
  line?: number;
  column?: number;
}

/** A PREMIS "virus check" event linked to a file. Values are as written (dates not normalised). */
export interface MetsVirusCheck {
  /** `eventOutcome`, e.g. "Pass" / "Fail" / "pass". */
  outcome: string | null;
  /** `eventDetail`: the scanner and signature version, e.g. "ClamAV 1.4.3/27886/...". */
  detail: string | null;
  /** `eventDateTime` as written. */
  date: string | null;
  /** The linking agent (software) when named. */
  agent: string | null;
  /** `eventOutcomeDetailNote`: what was found (signature names), when written. */
  outcomeDetail: string | null;
}

/** A format identification: PRONOM key (null for other registries or none) and format name. */
export interface MetsFormat {
  pronomKey: string | null;
  name: string | null;
}

/** One file the METS describes. */
export interface MetsFile {
  /** Path relative to the METS file's folder, from FLocat xlink:href (percent-decoded). */
  path: string;
  /** Original name (div LABEL or PREMIS originalName), or null when the METS gives none. */
  name: string | null;
  contentType: string | null;
  size: number | null;
  /** Algorithm (`sha256`, `sha1`, `md5`, `sha512`, ...) → lowercase hex, length-checked. */
  digests: Record<string, string>;
  format: MetsFormat | null;
  virusCheck: MetsVirusCheck | null;
  admId?: string | null;
  physDivId?: string | null;
  fileId?: string | null;
  /** Present only when the file's own descriptive metadata restricts access. */
  accessRestrictions?: string[];
  /** Present only when the file's own descriptive metadata gives a rights statement URI. */
  rightsStatement?: string | null;
  /** EXIF tags (tag name → value as ExifTool printed it), present only when the METS records some. */
  exif?: Record<string, string>;
}

/** One directory: from structMap divs of TYPE Directory/folder, or implied by file paths. */
export interface MetsDirectory {
  path: string;
  name: string | null;
  physDivId?: string | null;
  admId?: string | null;
  accessRestrictions?: string[];
  rightsStatement?: string | null;
}

/** Everything the reader learnt from one METS file. */
export interface MetsModel {
  title: string | null;
  /** Root-level access restrictions (MODS "restriction on access", Goobi "status"). */
  accessRestrictions: string[];
  /** Root-level rights statement URI (MODS "use and reproduction"). */
  rightsStatement: string | null;
  /** In fileSec order. */
  files: MetsFile[];
  /** Sorted by path; every directory including empty ones, never the root itself. */
  directories: MetsDirectory[];
  problems: MetsProblem[];
  producer: MetsProducer;
  /** True only for METS that Strongroom wrote (and so may edit). */
  editable: boolean;
}
