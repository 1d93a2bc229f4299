/**
 * Version directory names (spec §3.3): `v` + a positive base-ten integer, either unpadded
 * (`v1`, `v2`, … — recommended, W001 otherwise) or zero-padded to a fixed width chosen by the
 * first version (`v001` … `v099`). The same rules apply to the keys of an inventory's `versions`
 * block and to the directories found in an object root, so both go through
 * {@link checkVersionSequence}.
 *
 * Pure module.
 */

import type { OcflCode } from './codes.js';
import { q } from './context.js';

/** A well-formed version name. */
export interface VersionName {
  name: string;
  number: number;
  /** Digit count when zero-padded (`v003` → 3); 0 when unpadded. */
  paddedWidth: number;
}

/** Parse a version name, or say which code it breaks (E104 no `v`, E105 not a positive integer). */
export function parseVersionName(name: string): VersionName | { problem: 'E104' | 'E105' } {
  if (!name.startsWith('v')) return { problem: 'E104' };
  const digits = name.slice(1);
  if (!/^[0-9]+$/.test(digits)) return { problem: 'E105' };
  const number = Number(digits);
  if (!Number.isSafeInteger(number) || number < 1) return { problem: 'E105' };
  const paddedWidth = digits.length > 1 && digits.startsWith('0') ? digits.length : 0;
  return { name, number, paddedWidth };
}

/** Receives each problem found by {@link checkVersionSequence}. */
export type VersionIssueSink = (code: OcflCode, message: string, name?: string) => void;

/**
 * Check a set of version names (inventory keys or directory names) for form, sequence and naming
 * convention. `what` words the messages ("version directory", "versions key"). Names that are
 * not version names at all are reported (E104/E105) and left out of the result. Returns the
 * well-formed names sorted by number.
 */
export function checkVersionSequence(names: string[], what: string, sink: VersionIssueSink): VersionName[] {
  const parsed: VersionName[] = [];
  for (const name of names) {
    const v = parseVersionName(name);
    if ('problem' in v) sink(v.problem, `${what} ${q(name)} is not v followed by a positive integer`, name);
    else parsed.push(v);
  }
  parsed.sort((a, b) => a.number - b.number);
  if (parsed.length === 0) return parsed;
  checkNumbers(parsed, what, sink);
  checkConvention(parsed, what, sink);
  return parsed;
}

function checkNumbers(sorted: VersionName[], what: string, sink: VersionIssueSink): void {
  if (sorted[0]!.number !== 1) {
    sink('E009', `${what}s start at ${sorted[0]!.name}, not version 1`, sorted[0]!.name);
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.number === prev.number) {
      sink('E012', `${what}s ${prev.name} and ${cur.name} name the same version`, cur.name);
    } else if (cur.number !== prev.number + 1) {
      sink('E010', `${what}s jump from ${prev.name} to ${cur.name}`, cur.name);
    }
  }
}

/** The first version fixes padded-or-not and the width; every later one must follow it. */
function checkConvention(sorted: VersionName[], what: string, sink: VersionIssueSink): void {
  const first = sorted[0]!;
  const width = first.paddedWidth;
  if (width > 0) sink('W001', `${what}s are zero-padded (${first.name}); unpadded names are recommended`);
  for (const v of sorted.slice(1)) {
    const digits = v.name.length - 1;
    if (width === 0 && v.paddedWidth === 0) continue;
    if (width > 0 && digits === width && v.paddedWidth === width) continue;
    if (width > 0 && digits === width) {
      // Same width but no leading zero: the padded sequence has run out (v99 after v01…v98).
      sink('E011', `zero-padded ${what} ${v.name} does not start with "v0"`, v.name);
    } else {
      sink('E012', `${what} ${v.name} does not follow the naming of ${first.name}`, v.name);
    }
    sink('E013', `${what} ${v.name} breaks the naming convention set by ${first.name}`, v.name);
  }
}
