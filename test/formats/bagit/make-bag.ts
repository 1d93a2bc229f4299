/**
 * Test helper: write a small, correct bag into a fresh temp directory, so each test can break it
 * in exactly one way. Digests are computed here with node:crypto, independently of the validator.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What to put in the bag. */
export interface BagSpec {
  /** Payload files: path below `data/` → content. */
  payload: Record<string, string | Uint8Array>;
  version?: string;
  /** Payload manifest algorithms (default sha256). */
  algorithms?: string[];
  /** Tag manifest algorithms (default: same as payload; [] for none). */
  tagAlgorithms?: string[];
  /** Manifest path as written for a payload path (default: `data/<path>`). */
  writePath?: (path: string) => string;
  /** Extra bag-info lines. */
  info?: string[];
}

/** A bag on disk, with helpers to change it and to clean up. */
export interface TempBag {
  dir: string;
  write(path: string, content: string | Uint8Array): void;
  digest(path: string, algorithm?: string): string;
  cleanup(): void;
}

/** Hex digest of bytes or text. */
export function hex(content: string | Uint8Array, algorithm = 'sha256'): string {
  return createHash(algorithm).update(content).digest('hex');
}

/** Write the bag described by `spec` (1.0, sha256, bag-info with Payload-Oxum, tag manifests). */
export function makeBag(spec: BagSpec): TempBag {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-bagit-'));
  const write = (path: string, content: string | Uint8Array) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const algorithms = spec.algorithms ?? ['sha256'];
  const writePath = spec.writePath ?? ((p: string) => `data/${p}`);
  let octets = 0;
  for (const [p, content] of Object.entries(spec.payload)) {
    write(`data/${p}`, content);
    octets += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  }
  const tagFiles: Record<string, string> = {
    'bagit.txt': `BagIt-Version: ${spec.version ?? '1.0'}\nTag-File-Character-Encoding: UTF-8\n`,
    'bag-info.txt': [
      `Payload-Oxum: ${octets}.${Object.keys(spec.payload).length}`,
      'Bagging-Date: 2024-01-02',
      ...(spec.info ?? []),
    ]
      .map((l) => `${l}\n`)
      .join(''),
  };
  for (const alg of algorithms) {
    tagFiles[`manifest-${alg}.txt`] = Object.entries(spec.payload)
      .map(([p, c]) => `${hex(c, nodeName(alg))}  ${writePath(p)}\n`)
      .join('');
  }
  for (const [name, text] of Object.entries(tagFiles)) write(name, text);
  for (const alg of spec.tagAlgorithms ?? algorithms) {
    const lines = Object.entries(tagFiles).map(([name, text]) => `${hex(text, nodeName(alg))}  ${name}\n`);
    write(`tagmanifest-${alg}.txt`, lines.join(''));
  }
  return {
    dir,
    write,
    digest: (p, alg = 'sha256') => hex(Buffer.from(spec.payload[p] ?? ''), nodeName(alg)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function nodeName(alg: string): string {
  return alg === 'blake2b-512' ? 'blake2b512' : alg;
}
