/**
 * Test data for the hashing tests: deterministic bytes and a temp directory of many small files
 * and a few larger ones, mirrored in a MemoryStore so the pool path (FsStore) and the streaming
 * path (MemoryStore) can be compared file by file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';

/** Deterministic pseudo-random bytes (no RNG: a failure must reproduce). */
export function bytes(n: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A file of the test tree: key and content. */
export interface TreeFile {
  key: string;
  content: Buffer;
}

/** Files: `small` files of 0–20 KiB in nested folders, then the given large sizes. */
export function treeFiles(small: number, largeSizes: number[]): TreeFile[] {
  const files: TreeFile[] = [];
  for (let i = 0; i < small; i++) {
    const size = i % 50 === 0 ? 0 : (i * 977) % 20_480;
    files.push({ key: `v${i % 3}/content/d${i % 17}/f${i}.bin`, content: bytes(size, i + 1) });
  }
  largeSizes.forEach((size, i) => {
    files.push({ key: `large/l${i}.bin`, content: bytes(size, 10_000 + i) });
  });
  return files;
}

/** Write `files` below a fresh temp dir (removed at teardown); returns the dir and an FsStore. */
export function writeTree(
  t: { teardown(fn: () => void): void },
  files: TreeFile[],
): { dir: string; root: string; store: FsStore } {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-hash-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'root');
  for (const f of files) {
    const path = join(root, ...f.key.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
  mkdirSync(root, { recursive: true });
  return { dir, root, store: new FsStore(root) };
}

/** The same files in a MemoryStore. */
export async function memoryTree(files: TreeFile[]): Promise<MemoryStore> {
  const store = new MemoryStore('hash-test');
  for (const f of files) await store.write(f.key, f.content);
  return store;
}

/** Expected digests computed directly with node:crypto. */
export function expectedDigests(content: Buffer, algorithms: string[]): Record<string, string> {
  const nodeName: Record<string, string> = { sha512: 'sha512', sha256: 'sha256', sha1: 'sha1', md5: 'md5' };
  const out: Record<string, string> = {};
  for (const alg of algorithms) {
    out[alg] =
      alg === 'size' ? String(content.length) : createHash(nodeName[alg]!).update(content).digest('hex');
  }
  return out;
}
