/**
 * Tool outputs from an attacker: outputs past their size caps, an infected-only ClamAV log whose
 * summary counts infected files it does not name, `__proto__` / `constructor` as YAML keys, hash
 * names, summary fields and ExifTool tags, YAML nested 100,000 deep, lines built to make pattern
 * matching backtrack, out-of-range HTML references, and special entries under metadata/. Each
 * ends in a finding, in bounded time, with no key lost to Object.prototype.
 */
import t from 'tap';
import { combineDeposit } from '../../../lib/formats/combine.js';
import { readBrunnhildeReport } from '../../../lib/formats/tools/brunnhilde.js';
import { readClamAvLog } from '../../../lib/formats/tools/clamav.js';
import { readExifToolJson, readExifToolText } from '../../../lib/formats/tools/exiftool.js';
import {
  CLAMAV_LOG_MAX_BYTES,
  readToolOutputs,
  SIEGFRIED_MAX_BYTES,
  TOOL_OUTPUT_MAX_BYTES,
} from '../../../lib/formats/tools/index.js';
import { readSiegfriedYaml } from '../../../lib/formats/tools/siegfried.js';
import { MAX_YAML_DEPTH, parseYamlSubset } from '../../../lib/formats/tools/yaml-subset.js';

const enc = (s: string) => new TextEncoder().encode(s);
/** An own property's value, read without the `__proto__` accessor. */
const own = (o: object | undefined, key: string): unknown =>
  o === undefined ? undefined : Object.getOwnPropertyDescriptor(o, key)?.value;

const infectedOnly = (infected: number) => `/home/u/deposit/objects/eicar.txt: Eicar-Signature FOUND

----------- SCAN SUMMARY -----------
Known viruses: 8707575
Engine version: 1.4.3
Scanned directories: 1
Scanned files: 4
Infected files: ${infected}
Start Date: 2025:09:19 10:20:10
End Date:   2025:09:19 10:20:32
`;

const DEPOSIT = [
  'objects/eicar.txt',
  'objects/a.txt',
  'objects/b.txt',
  'objects/c.txt',
  'metadata/clamav/scan.log',
];

t.test('an infected-only log counting 3 infected files but naming 1 calls no other file clean', async (t) => {
  const r = readToolOutputs([{ path: 'metadata/clamav/scan.log', bytes: enc(infectedOnly(3)) }], DEPOSIT);
  t.match(r.byPath.get('objects/eicar.txt'), [{ hasVirus: true }]);
  for (const p of ['objects/a.txt', 'objects/b.txt', 'objects/c.txt'])
    t.notOk(r.byPath.has(p), `${p} has no verdict (unknown), not a clean one`);
  t.match(r.summaries, [{ tool: 'ClamAV', inferredClean: null }]);
  t.ok(
    r.problems.some((p) => p.code === 'TOOL_INCONSISTENT' && /counts 3 infected but names 1/.test(p.message)),
    JSON.stringify(r.problems),
  );
});

t.test('the same log counting exactly the infected file it names still infers the rest clean', async (t) => {
  const r = readToolOutputs([{ path: 'metadata/clamav/scan.log', bytes: enc(infectedOnly(1)) }], DEPOSIT);
  t.match(r.byPath.get('objects/a.txt'), [{ hasVirus: false, inferred: true }]);
});

t.test('outputs past their cap are reported as too large and not read', async (t) => {
  const yaml = '---\nsiegfried : 1.11.0\n---\nfilename : a\n';
  const r = readToolOutputs(
    [
      { path: 'metadata/siegfried/sf.yaml', bytes: enc(yaml), size: SIEGFRIED_MAX_BYTES + 1 },
      { path: 'metadata/clamav/scan.log', bytes: enc(infectedOnly(1)), size: CLAMAV_LOG_MAX_BYTES + 1 },
    ],
    DEPOSIT,
  );
  t.same(
    r.problems.map((p) => [p.code, p.path]),
    [
      ['TOOL_TOO_LARGE', 'metadata/clamav/scan.log'],
      ['TOOL_TOO_LARGE', 'metadata/siegfried/sf.yaml'],
    ],
  );
  t.equal(r.byPath.size, 0, 'nothing was read from them');
  t.ok(TOOL_OUTPUT_MAX_BYTES >= SIEGFRIED_MAX_BYTES, 'callers read at most the largest cap');
});

