/**
 * Judging the members of a zip's central directory before anything is read: which names are
 * usable bag paths, and which members must never be opened. Everything here comes from someone
 * else's archive, so each member is checked for
 *
 * - a name that is not valid UTF-8 (the Info-ZIP Unicode Path field, when present and matching,
 *   is preferred, as unzip does);
 * - a name that is not a safe relative path (`../x`, `/x`, `C:\x`, backslashes, control
 *   characters): {@link pathSafetyProblems}, the one check every reader uses;
 * - a Unix file type other than a regular file or directory in the external attributes
 *   (symbolic links, FIFOs, devices): extracting those is how zip-slip attacks escape;
 * - the same name twice (tools disagree on which copy wins, so neither is believed);
 * - encryption or a compression method other than stored/deflate;
 * - declared sizes past the caps, a declared inflation ratio deflate cannot reach (a lie meant to
 *   make a small member expand), stored members whose two sizes differ, and members whose data
 *   overlap (the "overlapping files" zip bomb reuses one compressed stream for many members).
 *
 * Pure: input is the central directory as yauzl parsed it (strings not decoded).
 */
import zlib from 'node:zlib';
import { pathSafetyProblems } from '../../core/paths.js';

/** Why a member is listed but never read. */
export type ZipMemberDefect =
  | 'name-not-utf8'
  | 'unsafe-name'
  | 'symlink'
  | 'special-file'
  | 'duplicate-name'
  | 'encrypted'
  | 'unsupported-compression'
  | 'too-large'
  | 'ratio'
  | 'size-mismatch'
  | 'overlap';

/** The central-directory fields we judge (a subset of yauzl's Entry, names as raw bytes). */
export interface RawZipEntry {
  fileNameRaw: Uint8Array;
  extraFields: { id: number; data: Uint8Array }[];
  versionMadeBy: number;
  generalPurposeBitFlag: number;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  externalFileAttributes: number;
  relativeOffsetOfLocalHeader: number;
}

/** Limits applied to a zip's members. */
export interface ZipLimits {
  /** Largest inflated member in bytes (default {@link ZIP_MAX_MEMBER_BYTES}). */
  maxMemberBytes?: number;
  /** Largest total of all members' inflated sizes (default {@link ZIP_MAX_TOTAL_BYTES}). */
  maxTotalBytes?: number;
  /** Largest declared inflated ÷ compressed size (default {@link ZIP_MAX_RATIO}). */
  maxRatio?: number;
}

/** Default per-member inflated size cap: 64 GiB (a large video master still fits). */
export const ZIP_MAX_MEMBER_BYTES = 64 * 1024 ** 3;
/** Default total inflated size cap: 1 TiB. */
export const ZIP_MAX_TOTAL_BYTES = 1024 ** 4;
/**
 * Default ratio cap. Deflate cannot expand by more than about 1032:1, so a member declaring more
 * is lying about one of its sizes; 1100 leaves room for the few bytes of a tiny stream's framing.
 */
export const ZIP_MAX_RATIO = 1100;

/** One judged member. `name` is what the archive calls it (decoded; Latin-1 when not UTF-8). */
export interface ZipMember<E extends RawZipEntry = RawZipEntry> {
  name: string;
  entry: E;
  directory: boolean;
  /** Unset when the member may be read. */
  defect?: ZipMemberDefect;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const UNIX = 3;

/** Judge every member of a central directory (see the module doc). Never throws. */
export function judgeZipMembers<E extends RawZipEntry>(entries: E[], limits: ZipLimits = {}): ZipMember<E>[] {
  const maxMember = limits.maxMemberBytes ?? ZIP_MAX_MEMBER_BYTES;
  const maxTotal = limits.maxTotalBytes ?? ZIP_MAX_TOTAL_BYTES;
  const maxRatio = limits.maxRatio ?? ZIP_MAX_RATIO;
  const members = entries.map((entry) => judgeOne(entry, maxMember, maxRatio));
  markDuplicates(members);
  markOverlaps(members);
  let total = 0;
  for (const m of members) {
    if (m.directory || m.defect) continue;
    total += m.entry.uncompressedSize;
    // Members past the running total are refused one by one: each is named in its own error.
    if (total > maxTotal) m.defect = 'too-large';
  }
  return members;
}

function judgeOne<E extends RawZipEntry>(entry: E, maxMember: number, maxRatio: number): ZipMember<E> {
  const decoded = decodeName(entry);
  const directory = decoded.name.endsWith('/');
  const member: ZipMember<E> = { name: decoded.name, entry, directory };
  const defect = decoded.utf8 ? nameDefect(decoded.name, directory) : 'name-not-utf8';
  member.defect =
    defect ?? typeDefect(entry) ?? (directory ? undefined : dataDefect(entry, maxMember, maxRatio));
  if (member.defect === undefined) delete member.defect;
  return member;
}

function nameDefect(name: string, directory: boolean): ZipMemberDefect | undefined {
  const path = directory ? name.slice(0, -1) : name;
  return pathSafetyProblems(path).length > 0 ? 'unsafe-name' : undefined;
}

function typeDefect(e: RawZipEntry): ZipMemberDefect | undefined {
  if (e.versionMadeBy >>> 8 !== UNIX) return undefined;
  const type = (e.externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) return 'symlink';
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return 'special-file';
  return undefined;
}

function dataDefect(e: RawZipEntry, maxMember: number, maxRatio: number): ZipMemberDefect | undefined {
  if ((e.generalPurposeBitFlag & 0x1) !== 0) return 'encrypted';
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) return 'unsupported-compression';
  if (e.uncompressedSize > maxMember) return 'too-large';
  if (e.compressionMethod === 0 && e.compressedSize !== e.uncompressedSize) return 'size-mismatch';
  // A few bytes of framing let a tiny stream exceed the ratio honestly: allow 64 bytes of slack.
  if (e.compressionMethod === 8 && e.uncompressedSize > Math.max(e.compressedSize, 1) * maxRatio + 64)
    return 'ratio';
  return undefined;
}

