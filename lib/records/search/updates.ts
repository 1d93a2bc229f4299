/**
 * Checking index updates once for every implementation: each group path a safe repository path
 * (it becomes part of keys), each resource well-formed, and the resources of a group put in the
 * one order every implementation answers in (code points of the path, the last of duplicate
 * paths winning). Problems are collected and thrown together.
 */
import { InvalidInputError } from '../../core/errors.js';
import { describePathProblem, pathSafetyProblems, quoteForMessage } from '../../core/paths.js';
import { MAX_GROUP_PATH_BYTES } from '../checks.js';
import { compareCodePoints } from '../deposit-query.js';
import type { GroupUpdate, IndexedResource } from './port.js';

/** Longest resource path or name the index keeps, in characters. */
export const MAX_INDEXED_TEXT_CHARS = 16_384;

/** A checked update: resources sorted by path, without duplicates. */
export type CheckedUpdate =
  | { archivalGroupPath: string; version: string; resources: IndexedResource[] }
  | { archivalGroupPath: string; remove: true };

const VERSION = /^v\d{1,16}$/;

function text(value: unknown, nullable: boolean): boolean {
  if (value === null) return nullable;
  return typeof value === 'string' && value.length <= MAX_INDEXED_TEXT_CHARS;
}

function resourceProblem(r: IndexedResource): string | undefined {
  if (typeof r !== 'object' || r === null) return 'not an object';
  if (!text(r.path, false) || r.path === '') return 'path must be a non-empty string';
  if (!text(r.name, false)) return 'name must be a string';
  for (const field of ['created', 'lastModified', 'contentType'] as const)
    if (!text(r[field], true)) return `${field} must be a string or null`;
  if (r.size !== null && !(Number.isSafeInteger(r.size) && r.size >= 0))
    return 'size must be a whole number ≥ 0 or null';
  return undefined;
}

/** The updates checked and normalised. Throws InvalidInputError naming every problem (up to 20). */
export function checkGroupUpdates(
  updates: readonly GroupUpdate[],
  activitySeq: number | undefined,
): CheckedUpdate[] {
  const problems: string[] = [];
  if (!Array.isArray(updates)) throw new InvalidInputError('index updates must be a list');
  if (activitySeq !== undefined && !(Number.isSafeInteger(activitySeq) && activitySeq >= 0))
    problems.push('activitySeq must be a whole number ≥ 0');
  const out: CheckedUpdate[] = [];
  for (const [i, u] of updates.entries()) {
    const where = `update ${i}`;
    const path = (u as { archivalGroupPath?: unknown })?.archivalGroupPath;
    const unsafe = pathSafetyProblems(path, { maxLength: MAX_GROUP_PATH_BYTES });
    if (unsafe.length > 0 || Buffer.byteLength(String(path), 'utf8') > MAX_GROUP_PATH_BYTES) {
      problems.push(
        `${where}: archivalGroupPath ${quoteForMessage(String(path), 80)}: ${unsafe[0] ? describePathProblem(unsafe[0]) : 'too long'}`,
      );
      continue;
    }
    if ('remove' in u && u.remove === true) {
      out.push({ archivalGroupPath: u.archivalGroupPath, remove: true });
      continue;
    }
    const { version, resources } = u as { version?: unknown; resources?: unknown };
    if (typeof version !== 'string' || !VERSION.test(version)) problems.push(`${where}: version must be vN`);
    if (!Array.isArray(resources)) {
      problems.push(`${where}: resources must be a list`);
      continue;
    }
    const byPath = new Map<string, IndexedResource>();
    for (const r of resources as IndexedResource[]) {
      const problem = resourceProblem(r);
      if (problem) problems.push(`${where}: ${problem}`);
      else byPath.set(r.path, { ...r });
    }
    const sorted = [...byPath.values()].sort((a, b) => compareCodePoints(a.path, b.path));
    out.push({ archivalGroupPath: u.archivalGroupPath, version: version as string, resources: sorted });
  }
  if (problems.length > 0)
    throw new InvalidInputError(
      `invalid index update: ${problems.slice(0, 20).join('; ')}${problems.length > 20 ? '; …' : ''}`,
    );
  return out;
}

/**
 * The text one resource is matched against (folded): `groupPath/path`, then its name after a
 * separator when the name is not the path's last element. Folded text never holds a control
 * character, so the separator (U+0001) cannot take part in a match.
 */
export function resourceHaystack(groupPath: string, r: IndexedResource, fold: (s: string) => string): string {
  const full = fold(`${groupPath}/${r.path}`);
  const last = r.path.slice(r.path.lastIndexOf('/') + 1);
  return r.name === last ? full : `${full}\u0001${fold(r.name)}`;
}
