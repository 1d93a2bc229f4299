/**
 * A reader for the small block-YAML subset that Siegfried (`sf -yaml`) and similar tools write:
 * a stream of documents separated by `---` (optionally ended by `...`), each a mapping of
 * `key : value` lines whose values are scalars, nested mappings or block sequences (`- `) of
 * mappings or scalars. Scalars may be plain, single-quoted ('' is a quote) or double-quoted
 * (backslash escapes); quoted scalars may run over several lines (folded as YAML folds them).
 * Keys may be padded before the colon (`filesize : 17305`), sequences may sit at the same indent
 * as their key or deeper, and any indentation width is accepted. Comments (`# ...` after a
 * space) and blank lines are ignored.
 *
 * Not supported (not written by these tools): anchors/aliases, tags, block scalars (`|`, `>`),
 * flow collections other than `[]`/`{}` (kept as their literal text), complex keys.
 * Plain scalars stay strings (no number/boolean typing); an empty value or `~`/`null` is null.
 * Lines that fit nowhere are skipped and reported with their line number; nothing throws.
 */

/** A parsed value: scalars are strings (or null), sequences arrays, mappings plain objects. */
export type YamlValue = string | null | YamlValue[] | YamlMap;
/** A mapping; keys keep document order. */
export interface YamlMap {
  [key: string]: YamlValue;
}

/** One document with the line its content starts on. */
export interface YamlDocument {
  value: YamlValue;
  line: number;
}

/** The documents of a stream and the lines we could not place. */
export interface YamlParse {
  documents: YamlDocument[];
  errors: { line: number; message: string }[];
}

interface Line {
  indent: number;
  text: string;
  no: number;
}

interface Cursor {
  lines: Line[];
  /** Raw source lines, for quoted scalars that continue over several lines. */
  raw: string[];
  i: number;
  errors: { line: number; message: string }[];
}

/** Parse a YAML stream (BOM already removed). Never throws. */
export function parseYamlSubset(text: string): YamlParse {
  const raw = text.split(/\r\n|\n|\r/);
  const errors: YamlParse['errors'] = [];
  const documents: YamlDocument[] = [];
  let chunk: Line[] = [];
  const flush = () => {
    if (chunk.length === 0) return;
    const cur: Cursor = { lines: chunk, raw, i: 0, errors };
    const first = chunk[0]!;
    documents.push({ value: parseNode(cur, first.indent), line: first.no });
    // Lines the document's top node did not take (e.g. a stray less-indented line) are reported.
    for (; cur.i < chunk.length; cur.i++) {
      errors.push({
        line: chunk[cur.i]!.no,
        message: `line outside the document's structure: ${chunk[cur.i]!.text}`,
      });
    }
    chunk = [];
  };
  for (let n = 0; n < raw.length; n++) {
    const line = raw[n]!;
    if (/^---(\s|$)/.test(line) || /^\.\.\.(\s|$)/.test(line)) {
      flush();
      const rest = line.slice(3).trim();
      if (line.startsWith('---') && rest !== '' && !rest.startsWith('#'))
        chunk.push({ indent: 3, text: rest, no: n + 1 });
      continue;
    }
    const t = line.replace(/\s+$/, '');
    const body = t.trimStart();
    if (body === '' || body.startsWith('#') || t.startsWith('%')) continue;
    chunk.push({ indent: t.length - body.length, text: body, no: n + 1 });
  }
  flush();
  return { documents, errors };
}

/** Parse the node that starts at the cursor, whose lines sit at `indent`. */
function parseNode(cur: Cursor, indent: number): YamlValue {
  const line = cur.lines[cur.i];
  if (line === undefined) return null;
  if (isSeqItem(line.text)) return parseSequence(cur, line.indent);
  if (splitKey(line.text) !== null) return parseMapping(cur, indent);
  cur.i++;
  return readScalar(cur, line.text, line);
}

function isSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function parseSequence(cur: Cursor, indent: number): YamlValue[] {
  const out: YamlValue[] = [];
  for (;;) {
    const line = cur.lines[cur.i];
    if (line === undefined || line.indent !== indent || !isSeqItem(line.text)) return out;
    const after = line.text.slice(1);
    const content = after.trimStart();
    if (content === '') {
      cur.i++;
      const next = cur.lines[cur.i];
      out.push(next !== undefined && next.indent > indent ? parseNode(cur, next.indent) : null);
      continue;
    }
    // The item's content behaves as if it were on its own line at the column it starts in.
    const col = indent + 1 + (after.length - content.length);
    cur.lines[cur.i] = { indent: col, text: content, no: line.no };
    out.push(parseNode(cur, col));
  }
}

