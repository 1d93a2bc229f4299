/**
 * A push tokenizer for JSON text in UTF-8, for documents too large to hold as one string: bytes
 * come in chunks of any size (a token may straddle chunks), and each token goes to a
 * {@link JsonSink} as it completes. It accepts exactly what `JSON.parse` accepts over strictly
 * decoded UTF-8: the same grammar, the same string values (escapes are decoded by JSON.parse
 * itself, on the one string), the same numbers. It stops at the first error and keeps a message
 * naming the byte offset, never the text (the text may be anyone's file).
 *
 * Cost: one pass of a byte loop; strings without escapes or non-ASCII bytes become strings with
 * one latin1 copy. Only a token split by a chunk boundary is copied first.
 *
 * Pure module.
 */
import { TooLargeError } from '../errors.js';

/** Receives the document's structure, in order. */
export interface JsonSink {
  openObject(): void;
  openArray(): void;
  /** A key of the innermost object; `offset` is the byte offset of its opening quote. */
  key(key: string, offset: number): void;
  /** Closes the innermost object or array. */
  close(): void;
  scalar(value: string | number | boolean | null): void;
}

/** Options of {@link JsonTokenizer}. */
export interface JsonTokenizerOptions {
  /** Longest string or number, in bytes: TooLargeError past it. */
  maxTokenBytes: number;
  /** Deepest nesting: a syntax error past it. */
  maxDepth: number;
  /** Skip a UTF-8 byte-order mark at the very start instead of calling it an error. */
  allowByteOrderMark: boolean;
  /** Name for TooLargeError messages. */
  path?: string;
}

enum State {
  /** A value must come (start, after `:`, after `,` in an array). */
  Value,
  /** A value or `]` (just after `[`). */
  ValueOrEnd,
  /** A key or `}` (just after `{`). */
  KeyOrEnd,
  /** A key (after `,` in an object). */
  Key,
  Colon,
  /** `,` or the closing bracket, after a value in a container. */
  CommaOrEnd,
  /** The top value is complete: only whitespace may follow. */
  Done,
}

