/**
 * Where things are, for tests: the repository root (found from this compiled file's location),
 * our own fixtures, and the shared corpus that sits beside the clone (`../shared/corpus`,
 * overridable with STRONGROOM_CORPUS).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
/** Absolute path of `fixtures/`. */
export const fixturesDir = join(repoRoot, 'fixtures');
/** Absolute path of the shared corpus. */
export const corpusDir = resolve(process.env.STRONGROOM_CORPUS ?? join(repoRoot, '..', 'shared', 'corpus'));
