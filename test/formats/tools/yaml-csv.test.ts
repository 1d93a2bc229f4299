import t from 'tap';
import { parseCsv } from '../../../lib/formats/tools/csv.js';
import { parseYamlSubset } from '../../../lib/formats/tools/yaml-subset.js';

t.test('single-quoted scalars undo doubled quotes and keep colons and hashes', async (t) => {
  const r = parseYamlSubset("---\nfilename : 'it''s: a #tag.txt'\nformat : 'x'' y'\n");
  t.same(r.documents[0]!.value, { filename: "it's: a #tag.txt", format: "x' y" });
  t.same(r.errors, []);
});

t.test('double-quoted scalars decode escapes', async (t) => {
  const r = parseYamlSubset('---\na : "tab\\there \\"q\\" \\u00e9 \\\\ end"\n');
  t.same(r.documents[0]!.value, { a: 'tab\there "q" é \\ end' });
});

t.test(
  'plain scalars are trimmed strings, empty or ~ values are null, trailing comments dropped',
  async (t) => {
    const r = parseYamlSubset('---\nsize : 17305\nversion : \nmime : ~\nid : fmt/111 # comment\n');
    t.same(r.documents[0]!.value, { size: '17305', version: null, mime: null, id: 'fmt/111' });
  },
);

t.test('documents split on --- and a list of maps under a key is read at any indentation', async (t) => {
  const text = [
    '---',
    'siegfried   : 1.11.2',
    'identifiers :',
    '    - name    : pronom',
    "      details : 'a; b'",
    '    - name    : loc',
    '---',
    'filename : a',
    'matches  :',
    '- ns : pronom',
    '  id : fmt/1',
    '- ns : loc',
    '  id : fdd1',
    'after : yes',
    '...',
  ].join('\n');
  const r = parseYamlSubset(text);
  t.same(r.errors, []);
  t.same(
    r.documents.map((d) => d.value),
    [
      { siegfried: '1.11.2', identifiers: [{ name: 'pronom', details: 'a; b' }, { name: 'loc' }] },
      {
        filename: 'a',
        matches: [
          { ns: 'pronom', id: 'fmt/1' },
          { ns: 'loc', id: 'fdd1' },
        ],
        after: 'yes',
      },
    ],
  );
});

t.test('a quoted scalar over several lines is folded as YAML folds it', async (t) => {
  const r = parseYamlSubset("---\nbasis : 'first\n  second\n\n  third'\nnext : x\n");
  t.same(r.documents[0]!.value, { basis: 'first second\nthird', next: 'x' });
  t.same(r.errors, []);
});

t.test('CRLF line ends and padded keys are accepted', async (t) => {
  const r = parseYamlSubset("---\r\nfilename   : 'a b'\r\nfilesize   : 3\r\n");
  t.same(r.documents[0]!.value, { filename: 'a b', filesize: '3' });
});

t.test('a line that fits nowhere is reported with its line number and skipped', async (t) => {
  const r = parseYamlSubset('---\na : 1\nthis is not yaml\nb : 2\n');
  t.same(r.documents[0]!.value, { a: '1', b: '2' });
  t.equal(r.errors.length, 1);
  t.equal(r.errors[0]!.line, 3);
});

t.test('an unterminated quote is reported, not thrown', async (t) => {
  const r = parseYamlSubset("---\na : 'never closed\n");
  t.equal(r.errors.length, 1);
  t.match(r.errors[0]!.message, /unterminated/);
});

t.test('CSV quoted fields hold commas, doubled quotes and line breaks', async (t) => {
  const r = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nplain,,end\n');
  t.same(
    r.records.map((x) => x.fields),
    [
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['plain', '', 'end'],
    ],
  );
  t.same(
    r.records.map((x) => x.line),
    [1, 2, 4],
  );
  t.equal(r.unterminatedQuoteLine, null);
});

t.test('CSV blank lines are skipped and a missing final newline is fine', async (t) => {
  const r = parseCsv('a\n\nb');
  t.same(
    r.records.map((x) => x.fields),
    [['a'], ['b']],
  );
});

t.test('CSV quote inside an unquoted field is kept; an unterminated quote is reported', async (t) => {
  t.same(parseCsv('ab"c,d\n').records[0]!.fields, ['ab"c', 'd']);
  t.equal(parseCsv('a,"open\nmore').unterminatedQuoteLine, 1);
});
