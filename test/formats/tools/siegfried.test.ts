import t from 'tap';
import {
  looksLikeSiegfriedCsv,
  looksLikeSiegfriedYaml,
  readSiegfriedCsv,
  readSiegfriedYaml,
} from '../../../lib/formats/tools/siegfried.js';

const enc = (s: string) => new TextEncoder().encode(s);

const HEADER = `---
siegfried   : 1.9.1
scandate    : 2021-03-04T10:11:12+01:00
signature   : default.sig
created     : 2020-10-01T00:00:00Z
identifiers :
  - name    : 'pronom'
    details : 'DROID_SignatureFile_V97.xml'
`;

t.test('UNKNOWN identifications have a null PRONOM key and keep the warning', async (t) => {
  const yaml = `${HEADER}---
filename : 'objects/mystery.xyz'
filesize : 12
modified : 2021-01-01T00:00:00Z
errors   :
matches  :
  - ns      : 'pronom'
    id      : 'UNKNOWN'
    format  :
    version :
    mime    :
    basis   :
    warning : 'no match; possibilities based on extension are fmt/1, fmt/2'
`;
  const r = readSiegfriedYaml(enc(yaml));
  t.same(r.problems, []);
  t.match(r.files[0]!.record, {
    pronomKey: null,
    formatName: null,
    contentType: null,
    namespace: 'pronom',
    warning: /^no match/,
    ambiguous: true,
  });
  t.equal(r.files[0]!.record.matches, undefined, 'a single match is not repeated in matches');
});

t.test('a single confident match is not ambiguous; an extension-only match is', async (t) => {
  const one = (warning: string) =>
    readSiegfriedCsv(
      `filename,filesize,modified,errors,namespace,id,format,version,mime,basis,warning\na.json,3,2021-01-01T00:00:00Z,,pronom,fmt/817,JSON,,application/json,extension match json,${warning}\n`,
    ).files[0]!.record.ambiguous;
  t.equal(one(''), false);
  t.equal(one('match on extension only'), true);
});

t.test('several PRONOM matches are all kept, in order, and marked ambiguous', async (t) => {
  const csv = [
    'filename,filesize,modified,errors,namespace,id,format,version,mime,basis,warning',
    'a.doc,10,2020-01-01T00:00:00Z,,pronom,fmt/40,Word,97-2003,application/msword,sig,',
    'a.doc,10,2020-01-01T00:00:00Z,,pronom,fmt/39,Word,6.0/95,application/msword,ext,match on extension only',
  ].join('\n');
  const r = readSiegfriedCsv(csv);
  t.equal(r.files.length, 1, 'rows of one file are merged');
  const rec = r.files[0]!.record;
  t.equal(rec.pronomKey, 'fmt/40');
  t.equal(rec.formatVersion, '97-2003');
  t.equal(rec.ambiguous, true);
  t.same(
    rec.matches?.map((m) => m.pronomKey),
    ['fmt/40', 'fmt/39'],
  );
});

t.test('a second identifier is kept in matches but PRONOM stays the primary', async (t) => {
  const csv = [
    'filename,filesize,modified,errors,namespace,id,format,version,mime,basis,warning,namespace,id,format,full,mime,basis,warning',
    'a.tif,10,2020-01-01T00:00:00Z,,pronom,fmt/353,TIFF,,image/tiff,sig,,loc,fdd000022,TIFF,Tagged Image File Format,image/tiff,sig,',
  ].join('\n');
  const rec = readSiegfriedCsv(csv).files[0]!.record;
  t.equal(rec.pronomKey, 'fmt/353');
  t.equal(rec.ambiguous, false, 'one PRONOM match plus one LoC match is not ambiguous');
  t.match(rec.matches, [
    { namespace: 'pronom', id: 'fmt/353' },
    { namespace: 'loc', id: 'fdd000022', pronomKey: null },
  ]);
});

t.test('a LoC-only identification has no PRONOM key but keeps its format name', async (t) => {
  const yaml = `${HEADER}---
filename : 'a.swf'
filesize : 1
modified : 2020-01-01T00:00:00Z
errors   :
matches  :
  - ns      : loc
    id      : fdd000130
    format  :
    full    : 'Shockwave Flash'
    mime    :
    basis   : 'byte match'
    warning :
`;
  const rec = readSiegfriedYaml(yaml).files[0]!.record;
  t.match(rec, { pronomKey: null, namespace: 'loc', formatName: 'Shockwave Flash' });
});

t.test('pre-1.5 YAML (id = identifier, puid = key) is read', async (t) => {
  const yaml = `---
siegfried   : 1.4.5
scandate    : 2016-01-01T00:00:00Z
signature   : pronom.sig
created     : 2015-12-01T00:00:00Z
identifiers :
  - name    : 'pronom'
    details : 'DROID_SignatureFile_V84.xml'
---
filename : 'a.pdf'
filesize : 100
modified : 2015-01-01T00:00:00Z
errors   :
md5      : 0CC175B9C0F1B6A831C399E269772661
matches  :
  - id      : pronom
    puid    : fmt/276
    format  : 'Acrobat PDF 1.7 - Portable Document Format'
    version : '1.7'
    mime    : 'application/pdf'
    basis   : 'byte match'
    warning :
`;
  const r = readSiegfriedYaml(yaml);
  t.equal(r.run.version, '1.4.5');
  t.match(r.files[0]!.record, {
    pronomKey: 'fmt/276',
    namespace: 'pronom',
    digest: null,
    digests: { md5: '0cc175b9c0f1b6a831c399e269772661' },
  });
});

