/**
 * Server benchmark (issue #11 §6): the Preservation API as a real process
 * (`node dist/server/main.js`), each figure against a baseline measured in the same run.
 *
 *   node dist/bench/server/server-bench.js [--quick] [--files=N] [--runs=N] [--repeats=N]
 *        [--sections=group,diff,content] [--connections=N] [--seconds=N] [--client=wrk|node]
 *        [--dir=PATH]
 *
 * - `group`: `GET /repository/<group>` and `GET /ocfl/storagemap/<group>` of an Archival Group of
 *   N files (default 100,000), cold and warm ÷ read + `JSON.parse` of its root inventory;
 * - `diff`: `GET /deposits/{id}/importjobs/diff` of an N-file deposit (new group; existing group)
 *   ÷ listing the deposit plus parsing its METS;
 * - `content`: requests per second of small content GETs ÷ a bare `node:http` file server.
 *
 * `--quick`: 1,000 files, 1 round, 2 warm repeats, 2 s of load (under a minute on an idle machine). Inputs are
 * built once by `data.ts` and cached in `--dir` (default `$STRONGROOM_BENCH_DIR/server`, else
 * `/tmp/strongroom-bench/server`); building the 100,000-file inputs takes a few minutes.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { load, option } from '../cli-util.js';
import { benchCacheDir } from '../ocfl/paths.js';
import { contentSection } from './content-section.js';
import { benchData } from './data.js';
import { diffSection } from './diff-section.js';
import { groupSection } from './group-section.js';
import { type Row, table } from './measure.js';

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const num = (name: string, fallback: number) => Number(option(argv, name) ?? fallback);
  const files = num('files', quick ? 1_000 : 100_000);
  const runs = num('runs', quick ? 1 : 3);
  const repeats = num('repeats', quick ? 2 : 3);
  const sections = (option(argv, 'sections') ?? 'group,diff,content').split(',');
  const client = option(argv, 'client');
  if (client !== undefined && client !== 'wrk' && client !== 'node') throw new Error('--client=wrk|node');
  const root = option(argv, 'dir') ?? join(benchCacheDir(), 'server');
  const work = join(root, `work-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const started = Date.now();
  console.log(`# server benchmark ${new Date().toISOString()}${quick ? ' (quick)' : ''}`);
  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${load()}`);
  const rows: Row[] = [];
  try {
    const data = await benchData(root, files);
    const opts = { runs, repeats, work };
    if (sections.includes('group')) rows.push(...(await groupSection(data, opts)));
    if (sections.includes('diff')) rows.push(...(await diffSection(data, opts)));
    if (sections.includes('content')) {
      rows.push(
        ...(await contentSection(data, {
          ...opts,
          connections: num('connections', 16),
          seconds: num('seconds', quick ? 2 : 10),
          ...(client && { client }),
        })),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n${table(rows)}\n`);
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s, load at the end ${load()}`);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
