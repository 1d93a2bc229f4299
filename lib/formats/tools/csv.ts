/**
 * A small RFC 4180 CSV reader for tool outputs (Siegfried `-csv`, Brunnhilde's siegfried.csv,
 * DROID-style CSV). Quoted fields may hold commas, doubled quotes and line breaks; LF, CRLF and
 * CR record ends are all accepted. It is lenient where tools are sloppy: a quote inside an
 * unquoted field is kept as a character, and an unterminated quote runs to the end of the text
 * (reported, not thrown).
 */

/** One CSV record with the 1-based line number it started on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** Parsed CSV: records (blank lines dropped) and whether a quoted field was left open. */
export interface CsvParse {
  records: CsvRecord[];
  /** Line where an unterminated quoted field began, or null. */
  unterminatedQuoteLine: number | null;
}

/** Parse CSV text (BOM already removed). Never throws. */
export function parseCsv(text: string): CsvParse {
  if (typeof text !== 'string') return { records: [], unterminatedQuoteLine: null };
  const st = { records: [] as CsvRecord[], fields: [] as string[], field: '', line: 1, start: 1 };
  let quoted = false;
  let quoteLine = 0;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          st.field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) st.line++;
        st.field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      quoteLine = st.line;
    } else if (c === ',') {
      st.fields.push(st.field);
      st.field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord(st);
      st.line++;
      st.start = st.line;
      fieldStarted = false;
    } else {
      st.field += c;
      fieldStarted = true;
    }
  }
  endRecord(st);
  return { records: st.records, unterminatedQuoteLine: quoted ? quoteLine : null };
}

function endRecord(st: { records: CsvRecord[]; fields: string[]; field: string; start: number }): void {
  st.fields.push(st.field);
  // A record that is one empty field is a blank line: not data.
  if (!(st.fields.length === 1 && st.fields[0] === ''))
    st.records.push({ fields: st.fields, line: st.start });
  st.fields = [];
  st.field = '';
}
