/**
 * The candidate replacement of lib/formats/tools/yaml-subset.ts that yaml-bench.ts measured and
 * that was not adopted (README.md): Siegfried YAML read with the maintained `yaml` package under
 * the failsafe schema: every scalar stays a string (a `filesize : 017305` must not become a
 * number, a version `1.10` not `1.1`), and an empty value, `~` or `null` is null, as before.
 *
 * Hostile input is bounded: mappings are null-prototype objects (a `__proto__` key is an ordinary
 * key), aliases are refused rather than expanded (no billion laughs; tool outputs never use them),
 * nesting deeper than {@link MAX_YAML_DEPTH} is cut with an error, and a stack overflow in the
 * parser on pathological nesting becomes an error instead of a crash. Problems come back with
 * their line numbers; nothing throws.
 */

import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { truncateForMessage } from '../../lib/core/paths.js';

/** A parsed value: scalars are strings (or null), sequences arrays, mappings null-prototype objects. */
export type YamlValue = string | null | YamlValue[] | YamlMap;
/** A mapping; keys keep document order. Null prototype: look keys up with `Object.hasOwn` or `in`. */
export interface YamlMap {
  [key: string]: YamlValue;
}

/** One document with the line its content starts on. */
export interface YamlDocument {
  value: YamlValue;
  line: number;
}

/** The documents of a stream and the problems met, with line numbers. */
export interface YamlParse {
  documents: YamlDocument[];
  errors: { line: number; message: string }[];
}

/** Deepest nesting of mappings and sequences kept (Siegfried's is 3). */
export const MAX_YAML_DEPTH = 32;

/** Parse a YAML stream (BOM already removed). Never throws. */
export function parseToolYaml(text: string): YamlParse {
  const lines = new LineCounter();
  const out: YamlParse = { documents: [], errors: [] };
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, {
      schema: 'failsafe',
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: false,
    });
  } catch (err) {
    // The composer recurses per nesting level: absurd nesting overflows the stack.
    const why = err instanceof RangeError ? 'nesting too deep to parse' : 'not parseable';
    out.errors.push({ line: 1, message: `YAML ${why}` });
    return out;
  }
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    for (const e of [...doc.errors, ...doc.warnings])
      out.errors.push({
        line: lineOf(e.pos[0]),
        message: truncateForMessage(e.message.split('\n')[0] ?? e.code, 160),
      });
    if (doc.contents === null) continue;
    const node = doc.contents as Node;
    const convert = (n: unknown, depth: number): YamlValue => toValue(n, depth, convert, out, lineOf);
    out.documents.push({ value: convert(node, 0), line: lineOf(node.range?.[0]) });
  }
  return out;
}

type Convert = (n: unknown, depth: number) => YamlValue;

function toValue(
  n: unknown,
  depth: number,
  convert: Convert,
  out: YamlParse,
  lineOf: (offset: number | undefined) => number,
): YamlValue {
  const at = (n as Node | null)?.range?.[0];
  if (n === null || n === undefined) return null;
  if (isAlias(n)) {
    out.errors.push({ line: lineOf(at), message: 'aliases are not read (tool outputs do not use them)' });
    return null;
  }
  if (isScalar(n))
    return n.type === 'QUOTE_SINGLE' || n.type === 'QUOTE_DOUBLE' ? String(n.value) : scalar(n.value);
  if (depth >= MAX_YAML_DEPTH) {
    out.errors.push({
      line: lineOf(at),
      message: `nesting deeper than ${MAX_YAML_DEPTH} levels is not read`,
    });
    return null;
  }
  if (isSeq(n)) return n.items.map((item) => convert(item, depth + 1));
  if (isMap(n)) {
    const map: YamlMap = Object.create(null);
    for (const pair of n.items) {
      const key = isScalar(pair.key) ? scalar(pair.key.value) : null;
      if (key === null) {
        out.errors.push({
          line: lineOf((pair.key as Node | null)?.range?.[0] ?? at),
          message: 'a key that is not a plain string',
        });
        continue;
      }
      map[key] = convert(pair.value, depth + 1);
    }
    return map;
  }
  return null;
}

function scalar(v: unknown): string | null {
  if (typeof v !== 'string') return v === null || v === undefined ? null : String(v);
  const t = v.trim();
  return t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL' ? null : v;
}