const QUOTE = 0x22;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BACKSLASH = 0x5c;
/** Sentinel of {@link JsonTokenizer.scanString} etc.: the token continues past the buffer. */
const MORE = -1;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Buffer's latin1 decoder without `toString`'s argument handling (hot: once per string). */
const latin1 = (buf: Buffer, start: number, end: number): string =>
  (buf as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(start, end);

/** See the module doc. `push` chunks, then `end()`; read `error` after. */
export class JsonTokenizer {
  /** Why the text is not JSON (set at the first error; nothing is reported after it). */
  error: string | undefined;
  readonly #sink: JsonSink;
  readonly #options: JsonTokenizerOptions;
  #state = State.Value;
  /** Open containers, innermost last: true for arrays. */
  readonly #containers: boolean[] = [];
  /** Byte offset of the current buffer's first byte in the document. */
  #base = 0;
  /** Bytes of a token that the previous chunk ended in the middle of. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #started = false;

  constructor(sink: JsonSink, options: JsonTokenizerOptions) {
    this.#sink = sink;
    this.#options = options;
  }

  /** Feed the next bytes. Throws TooLargeError for a token past `maxTokenBytes`. */
  push(chunk: Uint8Array): void {
    if (this.error !== undefined || chunk.byteLength === 0) return;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#pendingBytes > 0) {
      // A string still open and no quote in sight: keep the pieces, join once it can end.
      if (this.#pending[0]![0] === QUOTE && buf.indexOf(QUOTE) < 0) {
        this.#keep(buf);
        return;
      }
      this.#pending.push(buf);
      buf = Buffer.concat(this.#pending, this.#pendingBytes + buf.length);
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    this.#run(buf, false);
  }

  /** No more bytes: an unfinished document is an error ("ends too early"). */
  end(): void {
    if (this.error !== undefined) return;
    const rest = this.#pendingBytes > 0 ? Buffer.concat(this.#pending, this.#pendingBytes) : undefined;
    if (rest) {
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#run(rest, true);
    }
    if (this.error === undefined && (this.#state !== State.Done || this.#pendingBytes > 0)) {
      this.error = 'JSON ends too early';
    }
  }

  #keep(piece: Buffer): void {
    this.#pending.push(piece);
    this.#pendingBytes += piece.length;
    if (this.#pendingBytes > this.#options.maxTokenBytes) this.#tooLarge();
  }

  #fail(offset: number, what = 'JSON syntax error'): void {
    this.error ??= `${what} at position ${offset}`;
  }

  #tooLarge(): never {
    const max = this.#options.maxTokenBytes;
    throw new TooLargeError(
      `${this.#options.path ?? 'inventory.json'} has a string or number of more than ${max} bytes, too large for this reader`,
      max,
      { operation: 'parseInventory', ...(this.#options.path !== undefined && { key: this.#options.path }) },
    );
  }

  /** Run the state machine over `buf`; an unfinished token is kept for the next chunk. */
  #run(buf: Buffer, final: boolean): void {
    const len = buf.length;
    let pos = 0;
    if (!this.#started) {
      if (len < 3 && !final && BOM.subarray(0, len).equals(buf)) {
        this.#keep(Buffer.from(buf)); // maybe a byte-order mark: decide with the next bytes
        return;
      }
      this.#started = true;
      if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        if (!this.#options.allowByteOrderMark) {
          this.#fail(0);
          return;
        }
        pos = 3;
      }
    }
    while (pos < len) {
      const c = buf[pos]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        pos++;
        continue;
      }
      let next: number;
      switch (this.#state) {
        case State.Value:
        case State.ValueOrEnd:
          if (c === 0x5d && this.#state === State.ValueOrEnd) next = this.#close(pos);
          else next = this.#value(buf, pos, final);
          break;
        case State.KeyOrEnd:
        case State.Key:
          if (c === QUOTE) next = this.#key(buf, pos, final);
          else if (c === 0x7d && this.#state === State.KeyOrEnd) next = this.#close(pos);
          else next = this.#error(pos);
          break;
        case State.Colon:
          if (c === 0x3a) {
            this.#state = State.Value;
            next = pos + 1;
          } else next = this.#error(pos);
          break;
        case State.CommaOrEnd: {
          const inArray = this.#containers[this.#containers.length - 1]!;
          if (c === 0x2c) {
            this.#state = inArray ? State.Value : State.Key;
            next = pos + 1;
          } else if (c === (inArray ? 0x5d : 0x7d)) next = this.#close(pos);
          else next = this.#error(pos);
          break;
        }
        default:
          next = this.#error(pos);
      }
      if (next === MORE) {
        this.#keep(Buffer.from(buf.subarray(pos)));
        this.#base += pos;
        return;
      }
      if (this.error !== undefined) return;
      pos = next;
    }
    this.#base += len;
  }

  #error(pos: number): number {
    this.#fail(this.#base + pos);
    return pos + 1;
  }

  #afterValue(): void {
    this.#state = this.#containers.length === 0 ? State.Done : State.CommaOrEnd;
  }

  #close(pos: number): number {
    this.#containers.pop();
    this.#sink.close();
    this.#afterValue();
    return pos + 1;
  }

  #open(isArray: boolean, pos: number): number {
    if (this.#containers.length >= this.#options.maxDepth) {
      this.#fail(this.#base + pos, `JSON nested deeper than ${this.#options.maxDepth} levels`);
      return pos + 1;
    }
    this.#containers.push(isArray);
    if (isArray) this.#sink.openArray();
    else this.#sink.openObject();
    this.#state = isArray ? State.ValueOrEnd : State.KeyOrEnd;
    return pos + 1;
  }

  /** A value starting at `pos`: returns where it ends, or MORE. */
  #value(buf: Buffer, pos: number, final: boolean): number {
    const c = buf[pos]!;
    if (c === 0x7b) return this.#open(false, pos);
    if (c === 0x5b) return this.#open(true, pos);
    if (c === QUOTE) {
      const end = this.#scanString(buf, pos + 1);
      if (end < 0) return end === MORE ? (final ? this.#early() : MORE) : pos + 1;
      const s = this.#decode(buf, pos + 1, end);
      if (s === undefined) return end + 1;
      this.#sink.scalar(s);
      this.#afterValue();
      return end + 1;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.#number(buf, pos, final);
    if (c === 0x74) return this.#literal(buf, pos, final, 'true', true);
    if (c === 0x66) return this.#literal(buf, pos, final, 'false', false);
    if (c === 0x6e) return this.#literal(buf, pos, final, 'null', null);
    return this.#error(pos);
  }

  #key(buf: Buffer, pos: number, final: boolean): number {
    const end = this.#scanString(buf, pos + 1);
    if (end < 0) return end === MORE ? (final ? this.#early() : MORE) : pos + 1;
    const s = this.#decode(buf, pos + 1, end);
    if (s === undefined) return end + 1;
    this.#sink.key(s, this.#base + pos);
    this.#state = State.Colon;
    return end + 1;
  }

  #early(): number {
    this.error ??= 'JSON ends too early';
    return Number.MAX_SAFE_INTEGER;
  }

  /** What the last string scanned holds: 1 = an escape, 2 = a non-ASCII byte. */
  #flags = 0;

  /**
   * The index of the quote closing the string whose content starts at `from`; MORE when the
   * buffer ends first; -2 after reporting a raw control character. Sets #flags.
   */
  #scanString(buf: Buffer, from: number): number {
    const len = buf.length;
    let flags = 0;
    let j = from;
    while (j < len) {
      const c = buf[j]!;
      if (c === QUOTE) {
        if (j - from > this.#options.maxTokenBytes) this.#tooLarge();
        this.#flags = flags;
        return j;
      }
      if (c === BACKSLASH) {
        flags |= 1;
        j += 2;
        continue;
      }
      if (c < 0x20) {
        this.#fail(this.#base + j);
        return -2;
      }
      if (c >= 0x80) flags |= 2;
      j++;
    }
    return MORE;
  }

  /** The string value of the content [start, end) (per #flags); undefined after an error. */
  #decode(buf: Buffer, start: number, end: number): string | undefined {
    const flags = this.#flags;
    if (flags === 0) return latin1(buf, start, end);
    let text: string;
    try {
      text = strictUtf8.decode(buf.subarray(flags & 1 ? start - 1 : start, flags & 1 ? end + 1 : end));
    } catch {
      this.#fail(this.#base + start, 'not UTF-8');
      return undefined;
    }
    if (!(flags & 1)) return text;
    try {
      // Escapes (\uXXXX, surrogate pairs, lone surrogates) decoded exactly as JSON.parse does.
      return JSON.parse(text) as string;
    } catch {
      this.#fail(this.#base + start - 1);
      return undefined;
    }
  }

  #number(buf: Buffer, pos: number, final: boolean): number {
    let j = pos;
    const len = buf.length;
    while (j < len) {
      const c = buf[j]!;
      if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) j++;
      else break;
    }
    if (j === len && !final) return MORE;
    if (j - pos > this.#options.maxTokenBytes) this.#tooLarge();
    const text = latin1(buf, pos, j);
    if (!NUMBER.test(text)) return this.#error(pos);
    this.#sink.scalar(Number(text));
    this.#afterValue();
    return j;
  }

  #literal(buf: Buffer, pos: number, final: boolean, word: string, value: boolean | null): number {
    for (let i = 0; i < word.length; i++) {
      if (pos + i >= buf.length) return final ? this.#early() : MORE;
      if (buf[pos + i] !== word.charCodeAt(i)) return this.#error(pos + i);
    }
    this.#sink.scalar(value);
    this.#afterValue();
    return pos + word.length;
  }
}
