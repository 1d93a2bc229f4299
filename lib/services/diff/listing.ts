/**
 * Listing a deposit's working area for the diff, in parallel where the store allows it.
 *
 * S3 pages one prefix at a time (a continuation token is sequential), so the only parallelism is
 * across prefixes: the first levels are listed with a delimiter, folder by folder, until enough
 * folders are known to keep `concurrency` listings busy; each of those is then listed
 * recursively, all at once. On the filesystem every folder costs one `readdir` either way, so the
 * walk stays folder by folder all the way down (which also finds empty folders, which the
 * deposit's structure includes).
 *
 * Entries that are not regular files (FIFOs, devices, undecodable names) and symbolic links are
 * reported, never read.
 */
import type { ItemProblem } from '../../core/errors.js';
import { mapLimit } from '../../engine/concurrency.js';
import type { OtherEntryType, ReadableStore } from '../../storage/port.js';

/** One file of the deposit. */
export interface ListedFile {
  key: string;
  size: number;
  /** Last modification time, when the store lists it. */
  modified?: Date;
  /** The store's etag, when it lists one (the filesystem view keys its caches on it). */
  etag?: string;
}

/** What the listing found. */
export interface DepositListing {
  /** Regular files, sorted by key. */
  files: ListedFile[];
  /** Folders seen as such (on the filesystem: every folder, empty ones included). */
  folders: string[];
  /** Entries that must not be read, each with the reason. */
  unreadable: ItemProblem[];
  /** The same entries with what they are (for views that show them without reading them). */
  special: SpecialEntry[];
}

/** An entry that is there but is not a regular file: never read, never followed. */
export interface SpecialEntry {
  key: string;
  type: OtherEntryType | 'symlink';
}

/** Options of {@link listDeposit}. */
export interface ListDepositOptions {
  /** Listings in flight (default 16). */
  concurrency?: number;
  /** Folder levels listed with a delimiter before switching to recursive listings (S3; default 3). */
  delimitedLevels?: number;
  signal?: AbortSignal;
}

const OTHER_TEXT: Record<string, string> = {
  fifo: 'a FIFO',
  socket: 'a socket',
  'char-device': 'a character device',
  'block-device': 'a block device',
  unknown: 'neither a file nor a folder',
  'undecodable-name': 'a name that is not valid UTF-8',
};

/** List every entry of `store`. Throws the store's errors (NotFoundError, IoError, ...). */
export async function listDeposit(
  store: ReadableStore,
  options: ListDepositOptions = {},
): Promise<DepositListing> {
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const levels = store.kind === 'file' ? Number.POSITIVE_INFINITY : (options.delimitedLevels ?? 3);
  const out: DepositListing = { files: [], folders: [], unreadable: [], special: [] };
  const signal = options.signal;
  let frontier = [''];
  for (let depth = 0; frontier.length > 0; depth++) {
    const delimited = depth < levels && (store.kind === 'file' || frontier.length < concurrency);
    const next = await mapLimit(frontier, concurrency, async (prefix) => {
      const found: string[] = [];
      for await (const e of store.list(prefix, { delimiter: delimited, ...(signal && { signal }) })) {
        if (e.kind === 'prefix') {
          out.folders.push(e.key);
          found.push(e.key);
        } else if (e.kind === 'other') {
          out.unreadable.push({ path: e.key, message: `is ${OTHER_TEXT[e.type] ?? e.type}; never read` });
          out.special.push({ key: e.key, type: e.type });
        } else if (e.symlink) {
          out.unreadable.push({ path: e.key, message: 'is a symbolic link; links are not followed' });
          out.special.push({ key: e.key, type: 'symlink' });
        } else {
          const file: ListedFile = { key: e.key, size: e.size };
          if (e.modified !== undefined) file.modified = e.modified;
          if (e.etag !== undefined) file.etag = e.etag;
          out.files.push(file);
        }
      }
      return found;
    });
    frontier = next.flat();
  }
  out.files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  out.folders.sort();
  return out;
}
