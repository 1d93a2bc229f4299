/**
 * Deposit folders for the write-path benchmark: `count` files of `size` random bytes each, flat
 * in one folder, with their SHA-256s (given to the import as an import job gives them; not timed).
 * Cached by parameters under the bench directory, so reruns reuse them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One file of a deposit. */
export interface DepositFile {
  name: string;
  size: number;
  sha256: string;
  uri: string;
}

/** A deposit folder. */
export interface Deposit {
  dir: string;
  uri: string;
  files: DepositFile[];
  bytes: number;
}

const CHUNK = 16 << 20;

/** Make (or reuse) `count` × `size` bytes under `root`. */
export function deposit(root: string, count: number, size: number): Deposit {
  const dir = join(root, `deposit-${count}x${size}`);
  const index = join(root, `deposit-${count}x${size}.json`);
  if (!existsSync(index)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files: Array<{ name: string; size: number; sha256: string }> = [];
    const width = String(count).length;
    for (let i = 0; i < count; i++) {
      const name = `f${String(i).padStart(width, '0')}.bin`;
      const hash = createHash('sha256');
      const path = join(dir, name);
      writeFileSync(path, '');
      for (let done = 0; done < size; done += CHUNK) {
        const bytes = randomBytes(Math.min(CHUNK, size - done));
        hash.update(bytes);
        writeFileSync(path, bytes, { flag: 'a' });
      }
      files.push({ name, size, sha256: hash.digest('hex') });
    }
    writeFileSync(index, JSON.stringify(files));
  }
  const files = (JSON.parse(readFileSync(index, 'utf8')) as Array<Omit<DepositFile, 'uri'>>).map((f) => ({
    ...f,
    uri: pathToFileURL(join(dir, f.name)).href,
  }));
  return { dir, uri: pathToFileURL(dir).href, files, bytes: count * size };
}
