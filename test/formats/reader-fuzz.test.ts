/**
 * Every format reader fed wrong types, random bytes and real inputs cut short at many points.
 * Each outcome is a result (with findings) or a Strongroom error (MalformedError, TooLargeError,
 * ...): never a raw JavaScript error such as `label.toLowerCase is not a function` or `Offset is
 * outside the bounds of the DataView`. Messages stay short and never carry more than a quoted
 * excerpt of the input. The inputs are seeded, so a failure reproduces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { StrongroomError } from '../../lib/core/errors.js';
import { parseBagInfo } from '../../lib/formats/bagit/bag-info.js';
import { parseBagDeclaration } from '../../lib/formats/bagit/declaration.js';
import { parseFetch } from '../../lib/formats/bagit/fetch.js';
import { BagIssues } from '../../lib/formats/bagit/issues.js';
import { parseManifest } from '../../lib/formats/bagit/manifest.js';
import { parseBagManifests } from '../../lib/formats/bagit/read.js';
import type { BagSource } from '../../lib/formats/bagit/source.js';
import { decodeTagText } from '../../lib/formats/bagit/text.js';
import { validateBag } from '../../lib/formats/bagit/validate.js';
import { zipBagSource } from '../../lib/formats/bagit/zip-source.js';
import { readMets } from '../../lib/formats/mets/reader.js';
import { readBrunnhildeReport } from '../../lib/formats/tools/brunnhilde.js';
import { readClamAvLog } from '../../lib/formats/tools/clamav.js';
import { parseCsv } from '../../lib/formats/tools/csv.js';
import { readDroidCsv } from '../../lib/formats/tools/droid.js';
import { readExifToolJson, readExifToolText } from '../../lib/formats/tools/exiftool.js';
import { readToolOutputs } from '../../lib/formats/tools/index.js';
import { readSiegfriedCsv, readSiegfriedYaml } from '../../lib/formats/tools/siegfried.js';
import { parseYamlSubset } from '../../lib/formats/tools/yaml-subset.js';
import { corpusDir, fixturesDir } from '../helpers/paths.js';

/** xorshift32, so every run feeds the same bytes. */
function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const WRONG: unknown[] = [
  undefined,
  null,
  0,
  42,
  Number.NaN,
  true,
  {},
  [],
  [1, 2],
  { length: 5 },
  () => 1,
  Symbol('s'),
];

