/**
 * A tiny zip writer for tests, able to write what no honest tool writes: names that climb out,
 * symbolic links, duplicate names, names that are not UTF-8, sizes that lie, members that share
 * one data range. Each member's compressed bytes are given as they are (stored, or a raw deflate
 * stream the test made), so a "1 GiB" member costs only its compressed size.
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** One member to write. Only `name` is required; the rest default to an honest stored file. */
export interface ZipSpec {
  /** The name as written: a string (UTF-8) or raw bytes. */
  name: string | Uint8Array;
  /** Uncompressed content, used when `data` is not given. */
  content?: string | Uint8Array;
  /** 0 stored (default) or 8 deflate; with `content` and 8 the content is deflated here. */
  method?: number;
  /** The compressed bytes as written (overrides `content`). */
  data?: Uint8Array;
  /** Declared sizes (default: the true ones). */
  compressedSize?: number;
  uncompressedSize?: number;
  /** Unix mode in the external attributes, e.g. 0o120777 for a symlink (sets "made by Unix"). */
  unixMode?: number;
  /** General purpose flags (bit 0 encrypted, bit 11 UTF-8). */
  flags?: number;
  /** Point this member's central entry at the local header of member `sameDataAs` (overlap). */
  sameDataAs?: number;
}

/** Build the archive. */
export function buildZip(specs: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const spec of specs) {
    const name = typeof spec.name === 'string' ? Buffer.from(spec.name, 'utf8') : Buffer.from(spec.name);
    const content = Buffer.from(spec.content ?? '');
    const method = spec.method ?? 0;
    const data = Buffer.from(spec.data ?? (method === 8 ? deflateRawSync(content) : content));
    const compressed = spec.compressedSize ?? data.length;
    const uncompressed = spec.uncompressedSize ?? content.length;
    const crc = crc32(content);
    const flags = spec.flags ?? 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(Math.min(compressed, 0xffffffff), 18);
    local.writeUInt32LE(Math.min(uncompressed, 0xffffffff), 22);
    local.writeUInt16LE(name.length, 26);
    const at = spec.sameDataAs === undefined ? offset : offsets[spec.sameDataAs]!;
    offsets.push(at);
    if (spec.sameDataAs === undefined) {
      locals.push(local, name, data);
      offset += local.length + name.length + data.length;
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(spec.unixMode === undefined ? 20 : (3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(Math.min(compressed, 0xffffffff), 20);
    central.writeUInt32LE(Math.min(uncompressed, 0xffffffff), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((spec.unixMode ?? 0) << 16) >>> 0, 38);
    central.writeUInt32LE(at, 42);
    centrals.push(central, name);
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(specs.length, 8);
  eocd.writeUInt16LE(specs.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
