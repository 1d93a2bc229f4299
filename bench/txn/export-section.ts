/**
 * Exports (issue #10 §8): a full export of an object's head into a new folder, as
 * `POST /deposits/export` makes it (resources read, each binary streamed from its content file
 * and its SHA-256 checked while written), ÷ a plain `cp -r` of the same files. Each deposit is
 * imported once by our own write path (sha256 inventory) into `data/export-object-…`, cached.
 * Both sides run with and without a final `sync -f`, with sources and content in the page cache.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deposit } from './data.js';
import { type FsSectionOptions, jobCase, warmFirst } from './fs-section.js';
import { type Case, type Row, secs, sh, timeCases } from './measure.js';

/** Build (once) the object holding `dep` as `books/obj`; returns its storage root. */
async function builtObject(dep: Deposit, data: string): Promise<string> {
  const [count, size] = [dep.files.length, dep.files[0]!.size];
  const repo = join(data, `export-object-${count}x${size}`);
  if (!existsSync(join(repo, '.built'))) {
    console.log(`\n  importing ${count.toLocaleString('en-US')} files to export (once)…`);
    const build = jobCase(
      'build',
      { job: 'patch-build', repo, algorithm: 'sha256', data, count, size },
      '/nonexistent',
    );
    await build.run();
    writeFileSync(join(repo, '.built'), '');
  }
  return repo;
}

/** Rows for full exports of each deposit's object. */
export async function exportSection(deps: Deposit[], opts: FsSectionOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const dep of deps) {
    const repo = await builtObject(dep, opts.data);
    const size = dep.files[0]!.size;
    const each =
      size >= 1 << 30
        ? `${size / (1 << 30)} GiB`
        : size >= 1 << 20
          ? `${size >> 20} MiB`
          : `${size >> 10} KiB`;
    const label = `full export of ${dep.files.length.toLocaleString('en-US')} × ${each}, fs → fs`;
    const out = join(opts.work, 'export-out');
    const ours = (name: string, flush: boolean): Case =>
      jobCase(name, { job: 'ours-export', repo, out, flush }, out);
    const cp = (name: string, flush: boolean): Case => ({
      name,
      setup: () => sh(`rm -rf '${out}'`),
      run: () => sh(`cp -r '${dep.dir}' '${out}'${flush ? ` && sync -f '${out}'` : ''}`),
      cleanup: () => sh(`rm -rf '${out}'`),
    });
    // The object's content, and the deposit the baseline copies, both in the page cache.
    const warmObject = (c: Case): Case => ({
      ...c,
      setup: async () => {
        sh(`find '${repo}' -type f -path '*/content/*' -exec cat {} + > /dev/null`);
        await c.setup?.();
      },
    });
    const cases = [
      ours('ours', false),
      cp('cp -r', false),
      ours('ours + sync -f', true),
      cp('cp -r + sync -f', true),
    ]
      .map(warmFirst(dep))
      .map(warmObject);
    console.log(`\n### ${label}`);
    const t = await timeCases(cases, opts.runs);
    for (const [o, b] of [
      ['ours', 'cp -r'],
      ['ours + sync -f', 'cp -r + sync -f'],
    ] as const) {
      const mine = t.get(o)!;
      const base = t.get(b)!;
      rows.push({
        measure: `${label}: ${o} ÷ \`${b}\` (speed)`,
        digest: 'sha256 (checked while written)',
        ours: secs(mine.median),
        baseline: secs(base.median),
        ratio: `${((base.median / mine.median) * 100).toFixed(0)}%`,
        target: '',
        met: '',
      });
    }
  }
  return rows;
}
