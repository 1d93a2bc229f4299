/**
 * A synthetic RootLevel deposit for the filesystem-view benchmark: `files` small files in
 * folders of 100 under `objects/`, the platform's (empty) METS, a Siegfried YAML report naming
 * every file by its workstation path with a SHA-256 (what `sf -hash sha256 -yaml` prints), and a
 * Brunnhilde-style infected-only ClamAV log (a summary only: every file's clean verdict is
 * inferred). Written once under $STRONGROOM_BENCH_DIR (default /tmp/strongroom-bench) and reused.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetsDocument } from '../../lib/formats/mets/document.js';
import { writeMets } from '../../lib/formats/mets/writer.js';

/** A generated deposit folder. */
export interface BenchDeposit {
  dir: string;
  files: number;
  /** Deposit paths of the content files, in order. */
  paths: string[];
}

/** The path of content file `i`. */
export function contentPath(i: number): string {
  return `objects/d${String(Math.floor(i / 100)).padStart(4, '0')}/file-${String(i).padStart(6, '0')}.txt`;
}

/** Create (or reuse) the deposit of `files` files. */
export function benchDeposit(files: number): BenchDeposit {
  const root = process.env.STRONGROOM_BENCH_DIR ?? '/tmp/strongroom-bench';
  const dir = join(root, `deposit-view-${files}`);
  const paths = Array.from({ length: files }, (_, i) => contentPath(i));
  if (existsSync(`${dir}.complete`)) return { dir, files, paths };
  rmSync(dir, { recursive: true, force: true });
  const t0 = Date.now();
  const yaml: string[] = [
    '---\nsiegfried   : 1.11.0\nscandate    : 2026-01-01T00:00:00Z\nsignature   : default.sig\n' +
      "created     : 2025-12-01T00:00:00+01:00\nidentifiers : \n  - name    : 'pronom'\n    details : 'bench'\n",
  ];
  for (let i = 0; i < files; i++) {
    const path = paths[i]!;
    if (i % 100 === 0) mkdirSync(join(dir, path.slice(0, path.lastIndexOf('/'))), { recursive: true });
    const content = `file ${i}\n`;
    writeFileSync(join(dir, path), content);
    yaml.push(
      `---\nfilename : '/home/bench/packing/job/${path}'\nfilesize : ${content.length}\n` +
        `modified : 2026-01-01T00:00:00Z\nerrors   : \nsha256   : ${createHash('sha256').update(content).digest('hex')}\n` +
        "matches  :\n  - ns      : 'pronom'\n    id      : 'x-fmt/111'\n    format  : 'Plain Text File'\n" +
        "    version : \n    mime    : 'text/plain'\n    class   : 'Text'\n    basis   : 'extension match txt'\n" +
        '    warning : \n',
    );
  }
  mkdirSync(join(dir, 'metadata', 'siegfried'), { recursive: true });
  writeFileSync(join(dir, 'metadata', 'siegfried', 'siegfried.yaml'), yaml.join(''));
  mkdirSync(join(dir, 'metadata', 'clamav'), { recursive: true });
  writeFileSync(
    join(dir, 'metadata', 'clamav', 'viruscheck-log.txt'),
    `\n----------- SCAN SUMMARY -----------\nKnown viruses: 8706378\nEngine version: 1.0.8\n` +
      `Scanned directories: ${Math.ceil(files / 100)}\nScanned files: ${files}\nInfected files: 0\n` +
      `Data scanned: 1.00 MB\nData read: 1.00 MB (ratio 1.00:1)\nTime: 10.000 sec (0 m 10 s)\n` +
      'Start Date: 2026:01:01 00:00:00\nEnd Date:   2026:01:01 00:00:10\n',
  );
  writeFileSync(
    join(dir, 'mets.xml'),
    writeMets(MetsDocument.create({ title: 'Benchmark deposit', created: '2026-01-01T00:00:00Z' })),
  );
  writeFileSync(`${dir}.complete`, `${new Date().toISOString()}\n`);
  console.log(`  generated ${files} files in ${dir} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { dir, files, paths };
}