/** Every copy of a name that occurs more than once. */
function markDuplicates(members: ZipMember[]): void {
  const seen = new Map<string, ZipMember>();
  for (const m of members) {
    const first = seen.get(m.name);
    if (first === undefined) {
      seen.set(m.name, m);
      continue;
    }
    if (m.directory) continue; // a repeated directory entry is harmless
    first.defect ??= 'duplicate-name';
    m.defect ??= 'duplicate-name';
  }
}

/**
 * Members whose data ranges overlap. The local header is at least 30 bytes plus the name, so
 * `offset + 30 + name + compressed` is a lower bound of where a member's data ends.
 */
function markOverlaps(members: ZipMember[]): void {
  const files = members
    .filter((m) => !m.directory)
    .sort((a, b) => a.entry.relativeOffsetOfLocalHeader - b.entry.relativeOffsetOfLocalHeader);
  for (let i = 1; i < files.length; i++) {
    const prev = files[i - 1]!.entry;
    const end = prev.relativeOffsetOfLocalHeader + 30 + prev.fileNameRaw.length + prev.compressedSize;
    if (end > files[i]!.entry.relativeOffsetOfLocalHeader) {
      files[i - 1]!.defect ??= 'overlap';
      files[i]!.defect ??= 'overlap';
    }
  }
}

/** The member's name: the Info-ZIP Unicode Path when it matches the header's, else the header's. */
function decodeName(e: RawZipEntry): { name: string; utf8: boolean } {
  const unicode = unicodePath(e);
  const bytes = unicode ?? e.fileNameRaw;
  try {
    return { name: strictUtf8.decode(bytes), utf8: true };
  } catch {
    return { name: Buffer.from(bytes).toString('latin1'), utf8: false };
  }
}

/** Info-ZIP Unicode Path extra field (0x7075): version 1, CRC-32 of the header name, UTF-8 name. */
function unicodePath(e: RawZipEntry): Uint8Array | null {
  for (const f of e.extraFields) {
    if (f.id !== 0x7075 || f.data.length < 6 || f.data[0] !== 1) continue;
    // zlib.crc32 arrived in Node 20.15; without it the field cannot be checked, so it is ignored.
    if (typeof zlib.crc32 !== 'function') return null;
    const crc = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength).readUInt32LE(1);
    if (zlib.crc32(e.fileNameRaw) === crc) return f.data.subarray(5);
  }
  return null;
}

/** A short description of a defect, for the member's error message. */
export function describeZipDefect(defect: ZipMemberDefect): string {
  return DEFECT_TEXT[defect];
}

const DEFECT_TEXT: Record<ZipMemberDefect, string> = {
  'name-not-utf8': 'zip member name is not valid UTF-8',
  'unsafe-name': 'zip member name is not a safe relative path',
  symlink: 'zip member is a symbolic link',
  'special-file': 'zip member is a FIFO, socket or device',
  'duplicate-name': 'zip member name occurs more than once',
  encrypted: 'zip member is encrypted',
  'unsupported-compression': 'zip member uses a compression method other than stored or deflate',
  'too-large': 'zip member is larger than the inflation limit',
  ratio: 'zip member declares an inflation ratio deflate cannot produce',
  'size-mismatch': 'stored zip member has different compressed and uncompressed sizes',
  overlap: 'zip member data overlaps another member',
};
