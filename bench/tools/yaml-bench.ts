/**
 * Siegfried YAML reading: the hand-written subset reader (lib/formats/tools/yaml-subset.ts) against
 * the `yaml` package as it would replace it (yaml-package.ts: failsafe schema, the same value shapes), on the corpus's `multi.yaml` (two
 * identifiers, up to 16 matches per file) and on synthetic `sf -yaml` outputs of 10,000 and
 * 100,000 files (the corpus's file documents repeated with distinct names). Median of --runs
 * (default 3) after a warm-up, and the heap in use right after parsing.
 *
 *   node --expose-gc dist/bench/tools/yaml-bench.js [--runs=N] [--quick] [--full]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlSubset } from '../../lib/formats/tools/yaml-subset.js';
import { corpusDir } from '../../test/helpers/paths.js';
import { parseToolYaml } from './yaml-package.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const runsArg = argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.split('=')[1]) : quick ? 1 : 3;

const sample = readFileSync(join(corpusDir, 'siegfried/pkg/reader/examples/multi/multi.yaml'), 'utf8');
const [header, ...docs] = sample.split(/^---\r?\n/m).filter((d) => d.trim() !== '');

function synthetic(files: number): string {
  const parts = [`---\n${header}`];
  for (let i = 0; i < files; i++) {
    const doc = docs[i % docs.length]!;
    parts.push(
      `---\n${doc.replace(/^filename\s*:\s*'?([^'\n]*)'?/m, `filename : 'dir${i % 100}/f${i}-$1'`)}`,
    );
  }
  return parts.join('');
}

function measure(parse: (text: string) => { documents: unknown[] }, text: string) {
  const times: number[] = [];
  let heap = 0;
  let documents = 0;
  for (let r = 0; r <= RUNS; r++) {
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const result = parse(text);
    const ms = performance.now() - t0;
    heap = Math.max(heap, process.memoryUsage().heapUsed - base);
    documents = result.documents.length;
    if (r > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, heapMB: heap / 1e6, documents };
}

// The yaml package needs minutes and gigabytes for 100,000 files: only with --full.
const full = argv.includes('--full');
const inputs: [string, string, boolean][] = [
  ['corpus multi.yaml (20 files)', sample, true],
  ['synthetic 1,000 files', synthetic(1_000), true],
  ...(quick ? [] : ([['synthetic 10,000 files', synthetic(10_000), true]] as [string, string, boolean][])),
  ...(quick ? [] : ([['synthetic 100,000 files', synthetic(100_000), full]] as [string, string, boolean][])),
];
console.log(`Siegfried YAML: median of ${RUNS} run(s)`);
console.log('| input | MB | reader | documents | ms | heap MB |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, text, withPackage] of inputs) {
  for (const [reader, parse] of [
    ['hand-written subset', parseYamlSubset],
    ...(withPackage ? ([['yaml package (failsafe)', parseToolYaml]] as const) : []),
  ] as const) {
    const m = measure(parse, text);
    const mb = (Buffer.byteLength(text) / 1e6).toFixed(1);
    console.log(
      `| ${name} | ${mb} | ${reader} | ${m.documents} | ${m.ms.toFixed(0)} | ${m.heapMB.toFixed(0)} |`,
    );
  }
}
