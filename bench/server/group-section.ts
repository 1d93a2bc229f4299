/**
 * The Archival Group and its storage map over HTTP, cold (a fresh server process, its first
 * request) and warm (the same request again, median of the repeats), each ÷ reading and
 * `JSON.parse` of the group's root inventory (in a fresh process: cold, then the repeats: warm).
 * Rounds run the three cases round-robin.
 */
import { join } from 'node:path';
import { GROUP, type ServerBenchData } from './data.js';
import {
  baselineColdWarm,
  type ColdWarm,
  medians,
  type Row,
  type SectionOptions,
  serverColdWarm,
  timeRow,
} from './measure.js';

/** Rows for `GET /repository/<group>` and `GET /ocfl/storagemap/<group>`. */
export async function groupSection(data: ServerBenchData, opts: SectionOptions): Promise<Row[]> {
  const inventory = join(data.dataDir, 'repository', data.groupObjectRoot, 'inventory.json');
  const mb = (data.inventoryBytes / 1e6).toFixed(1);
  console.log(
    `\n### Archival Group of ${data.files.toLocaleString('en-US')} files (${data.logicalFiles.toLocaleString('en-US')} logical files with headers, ${mb} MB inventory)`,
  );
  const baseline: ColdWarm[] = [];
  const group: ColdWarm[] = [];
  const map: ColdWarm[] = [];
  for (let round = 0; round < opts.runs; round++) {
    baseline.push(baselineColdWarm('inventory', inventory, opts, 'read + JSON.parse inventory'));
    group.push(await serverColdWarm(data.dataDir, `/repository/${GROUP}`, opts));
    map.push(await serverColdWarm(data.dataDir, `/ocfl/storagemap/${GROUP}`, opts));
  }
  const b = medians(baseline);
  const g = medians(group);
  const m = medians(map);
  const what = `${data.files.toLocaleString('en-US')}-file group`;
  const size = (bytes?: number) => (bytes === undefined ? '' : `${(bytes / 1e6).toFixed(1)} MB JSON`);
  return [
    timeRow(
      `GET /repository/<group>, cold ÷ read + JSON.parse (cold), ${what}`,
      g.cold,
      b.cold,
      size(g.bytes),
    ),
    timeRow(
      `GET /repository/<group>, warm ÷ read + JSON.parse (warm), ${what}`,
      g.warm,
      b.warm,
      size(g.bytes),
    ),
    timeRow(
      `GET /repository/<group>, restarted server (cache kept) ÷ read + JSON.parse (cold), ${what}`,
      g.restart!,
      b.cold,
      size(g.bytes),
    ),
    timeRow(
      `GET /ocfl/storagemap/<group>, cold ÷ read + JSON.parse (cold), ${what}`,
      m.cold,
      b.cold,
      size(m.bytes),
    ),
    timeRow(
      `GET /ocfl/storagemap/<group>, warm ÷ read + JSON.parse (warm), ${what}`,
      m.warm,
      b.warm,
      size(m.bytes),
    ),
    timeRow(
      `GET /ocfl/storagemap/<group>, restarted server (cache kept) ÷ read + JSON.parse (cold), ${what}`,
      m.restart!,
      b.cold,
      size(m.bytes),
    ),
  ];
}
