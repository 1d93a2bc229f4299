/**
 * The hand-written zip reader that lib/formats/bagit/zip-source.ts replaced with yauzl, kept only
 * so zip-bench.ts can compare the two (see README.md). Not hardened: do not use it on input.
 *
 * (Original description.) A {@link BagSource} over the bytes of a zip archive, because bags travel zipped (and fixtures
 * are zipped to keep the empty directories git drops). Reads the central directory (with ZIP64
 * sizes and offsets), stored and deflated members; names are UTF-8 (bit 11, or what Info-ZIP
 * writes anyway), else read as Latin-1. When the archive holds one folder with `bagit.txt` in it
 * (the usual `zip -r bag.zip bag/`), that folder is the bag root; macOS `__MACOSX/` entries are
 * ignored.
 */
import { inflateRawSync } from 'node:zlib';
import { MalformedError, NotFoundError, UnsupportedError } from '../../lib/core/errors.js';
import type { BagFile, BagSource } from '../../lib/formats/bagit/source.js';

interface ZipMember {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * A bag source reading `bytes` (a whole zip file). Throws MalformedError when the archive's
 * directory cannot be read; reading a member with an unknown compression method rejects with
 * UnsupportedError.
 */
export function handwrittenZipBagSource(bytes: Uint8Array, location = 'zip:'): BagSource {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // macOS adds resource forks under __MACOSX/: never part of the bag.
  const members = readCentralDirectory(view, bytes).filter(
    (m) => !m.name.endsWith('/') && !m.name.startsWith('__MACOSX/'),
  );
  const root = bagRoot(members.map((m) => m.name));
  const byPath = new Map<string, ZipMember>();
  for (const m of members) if (m.name.startsWith(root)) byPath.set(m.name.slice(root.length), m);
  return {
    location,
    async *list(): AsyncIterable<BagFile> {
      for (const [path, m] of byPath) yield { path, size: m.size };
    },
    async read(path: string): Promise<Uint8Array> {
      const m = byPath.get(path);
      if (m === undefined)
        throw new NotFoundError(`no ${path} in ${location}`, { key: path, operation: 'read' });
      return extract(view, bytes, m);
    },
  };
}

/** The folder prefix (`name/` or '') under which `bagit.txt` sits, if all members share it. */
function bagRoot(names: string[]): string {
  if (names.includes('bagit.txt')) return '';
  const decl = names.find((n) => /^[^/]+\/bagit\.txt$/.test(n));
  if (decl === undefined) return '';
  const prefix = decl.slice(0, decl.length - 'bagit.txt'.length);
  return names.every((n) => n.startsWith(prefix)) ? prefix : '';
}

function readCentralDirectory(view: DataView, bytes: Uint8Array): ZipMember[] {
  const eocd = findEocd(view);
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const locator = eocd - 20;
  if (locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR) {
    const z64 = Number(view.getBigUint64(locator + 8, true));
    count = Number(view.getBigUint64(z64 + 32, true));
    offset = Number(view.getBigUint64(z64 + 48, true));
  }
  const out: ZipMember[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== CENTRAL) {
      throw new MalformedError('zip central directory is damaged', { operation: 'readZip' });
    }
    const nameLen = view.getUint16(offset + 28, true);
    const extraLen = view.getUint16(offset + 30, true);
    const commentLen = view.getUint16(offset + 32, true);
    const nameBytes = bytes.subarray(offset + 46, offset + 46 + nameLen);
    const member: ZipMember = {
      name: decodeName(nameBytes, (view.getUint16(offset + 8, true) & 0x800) !== 0),
      method: view.getUint16(offset + 10, true),
      compressedSize: view.getUint32(offset + 20, true),
      size: view.getUint32(offset + 24, true),
      localOffset: view.getUint32(offset + 42, true),
    };
    applyZip64(view, offset + 46 + nameLen, extraLen, member);
    out.push(member);
    offset += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function findEocd(view: DataView): number {
  const last = view.byteLength - 22;
  for (let i = last; i >= Math.max(0, last - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) return i;
  }
  throw new MalformedError('not a zip archive (no end of central directory)', { operation: 'readZip' });
}

/** ZIP64 extra field (0x0001): 64-bit values for exactly the fields that are 0xFFFFFFFF. */
function applyZip64(view: DataView, start: number, length: number, m: ZipMember): void {
  for (let p = start; p + 4 <= start + length; ) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        const v = Number(view.getBigUint64(q, true));
        q += 8;
        return v;
      };
      if (m.size === 0xffffffff) m.size = next();
      if (m.compressedSize === 0xffffffff) m.compressedSize = next();
      if (m.localOffset === 0xffffffff) m.localOffset = next();
    }
    p += 4 + size;
  }
}

function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return utf8Flag ? new TextDecoder('utf-8').decode(bytes) : String.fromCharCode(...bytes);
  }
}

function extract(view: DataView, bytes: Uint8Array, m: ZipMember): Uint8Array {
  if (view.getUint32(m.localOffset, true) !== LOCAL) {
    throw new MalformedError(`zip member ${m.name} has no local header`, { key: m.name });
  }
  const start =
    m.localOffset + 30 + view.getUint16(m.localOffset + 26, true) + view.getUint16(m.localOffset + 28, true);
  const data = bytes.subarray(start, start + m.compressedSize);
  if (m.method === 0) return data;
  if (m.method === 8) return inflateRawSync(data);
  throw new UnsupportedError(`zip member ${m.name} uses compression method ${m.method}`, { key: m.name });
}
