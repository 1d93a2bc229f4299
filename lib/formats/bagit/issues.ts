/**
 * The collector every bag check reports through. Messages follow one shape,
 * `<file>: <what> <path>` (e.g. `manifest-sha256.txt: digest mismatch data/a.csv`), so people
 * and the corpus expectations can match them; programs use `code`.
 */
import { quoteForMessage } from '../../core/paths.js';
import type { BagIssue, BagIssueCode, BagSeverity } from './model.js';

/** Collects errors and warnings in the order found. Never throws. */
export class BagIssues {
  readonly list: BagIssue[] = [];

  /** Record an error about `file` (and `path` inside it, when given). */
  error(code: BagIssueCode, file: string, what: string, path?: string): void {
    this.add('error', code, file, what, path);
  }

  /** Record a warning about `file` (and `path` inside it, when given). */
  warn(code: BagIssueCode, file: string, what: string, path?: string): void {
    this.add('warning', code, file, what, path);
  }

  /** Record at the given severity (for rules whose severity depends on the BagIt version). */
  add(severity: BagSeverity, code: BagIssueCode, file: string, what: string, path?: string): void {
    const message = path === undefined ? `${file}: ${what}` : `${file}: ${what} ${shown(path)}`;
    const issue: BagIssue = { severity, code, message, file };
    if (path !== undefined) issue.path = path;
    this.list.push(issue);
  }

  /** True when any error was recorded. */
  hasErrors(): boolean {
    return this.list.some((i) => i.severity === 'error');
  }
}

/**
 * A path from the bag as messages show it: as written when short and printable (the corpus
 * expectations match those), else quoted and cut so a hostile name cannot flood or forge a line.
 */
function shown(path: string): string {
  return path.length > 200 || /[\u0000-\u001f\u007f-\u009f"]/.test(path) ? quoteForMessage(path) : path;
}
