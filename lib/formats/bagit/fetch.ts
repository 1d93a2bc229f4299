/**
 * `fetch.txt`: `<url> <length> <path>` per line, naming payload files that are not in the bag yet
 * (a "holey" bag). The URL must be absolute; the length is octets or `-`; the path follows the
 * manifest rules (payload only, same encoding). Whether the files are present is the validator's
 * business.
 */
import { readEntryPath } from './entry-path.js';
import type { BagIssues } from './issues.js';
import type { FetchEntry } from './model.js';
import { splitLines } from './text.js';

const FILE = 'fetch.txt';

/** Parse fetch.txt (decoded text). Bad lines are reported and skipped; bad paths kept as null. */
export function parseFetch(text: string, version: string | null, issues: BagIssues): FetchEntry[] {
  const out: FetchEntry[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^[ \t]*(\S+)[ \t]+(\S+)[ \t]+(.+)$/.exec(line);
    if (!m) {
      issues.error('fetch-line-invalid', FILE, `line ${i + 1}: not "<url> <length> <path>"`);
      return;
    }
    const [, url, len, raw] = m as unknown as [string, string, string, string];
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) {
      issues.error('fetch-line-invalid', FILE, `line ${i + 1}: URL is not absolute for`, raw);
    }
    if (len !== '-' && !/^\d+$/.test(len)) {
      issues.error('fetch-line-invalid', FILE, `line ${i + 1}: length is neither octets nor "-" for`, raw);
    }
    const path = readEntryPath(raw, { file: FILE, version, payload: true }, issues);
    out.push({ url, length: /^\d+$/.test(len) ? Number(len) : null, path, raw, line: i + 1 });
  });
  return out;
}