function randomBytes(rand: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** Cut points across the input: the start, the end, and seeded points between. */
function cuts(length: number, count: number, rand: () => number): number[] {
  const out = new Set([0, 1, length - 1]);
  for (let i = 0; i < count; i++) out.add(Math.floor(rand() * length));
  return [...out].filter((n) => n >= 0).sort((a, b) => a - b);
}

/** The outcome must be a value, or a Strongroom error with a short message. */
let cases = 0;

async function outcome(t: Test, what: string, run: () => unknown): Promise<void> {
  cases++;
  try {
    await run();
  } catch (err) {
    if (!(err instanceof StrongroomError)) {
      t.fail(
        `${what}: raw ${(err as Error)?.name ?? typeof err}: ${String((err as Error)?.message ?? err).slice(0, 200)}`,
      );
      return;
    }
    if (err.message.length > 600) t.fail(`${what}: message of ${err.message.length} characters`);
  }
}

const METS = readFileSync(
  join(corpusDir, 'digital-preservation/src/DigitalPreservation/XmlGen.Tests/Samples/goobi-wc-b29356350.xml'),
);
const SF_YAML = readFileSync(join(corpusDir, 'siegfried/pkg/reader/examples/multi/multi.yaml'));
const SF_CSV = readFileSync(join(corpusDir, 'siegfried/pkg/reader/examples/multi/multi.csv'));
const ZIP = readFileSync(join(fixturesDir, 'bagit', 'zipped-bag.zip'));

/** A subtest that feeds inputs through {@link outcome} and says how many it fed. */
function fuzz(name: string, body: (t: Test) => Promise<void>): void {
  t.test(name, async (t) => {
    cases = 0;
    await body(t);
    t.ok(cases > 10, `${cases} inputs fed, none gave a raw JavaScript error`);
  });
}

fuzz('readMets: wrong types, random bytes, truncated and bit-flipped METS', async (t) => {
  const rand = random(1);
  for (const w of WRONG) await outcome(t, `readMets(${String(w)})`, () => readMets(w as never));
  await outcome(t, 'a stream of numbers', () => readMets(Readable.from([1, 2, 3]) as never));
  await outcome(t, 'bad options', () => readMets('<x/>', 7 as never));
  for (let i = 0; i < 20; i++) await outcome(t, `random ${i}`, () => readMets(randomBytes(rand, 1 + i * 50)));
  for (const n of cuts(METS.length, 40, rand))
    await outcome(t, `cut at ${n}`, () => readMets(METS.subarray(0, n)));
  for (let i = 0; i < 20; i++) {
    const flipped = Buffer.from(METS);
    flipped[Math.floor(rand() * flipped.length)] = Math.floor(rand() * 256);
    await outcome(t, `flip ${i}`, () => readMets(flipped));
  }
});

fuzz('BagIt parsers and the validator: wrong types and junk sources', async (t) => {
  const rand = random(2);
  for (const w of WRONG) {
    await outcome(t, 'decodeTagText', () => decodeTagText(w as never, w as never));
    await outcome(t, 'parseBagDeclaration', () => parseBagDeclaration(w as never, new BagIssues()));
    await outcome(t, 'parseBagInfo', () => parseBagInfo(w as never, 'bag-info.txt', new BagIssues()));
    await outcome(t, 'parseManifest', () =>
      parseManifest(w as never, w as never, w as never, new BagIssues()),
    );
    await outcome(t, 'parseFetch', () => parseFetch(w as never, w as never, new BagIssues()));
    await outcome(t, 'parseBagManifests', () => parseBagManifests(w as never));
    await outcome(t, 'parseBagManifests(map of junk)', () =>
      parseBagManifests(
        new Map([
          ['bagit.txt', w],
          ['manifest-sha256.txt', w],
        ]) as never,
      ),
    );
  }
  for (let i = 0; i < 20; i++) {
    const bytes = randomBytes(rand, 1 + i * 30);
    const issues = new BagIssues();
    await outcome(t, 'random declaration', () => parseBagDeclaration(bytes, issues));
    await outcome(t, 'random manifests', () =>
      parseBagManifests(
        new Map([
          ['bagit.txt', bytes],
          [`manifest-${i}.txt`, bytes],
          ['fetch.txt', bytes],
        ]),
      ),
    );
  }
  const junk: BagSource = {
    location: 'junk',
    async *list() {
      yield { path: 'bagit.txt', size: Number.NaN };
      yield { path: 'manifest-sha256.txt', size: -1 };
      yield { path: 7 as never, size: 1 };
    },
    read: async () => 12 as never,
  };
  await outcome(t, 'validateBag(junk source)', () => validateBag(junk));
  const reads: BagSource = {
    location: 'bytes-as-text',
    async *list() {
      yield { path: 'bagit.txt', size: 3 };
      yield { path: 'manifest-md5.txt', size: 3 };
    },
    read: async () => 'not bytes' as never,
  };
  await outcome(t, 'validateBag(source returning text)', () => validateBag(reads));
});

fuzz('zip bags: wrong types, random bytes, truncated and corrupted archives', async (t) => {
  const rand = random(3);
  for (const w of WRONG) await outcome(t, `zipBagSource(${String(w)})`, () => zipBagSource(w as never));
  for (let i = 0; i < 20; i++) await outcome(t, `random ${i}`, () => zipBagSource(randomBytes(rand, i * 40)));
  const check = async (bytes: Uint8Array) => {
    const source = await zipBagSource(bytes);
    await validateBag(source);
  };
  for (const n of cuts(ZIP.length, 40, rand))
    await outcome(t, `cut at ${n}`, () => check(ZIP.subarray(0, n)));
  for (let i = 0; i < 60; i++) {
    const flipped = Buffer.from(ZIP);
    flipped[Math.floor(rand() * flipped.length)] = Math.floor(rand() * 256);
    await outcome(t, `flip ${i}`, () => check(flipped));
  }
});

fuzz('tool readers: wrong types, random bytes, truncated outputs', async (t) => {
  const rand = random(4);
  const readers: [string, (x: never) => unknown][] = [
    ['readSiegfriedYaml', readSiegfriedYaml],
    ['readSiegfriedCsv', readSiegfriedCsv],
    ['readDroidCsv', readDroidCsv],
    ['readClamAvLog', readClamAvLog],
    ['readExifToolText', readExifToolText],
    ['readExifToolJson', readExifToolJson],
    ['readBrunnhildeReport', readBrunnhildeReport],
    ['parseYamlSubset', parseYamlSubset],
    ['parseCsv', parseCsv],
  ];
  for (const [name, read] of readers) {
    for (const w of WRONG) await outcome(t, `${name}(${String(w)})`, () => read(w as never));
    for (let i = 0; i < 10; i++)
      await outcome(t, `${name}(random)`, () => read(randomBytes(rand, i * 100) as never));
  }
  for (const [name, sample, read] of [
    ['yaml', SF_YAML, readSiegfriedYaml],
    ['csv', SF_CSV, readSiegfriedCsv],
  ] as const) {
    for (const n of cuts(sample.length, 30, rand))
      await outcome(t, `${name} cut at ${n}`, () => read(sample.subarray(0, n)));
  }
  for (const w of WRONG) {
    await outcome(t, 'readToolOutputs(junk)', () => readToolOutputs(w as never, w as never));
    await outcome(t, 'readToolOutputs([junk])', () =>
      readToolOutputs([w, { path: 'metadata/x.log', bytes: w }] as never, ['a']),
    );
  }
  await outcome(t, 'JSON that is not an array', () => readExifToolJson('{"SourceFile":"x"}'));
  await outcome(t, 'JSON array of junk', () => readExifToolJson('[1, null, "x", [], {"SourceFile": 3}]'));
});
