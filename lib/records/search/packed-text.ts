/**
 * The folded text of many resources packed into one buffer and searched block by block with
 * the engine's own substring search, with a trigram skip index so that a selective search does
 * not even look at most of it:
 *
 * - each resource's text ends with a NUL byte, which no needle holds (control characters are
 *   refused in search texts and replaced in folded text), so a match never spans two resources;
 * - the texts are cut into blocks of about {@link BLOCK_BYTES}; each block has a small Bloom
 *   filter of the byte trigrams it holds (one bit per trigram, about four bits per distinct
 *   trigram, so a trigram it lacks passes one time in five). A block that lacks any trigram of
 *   the needle cannot hold a match and is skipped; `lovelace` (six trigrams) passes a block that
 *   does not hold it about once in 15,000 times. Needles shorter than three bytes scan every
 *   block.
 * - a block that passes is searched as a one-byte string holding its UTF-8 bytes (latin1), with
 *   the needle's UTF-8 bytes the same way: byte-exact, and `String.prototype.indexOf` costs tens
 *   of nanoseconds per hit where `Buffer.indexOf` costs a microsecond, which is what a search
 *   hitting most resources spends its time on.
 *
 * What is stored (LMDB) is this structure's bytes, so opening the index reads buffers instead of
 * rebuilding them. Pure module (Buffer is the only runtime it needs).
 */

const NUL = 0;
/** Target size of a block of texts (a block ends at the first text boundary past it). */
export const BLOCK_BYTES = 8192;
const MIN_BLOOM_BITS = 64;
const MAX_BLOOM_BITS = 1 << 16;

/** The 32-bit hash of the trigram starting at `at` (bytes `a b c`). */
function trigramHash(a: number, b: number, c: number): number {
  return Math.imul((a << 16) | (b << 8) | c, 0x9e3779b1) >>> 0;
}

/** log2 of a power of two. */
function log2(n: number): number {
  return 31 - Math.clz32(n);
}

/** The parts of a {@link PackedText}, as stored. */
export interface PackedTextParts {
  /** The UTF-8 texts, each followed by NUL. */
  text: Uint8Array;
  /** `starts[i]`: where text i begins; `starts[count]`: the text's length (uint32, native order). */
  starts: Uint8Array;
  /** Index of the first text of each block, then the count (uint32). */
  blocks: Uint8Array;
  /** Byte offset of each block's filter in `blooms`, then its length (uint32). */
  bloomStarts: Uint8Array;
  /** The filters, each a power of two bits long. */
  blooms: Uint8Array;
}

function u32(bytes: Uint8Array): Uint32Array {
  // Copied: a stored buffer need not be 4-byte aligned for a Uint32Array view.
  return new Uint32Array(new Uint8Array(bytes).buffer);
}

