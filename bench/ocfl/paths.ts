/**
 * Where the benchmark finds things: the repository root (from this compiled file's location),
 * the peers installed by `bench/peers/install.sh`, and the cache of generated objects.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'lib'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`repository root not found above ${start}`);
    dir = up;
  }
}

/** Absolute path of the repository root. */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** `bench/peers/` in the source tree (peers live there, outside the project's dependencies). */
export const peersDir = join(repoRoot, 'bench', 'peers');

/** ocfl-py's validator script, when installed. */
export const ocflPyValidate = join(peersDir, '.venv', 'bin', 'ocfl-validate.py');

/** rocfl's binary, when built. */
export const rocflBin = join(peersDir, '.cargo', 'bin', 'rocfl');

/** Entry module of @ocfl/ocfl-fs, when installed. */
export const ocflFsModule = join(peersDir, 'node_modules', '@ocfl', 'ocfl-fs', 'index.js');

/**
 * Cache of generated objects, keyed by parameters: `STRONGROOM_BENCH_DIR`, default
 * `<tmpdir>/strongroom-bench`. Reruns with the same parameters reuse what is there.
 */
export function benchCacheDir(): string {
  return process.env.STRONGROOM_BENCH_DIR ?? join(tmpdir(), 'strongroom-bench');
}
