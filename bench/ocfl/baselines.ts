/**
 * The hashing limit of this machine over an object's content: `openssl dgst -<alg>` over exactly
 * the object's content files, in `processes` parallel processes (default 2, one per core), fed
 * by `xargs -P` in batches so process start-up stays negligible even for 100,000 files.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { walkFiles } from './upload.js';

/** The content files of an object (every file under `vN/content/`), relative to the object root. */
export function contentFiles(objectRoot: string): { paths: string[]; bytes: number } {
  const paths = walkFiles(objectRoot).filter((p) => /^v\d+\/content\//.test(p));
  const bytes = paths.reduce((n, p) => n + statSync(join(objectRoot, p)).size, 0);
  return { paths, bytes };
}

/** One openssl run. */
export interface OpensslRun {
  seconds: number;
  bytes: number;
  files: number;
  processes: number;
}

/**
 * Hash `paths` (relative to `cwd`) with `openssl dgst -<algorithm>` in `processes` parallel
 * processes; output is discarded. Throws when openssl fails.
 */
export function opensslDigest(
  cwd: string,
  paths: string[],
  bytes: number,
  algorithm: string,
  processes = 2,
): OpensslRun {
  // Batches small enough to keep both processes busy to the end, big enough to amortise exec.
  const batch = Math.max(1, Math.min(1000, Math.ceil(paths.length / (processes * 4))));
  const started = performance.now();
  const r = spawnSync(
    'xargs',
    ['-0', '-P', String(processes), '-n', String(batch), 'openssl', 'dgst', `-${algorithm}`],
    {
      cwd,
      input: paths.join('\0'),
      stdio: ['pipe', 'ignore', 'pipe'],
      maxBuffer: 16 << 20,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0)
    throw new Error(`openssl dgst failed (${r.status}): ${r.stderr?.toString().slice(0, 500)}`);
  return { seconds, bytes, files: paths.length, processes };
}
