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
 *
 * Kept (rather than the `yaml` package) because it reads Siegfried output about 20 times faster
 * in a sixth of the memory (bench/tools/README.md). Hostile input is bounded: mappings are
 * null-prototype objects (`__proto__` is an ordinary key), there are no aliases to expand,
 * nesting deeper than {@link MAX_YAML_DEPTH} is skipped with an error (no stack overflow), and
 * a quoted scalar running over many lines is scanned once (linear, not quadratic).
 */

import { quoteForMessage } from '../../core/paths.js';

/** A parsed value: scalars are strings (or null), sequences arrays, mappings null-prototype objects. */
export type YamlValue = string | null | YamlValue[] | YamlMap;
/** A mapping; keys keep document order. Null prototype: `__proto__` and `constructor` are keys like any other. */
export interface YamlMap {
  [key: string]: YamlValue;
}

/** Longest line read; longer ones are skipped with an error (no tool writes them). */
export const MAX_YAML_LINE = 65536;

/** Deepest nesting of mappings and sequences read (Siegfried's is 3); deeper nodes are skipped. */
export const MAX_YAML_DEPTH = 32;

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
  if (typeof text !== 'string') return { documents: [], errors: [{ line: 1, message: 'not text' }] };
  const raw = text.split(/\r\n|\n|\r/);
  const errors: YamlParse['errors'] = [];
  const documents: YamlDocument[] = [];
  let chunk: Line[] = [];
  const flush = () => {
    if (chunk.length === 0) return;
    const cur: Cursor = { lines: chunk, raw, i: 0, errors };
    const first = chunk[0]!;
    documents.push({ value: parseNode(cur, first.indent, 0), line: first.no });
    // Lines the document's top node did not take (e.g. a stray less-indented line) are reported.
    for (; cur.i < chunk.length; cur.i++) {
      errors.push({
        line: chunk[cur.i]!.no,
        message: `line outside the document's structure: ${quoteForMessage(chunk[cur.i]!.text, 80)}`,
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
    if (line.length > MAX_YAML_LINE) {
      errors.push({ line: n + 1, message: `line longer than ${MAX_YAML_LINE} characters; skipped` });
      continue;
    }
    const t = line.trimEnd();
    const body = t.trimStart();
    if (body === '' || body.startsWith('#') || t.startsWith('%')) continue;
    chunk.push({ indent: t.length - body.length, text: body, no: n + 1 });
  }
  flush();
  return { documents, errors };
}

/** Parse the node that starts at the cursor, whose lines sit at `indent`, `depth` levels down. */
function parseNode(cur: Cursor, indent: number, depth: number): YamlValue {
  const line = cur.lines[cur.i];
  if (line === undefined) return null;
  if (depth > MAX_YAML_DEPTH) return skipDeep(cur, indent);
  if (isSeqItem(line.text)) return parseSequence(cur, line.indent, depth);
  if (splitKey(line.text) !== null) return parseMapping(cur, indent, depth);
  cur.i++;
  return readScalar(cur, line.text, line);
}

/** Skip a node nested too deep (all lines at `indent` or deeper), reporting it once. */
function skipDeep(cur: Cursor, indent: number): null {
  cur.errors.push({
    line: cur.lines[cur.i]!.no,
    message: `nesting deeper than ${MAX_YAML_DEPTH} levels is not read`,
  });
  cur.i++;
  while (cur.lines[cur.i] !== undefined && cur.lines[cur.i]!.indent >= indent) cur.i++;
  return null;
}

function isSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function parseSequence(cur: Cursor, indent: number, depth: number): YamlValue[] {
  const out: YamlValue[] = [];
  for (;;) {
    const line = cur.lines[cur.i];
    if (line === undefined || line.indent !== indent || !isSeqItem(line.text)) return out;
    const after = line.text.slice(1);
    const content = after.trimStart();
    if (content === '') {
      cur.i++;
      const next = cur.lines[cur.i];
      out.push(next !== undefined && next.indent > indent ? parseNode(cur, next.indent, depth + 1) : null);
      continue;
    }
    // The item's content behaves as if it were on its own line at the column it starts in.
    const col = indent + 1 + (after.length - content.length);
    cur.lines[cur.i] = { indent: col, text: content, no: line.no };
    out.push(parseNode(cur, col, depth + 1));
  }
}

function parseMapping(cur: Cursor, indent: number, depth: number): YamlMap {
  const out: YamlMap = Object.create(null);
  for (;;) {
    const line = cur.lines[cur.i];
    if (line === undefined || line.indent < indent) return out;
    if (line.indent > indent || isSeqItem(line.text)) {
      if (line.indent === indent) return out; // a sibling sequence item ends this mapping
      cur.errors.push({
        line: line.no,
        message: `unexpected indentation: ${quoteForMessage(line.text, 80)}`,
      });
      cur.i++;
      continue;
    }
    const kv = splitKey(line.text);
    if (kv === null) {
      cur.errors.push({ line: line.no, message: `expected "key: value": ${quoteForMessage(line.text, 80)}` });
      cur.i++;
      continue;
    }
    cur.i++;
    out[kv.key] = kv.rest === '' ? parseNested(cur, indent, depth) : readScalar(cur, kv.rest, line);
  }
}

/** The value of a key with nothing after its colon: a deeper block, a same-indent sequence, or null. */
function parseNested(cur: Cursor, indent: number, depth: number): YamlValue {
  const next = cur.lines[cur.i];
  if (next === undefined) return null;
  if (next.indent > indent) return parseNode(cur, next.indent, depth + 1);
  if (next.indent === indent && isSeqItem(next.text)) {
    return depth + 1 > MAX_YAML_DEPTH ? skipDeep(cur, indent) : parseSequence(cur, indent, depth + 1);
  }
  return null;
}

/**
 * Split `key : rest` (key plain or quoted); null when the line is not a mapping entry. Scanned
 * by hand, in one pass: a backtracking pattern here was quadratic on long lines.
 */
function splitKey(text: string): { key: string; rest: string } | null {
  let key: string;
  let colon: number;
  const q = text[0];
  if (q === "'" || q === '"') {
    const close = closingQuote(text, q, 1).end;
    if (close < 0) return null;
    key = q === "'" ? text.slice(1, close).replace(/''/g, "'") : unescapeDouble(text.slice(1, close));
    colon = close + 1;
    while (colon < text.length && isSpace(text[colon]!)) colon++;
    if (text[colon] !== ':') return null;
  } else {
    if (q === undefined || q === '#' || q === ':' || isSpace(q)) return null;
    colon = text.indexOf(':');
    if (colon < 0) return null;
    key = text.slice(0, colon).trim();
  }
  const after = text[colon + 1];
  if (after !== undefined && !isSpace(after)) return null;
  return { key, rest: text.slice(colon + 1).trim() };
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';
}

/** Read a scalar starting with `text` on `line`; quoted scalars may continue on following lines. */
function readScalar(cur: Cursor, text: string, line: Line): YamlValue {
  const q = text[0];
  if (q === "'" || q === '"') return readQuoted(cur, text, line, q);
  const hash = text.search(/\s#/);
  const plain = (hash < 0 ? text : text.slice(0, hash)).trim();
  if (plain === '' || plain === '~' || plain === 'null' || plain === 'Null' || plain === 'NULL') return null;
  if (plain === '[]') return [];
  if (plain === '{}') return Object.create(null) as YamlMap;
  return plain;
}

function readQuoted(cur: Cursor, text: string, line: Line, q: string): string {
  const parts = [text];
  let lineNo = line.no;
  // Scan each line once, carrying the position (an escape may straddle a line break).
  let from = 1;
  for (;;) {
    const last = parts[parts.length - 1]!;
    const scan = closingQuote(last, q, from);
    if (scan.end >= 0) {
      const trailing = last.slice(scan.end + 1).trim();
      if (trailing !== '' && !trailing.startsWith('#')) {
        cur.errors.push({
          line: lineNo,
          message: `text after closing quote: ${quoteForMessage(trailing, 80)}`,
        });
      }
      parts[parts.length - 1] = last.slice(0, scan.end);
      return decodeQuoted(parts.join('\n').slice(1), q);
    }
    // Continue on the next raw line (YAML folds the break); keep the structured cursor in step.
    const nextRaw = cur.raw[lineNo];
    if (nextRaw === undefined) {
      cur.errors.push({ line: line.no, message: 'unterminated quoted scalar' });
      return decodeQuoted(parts.join('\n').slice(1), q);
    }
    // The resume point is past this line; on the next one it counts from its start (the break
    // itself is the character an escape at the very end of this line consumed).
    from = scan.resume - last.length - 1;
    parts.push(nextRaw);
    lineNo++;
    while (cur.lines[cur.i] !== undefined && cur.lines[cur.i]!.no <= lineNo) cur.i++;
  }
}

/**
 * Index of the closing quote in `s` at or after `from` (`s` starts with the opening quote on the
 * first line), or -1 with where the scan stopped (past the end when the last character escaped
 * the line break).
 */
function closingQuote(s: string, q: string, from: number): { end: number; resume: number } {
  let i = Math.max(0, from);
  for (; i < s.length; i++) {
    const c = s[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && s[i + 1] === "'") i++;
      else return { end: i, resume: i };
    }
  }
  return { end: -1, resume: i };
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
