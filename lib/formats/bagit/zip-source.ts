/**
 * A {@link BagSource} over a zip archive, because bags travel zipped (and fixtures are zipped to
 * keep the empty directories git drops). The archive is read where it lies through
 * {@link RandomAccessBytes} (a file, a store object, a buffer): the central directory is parsed
 * by yauzl (ZIP64 included) and members are inflated as streams, never whole archives in memory.
 *
 * Every member is judged before anything is read (zip-members.ts): unsafe or non-UTF-8 names,
 * symbolic links and devices, duplicate names, encryption, sizes past the caps, impossible
 * inflation ratios and overlapping data are listed with a `defect` (the validator turns each into
 * an error naming the member) and are never opened. While a member is read, its output is held to
 * the size its header declares: a member that inflates past it, or falls short, fails.
 *
 * When the archive holds one folder with `bagit.txt` in it (the usual `zip -r bag.zip bag/`),
 * that folder is the bag root; macOS `__MACOSX/` entries are ignored.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import {
  InvalidInputError,
  MalformedError,
  NotFoundError,
  StrongroomError,
  TooLargeError,
} from '../../core/errors.js';
import { quoteForMessage, truncateForMessage } from '../../core/paths.js';
import { bytesRandomAccess, type RandomAccessBytes } from './random-access.js';
import type { BagFile, BagReadOptions, BagSource } from './source.js';
import { judgeZipMembers, type ZipLimits, type ZipMember } from './zip-members.js';

/** Options of {@link openZipBag}. */
export interface ZipBagOptions extends ZipLimits {
  /** Where the archive is, for messages (default `zip:`). */
  location?: string;
  /** Most members accepted in the central directory (default {@link ZIP_MAX_MEMBERS}). */
  maxMembers?: number;
}

/** Default cap on the number of central-directory entries: 1,000,000. */
export const ZIP_MAX_MEMBERS = 1_000_000;

/** A bag source over a zip; `close()` releases the archive (open files). */
export interface ZipBagSource extends BagSource {
  /** Release the archive (its open file); reading afterwards fails. */
  close(): Promise<void>;
}

/** Bytes of whole-member reads (`read`) when the caller gives no cap: 64 MiB. */
const DEFAULT_READ_MAX = 64 * 1024 * 1024;

/**
 * Members up to this compressed size (and 64 MiB inflated) are read in one go and inflated in
 * one call, capped at their declared size: per member, yauzl's stream chain costs about 0.4 ms,
 * 25 times the work itself on small files (bench/bagit/README.md, "Zip reader").
 */
const SMALL_MEMBER = 1024 * 1024;

/**
 * Open the zip `reader` gives access to. Rejects with MalformedError when the central directory
 * cannot be read (not a zip, truncated, multi-disk) and TooLargeError when it names more than
 * `maxMembers` entries. Members are judged, not refused: see the module doc.
 */
export async function openZipBag(
  reader: RandomAccessBytes,
  options: ZipBagOptions = {},
): Promise<ZipBagSource> {
  const location = options.location ?? 'zip:';
  const { zip, raw } = await openArchive(reader, location);
  try {
    const maxMembers = options.maxMembers ?? ZIP_MAX_MEMBERS;
    if (zip.entryCount > maxMembers) {
      throw new TooLargeError(
        `zip archive ${truncateForMessage(location)} lists ${zip.entryCount} members; the limit is ${maxMembers}`,
        maxMembers,
        { operation: 'readZip', key: truncateForMessage(location) },
      );
    }
    const members = judgeZipMembers(await readEntries(zip, location), options).filter(
      (m) => !m.name.startsWith('__MACOSX/') && !(m.directory && m.defect === undefined),
    );
    return zipSource(zip, raw, members, location);
  } catch (err) {
    zip.close();
    throw err;
  }
}

/** {@link openZipBag} over a zip already in memory. */
export async function zipBagSource(bytes: Uint8Array, location = 'zip:'): Promise<ZipBagSource> {
  return openZipBag(bytesRandomAccess(bytes), { location });
}

