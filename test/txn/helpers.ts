/**
 * Helpers for the write-path tests: a temp storage root, a deposit folder of files with their
 * SHA-256s, and a transaction that puts every file of a deposit into a group.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A temp directory removed at teardown. */
export function tempDir(t: { teardown(fn: () => void): void }, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `strongroom-${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A file of a deposit: its path, bytes and SHA-256. */
export interface DepositFile {
  path: string;
  bytes: Buffer;
  sha256: string;
  /** `file://` URI of the file. */
  uri: string;
}

/** Write `files` (path → text) under `dir`; returns them with digests and URIs. */
export function writeDeposit(dir: string, files: Record<string, string | Buffer>): DepositFile[] {
  return Object.entries(files).map(([path, content]) => {
    const full = join(dir, ...path.split('/'));
    mkdirSync(dirname(full), { recursive: true });
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
    writeFileSync(full, bytes);
    return { path, bytes, sha256: sha256(bytes), uri: pathToFileURL(full).href };
  });
}

/** Lowercase hex SHA-256. */
export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
