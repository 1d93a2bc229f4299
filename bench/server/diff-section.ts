/**
 * The diff of a deposit holding every file of the source folder (`GET
 * /deposits/{id}/importjobs/diff`), cold (fresh server process) and warm (repeats), for a deposit
 * of a new group (every file is added) and one of the existing group (every file compared,
 * nothing to change), each ÷ listing the deposit folder plus parsing its METS (fresh process).
 * The METS gives every file's SHA-256, so no file is hashed.
 */
import { join } from 'node:path';
import type { ServerBenchData } from './data.js';
import {
  baselineColdWarm,
  type ColdWarm,
  medians,
  type Row,
  type SectionOptions,
  serverColdWarm,
  timeRow,
} from './measure.js';

/** Rows for the two diffs. */
export async function diffSection(data: ServerBenchData, opts: SectionOptions): Promise<Row[]> {
  console.log(
    `\n### diff of a ${data.files.toLocaleString('en-US')}-file deposit (filesystem, METS with SHA-256s)`,
  );
  const area = join(data.dataDir, 'deposits', data.newGroupDeposit);
  const baseline: ColdWarm[] = [];
  const fresh: ColdWarm[] = [];
  const same: ColdWarm[] = [];
  const path = (id: string) => `/deposits/${id}/importjobs/diff`;
  for (let round = 0; round < opts.runs; round++) {
    baseline.push(baselineColdWarm('deposit', area, opts, 'list deposit + parse METS'));
    fresh.push(await serverColdWarm(data.dataDir, path(data.newGroupDeposit), opts));
    same.push(await serverColdWarm(data.dataDir, path(data.sameGroupDeposit), opts));
  }
  const b = medians(baseline);
  const n = medians(fresh);
  const s = medians(same);
  const what = `${data.files.toLocaleString('en-US')} files`;
  return [
    timeRow(`diff, new group (all added), cold ÷ list + parse METS (cold), ${what}`, n.cold, b.cold),
    timeRow(`diff, new group (all added), warm ÷ list + parse METS (warm), ${what}`, n.warm, b.warm),
    timeRow(`diff, existing group (no change), cold ÷ list + parse METS (cold), ${what}`, s.cold, b.cold),
    timeRow(`diff, existing group (no change), warm ÷ list + parse METS (warm), ${what}`, s.warm, b.warm),
  ];
}
