/**
 * Lining a deposit's METS up with its listing. METS paths are relative to the METS file's folder
 * and matched to deposit keys exactly, else by a unique letter-case-insensitive match (some METS
 * writers lower-case paths; the difference is a warning). Every content file other than the METS
 * itself must be listed (DECISIONS "Import jobs"): the ones that are not are problems, named.
 * METS files the deposit does not hold are kept aside: in a partial deposit they stand for files
 * of the group that were not exported.
 */
import type { ItemProblem } from '../../core/errors.js';
import { quoteForMessage } from '../../core/paths.js';
import { alignPaths } from '../../formats/combine/align.js';
import type { MetsDirectory, MetsFile, MetsModel } from '../../formats/mets/model.js';
import type { Mismatch } from '../../formats/model.js';

/** The METS, aligned with the deposit. */
export interface AlignedMets {
  metsKey: string;
  /** Deposit key → its METS entry. */
  files: Map<string, MetsFile>;
  /** METS entries no deposit file matches, with the deposit key they name. */
  absent: Array<{ key: string; entry: MetsFile }>;
  /** Deposit folder key → its METS entry. */
  folders: Map<string, MetsDirectory>;
  /** METS directories no deposit folder matches, with the deposit key they name. */
  absentFolders: Array<{ key: string; entry: MetsDirectory }>;
}

/** Most content files named one by one in the "not in the METS" problems (the rest are counted). */
const MAX_NAMED = 1000;

/**
 * Align `model` (read from `metsKey`) with the deposit's content files and folders. Problems (files
 * the METS does not list) and warnings (letter-case matches, the METS reader's own errors) are
 * pushed to the given lists.
 */
export function alignMets(
  model: MetsModel,
  metsKey: string,
  content: ReadonlySet<string>,
  folders: ReadonlySet<string>,
  problems: ItemProblem[],
  warnings: ItemProblem[],
): AlignedMets {
  const base = metsKey.includes('/') ? metsKey.slice(0, metsKey.lastIndexOf('/')) : '';
  const mismatches: Mismatch[] = [];
  const files = alignPaths(model.files, base, content, 'METS', mismatches);
  const dirs = alignPaths(model.directories, base, folders, 'METS', mismatches);
  for (const m of mismatches) warnings.push({ path: m.localPath, message: m.message });
  for (const p of model.problems) {
    if (p.severity === 'error') warnings.push({ path: p.path ?? metsKey, message: `METS: ${p.message}` });
  }
  let unlisted = 0;
  for (const key of content) {
    if (key === metsKey || files.byDepositPath.has(key)) continue;
    if (++unlisted <= MAX_NAMED)
      problems.push({
        path: key,
        message: `is in the deposit but not in its METS file ${quoteForMessage(metsKey)}`,
      });
  }
  if (unlisted > MAX_NAMED)
    problems.push({
      path: metsKey,
      message: `and ${unlisted - MAX_NAMED} more deposit files are not in the METS file`,
    });
  return {
    metsKey,
    files: files.byDepositPath,
    absent: files.unmatched.map((u) => ({ key: u.path, entry: u.entry })),
    folders: dirs.byDepositPath,
    absentFolders: dirs.unmatched.map((u) => ({ key: u.path, entry: u.entry })),
  };
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The METS SHA-256 of an entry (only SHA-256 counts), lowercase, or undefined. */
export function metsSha256(entry: MetsFile | undefined): string | undefined {
  const hex = entry?.digests.sha256?.trim().toLowerCase();
  return hex !== undefined && SHA256.test(hex) ? hex : undefined;
}
