/**
 * The shapes the Preservation API shows for a deposit's files and directories, and the metadata
 * records that format readers (METS, BagIt, Siegfried, Brunnhilde, ClamAV, ExifTool) produce.
 * See "Working with Deposit files and folders" in the Preservation API spec.
 *
 * Shared by every reader in lib/formats so that the combiner can merge them. Pure types plus a
 * few constructors; no I/O.
 */

/** Digest algorithm names as we label them everywhere (lowercase, OCFL spelling). */
export type DigestAlgorithmName = 'sha256' | 'sha512' | 'sha1' | 'md5' | string;

/** Common fields of every metadata record. */
export interface MetadataBase {
  /** The tool or process that produced it: "Siegfried", "Brunnhilde", "ClamAV", "ExifTool", "BagIt", "METS". */
  source: string;
  /** When the tool produced it (ISO 8601), or null when the output does not say. */
  timestamp: string | null;
  /** Deposit-relative path of the tool output the record was read from (provenance), when known. */
  origin?: string | null;
}

/** A checksum reported by a tool or manifest. `digest` is SHA-256 hex, lowercase. */
export interface DigestMetadata extends MetadataBase {
  type: 'DigestMetadata';
  digest: string;
}

/** A PRONOM-based identification (Siegfried, Brunnhilde, METS PREMIS format). */
export interface FileFormatMetadata extends MetadataBase {
  type: 'FileFormatMetadata';
  /** SHA-256 when the tool reported one, else null. */
  digest: string | null;
  size: number | null;
  /** e.g. "fmt/353"; null when unidentified ("UNKNOWN"). */
  pronomKey: string | null;
  formatName: string | null;
  contentType: string | null;
  /** The path the tool saw, relative to the deposit root where it could be made relative. */
  originalName: string | null;
  /** The absolute location the tool saw (workstation path), when it recorded one. */
  storageLocation: string | null;
  /** Every match when the tool reported more than one (the first is copied above). */
  matches?: FormatMatch[];
  /** True when the tool reported more than one candidate format. */
  ambiguous?: boolean;
  /** The identifier scheme/namespace (e.g. "pronom") when reported. */
  namespace?: string | null;
  /** Tool warnings for this file (e.g. "extension mismatch"). */
  warning?: string | null;
  /** Version of the (first) matched format, e.g. "1.01". */
  formatVersion?: string | null;
  /** The file's modification time as the tool saw it (ISO 8601 as printed). */
  modified?: string | null;
  /** Per-file error the tool reported (e.g. Siegfried's `errors` field), null when none. */
  errors?: string | null;
  /** Every checksum the tool reported, keyed by algorithm name (`sha256`, `md5`, ...), lowercase hex. */
  digests?: Record<DigestAlgorithmName, string>;
}

/** One candidate format from a tool that reports several. */
export interface FormatMatch {
  namespace: string | null;
  /** The identifier's own id for the format, whatever the namespace (e.g. "fmt/353", "fdd000132"); null when unidentified. */
  id?: string | null;
  /** The PRONOM key; null when unidentified ("UNKNOWN") or when the match is in another namespace. */
  pronomKey: string | null;
  formatName: string | null;
  contentType: string | null;
  basis?: string | null;
  warning?: string | null;
  /** Format version as the tool printed it (Siegfried `version`). */
  version?: string | null;
  /** PRONOM format class when reported (Siegfried ≥ 1.9 `class`), e.g. "Image (Raster)". */
  formatClass?: string | null;
}

/** A virus scan outcome for one file. */
export interface VirusScanMetadata extends MetadataBase {
  type: 'VirusScanMetadata';
  /** True when a virus was found. */
  hasVirus: boolean;
  /** Signature names found ("Eicar-Signature"), empty when clean. */
  virusesFound: string[];
  /** Scanner engine version and signature database facts when the log gives them. */
  engineVersion?: string | null;
  knownViruses?: number | null;
  /** The raw line(s) the verdict came from. */
  raw?: string | null;
  /**
   * True when the verdict is inferred rather than printed: the log listed only infected files
   * (`clamscan -i`, as Brunnhilde runs it) and this file, inside the scan's scope, was not listed.
   */
  inferred?: boolean;
}

/** EXIF / embedded metadata from ExifTool: tag name → value as printed. */
export interface ExifMetadata extends MetadataBase {
  type: 'ExifMetadata';
  tags: Record<string, string>;
}

/** A whole tool output attached as a report (e.g. Brunnhilde's report.html). */
export interface ToolOutput extends MetadataBase {
  type: 'ToolOutput';
  /** Deposit-relative path of the report. */
  path: string;
  contentType: string | null;
  /** Deposit-relative directory the tool ran over, when the report says and it could be resolved. */
  scope?: string | null;
}

/** Any metadata record. */
export type Metadata = DigestMetadata | FileFormatMetadata | VirusScanMetadata | ExifMetadata | ToolOutput;

/** METS-specific facts about a file or directory. */
export interface MetsExtensions {
  physDivId?: string | null;
  admId?: string | null;
}

/** A file in a deposit, as the API shows it. */
export interface WorkingFile {
  type: 'WorkingFile';
  localPath: string;
  name: string | null;
  contentType: string | null;
  digest: string | null;
  size: number | null;
  modified: string | null;
  metsExtensions?: MetsExtensions;
  metadata: Metadata[];
  accessRestrictions: string[];
  rightsStatement: string | null;
}

/** A directory in a deposit, as the API shows it. */
export interface WorkingDirectory {
  type: 'WorkingDirectory';
  localPath: string;
  name: string | null;
  modified: string | null;
  metsExtensions?: MetsExtensions;
  metadata: Metadata[];
  accessRestrictions: string[];
  rightsStatement: string | null;
  files: WorkingFile[];
  directories: WorkingDirectory[];
}

/** A disagreement between two sources about one file, reported rather than resolved. */
export interface Mismatch {
  localPath: string;
  /**
   * `path`: the same file is named with different letter case by two sources. `entry`: the
   * deposit holds something at this path that is not a regular file (FIFO, socket, device,
   * undecodable name); it is never read.
   */
  field: 'digest' | 'size' | 'contentType' | 'format' | 'presence' | 'path' | 'entry';
  /** Each source's value, e.g. { METS: '...', BagIt: '...', S3: '...' }. */
  values: Record<string, string | number | null>;
  message: string;
}
