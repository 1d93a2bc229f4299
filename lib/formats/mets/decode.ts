/**
 * Bytes → text for the XML parser. sax takes strings, so the reader decodes the bytes itself:
 * a byte-order mark decides first (UTF-8, UTF-16 LE/BE), then the XML declaration's `encoding`
 * (read from the first bytes, which every encoding we accept writes as ASCII), else UTF-8.
 * ISO-8859-1 / latin1 is decoded as true ISO-8859-1 (WHATWG's TextDecoder would apply
 * windows-1252 to it); "ASCII" as windows-1252, a superset that cannot fail.
 *
 * Decoding is streaming: multi-byte sequences split across chunks are carried over. Invalid
 * UTF-8 becomes U+FFFD rather than an error, as real deposits carry mojibake file names.
 */
import { MalformedError } from '../../core/errors.js';

/** How many leading bytes to look at for a BOM and an XML declaration. */
const SNIFF_BYTES = 512;

/** Anything the reader accepts as input chunks. */
export type XmlChunk = Uint8Array | string;

/** A chunk-at-a-time decoder; `end()` flushes what is left. */
export interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
  /** The encoding chosen (a TextDecoder label, or "latin1"). */
  readonly encoding: string;
}

/** Pick the encoding from the first bytes of a document. Throws MalformedError for an encoding we cannot decode. */
export function sniffEncoding(head: Uint8Array): { encoding: string; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // UTF-16 without a BOM still starts with "<?" (XML 1.0 appendix F).
  if (head[0] === 0x3c && head[1] === 0x00 && head[2] === 0x3f && head[3] === 0x00)
    return { encoding: 'utf-16le', bomLength: 0 };
  if (head[0] === 0x00 && head[1] === 0x3c && head[2] === 0x00 && head[3] === 0x3f)
    return { encoding: 'utf-16be', bomLength: 0 };
  const ascii = Buffer.from(head.subarray(0, SNIFF_BYTES)).toString('latin1');
  const m = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(ascii);
  return { encoding: m ? mapLabel(m[1]!) : 'utf-8', bomLength: 0 };
}

function mapLabel(label: string): string {
  const l = label.toLowerCase();
  if (l === 'iso-8859-1' || l === 'latin1' || l === 'iso8859-1' || l === 'iso_8859-1' || l === 'l1')
    return 'latin1';
  if (l === 'ascii' || l === 'us-ascii') return 'windows-1252';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    throw new MalformedError(`unsupported XML encoding "${label}"`, { operation: 'readMets' });
  }
}

/** A streaming decoder for the given encoding (BOM already removed by the caller). */
export function createDecoder(encoding: string): ChunkDecoder {
  if (encoding === 'latin1') {
    return { encoding, write: (b) => Buffer.from(b).toString('latin1'), end: () => '' };
  }
  const td = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  return {
    encoding,
    write: (b) => td.decode(b, { stream: true }),
    end: () => td.decode(),
  };
}

/**
 * Decode a stream of chunks into text chunks. Strings pass through (a leading BOM dropped);
 * bytes are buffered only until the first SNIFF_BYTES are seen.
 */
export async function* decodeChunks(
  source: AsyncIterable<XmlChunk> | Iterable<XmlChunk>,
): AsyncGenerator<string> {
  let decoder: ChunkDecoder | null = null;
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let first = true;
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      yield first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      first = false;
      continue;
    }
    first = false;
    if (decoder) {
      yield decoder.write(chunk);
      continue;
    }
    pending.push(chunk);
    pendingLength += chunk.length;
    if (pendingLength < SNIFF_BYTES) continue;
    const started = startDecoding(Buffer.concat(pending));
    decoder = started.decoder;
    pending = [];
    yield started.text;
  }
  if (!decoder && pendingLength > 0) {
    const started = startDecoding(Buffer.concat(pending));
    decoder = started.decoder;
    yield started.text;
  }
  if (decoder) yield decoder.end();
}

function startDecoding(head: Uint8Array): { decoder: ChunkDecoder; text: string } {
  const { encoding, bomLength } = sniffEncoding(head);
  const decoder = createDecoder(encoding);
  return { decoder, text: decoder.write(head.subarray(bomLength)) };
}