t.test(
  'FIFOs and undecodable names under metadata/ are reported; the combiner reports them too',
  async (t) => {
    const r = readToolOutputs([], ['objects/a.txt'], {
      specialEntries: [
        { path: 'metadata/clamav/pipe', type: 'fifo' },
        { path: 'metadata/x\uFFFD', type: 'undecodable-name' },
        { path: 'objects/sock', type: 'socket' },
      ],
    });
    t.same(
      r.problems.map((p) => [p.code, p.path]),
      [
        ['TOOL_SPECIAL_ENTRY', 'metadata/clamav/pipe'],
        ['TOOL_SPECIAL_ENTRY', 'metadata/x\uFFFD'],
      ],
    );
    const c = combineDeposit({
      listing: [
        { path: 'objects/a.txt', size: 1 },
        { path: 'objects/sock', size: null, unreadable: 'socket' },
      ],
    });
    t.match(c.mismatches, [{ localPath: 'objects/sock', field: 'entry', values: { deposit: 'socket' } }]);
  },
);

t.test('__proto__ and constructor keys in Siegfried YAML are ordinary keys', async (t) => {
  const r = readSiegfriedYaml(
    "---\nsiegfried : 1.11.0\n---\nfilename : 'a.txt'\nfilesize : 3\n__proto__ : 'x'\nconstructor : abc\nsha256 : 'ABCD'\nmatches :\n  - ns : pronom\n    id : fmt/101\n",
  );
  t.equal(r.files.length, 1);
  t.equal(r.files[0]!.record.pronomKey, 'fmt/101');
  const parsed = parseYamlSubset('---\n__proto__ : polluted\nconstructor : c\ntoString : s\n');
  const doc = parsed.documents[0]!.value as Record<string, unknown>;
  t.same(Object.keys(doc), ['__proto__', 'constructor', 'toString']);
  t.equal(own(doc, '__proto__'), 'polluted');
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test('YAML nested 100,000 deep is cut at the depth limit with an error, no stack overflow', async (t) => {
  const lines = ['---'];
  for (let i = 0; i < 100_000; i++) lines.push(`${' '.repeat(i % 2000)}k${i} :`);
  const deepBlock = parseYamlSubset(lines.join('\n'));
  t.ok(deepBlock.errors.length > 0);
  const seqs = parseYamlSubset(`---\n${'- '.repeat(10_000)}x\n`);
  t.ok(
    seqs.errors.some((e) => e.message.includes(`deeper than ${MAX_YAML_DEPTH}`)),
    JSON.stringify(seqs.errors.slice(0, 2)),
  );
  const nested = [
    '---',
    ...Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}k${i} :`),
    `${'  '.repeat(1000)}v`,
  ];
  const r = parseYamlSubset(nested.join('\n'));
  t.ok(r.errors.some((e) => e.message.includes(`deeper than ${MAX_YAML_DEPTH}`)));
});

t.test('lines built to make patterns backtrack are read in linear time', async (t) => {
  const long = `a${' '.repeat(60_000)}b`;
  const started = performance.now();
  parseYamlSubset(`---\n${long}\nk : ${long} # c\n"q${' '.repeat(60_000)}`);
  readClamAvLog(`${': '.repeat(30_000)}x FOUND\n${'a: '.repeat(20_000)} ERROR\n`);
  readExifToolText(`${'x '.repeat(30_000)}\n[G]${' '.repeat(60_000)}y\n`);
  const unterminated = `---\nk : "${Array.from({ length: 20_000 }, () => 'line').join('\n')}`;
  parseYamlSubset(unterminated);
  readBrunnhildeReport('<strong>a:</strong>'.repeat(50_000));
  t.ok(performance.now() - started < 3000, `took ${(performance.now() - started).toFixed(0)} ms`);
});

t.test('ClamAV summary fields and ExifTool tags named __proto__ / constructor are kept', async (t) => {
  const log = readClamAvLog(`${infectedOnly(1)}__proto__: x\nconstructor: y\n`);
  t.equal(own(log.summary?.fields, '__proto__'), 'x');
  t.equal(log.summary?.fields['constructor'], 'y');
  const text = readExifToolText('File Name : a.jpg\nconstructor : 1\n__proto__ : 2\ntoString : 3\n');
  t.same(Object.keys(text.files[0]!.record.tags), ['File Name', 'constructor', '__proto__', 'toString']);
  const json = readExifToolJson('[{"SourceFile":"a.jpg","__proto__":"p","constructor":"c"}]');
  const tags = json.files[0]!.record.tags;
  t.same(Object.keys(tags), ['__proto__', 'constructor']);
  t.same([own(tags, '__proto__'), own(tags, 'constructor')], ['p', 'c']);
});

t.test('Brunnhilde references past U+10FFFF and &constructor; stay text, no RangeError', async (t) => {
  const p = readBrunnhildeReport(
    '<p><strong>Accession:</strong> a&#99999999;b&constructor;c&#x110000;</p><p><strong>Input source:</strong> /x</p>',
  );
  t.equal(p.accession, 'a&#99999999;b&constructor;c&#x110000;');
  t.equal(p.inputSource, '/x');
});
