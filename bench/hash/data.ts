/**
 * Generated inputs of the hash benchmark, in a temp directory: one large file, a few equal
 * "large" files for the 1-vs-2-worker figures, and many small files in 100 folders (with a list
 * file for xargs). Content is random once (1 MiB) and then varied per block, so no two blocks
 * are equal and writing stays cheap.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const MiB = 1 << 20;

/** How much to generate. */
export interface DataSizes {
  /** Bytes of the single large file. */
  bigBytes: number;
  /** Number and size of the files hashed on 1 vs 2 workers. */
  largeFiles: number;
  largeBytes: number;
  /** Number and size of the small files. */
  smallFiles: number;
  smallBytes: number;
}

/** Where the generated inputs are. */
export interface BenchData {
  dir: string;
  bigFile: string;
  largeFiles: string[];
  /** Store root of the small files, their keys (relative, `/`) and a file listing their paths. */
  smallRoot: string;
  smallKeys: string[];
  smallList: string;
}

let blockCounter = 0;
const seedBlock = randomBytes(MiB);

/** A 1 MiB block no other call returns (a counter stamped into a random block). */
function nextBlock(): Buffer {
  blockCounter++;
  for (let at = 0; at < MiB; at += 4096) seedBlock.writeUInt32LE(blockCounter ^ at, at);
  return seedBlock;
}

function writeFileOf(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let left = bytes; left > 0; left -= MiB) writeSync(fd, nextBlock(), 0, Math.min(MiB, left));
  } finally {
    closeSync(fd);
  }
}

/** Write every input below `dir` (which must exist and be empty). */
export function generate(dir: string, sizes: DataSizes): BenchData {
  const bigFile = join(dir, 'big.bin');
  writeFileOf(bigFile, sizes.bigBytes);
  const largeFiles = Array.from({ length: sizes.largeFiles }, (_, i) => join(dir, `large-${i}.bin`));
  for (const f of largeFiles) writeFileOf(f, sizes.largeBytes);
  const smallRoot = join(dir, 'small');
  const smallKeys: string[] = [];
  for (let d = 0; d < 100; d++) mkdirSync(join(smallRoot, `d${d}`), { recursive: true });
  for (let i = 0; i < sizes.smallFiles; i++) {
    const key = `d${i % 100}/f${i}.bin`;
    const block = nextBlock();
    writeFileSync(join(smallRoot, key), block.subarray(0, sizes.smallBytes));
    smallKeys.push(key);
  }
  const smallList = join(dir, 'small-files.txt');
  writeFileSync(smallList, smallKeys.map((k) => join(smallRoot, k)).join('\n') + '\n');
  return { dir, bigFile, largeFiles, smallRoot, smallKeys, smallList };
}
