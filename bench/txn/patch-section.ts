/**
 * A 1-file patch to a large object: ours (read the base inventory, plan, claim, copy the one new
 * file, its header and the root's, flush, version + root inventories) ÷ writing that object's
 * inventory alone (serialise, digest, write inventory and sidecar, fsync both). The object
 * (`files` × 512 B, sha512, one version) is built once by our own import and cached; each run
 * patches a hard-linked copy of it (`cp -al`: every write of ours makes a new file, so the
 * cached object is never changed), and the baseline writes the inventory that patch produced.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FsSectionOptions, jobCase } from './fs-section.js';
import { type Row, secs, sh, type Timing, timeCases } from './measure.js';

/** Rows for the patch of a `files`-file object. */
export async function patchSection(data: string, files: number, opts: FsSectionOptions): Promise<Row[]> {
  const built = join(data, `patch-object-${files}`);
  if (!existsSync(join(built, '.built'))) {
    console.log(`\n  building the ${files.toLocaleString('en-US')}-file object (once)…`);
    const build = jobCase(
      'build',
      { job: 'patch-build', repo: built, algorithm: 'sha512', data, count: files, size: 512 },
      '/nonexistent',
    );
    await build.run();
    console.log(`  built in ${build.seconds!().toFixed(1)} s`);
    writeFileSync(join(built, '.built'), '');
  }
  const file = join(opts.work, 'patch-source', 'patched.bin');
  const bytes = randomBytes(4096);
  const copy = join(opts.work, 'patch-copy');
  const label = `1-file patch to a ${files.toLocaleString('en-US')}-file object, fs`;
  const ours = jobCase(
    'ours patch',
    { job: 'ours-patch', repo: copy, file, sha256: createHash('sha256').update(bytes).digest('hex') },
    '/nonexistent',
  );
  ours.setup = () => {
    rmSync(copy, { recursive: true, force: true });
    sh(`mkdir -p '${join(opts.work, 'patch-source')}' && cp -al '${built}' '${copy}'`);
    writeFileSync(file, bytes);
  };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const warm = jobCase(
    'ours patch, warm writer',
    { job: 'ours-patch', repo: copy, file, sha256, warm: true },
    '/nonexistent',
  );
  warm.setup = ours.setup;
  const inventory = (name: string) => ({
    ...jobCase(name, { job: 'inventory-write', repo: copy, out: join(opts.work, 'inv') }, copy),
  });
  console.log(`\n### ${label}`);
  const cold = await timeCases([ours, inventory('inventory (cold)')], opts.runs);
  const hot = await timeCases([warm, inventory('inventory (warm)')], opts.runs);
  const row = (o: Timing, b: Timing, what: string): Row => {
    const r = o.median / b.median;
    return {
      measure: `${label}, ${what}: ours ÷ writing its new inventory alone (time)`,
      digest: 'sha512 (+ sha256 fixity)',
      ours: secs(o.median),
      baseline: secs(b.median),
      ratio: `${r.toFixed(2)}×`,
      target: '≤ 2×',
      met: r <= 2 ? 'yes' : 'no',
    };
  };
  return [
    row(
      cold.get('ours patch')!,
      cold.get('inventory (cold)')!,
      'fresh process (reads and validates the base)',
    ),
    row(
      hot.get('ours patch, warm writer')!,
      hot.get('inventory (warm)')!,
      'long-lived writer (its 2nd patch)',
    ),
  ];
}
