/** Readers never throw, whatever they are given: truncated corpus files and random bytes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { readClamAvLog } from '../../../lib/formats/tools/clamav.js';
import { readDroidCsv } from '../../../lib/formats/tools/droid.js';
import { readExifToolJson, readExifToolText } from '../../../lib/formats/tools/exiftool.js';
import { readToolOutputs } from '../../../lib/formats/tools/index.js';
import { readSiegfriedCsv, readSiegfriedYaml } from '../../../lib/formats/tools/siegfried.js';
import { corpusDir } from '../../helpers/paths.js';

const readers = [
  readSiegfriedYaml,
  readSiegfriedCsv,
  readDroidCsv,
  readClamAvLog,
  readExifToolText,
  readExifToolJson,
];
const samples = [
  'siegfried/pkg/reader/examples/multi/multi.yaml',
  'siegfried/pkg/reader/examples/multi/multi.csv',
  'netint-k8-device-plugin/clamscan.log',
].map((p) => readFileSync(join(corpusDir, p)));

/** A small deterministic generator so a failure can be replayed. */
function* randomInputs(seed: number, count: number): Generator<Uint8Array> {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x;
  };
  const alphabet = new TextEncoder().encode('-:\' "\n\r\t#,[]{}|>ab0/\\');
  for (let i = 0; i < count; i++) {
    const out = new Uint8Array(next() % 300);
    for (let j = 0; j < out.length; j++)
      out[j] = next() % 4 === 0 ? next() % 256 : alphabet[next() % alphabet.length]!;
    yield out;
  }
}

t.test('truncated corpus outputs are read without throwing', async (t) => {
  let calls = 0;
  for (const bytes of samples) {
    for (let cut = 0; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 97))) {
      for (const read of readers) {
        read(bytes.subarray(0, cut));
        calls++;
      }
    }
  }
  t.ok(calls > 1000);
});

t.test('random bytes are read without throwing, alone or as a deposit of outputs', async (t) => {
  let n = 0;
  for (const bytes of randomInputs(42, 400)) {
    for (const read of readers) read(bytes);
    readToolOutputs(
      [
        { path: `metadata/siegfried/r${n}.yml`, bytes },
        { path: `metadata/clamav/r${n}.log`, bytes },
      ],
      ['objects/a', 'b'],
    );
    n++;
  }
  t.equal(n, 400);
});