function zipSource(
  zip: yauzl.ZipFile,
  raw: Reader,
  members: ZipMember<yauzl.Entry>[],
  location: string,
): ZipBagSource {
  const root = bagRoot(members.filter((m) => !m.directory).map((m) => m.name));
  const byPath = new Map<string, ZipMember<yauzl.Entry>>();
  for (const m of members) {
    const rel = m.name.slice(root.length).replace(/\/$/, '');
    // Duplicates were judged already; keep one entry per path so each is reported once.
    if (!byPath.has(rel)) byPath.set(rel, m);
  }
  const readable = (path: string) => {
    const m = byPath.get(path);
    if (m === undefined || m.directory)
      throw new NotFoundError(`no ${quoteForMessage(path)} in ${truncateForMessage(location)}`, {
        key: truncateForMessage(path),
        operation: 'read',
      });
    if (m.defect !== undefined)
      throw new InvalidInputError(`zip member ${quoteForMessage(m.name)} must not be read (${m.defect})`, {
        key: truncateForMessage(m.name),
        operation: 'read',
      });
    return m;
  };
  const small = (e: yauzl.Entry) =>
    e.compressedSize <= SMALL_MEMBER && e.uncompressedSize <= DEFAULT_READ_MAX;
  const whole = (m: ZipMember<yauzl.Entry>) =>
    readSmallMember(zip, raw, m).catch((err: unknown) => {
      throw zipError(err, location, m.name);
    });
  const stream = async (path: string, signal?: AbortSignal): Promise<Readable> => {
    const m = readable(path);
    signal?.throwIfAborted();
    if (small(m.entry)) return Readable.from([await whole(m)], { objectMode: false });
    const inflated = await zip.openReadStreamPromise(m.entry).catch((err: unknown) => {
      throw zipError(err, location, m.name);
    });
    const sized = new ExactSize(m.entry.uncompressedSize, m.name);
    pipeline(inflated, sized, signal ? { signal } : {}).catch(() => {}); // errors surface on `sized`
    return sized;
  };
  return {
    location,
    async *list(signal?: AbortSignal): AsyncIterable<BagFile> {
      for (const [path, m] of byPath) {
        signal?.throwIfAborted();
        const file: BagFile = { path, size: m.entry.uncompressedSize };
        if (m.defect !== undefined) file.defect = m.defect;
        yield file;
      }
    },
    async read(path: string, options: BagReadOptions = {}): Promise<Uint8Array> {
      const max = options.maxBytes ?? DEFAULT_READ_MAX;
      const m = readable(path);
      if (m.entry.uncompressedSize > max)
        throw new TooLargeError(`zip member ${quoteForMessage(m.name)} is larger than ${max} bytes`, max, {
          key: truncateForMessage(m.name),
          operation: 'read',
        });
      if (small(m.entry)) return whole(m);
      const chunks: Buffer[] = [];
      for await (const c of await stream(path)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    stream,
    close: async () => zip.close(),
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

/**
 * Passes exactly `expected` bytes: more is a TooLargeError (raised on the chunk that crosses, so
 * a lying member never inflates further), fewer a MalformedError at the end.
 */
class ExactSize extends Transform {
  private seen = 0;
  constructor(
    private readonly expected: number,
    private readonly name: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.expected) {
      done(pastDeclared(this.name, this.expected));
      return;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.seen < this.expected) {
      done(shortOf(this.name, this.seen, this.expected));
      return;
    }
    done();
  }
}

/**
 * A small member in one read and one inflate call, held to its declared size: zlib stops at
 * `maxOutputLength`, so a member that would inflate further costs no more than its declaration.
 */
async function readSmallMember(zip: yauzl.ZipFile, raw: Reader, m: ZipMember<yauzl.Entry>): Promise<Buffer> {
  const e = m.entry;
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(e, { minimal: true });
  const data = await raw.readPromise(fileDataStart, e.compressedSize);
  if (data.length < e.compressedSize)
    throw new MalformedError(`zip member ${quoteForMessage(m.name)} is cut short`, { operation: 'readZip' });
  if (e.compressionMethod === 0) return data;
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: e.uncompressedSize + 1 });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw pastDeclared(m.name, e.uncompressedSize);
    throw err;
  }
  if (out.length > e.uncompressedSize) throw pastDeclared(m.name, e.uncompressedSize);
  if (out.length < e.uncompressedSize) throw shortOf(m.name, out.length, e.uncompressedSize);
  return out;
}

