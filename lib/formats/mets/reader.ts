/**
 * `readMets`: read any METS file (Goobi, Archivematica AIP and transfer, EPrints, DSpace,
 * Dataverse, Fedora 3, KDK, the Leeds Preservation API, our own) into a {@link MetsModel}.
 *
 * Streaming and bounded: the bytes are decoded chunk by chunk (BOM, then the XML declaration's
 * encoding — see decode.ts) and fed to sax in strict, namespace-aware mode; the collector keeps
 * compact records only (collector.ts), and references are resolved at the end (assemble.ts).
 *
 * Safety: sax never fetches anything, and it expands no entity beyond the five XML ones and
 * character references. A DOCTYPE is tolerated, but one that declares entities is rejected
 * outright (MalformedError) rather than half-honoured: no billion-laughs, no external entities.
 */
import type { Readable } from 'node:stream';
import sax, { type QualifiedTag } from 'sax';
import { IoError, MalformedError, StrongroomError } from '../../core/errors.js';
import { truncateForMessage } from '../../core/paths.js';
import { assemble } from './assemble.js';
import { MetsCollector } from './collector.js';
import { decodeChunks, type XmlChunk } from './decode.js';
import type { MetsModel } from './model.js';
import { packPosition } from './problems.js';

/** Options for {@link readMets}. */
export interface ReadMetsOptions {
  /** A name for the input (file path) used in error messages. Default "METS". */
  name?: string;
}

/** Text chunk size fed to sax when the input is one big string or buffer. */
const CHUNK = 64 * 1024;

/**
 * Most attributes accepted on one element. sax checks each new attribute against all earlier
 * ones by a linear search, so 100,000 attributes cost minutes; METS elements carry a few dozen.
 * (Attribute values are bounded by sax itself: 64 KiB, then a MalformedError.)
 */
export const MAX_ATTRIBUTES = 1000;

/**
 * Read a METS document. Accepts a byte or text stream, bytes, or a string.
 * Throws MalformedError (with 1-based `line`/`column`) when the XML is not well-formed or not
 * namespace-well-formed, declares entities, or uses an encoding we cannot decode. Everything
 * short of that is reported in `model.problems` instead.
 */
export async function readMets(
  input: Readable | Uint8Array | string,
  options: ReadMetsOptions = {},
): Promise<MetsModel> {
  const name = truncateForMessage(typeof options?.name === 'string' ? options.name : 'METS');
  try {
    return await readMetsUnguarded(input, name);
  } catch (err) {
    throw asReaderError(err, name);
  }
}

/**
 * No raw JavaScript error leaves the reader: ours pass through, the input stream's own I/O
 * errors become IoError, anything else (a TypeError from a value of the wrong shape) a
 * MalformedError that names the kind of error but never echoes the input.
 */
function asReaderError(err: unknown, name: string): StrongroomError {
  if (err instanceof StrongroomError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return new IoError(`${name}: cannot be read (${code})`, { operation: 'readMets', key: name, cause: err });
  const kind = err instanceof Error ? err.name : typeof err;
  return new MalformedError(`${name}: cannot be read as METS (${kind})`, {
    operation: 'readMets',
    key: name,
    cause: err,
  });
}

async function readMetsUnguarded(input: Readable | Uint8Array | string, name: string): Promise<MetsModel> {
  const parser = sax.parser(true, { xmlns: true, position: true, trim: false, normalize: false });
  // sax counts lines from 0 and columns as characters consumed on the line, which is the
  // 1-based column of the character just read.
  const at = () => ({ line: parser.line + 1, column: Math.max(1, parser.column) });
  const collector = new MetsCollector(() => packPosition(parser.line + 1, Math.max(1, parser.column)));
  const fail = (message: string): never => {
    const { line, column } = at();
    throw new MalformedError(`${name}:${line}:${column}: ${message}`, {
      operation: 'readMets',
      key: name,
      line,
      column,
    });
  };
  boundAttributes(parser, () => fail(`an element has more than ${MAX_ATTRIBUTES} attributes`));
  parser.onopentag = (tag) => collector.openTag(tag as QualifiedTag);
  parser.onclosetag = () => collector.closeTag();
  parser.ontext = (t) => collector.text(t);
  parser.oncdata = (t) => collector.text(t);
  parser.ondoctype = (doctype) => {
    if (/<!ENTITY/i.test(doctype)) fail('entity declarations are not allowed');
  };
  parser.onerror = (err) => fail(err.message.split('\n')[0] ?? 'malformed XML');
  for await (const text of decodeChunks(chunksOf(input))) {
    for (let i = 0; i < text.length; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
  }
  parser.close();
  return assemble(collector.out);
}

/**
 * Cap the attributes sax collects for one element: sax keeps them in `attribList` (cleared, not
 * replaced, per element), so a list that refuses to grow past the cap stops it early.
 */
function boundAttributes(parser: sax.SAXParser, overflow: () => never): void {
  const list: unknown[] = [];
  const push = list.push.bind(list);
  list.push = (...items: unknown[]) => {
    if (list.length + items.length > MAX_ATTRIBUTES) overflow();
    return push(...items);
  };
  (parser as unknown as { attribList: unknown[] }).attribList = list;
}

/** Present every input form as a chunk iterable; MalformedError for anything else. */
function chunksOf(input: Readable | Uint8Array | string): AsyncIterable<XmlChunk> | Iterable<XmlChunk> {
  if (typeof input === 'string' || input instanceof Uint8Array) return [input];
  if (input !== null && typeof input === 'object' && Symbol.asyncIterator in input) return checked(input);
  throw new MalformedError(
    `METS input is ${input === null ? 'null' : typeof input}, not bytes, text or a stream`,
    {
      operation: 'readMets',
    },
  );
}

async function* checked(chunks: AsyncIterable<unknown>): AsyncGenerator<XmlChunk> {
  for await (const c of chunks) {
    if (typeof c !== 'string' && !(c instanceof Uint8Array))
      throw new MalformedError('METS stream gave a chunk that is neither bytes nor text', {
        operation: 'readMets',
      });
    yield c;
  }
}
