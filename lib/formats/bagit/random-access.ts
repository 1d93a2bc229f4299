/**
 * Random access to the bytes of one archive, so a zip can be read where it lies (a file, an
 * object in a store, a buffer) without holding it in memory. Formats define the interface and
 * the in-memory implementation; the file and store implementations live in lib/engine, which is
 * allowed to do I/O.
 */
import { Readable } from 'node:stream';
import { InvalidInputError, MalformedError } from '../../core/errors.js';

/** Byte-range reads over one archive of known size. */
export interface RandomAccessBytes {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * The bytes `[start, end)` as a stream. `end` never exceeds `size`. Errors of the underlying
   * storage are the stream's errors.
   */
  readRange(start: number, end: number): Readable;
  /** Release what the reader holds (open files). Optional. */
  close?(): Promise<void>;
}

/** Random access over bytes already in memory (tests, small uploads). */
export function bytesRandomAccess(bytes: Uint8Array): RandomAccessBytes {
  if (!(bytes instanceof Uint8Array))
    throw new MalformedError(`zip input is ${bytes === null ? 'null' : typeof bytes}, not bytes`, {
      operation: 'readZip',
    });
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    size: buffer.length,
    readRange(start, end) {
      if (start < 0 || end > buffer.length || end < start) {
        throw new InvalidInputError(`byte range ${start}-${end} is outside 0-${buffer.length}`);
      }
      // One chunk: the slice shares memory with the buffer, nothing is copied.
      return Readable.from([buffer.subarray(start, end)], { objectMode: false });
    },
  };
}