function pastDeclared(name: string, expected: number): TooLargeError {
  return new TooLargeError(
    `zip member ${quoteForMessage(name)} inflates past its declared ${expected} bytes`,
    expected,
    { key: truncateForMessage(name), operation: 'readZip' },
  );
}

function shortOf(name: string, seen: number, expected: number): MalformedError {
  return new MalformedError(
    `zip member ${quoteForMessage(name)} holds ${seen} bytes, not the declared ${expected}`,
    { key: truncateForMessage(name), operation: 'readZip' },
  );
}

/** yauzl's reader over our {@link RandomAccessBytes}, with a read-ahead window for small reads. */
class Reader extends yauzl.RandomAccessReader {
  private window: { start: number; bytes: Buffer } | null = null;

  constructor(private readonly source: RandomAccessBytes) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.source.readRange(start, end);
  }

  /**
   * yauzl reads the central directory 46 bytes and one name at a time: serve those from one
   * 256 KiB window so a 10,000-member archive costs a few range reads, not 20,000.
   */
  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    const w = this.window;
    if (w !== null && position >= w.start && position + length <= w.start + w.bytes.length) {
      w.bytes.copy(buffer, offset, position - w.start, position - w.start + length);
      setImmediate(() => callback(null, length));
      return;
    }
    const end = Math.min(this.source.size, position + Math.max(length, 256 * 1024));
    collect(this.source.readRange(position, end)).then(
      (bytes) => {
        this.window = { start: position, bytes };
        const n = Math.min(length, bytes.length);
        bytes.copy(buffer, offset, 0, n);
        callback(null, n);
      },
      (err: Error) => callback(err),
    );
  }

  /** `length` bytes at `position` (fewer at the end of the archive), through the window. */
  readPromise(position: number, length: number): Promise<Buffer> {
    const out = Buffer.alloc(Math.max(0, Math.min(length, this.source.size - position)));
    if (out.length === 0) return Promise.resolve(out);
    return new Promise((resolve, reject) =>
      this.read(out, 0, out.length, position, (err) => (err ? reject(err) : resolve(out))),
    );
  }

  override close(callback: (err: Error | null) => void): void {
    this.window = null;
    Promise.resolve(this.source.close?.()).then(
      () => callback(null),
      (err: Error) => callback(err),
    );
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function openArchive(
  reader: RandomAccessBytes,
  location: string,
): Promise<{ zip: yauzl.ZipFile; raw: Reader }> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false };
  return new Promise((resolve, reject) => {
    try {
      const raw = new Reader(reader);
      yauzl.fromRandomAccessReader(raw, reader.size, options, (err, zip) => {
        if (err) reject(zipError(err, location));
        else resolve({ zip, raw });
      });
    } catch (err) {
      reject(zipError(err, location));
    }
  });
}

function readEntries(zip: yauzl.ZipFile, location: string): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  return new Promise((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (err: unknown) => reject(zipError(err, location)));
    zip.readEntry();
  });
}

/** Our own errors pass through; yauzl's and zlib's become MalformedError naming the archive. */
function zipError(err: unknown, location: string, member?: string): StrongroomError {
  if (err instanceof StrongroomError) return err;
  const what = member === undefined ? '' : ` member ${quoteForMessage(member)}`;
  const why = truncateForMessage(err instanceof Error ? err.message : String(err), 160);
  return new MalformedError(`zip archive ${truncateForMessage(location)}${what} cannot be read: ${why}`, {
    operation: 'readZip',
    key: truncateForMessage(member ?? location),
    cause: err,
  });
}