t.test('the hash column is named after the algorithm; only sha256 fills digest', async (t) => {
  const csv = (col: string) =>
    readSiegfriedCsv(
      `filename,filesize,modified,errors,${col},namespace,id,format,version,mime,class,basis,warning\na,1,2020-01-01T00:00:00Z,,ABCDEF,pronom,fmt/1,X,,,,,\n`,
    ).files[0]!.record;
  t.match(csv('sha256'), { digest: 'abcdef', digests: { sha256: 'abcdef' } });
  t.match(csv('sha1'), { digest: null, digests: { sha1: 'abcdef' } });
  t.match(csv('md5'), { digest: null, digests: { md5: 'abcdef' } });
});

t.test('the class column (Siegfried ≥ 1.9) is read when present', async (t) => {
  const rec = readSiegfriedCsv(
    'filename,filesize,modified,errors,namespace,id,format,version,mime,class,basis,warning\na.png,1,2020-01-01T00:00:00Z,,pronom,fmt/12,PNG,1.1,image/png,Image (Raster),sig,\n',
  ).files[0]!.record;
  t.equal(rec.matches, undefined);
  t.equal(rec.formatVersion, '1.1');
  t.equal(rec.contentType, 'image/png');
});

t.test('Windows paths and quoted fields survive CSV reading as recorded', async (t) => {
  const r = readSiegfriedCsv(
    'filename,filesize,modified,errors,namespace,id,format,version,mime,basis,warning\n"C:\\Users\\me\\deposit\\objects\\a, b.txt",5,2020-01-01T00:00:00Z,,pronom,x-fmt/111,Plain Text File,,text/plain,"extension match txt; text match ASCII",\n',
  );
  t.equal(r.files[0]!.toolPath, 'C:\\Users\\me\\deposit\\objects\\a, b.txt');
});

t.test('a per-file Siegfried error is kept on the record and reported', async (t) => {
  const r = readSiegfriedYaml(`${HEADER}---
filename : 'empty.txt'
filesize : 0
modified : 2020-01-01T00:00:00Z
errors   : 'empty source'
matches  :
  - ns      : 'pronom'
    id      : 'UNKNOWN'
    format  :
    version :
    mime    :
    basis   :
    warning : 'no match'
`);
  t.equal(r.files[0]!.record.errors, 'empty source');
  t.match(r.problems, [{ code: 'TOOL_SCAN_ERROR', message: /empty\.txt": "empty source"/ }]);
});

t.test('the YAML header gives the run; the scan date is every record timestamp', async (t) => {
  const r = readSiegfriedYaml(`\uFEFF${HEADER}---
filename : 'a'
filesize : 1
modified : 2020-01-01T00:00:00Z
errors   :
matches  :
  - ns : 'pronom'
    id : 'fmt/1'
`);
  t.match(r.run, {
    version: '1.9.1',
    scanDate: '2021-03-04T10:11:12+01:00',
    identifiers: [{ name: 'pronom', details: 'DROID_SignatureFile_V97.xml' }],
  });
  t.equal(r.files[0]!.record.timestamp, '2021-03-04T10:11:12+01:00');
  t.equal(r.files[0]!.record.source, 'Siegfried');
});

t.test('a CSV row with a different size for the same file is reported', async (t) => {
  const r = readSiegfriedCsv(
    'filename,filesize,modified,errors,namespace,id,format,version,mime,basis,warning\na,1,,,pronom,fmt/1,X,,,,\na,2,,,pronom,fmt/2,Y,,,,\n',
  );
  t.match(r.problems, [{ code: 'TOOL_INCONSISTENT' }]);
});

t.test('a CSV without a Siegfried header yields no records and a problem', async (t) => {
  const r = readSiegfriedCsv('Format,ID,Count\nTIFF,fmt/353,1\n', { origin: 'metadata/x.csv' });
  t.same(r.files, []);
  t.match(r.problems, [{ code: 'TOOL_SYNTAX', path: 'metadata/x.csv' }]);
});

t.test('content sniffing tells Siegfried YAML and CSV from other files', async (t) => {
  t.ok(looksLikeSiegfriedYaml(HEADER));
  t.ok(looksLikeSiegfriedYaml('\uFEFF---\r\nsiegfried : 1.11.2\r\n'));
  t.notOk(looksLikeSiegfriedYaml('---\nname: other\n'));
  t.ok(looksLikeSiegfriedCsv('filename,filesize,modified,errors,namespace\n'));
  t.notOk(looksLikeSiegfriedCsv('Format,ID,Count\n'));
});
