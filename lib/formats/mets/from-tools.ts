/**
 * From the combiner's view of a deposit file (WorkingFile, whose `metadata` holds what the tool
 * outputs said) to the update `MetsDocument.addFile` takes: what "add this file to METS"
 * records — SHA-256, size, MIME type, PRONOM format, original name, the virus check and the
 * EXIF tags ExifTool printed.
 *
 * Sources, in order of preference: the WorkingFile's own fields (already merged by the
 * combiner), then its FileFormatMetadata (Siegfried / Brunnhilde) for the format, then its
 * VirusScanMetadata (ClamAV) for the virus-check event. A scan without a timestamp cannot become
 * a PREMIS event (eventDateTime is mandatory); the caller's `scanTime` is used then, and without
 * one the virus check is left out rather than dated "now".
 */
import type { ExifMetadata, FileFormatMetadata, VirusScanMetadata, WorkingFile } from '../model.js';
import type { FileUpdate } from './document.js';

/** Options for {@link fileUpdateFromWorkingFile}. */
export interface FromWorkingFileOptions {
  /** Deposit folder the METS paths are relative to ('' for RootLevel, 'data' for BagIt). Default ''. */
  base?: string;
  /** Date for a virus scan whose record has no timestamp. Default: leave the virus check out. */
  scanTime?: string | null;
}

/**
 * Build the METS update for a deposit file. Throws nothing; the document validates the values
 * when the update is applied (InvalidInputError for a bad digest or date).
 */
export function fileUpdateFromWorkingFile(
  file: WorkingFile,
  options: FromWorkingFileOptions = {},
): FileUpdate {
  const base = options.base ?? '';
  const path =
    base !== '' && file.localPath.startsWith(`${base}/`)
      ? file.localPath.slice(base.length + 1)
      : file.localPath;
  const format =
    file.metadata.find(
      (m): m is FileFormatMetadata => m.type === 'FileFormatMetadata' && m.pronomKey !== null,
    ) ?? file.metadata.find((m): m is FileFormatMetadata => m.type === 'FileFormatMetadata');
  const scan = latestScan(
    file.metadata.filter((m): m is VirusScanMetadata => m.type === 'VirusScanMetadata'),
  );
  const update: FileUpdate = {
    path,
    contentType: file.contentType ?? format?.contentType ?? null,
    size: file.size ?? format?.size ?? null,
    sha256: file.digest ?? format?.digest ?? null,
    format: format ? { pronomKey: format.pronomKey, name: format.formatName } : null,
  };
  if (file.name !== null) update.name = file.name;
  // The first ExifTool record (records come ordered by the output they were read from).
  const exif = file.metadata.find((m): m is ExifMetadata => m.type === 'ExifMetadata');
  update.exif = exif && Object.keys(exif.tags).length > 0 ? { ...exif.tags } : null;
  const date = scan?.timestamp ?? options.scanTime ?? null;
  if (scan && date) {
    update.virusCheck = {
      outcome: scan.hasVirus ? 'Fail' : 'Pass',
      detail: scan.engineVersion ?? null,
      date,
      agent: scan.source,
      outcomeDetail: scan.virusesFound.length ? scan.virusesFound.join(', ') : null,
    };
  }
  return update;
}

function latestScan(scans: VirusScanMetadata[]): VirusScanMetadata | null {
  let best: VirusScanMetadata | null = null;
  for (const s of scans) if (best === null || (s.timestamp ?? '') >= (best.timestamp ?? '')) best = s;
  return best;
}
