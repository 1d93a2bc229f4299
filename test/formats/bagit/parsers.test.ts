/**
 * The pure tag-file parsers on hand-made bytes: encodings, line endings, continuation lines,
 * declaration strictness, percent-encoding by version, binary-mode markers and fetch.txt.
 */
import t from 'tap';
import { bagAlgorithm } from '../../../lib/formats/bagit/algorithms.js';
import { parseBagInfo, parsePayloadOxum, readPayloadOxum } from '../../../lib/formats/bagit/bag-info.js';
import { parseBagDeclaration } from '../../../lib/formats/bagit/declaration.js';
import { parseFetch } from '../../../lib/formats/bagit/fetch.js';
import { BagIssues } from '../../../lib/formats/bagit/issues.js';
import { manifestName, parseManifest } from '../../../lib/formats/bagit/manifest.js';
import { infoValues } from '../../../lib/formats/bagit/model.js';
import { decodeBagPath, encodeBagPath, normalizeBagPath } from '../../../lib/formats/bagit/paths.js';
import { parseBagManifests, parseBagTagFiles } from '../../../lib/formats/bagit/read.js';
import { decodeTagText, splitLines } from '../../../lib/formats/bagit/text.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const utf16le = (s: string) => {
  const out = new Uint8Array(2 + s.length * 2);
  out.set([0xff, 0xfe]);
  for (let i = 0; i < s.length; i++) out.set([s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8], 2 + i * 2);
  return out;
};
const utf16beNoBom = (s: string) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) out.set([s.charCodeAt(i) >> 8, s.charCodeAt(i) & 0xff], i * 2);
  return out;
};

t.test('tag files decode per the declared encoding', async (t) => {
  t.equal(decodeTagText(utf16le('Label: café\n'), 'UTF-16').text, 'Label: café\n', 'UTF-16 with a LE BOM');
  t.equal(decodeTagText(utf16beNoBom('A: b'), 'UTF-16').text, 'A: b', 'UTF-16 without BOM is big-endian');
  t.equal(
    decodeTagText(new Uint8Array([0x41, 0xe9, 0x80]), 'ISO-8859-1').text,
    'A\u00e9\u0080',
    'ISO-8859-1 byte = code point',
  );
  t.equal(decodeTagText(utf8('\ufeffx'), 'utf-8').text, 'x', 'UTF-8 BOM removed');
  const bad = decodeTagText(new Uint8Array([0x41, 0xe9]), 'UTF-8');
  t.match(bad.problem, /not valid UTF-8/, 'invalid UTF-8 is reported, not thrown');
  t.equal(decodeTagText(utf8('x'), 'EBCDIC-nonsense').unsupported, true, 'an unknown charset is flagged');
});

