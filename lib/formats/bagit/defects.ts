/**
 * Entries that are listed but must never be read (see {@link BagEntryDefect}): each becomes an
 * error naming the entry, so a FIFO, a device, an undecodable name or a hostile zip member is
 * never silently skipped and never opened.
 */
import { quoteForMessage } from '../../core/paths.js';
import type { BagIssues } from './issues.js';
import type { BagIssueCode } from './model.js';
import type { BagEntryDefect, BagFile } from './source.js';
import { describeZipDefect, type ZipMemberDefect } from './zip-members.js';

const CODE: Record<BagEntryDefect, BagIssueCode> = {
  fifo: 'special-file',
  socket: 'special-file',
  'char-device': 'special-file',
  'block-device': 'special-file',
  unknown: 'special-file',
  'special-file': 'special-file',
  'name-not-utf8': 'name-not-utf8',
  'unsafe-name': 'unsafe-name',
  symlink: 'zip-symlink',
  'duplicate-name': 'duplicate-member',
  encrypted: 'member-unsupported',
  'unsupported-compression': 'member-unsupported',
  'too-large': 'member-too-large',
  ratio: 'member-too-large',
  'size-mismatch': 'member-inconsistent',
  overlap: 'member-inconsistent',
};

const SPECIAL_TEXT: Partial<Record<BagEntryDefect, string>> = {
  fifo: 'is a FIFO',
  socket: 'is a socket',
  'char-device': 'is a character device',
  'block-device': 'is a block device',
  unknown: 'is neither a file nor a directory',
};

/** The issue code a defect is reported under. */
export function defectCode(defect: BagEntryDefect): BagIssueCode {
  return CODE[defect];
}

/**
 * Split a listing into the files that may be read and those with a defect, reporting each of the
 * latter as an error `<quoted path>: <what>; not read`.
 */
export function separateDefects(
  listed: ReadonlyMap<string, BagFile>,
  issues: BagIssues,
): Map<string, BagFile> {
  const readable = new Map<string, BagFile>();
  for (const [path, f] of listed) {
    if (f.defect === undefined) {
      readable.set(path, f);
      continue;
    }
    const what =
      SPECIAL_TEXT[f.defect] ??
      (f.defect === 'name-not-utf8'
        ? 'name is not valid UTF-8'
        : describeZipDefect(f.defect as ZipMemberDefect));
    issues.error(CODE[f.defect], quoteForMessage(path), `${what}; not read`);
  }
  return readable;
}
