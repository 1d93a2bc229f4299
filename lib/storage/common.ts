/**
 * Small pieces every backend shares: key ordering, byte-range checks, prefix/child arithmetic for
 * listings, and turning a write body into bytes. Nothing here knows about a particular backend.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { FixityMismatchError, InvalidInputError, TooLargeError } from '../core/errors.js';
import { DEFAULT_READ_BYTES_LIMIT, type ReadOptions } from './port.js';

/**
 * Order keys by their UTF-8 bytes, the order S3 lists in. (JavaScript's `<` compares UTF-16 code
 * units, which differs for characters above U+FFFF versus U+E000–U+FFFF.)
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A validated inclusive byte range; `end` undefined means "to the end of the object". */
export interface ByteRange {
  start: number;
  end?: number;
}

/**
 * Validate `start`/`end` of {@link ReadOptions}. Throws InvalidInputError for negative or
 * non-integer bounds or `start > end`. Ranges past the object's end are clamped by the caller.
 */
export function checkRange(options: ReadOptions | undefined, key: string): ByteRange {
  const start = options?.start ?? 0;
  const end = options?.end;
  const bad = (v: number) => !Number.isSafeInteger(v) || v < 0;
  if (bad(start) || (end !== undefined && (bad(end) || end < start))) {
    throw new InvalidInputError(`invalid byte range ${start}-${end ?? ''}`, { operation: 'read', key });
  }
  return end === undefined ? { start } : { start, end };
}

/** Clamp a range to an object of `size` bytes: `[from, toExclusive)` (empty when past the end). */
export function clampRange(range: ByteRange, size: number): [number, number] {
  const from = Math.min(range.start, size);
  const to = range.end === undefined ? size : Math.min(range.end + 1, size);
  return [from, Math.max(from, to)];
}

/** The key prefix (with trailing `/`) that `list(prefix)` covers; '' for the root. */
export function dirPrefix(prefix: string): string {
  return prefix === '' ? '' : `${prefix}/`;
}

/** The error to throw when `signal` has fired (its reason, normally a DOMException AbortError). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Throw the abort reason if `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/** Collect a body (Buffer, string or stream) into one Buffer, honouring `signal`. */
export async function bodyToBuffer(body: Readable | Buffer | string, signal?: AbortSignal): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return streamToBuffer(body, signal);
}

/**
 * Read a stream to its end into one Buffer; aborting destroys the stream and rejects. With
 * `maxBytes`, the stream is destroyed and TooLargeError thrown as soon as more than that arrived.
 */
export async function streamToBuffer(
  stream: Readable,
  signal?: AbortSignal,
  maxBytes = Number.POSITIVE_INFINITY,
  key = '',
): Promise<Buffer> {
  throwIfAborted(signal);
  const onAbort = () => stream.destroy(abortReason(signal!) as Error);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      total += buf.length;
      if (total > maxBytes) {
        stream.destroy();
        throw tooLarge(key, maxBytes);
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The cap a readBytes call applies (its option, else the default). Throws InvalidInputError. */
export function readLimit(maxBytes: number | undefined, key: string): number {
  const limit = maxBytes ?? DEFAULT_READ_BYTES_LIMIT;
  if (!(limit >= 0))
    throw new InvalidInputError(`invalid maxBytes ${limit}`, { operation: 'readBytes', key });
  return limit;
}

/** The TooLargeError for a whole-object read of `key` past `limit` bytes. */
export function tooLarge(key: string, limit: number): TooLargeError {
  return new TooLargeError(`${key} is larger than the ${limit} bytes this reader accepts`, limit, {
    operation: 'readBytes',
    key,
  });
}

/** A readable over `bytes` that is destroyed (with the abort reason) when `signal` fires. */
export function bufferStream(bytes: Buffer, signal?: AbortSignal): Readable {
  const stream = Readable.from([bytes], { objectMode: false });
  if (signal) attachAbort(stream, signal);
  return stream;
}

/** Destroy `stream` with the abort reason when `signal` fires (immediately if it already has). */
export function attachAbort(stream: Readable, signal: AbortSignal): void {
  if (signal.aborted) {
    stream.destroy(abortReason(signal) as Error);
    return;
  }
  const onAbort = () => stream.destroy(abortReason(signal) as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
}

/** Totals seen by a {@link VerifyingTransform} once its input has ended. */
export interface StreamTotals {
  size: number;
  sha256: string;
}

/**
 * A pass-through that counts and SHA-256-hashes the bytes, and, when `expectedSha256` is given,
 * fails with FixityMismatchError instead of ending if the digest differs. It holds back the last
 * chunk until the digest is checked, so a consumer that commits on the final byte (an HTTP PUT
 * with a declared length, a multipart upload's last part) never receives a complete wrong body.
 */
export class VerifyingTransform extends Transform {
  private readonly hash = createHash('sha256');
  private held: Buffer | undefined;
  private count = 0;
  /** Set when the input has ended and passed the check. */
  totals: StreamTotals | undefined;

  constructor(
    private readonly key: string,
    private readonly expectedSha256?: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    this.hash.update(buf);
    this.count += buf.length;
    const previous = this.held;
    this.held = buf;
    done(null, previous);
  }

  override _flush(done: TransformCallback): void {
    const sha256 = this.hash.digest('hex');
    const expected = this.expectedSha256?.toLowerCase();
    if (expected !== undefined && expected !== sha256) {
      const details = { operation: 'write', key: this.key };
      done(new FixityMismatchError(`SHA-256 mismatch writing ${this.key}`, expected, sha256, details));
      return;
    }
    this.totals = { size: this.count, sha256 };
    done(null, this.held);
  }
}

/** Throw FixityMismatchError when `bytes` do not hash to `expectedSha256` (if given). Returns the digest. */
export function verifyBytes(bytes: Buffer, key: string, expectedSha256?: string): string {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const expected = expectedSha256?.toLowerCase();
  if (expected !== undefined && expected !== sha256) {
    throw new FixityMismatchError(`SHA-256 mismatch writing ${key}`, expected, sha256, {
      operation: 'write',
      key,
    });
  }
  return sha256;
}