t.test('lines end in LF, CR or CRLF', async (t) => {
  t.same(splitLines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
  t.same(splitLines('a\n'), ['a'], 'a final terminator adds no line');
});

t.test('bag-info keeps repeated labels, joins continuation lines and trims odd separators', async (t) => {
  const issues = new BagIssues();
  const info = parseBagInfo(
    'External-Description: Uncompressed greyscale TIFF images from the\r\n   Yoshimuri papers collection.\r\nTest-Tag: 1\nTest-Tag   :   2\n\tthree\nPayload-Oxum: 10.2\n',
    'bag-info.txt',
    issues,
  );
  t.same(infoValues(info, 'external-description'), [
    'Uncompressed greyscale TIFF images from the Yoshimuri papers collection.',
  ]);
  t.same(infoValues(info, 'Test-Tag'), ['1', '2 three']);
  t.same(readPayloadOxum(info, 'bag-info.txt', issues), { octets: 10, streams: 2 });
  t.same(issues.list, []);
});

t.test('bag-info lines that are neither labels nor continuations are errors', async (t) => {
  const issues = new BagIssues();
  parseBagInfo('  leading continuation\nno colon here\n', 'bag-info.txt', issues);
  t.same(
    issues.list.map((i) => i.code),
    ['bag-info-invalid', 'bag-info-invalid'],
  );
});

t.test('Payload-Oxum must be octets.streams', async (t) => {
  t.equal(parsePayloadOxum('58'), null);
  t.equal(parsePayloadOxum('5.8.1'), null);
  const issues = new BagIssues();
  readPayloadOxum([{ label: 'Payload-Oxum', value: 'lots' }], 'bag-info.txt', issues);
  t.equal(issues.list[0]?.code, 'payload-oxum-invalid');
});

t.test('bagit.txt is strict about whitespace, version form and the encoding line', async (t) => {
  const ok = new BagIssues();
  t.same(parseBagDeclaration(utf8('BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8'), ok), {
    version: '1.0',
    encoding: 'UTF-8',
  });
  t.same(ok.list, [], 'CRLF and no final newline are fine');
  const cases: [string, string][] = [
    ['BagIt-Version : 1.0\nTag-File-Character-Encoding: UTF-8\n', 'declaration-invalid'],
    ['BagIt-Version: .97\nTag-File-Character-Encoding: UTF-8\n', 'version-invalid'],
    ['BagIt-Version: 0.97\n', 'encoding-missing'],
    ['\ufeffBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n', 'declaration-invalid'],
    ['Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n', 'declaration-invalid'],
  ];
  const loose = new BagIssues();
  parseBagDeclaration(utf8('BagIt-Version:0.97\nTag-File-Character-Encoding: UTF-8 \n'), loose);
  t.same(
    loose.list.map((i) => i.severity),
    ['warning', 'warning'],
    'a value not written as ": value" is only a warning',
  );
  for (const [text, code] of cases) {
    const issues = new BagIssues();
    parseBagDeclaration(utf8(text), issues);
    t.ok(
      issues.list.some((i) => i.code === code && i.severity === 'error'),
      `${JSON.stringify(text)} → ${code}`,
    );
  }
});

t.test('percent-encoding is undone only for %0A, %0D and %25, and only from BagIt 1.0', async (t) => {
  t.equal(decodeBagPath('data/a%0Ab%0dc%25d%7E'), 'data/a\nb\rc%d%7E');
  t.equal(encodeBagPath('data/50% off\n'), 'data/50%25 off%0A');
  const m = 'abc'.padEnd(32, '0');
  const v1 = parseManifest(`${m}  data/x%250A.txt\n`, 'manifest-md5.txt', '1.0', new BagIssues());
  t.equal(v1.entries[0]!.path, 'data/x%0A.txt', '1.0: %25 decodes to % (and no further)');
  const v097 = parseManifest(`${m}  data/%7Efile%25\n`, 'manifest-md5.txt', '0.97', new BagIssues());
  t.equal(v097.entries[0]!.path, 'data/%7Efile%25', '0.97: literal');
});

t.test('manifests: any whitespace separator, binary-mode star, spaces in paths, bad lines', async (t) => {
  const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
  const issues = new BagIssues();
  const m = parseManifest(
    `${md5}\tdata/tab.txt\n${md5} *data/binary.txt\n${md5}  data/with spaces .txt\n${md5.toUpperCase()}  data/UP\nnonsense\n${md5.slice(2)}  data/short\n`,
    'manifest-md5.txt',
    '0.97',
    issues,
  );
  t.same(
    m.entries.map((e) => e.path),
    ['data/tab.txt', 'data/binary.txt', 'data/with spaces .txt', 'data/UP', 'data/short'],
  );
  t.equal(m.entries[3]!.digest, md5, 'digests are lowercased');
  t.same(
    issues.list.map((i) => i.code),
    ['manifest-line-invalid', 'digest-invalid'],
  );
});

t.test('manifest paths that escape or leave the payload are errors', async (t) => {
  const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
  const issues = new BagIssues();
  const m = parseManifest(
    `${md5}  ../../etc/passwd\n${md5}  /tmp/foo\n${md5}  C:\\x\n${md5}  data/../bagit.txt\n${md5}  ./data/ok\n`,
    'manifest-md5.txt',
    '1.0',
    issues,
  );
  t.same(
    m.entries.map((e) => e.path),
    [null, null, null, 'bagit.txt', 'data/ok'],
  );
  t.same(
    issues.list.map((i) => `${i.severity}:${i.code}`),
    [
      'error:path-escape',
      'error:path-escape',
      'error:path-escape',
      'warning:path-not-normalized',
      'error:path-outside-payload',
      'warning:path-leading-dot-slash',
    ],
  );
  t.same(normalizeBagPath('data//a/./b').path, 'data/a/b');
});

t.test('manifest names give kind and algorithm; unknown algorithms are flagged, not guessed', async (t) => {
  t.same(manifestName('manifest-SHA256.txt'), { kind: 'payload', algorithm: 'sha256' });
  t.same(manifestName('tagmanifest-sha-512.txt'), { kind: 'tag', algorithm: 'sha512' });
  t.equal(manifestName('manifest.txt'), null);
  t.equal(bagAlgorithm('whirlpool'), undefined);
  t.equal(parseManifest('', 'manifest-whirlpool.txt', '1.0', new BagIssues()).supported, false);
});

t.test('fetch.txt: url, length or "-", and a path that may contain spaces', async (t) => {
  const issues = new BagIssues();
  const f = parseFetch(
    'http://x.org/a%201 - data/a 1.txt\r\nhttps://x.org/b 12 data/b\r\nnot-a-url 1 data/c\r\nhttp://x.org/d big data/d\r\nhttp://x.org/e\r\n',
    '1.0',
    issues,
  );
  t.same(
    f.map((e) => [e.path, e.length]),
    [
      ['data/a 1.txt', null],
      ['data/b', 12],
      ['data/c', 1],
      ['data/d', null],
    ],
  );
  t.same(
    issues.list.map((i) => i.code),
    ['fetch-line-invalid', 'fetch-line-invalid', 'fetch-line-invalid'],
  );
});

t.test('tag files of a UTF-16 bag are read in UTF-16; 0.93 package-info.txt is bag-info', async (t) => {
  const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
  const issues = new BagIssues();
  const bag = parseBagTagFiles(
    new Map([
      ['bagit.txt', utf8('BagIt-Version: 0.93\nTag-File-Character-Encoding: UTF-16\n')],
      ['package-info.txt', utf16le('Packing-Date: 2009-10-14\nPayload-Oxum: 0.1\n')],
      ['manifest-md5.txt', utf16le(`${md5}  data/é.txt\n`)],
    ]),
    issues,
  );
  t.equal(bag.infoFile, 'package-info.txt');
  t.equal(bag.baggingDate, '2009-10-14');
  t.same(bag.payloadOxum, { octets: 0, streams: 1 });
  t.equal(bag.manifests[0]!.entries[0]!.path, 'data/é.txt');
  t.same(issues.list, []);
});

t.test('manifest digests by path and algorithm, ready for the combiner', async (t) => {
  const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
  const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const reading = parseBagManifests(
    new Map([
      ['bagit.txt', utf8('BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n')],
      ['bag-info.txt', utf8('Bagging-Date: 2020-05-13\n')],
      ['manifest-md5.txt', utf8(`${md5}  data/empty.txt\n`)],
      ['manifest-sha256.txt', utf8(`${sha}  data/empty.txt\n`)],
      ['tagmanifest-md5.txt', utf8(`${md5}  bag-info.txt\n`)],
      ['data/manifest-md5.txt', utf8('payload, not a manifest')],
    ]),
  );
  t.same([...reading.payloadDigests], [['data/empty.txt', { md5, sha256: sha }]]);
  t.same([...reading.tagDigests], [['bag-info.txt', { md5 }]]);
  t.equal(reading.timestamp, '2020-05-13');
  t.same(reading.algorithms, [
    { name: 'md5', supported: true, weak: true },
    { name: 'sha256', supported: true, weak: false },
  ]);
  t.same(reading.issues, []);
});
