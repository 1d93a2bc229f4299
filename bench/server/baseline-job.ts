/**
 * The baselines of the server benchmark, each in a fresh process (as the server's cold figures
 * are), printing one JSON line `{ "cold": s, "warm": [s, …] }`: the first run in the process, then
 * `repeat` more.
 *
 *   node dist/bench/server/baseline-job.js inventory <inventory.json> <repeat>
 *     read the root inventory's bytes and JSON.parse them (what any reader of the group must do);
 *   node dist/bench/server/baseline-job.js deposit <folder> <repeat>
 *     list the deposit folder with plain Node (`readdir` recursive, then an `lstat` per file for
 *     its size, 16 in flight: names and sizes are what a diff needs from a listing) and parse its
 *     mets.xml with our METS reader (bench/mets compares that reader with bare sax).
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../../lib/engine/concurrency.js';
import { readMets } from '../../lib/formats/mets/reader.js';

async function inventory(path: string): Promise<number> {
  const bytes = await readFile(path);
  const parsed = JSON.parse(bytes.toString('utf8')) as { id: string };
  return parsed.id.length;
}

async function deposit(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile());
  const sizes = await mapLimit(files, 16, async (e) => (await lstat(join(e.parentPath, e.name))).size);
  const mets = await readMets(createReadStream(join(folder, 'mets.xml')));
  if (mets.files.length + 1 !== files.length) {
    throw new Error(
      `the METS lists ${mets.files.length} files, the folder holds ${files.length} (with mets.xml)`,
    );
  }
  return sizes.reduce((a, b) => a + b, 0);
}

async function main(argv: string[]): Promise<void> {
  const [kind, target, repeat] = argv;
  if (!target || (kind !== 'inventory' && kind !== 'deposit')) {
    throw new Error('usage: baseline-job.js inventory|deposit <path> <repeat>');
  }
  const run = kind === 'inventory' ? () => inventory(target) : () => deposit(target);
  const timed = async () => {
    const t0 = process.hrtime.bigint();
    await run();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const cold = await timed();
  const warm: number[] = [];
  for (let i = 0; i < Number(repeat ?? 0); i++) warm.push(await timed());
  process.stdout.write(`${JSON.stringify({ cold, warm })}\n`);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