function bytesOf(a: Uint32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** One group's resources' folded texts, in resource order, with their skip index. */
export class PackedText {
  /** Each block's bytes as a latin1 string, made on the first scan. */
  #blockTexts: string[] | undefined;

  private constructor(
    readonly text: Buffer,
    readonly starts: Uint32Array,
    private readonly blocks: Uint32Array,
    private readonly bloomStarts: Uint32Array,
    private readonly blooms: Uint8Array,
  ) {}

  /** Pack `texts` (already folded, without NUL). */
  static pack(texts: readonly string[]): PackedText {
    const starts = new Uint32Array(texts.length + 1);
    let size = 0;
    for (let i = 0; i < texts.length; i++) {
      starts[i] = size;
      size += Buffer.byteLength(texts[i]!, 'utf8') + 1;
    }
    starts[texts.length] = size;
    const text = Buffer.allocUnsafe(size);
    for (let i = 0; i < texts.length; i++) text[starts[i]! + text.write(texts[i]!, starts[i]!, 'utf8')] = NUL;
    const blockList: number[] = [];
    for (let i = 0; i < texts.length; ) {
      blockList.push(i);
      const from = starts[i]!;
      while (i < texts.length && starts[i]! - from < BLOCK_BYTES) i++;
    }
    blockList.push(texts.length);
    const blocks = Uint32Array.from(blockList);
    const filters = [];
    for (let b = 0; b + 1 < blocks.length; b++)
      filters.push(bloomOf(text, starts[blocks[b]!]!, starts[blocks[b + 1]!]!));
    const bloomStarts = new Uint32Array(filters.length + 1);
    let offset = 0;
    filters.forEach((f, b) => {
      bloomStarts[b] = offset;
      offset += f.length;
    });
    bloomStarts[filters.length] = offset;
    const blooms = new Uint8Array(offset);
    filters.forEach((f, b) => {
      blooms.set(f, bloomStarts[b]!);
    });
    return new PackedText(text, starts, blocks, bloomStarts, blooms);
  }

  /** Rebuild from {@link parts}. */
  static fromParts(p: PackedTextParts): PackedText {
    const text = Buffer.isBuffer(p.text) ? p.text : Buffer.from(p.text);
    return new PackedText(text, u32(p.starts), u32(p.blocks), u32(p.bloomStarts), p.blooms);
  }

  /** The stored form. */
  get parts(): PackedTextParts {
    return {
      text: this.text,
      starts: bytesOf(this.starts),
      blocks: bytesOf(this.blocks),
      bloomStarts: bytesOf(this.bloomStarts),
      blooms: Buffer.from(this.blooms.buffer, this.blooms.byteOffset, this.blooms.byteLength),
    };
  }

  /** How many texts. */
  get count(): number {
    return this.starts.length - 1;
  }

  /** True when text 0 begins with `prefix` (UTF-8 bytes). */
  startsWith(prefix: Buffer): boolean {
    return this.count > 0 && this.text.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
  }

  /**
   * Call `hit(i)` for each text that contains `needle` (UTF-8 bytes, non-empty, no NUL), in
   * order. Returns how many texts matched.
   */
  scan(needle: Buffer, hit: (index: number) => void): number {
    const hashes = needleTrigrams(needle);
    const pattern = needle.toString('latin1');
    this.prepare();
    let matched = 0;
    for (let b = 0; b + 1 < this.blocks.length; b++) {
      if (hashes.length > 0 && !this.mayHold(b, hashes)) continue;
      matched += this.scanBlock(b, pattern, hit);
    }
    return matched;
  }

  /** Make the blocks' strings now rather than on the first scan (idempotent). */
  prepare(): void {
    if (this.#blockTexts) return;
    const out: string[] = [];
    for (let b = 0; b + 1 < this.blocks.length; b++)
      out.push(
        this.text.toString('latin1', this.starts[this.blocks[b]!]!, this.starts[this.blocks[b + 1]!]!),
      );
    this.#blockTexts = out;
  }

  /** False when block `b`'s filter lacks one of the trigram hashes. */
  private mayHold(b: number, hashes: readonly number[]): boolean {
    const from = this.bloomStarts[b]!;
    const shift = 32 - log2((this.bloomStarts[b + 1]! - from) * 8);
    for (const h of hashes) {
      const bit = h >>> shift;
      if ((this.blooms[from + (bit >>> 3)]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }

  /** Hits in block `b`. */
  private scanBlock(b: number, pattern: string, hit: (index: number) => void): number {
    const { starts } = this;
    const text = this.#blockTexts![b]!;
    const base = starts[this.blocks[b]!]!;
    let matched = 0;
    let i = this.blocks[b]!;
    let pos = 0;
    for (;;) {
      const at = text.indexOf(pattern, pos);
      if (at < 0) return matched;
      // The text holding the match: blocks are short, and hits come in order.
      while (starts[i + 1]! - base <= at) i++;
      hit(i);
      matched++;
      i++;
      pos = starts[i]! - base;
    }
  }
}

/** The distinct trigram hashes of a needle (none for needles under three bytes). */
function needleTrigrams(needle: Buffer): number[] {
  const out = new Set<number>();
  for (let i = 0; i + 2 < needle.length; i++)
    out.add(trigramHash(needle[i]!, needle[i + 1]!, needle[i + 2]!));
  return [...out];
}

/** The filter of the trigrams in `text[from, to)` that hold no NUL. */
function bloomOf(text: Buffer, from: number, to: number): Uint8Array {
  const hashes = new Set<number>();
  for (let i = from; i + 2 < to; i++) {
    const a = text[i]!;
    const b = text[i + 1]!;
    const c = text[i + 2]!;
    if (a !== NUL && b !== NUL && c !== NUL) hashes.add(trigramHash(a, b, c));
  }
  let bits = MIN_BLOOM_BITS;
  while (bits < hashes.size * 4 && bits < MAX_BLOOM_BITS) bits *= 2;
  const filter = new Uint8Array(bits / 8);
  const shift = 32 - log2(bits);
  for (const h of hashes) {
    const bit = h >>> shift;
    filter[bit >>> 3]! |= 1 << (bit & 7);
  }
  return filter;
}
