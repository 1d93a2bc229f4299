/** Helpers for the write-path tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp directory removed at teardown. */
export function tempDir(t: { teardown(fn: () => void): void }, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `strongroom-${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