function parseMapping(cur: Cursor, indent: number): YamlMap {
  const out: YamlMap = {};
  for (;;) {
    const line = cur.lines[cur.i];
    if (line === undefined || line.indent < indent) return out;
    if (line.indent > indent || isSeqItem(line.text)) {
      if (line.indent === indent) return out; // a sibling sequence item ends this mapping
      cur.errors.push({ line: line.no, message: `unexpected indentation: ${line.text}` });
      cur.i++;
      continue;
    }
    const kv = splitKey(line.text);
    if (kv === null) {
      cur.errors.push({ line: line.no, message: `expected "key: value": ${line.text}` });
      cur.i++;
      continue;
    }
    cur.i++;
    out[kv.key] = kv.rest === '' ? parseNested(cur, indent) : readScalar(cur, kv.rest, line);
  }
}

/** The value of a key with nothing after its colon: a deeper block, a same-indent sequence, or null. */
function parseNested(cur: Cursor, indent: number): YamlValue {
  const next = cur.lines[cur.i];
  if (next === undefined) return null;
  if (next.indent > indent) return parseNode(cur, next.indent);
  if (next.indent === indent && isSeqItem(next.text)) return parseSequence(cur, indent);
  return null;
}

/** Split `key : rest` (key plain or quoted); null when the line is not a mapping entry. */
function splitKey(text: string): { key: string; rest: string } | null {
  const m = /^('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^'"#:\s][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
  if (m === null) return null;
  const rawKey = m[1]!;
  const key = rawKey.startsWith("'")
    ? rawKey.slice(1, -1).replace(/''/g, "'")
    : rawKey.startsWith('"')
      ? unescapeDouble(rawKey.slice(1, -1))
      : rawKey.trim();
  return { key, rest: (m[2] ?? '').trim() };
}

/** Read a scalar starting with `text` on `line`; quoted scalars may continue on following lines. */
function readScalar(cur: Cursor, text: string, line: Line): YamlValue {
  const q = text[0];
  if (q === "'" || q === '"') return readQuoted(cur, text, line, q);
  const plain = text.replace(/\s+#.*$/, '').trim();
  if (plain === '' || plain === '~' || plain === 'null' || plain === 'Null' || plain === 'NULL') return null;
  if (plain === '[]') return [];
  if (plain === '{}') return {};
  return plain;
}

function readQuoted(cur: Cursor, text: string, line: Line, q: string): string {
  let buf = text;
  let lineNo = line.no;
  for (;;) {
    const end = closingQuote(buf, q);
    if (end >= 0) {
      const trailing = buf.slice(end + 1).trim();
      if (trailing !== '' && !trailing.startsWith('#')) {
        cur.errors.push({ line: lineNo, message: `text after closing quote: ${trailing}` });
      }
      return decodeQuoted(buf.slice(1, end), q);
    }
    // Continue on the next raw line (YAML folds the break); keep the structured cursor in step.
    const nextRaw = cur.raw[lineNo];
    if (nextRaw === undefined) {
      cur.errors.push({ line: line.no, message: 'unterminated quoted scalar' });
      return decodeQuoted(buf.slice(1), q);
    }
    buf += `\n${nextRaw}`;
    lineNo++;
    while (cur.lines[cur.i] !== undefined && cur.lines[cur.i]!.no <= lineNo) cur.i++;
  }
}

/** Index of the closing quote in `s` (which starts with the opening quote), or -1. */
function closingQuote(s: string, q: string): number {
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && s[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** Undo quoting and fold line breaks (one break → space, n+1 breaks → n newlines). */
function decodeQuoted(body: string, q: string): string {
  const folded = body.includes('\n') ? foldLines(body) : body;
  return q === "'" ? folded.replace(/''/g, "'") : unescapeDouble(folded);
}

function foldLines(body: string): string {
  const parts = body.split('\n').map((p, i, all) => {
    let s = p;
    if (i > 0) s = s.trimStart();
    if (i < all.length - 1) s = s.trimEnd();
    return s;
  });
  let out = parts[0]!;
  let blanks = 0;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '' && i < parts.length - 1) {
      blanks++;
      continue;
    }
    out += blanks > 0 ? '\n'.repeat(blanks) : ' ';
    out += p;
    blanks = 0;
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

function unescapeDouble(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (all, e: string) => {
    if (e.length > 1) return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? all;
  });
}
