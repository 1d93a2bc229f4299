/**
 * A small ZIP extractor for test fixtures (the corpus ships fixtures with empty directories as
 * .zip files, since git cannot hold those). Reads the central directory, supports stored and
 * deflated entries, creates directory entries (so empty directories survive) and refuses entry
 * names that would escape the target. No ZIP64, no encryption: corpus fixtures need neither.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Offset of the end-of-central-directory record. Throws when there is none. */
function findEnd(buf: Buffer, zipPath: string): number {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== EOCD) eocd--;
  if (eocd < 0) throw new Error(`${zipPath}: no end of central directory`);
  return eocd;
}

/** The entry names of a zip, from its central directory, without extracting anything. */
export function zipEntryNames(zipPath: string): string[] {
  const buf = readFileSync(zipPath);
  const eocd = findEnd(buf, zipPath);
  const names: string[] = [];
  let at = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const nameLen = buf.readUInt16LE(at + 28);
    names.push(buf.subarray(at + 46, at + 46 + nameLen).toString('utf8'));
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return names;
}

/** Extract `zipPath` into `targetDir` (created if needed). Throws on anything unsupported. */
export function unzipTo(zipPath: string, targetDir: string): void {
  const buf = readFileSync(zipPath);
  const root = resolve(targetDir);
  mkdirSync(root, { recursive: true });
  const eocd = findEnd(buf, zipPath);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== CENTRAL) throw new Error(`${zipPath}: bad central directory entry`);
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const localAt = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    at += 46 + nameLen + extraLen + commentLen;
    const out = resolve(root, name);
    if (out !== root && !out.startsWith(root + sep))
      throw new Error(`${zipPath}: entry escapes target: ${name}`);
    if (name.endsWith('/')) {
      mkdirSync(out, { recursive: true });
      continue;
    }
    if (buf.readUInt32LE(localAt) !== LOCAL) throw new Error(`${zipPath}: bad local header for ${name}`);
    const dataAt = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
    const data = buf.subarray(dataAt, dataAt + compressed);
    if (method !== 0 && method !== 8)
      throw new Error(`${zipPath}: unsupported compression ${method} for ${name}`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, method === 0 ? data : inflateRawSync(data));
  }
}
