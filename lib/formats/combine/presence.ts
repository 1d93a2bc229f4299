/**
 * Presence disagreements: a source names a path the deposit lacks, or the deposit holds a path
 * a source does not list. Claims are collected from every source and merged so that each path
 * gives one mismatch naming all the sources involved (an image missing from the deposit that
 * the manifest and two tools all name is one finding, not three).
 */
import type { Mismatch } from '../model.js';

/** One source's view of one path that the deposit disagrees with. */
export interface PresenceClaim {
  path: string;
  kind: 'file' | 'directory';
  source: string;
  /** True: the deposit has it and the source does not list it. False: the reverse. */
  inDeposit: boolean;
}

/** Merge claims into one `presence` mismatch per path and direction. */
export function presenceMismatches(claims: readonly PresenceClaim[]): Mismatch[] {
  const groups = new Map<string, { claim: PresenceClaim; sources: string[] }>();
  for (const c of claims) {
    const key = `${c.inDeposit ? '+' : '-'}${c.path}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { claim: c, sources: [c.source] });
    else if (!g.sources.includes(c.source)) g.sources.push(c.source);
  }
  return [...groups.values()].map(({ claim, sources }) => {
    const values: Record<string, string> = { deposit: claim.inDeposit ? 'present' : 'absent' };
    for (const s of sources) values[s] = claim.inDeposit ? 'absent' : 'present';
    const names = sources.join(', ');
    const message = claim.inDeposit
      ? `${claim.kind} ${claim.path} is in the deposit but not in ${names}`
      : `${names} name${sources.length === 1 ? 's' : ''} ${claim.kind} ${claim.path}, which is not in the deposit`;
    return { localPath: claim.path, field: 'presence' as const, values, message };
  });
}
