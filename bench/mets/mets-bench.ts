/**
 * METS reader benchmark: a synthetic 100,000-file METS written by our own writer (SHA-256, size,
 * MIME type, PRONOM format and a virus-check event per file, in 1,000 folders), then read in the
 * same run by
 *   - `sax`:      plain sax event parsing of the same bytes — same decoding, strict and
 *                 namespace-aware like readMets, empty handlers (the baseline);
 *   - `sax-min`:  sax strict without namespace processing (the cheapest sax can go);
 *   - `readMets`: the full reader, building the MetsModel.
 * Each run is a child process (`node --expose-gc`), alternating, so each has its own heap and
 * peak RSS; the median of the runs is reported. Memory: peak RSS, and for readMets the peak heap
 * growth during the read next to the heap the finished model retains (after GC).
 *
 *   node dist/bench/mets/mets-bench.js [--quick] [--files=N] [--runs=N] [--keep]
 *
 * --quick: 10,000 files, 1 run.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import sax from 'sax';
import { MetsDocument } from '../../lib/formats/mets/document.js';
import { readMets } from '../../lib/formats/mets/reader.js';
import { metsChunks } from '../../lib/formats/mets/writer.js';

type Mode = 'sax' | 'sax-min' | 'readMets' | 'readMets-live';
const MODES: Mode[] = ['sax', 'sax-min', 'readMets'];

interface Measure {
  mode: Mode;
  seconds: number;
  maxRssMB: number;
  peakHeapGrowthMB?: number;
  retainedHeapMB?: number;
  /** readMets-live: the largest heap after a forced GC, taken every 4 MiB of input. */
  peakLiveHeapMB?: number;
  files?: number;
}

function parseArgs(argv: string[]) {
  const quick = argv.includes('--quick');
  const num = (name: string, dflt: number) => {
    const a = argv.find((x) => x.startsWith(`--${name}=`));
    return a === undefined ? dflt : Number(a.split('=')[1]);
  };
  return {
    files: num('files', quick ? 10_000 : 100_000),
    runs: num('runs', quick ? 1 : 3),
    keep: argv.includes('--keep'),
  };
}

/** Deterministic hex of the given length from a counter (no randomness, no hashing cost). */
function hex(n: number, len: number): string {
  let s = '';
  let x = (n + 1) * 2_654_435_761;
  while (s.length < len) {
    x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) >>> 0;
    s += x.toString(16).padStart(8, '0');
  }
  return s.slice(0, len);
}

async function generate(path: string, files: number): Promise<void> {
  const doc = MetsDocument.create({ title: 'Synthetic benchmark deposit', created: '2026-01-01T00:00:00Z' });
  for (let i = 0; i < files; i++) {
    doc.addFile({
      path: `objects/folder ${String(i % 1000).padStart(3, '0')}/image & scan ${String(i).padStart(6, '0')}.tif`,
      sha256: hex(i, 64),
      size: 100_000 + i,
      contentType: 'image/tiff',
      format: { pronomKey: 'fmt/353', name: 'Tagged Image File Format' },
      virusCheck: {
        outcome: 'Pass',
        detail: 'ClamAV 1.4.3/27886',
        date: '2026-01-01T00:00:00Z',
        agent: 'ClamAV',
        outcomeDetail: null,
      },
    });
  }
  const out = createWriteStream(path);
  for (const chunk of metsChunks(doc))
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  out.end();
  await finished(out);
}

/** Child: run one mode over the file and print one JSON line. */
async function child(mode: Mode, file: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  let peak = heap0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  const t0 = process.hrtime.bigint();
  let files: number | undefined;
  let model: unknown = null;
  let peakLive = 0;
  if (mode === 'readMets-live') {
    // Not timed: a forced GC every 64 chunks shows what the reader really holds mid-parse
    // (records plus the model so far), which the sampled peak above hides under garbage.
    const live = async function* () {
      let n = 0;
      for await (const chunk of createReadStream(file)) {
        if (++n % 64 === 0) {
          gc();
          peakLive = Math.max(peakLive, process.memoryUsage().heapUsed - heap0);
        }
        yield chunk as Buffer;
      }
    };
    const m = await readMets(Readable.from(live()));
    files = m.files.length;
    model = m;
  } else if (mode === 'readMets') {
    const m = await readMets(createReadStream(file));
    files = m.files.length;
    model = m;
  } else {
    await plainSax(file, mode === 'sax');
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  gc();
  const retained = process.memoryUsage().heapUsed - heap0;
  const m: Measure = { mode, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  if (mode === 'readMets-live') m.peakLiveHeapMB = peakLive / 2 ** 20;
  if (mode === 'readMets') {
    m.peakHeapGrowthMB = (peak - heap0) / 2 ** 20;
    m.retainedHeapMB = retained / 2 ** 20;
    m.files = files;
  }
  if (model === undefined) console.error('unreachable');
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

/** The baseline: decode and feed sax with handlers that do nothing. */
async function plainSax(file: string, xmlns: boolean): Promise<void> {
  const parser = sax.parser(true, { xmlns, position: true });
  let events = 0;
  parser.onopentag = () => {
    events++;
  };
  parser.onclosetag = () => {
    events++;
  };
  parser.ontext = () => {
    events++;
  };
  parser.onerror = (e) => {
    throw e;
  };
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of createReadStream(file))
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
  parser.write(decoder.decode());
  parser.close();
  if (events === 0) throw new Error('no events');
}

function runChild(self: string, mode: Mode, file: string): Measure {
  const res = spawnSync(process.execPath, ['--expose-gc', self, `--child=${mode}`, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (res.status !== 0) throw new Error(`${mode} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as Measure;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const childMode = argv.find((a) => a.startsWith('--child='));
  if (childMode) return child(childMode.split('=')[1] as Mode, argv[argv.length - 1]!);
  const args = parseArgs(argv);
  const dir = mkdtempSync(join(tmpdir(), 'sr-mets-bench-'));
  const file = join(dir, 'mets.xml');
  try {
    const g0 = Date.now();
    await generate(file, args.files);
    const bytes = statSync(file).size;
    console.log(
      `generated ${args.files} files, ${(bytes / 1e6).toFixed(1)} MB METS in ${((Date.now() - g0) / 1000).toFixed(1)} s`,
    );
    const results = new Map<Mode, Measure[]>(MODES.map((m) => [m, []]));
    const self = fileURLToPath(import.meta.url);
    for (let r = 0; r < args.runs; r++) {
      for (const mode of MODES) {
        results.get(mode)!.push(runChild(self, mode, file));
      }
    }
    const live = runChild(self, 'readMets-live', file);
    report(args, bytes, results, live);
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${file}`);
  }
}

function report(
  args: { files: number; runs: number },
  bytes: number,
  results: Map<Mode, Measure[]>,
  live: Measure,
): void {
  const mb = bytes / 1e6;
  const sec = (m: Mode) => median(results.get(m)!.map((x) => x.seconds));
  console.log(`\nMETS read: ${args.files} files, ${mb.toFixed(1)} MB, median of ${args.runs} run(s)\n`);
  console.log('| reader | seconds | MB/s | files/s | peak RSS MB |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const mode of MODES) {
    const s = sec(mode);
    const rss = median(results.get(mode)!.map((x) => x.maxRssMB));
    console.log(
      `| ${mode} | ${s.toFixed(2)} | ${(mb / s).toFixed(1)} | ${Math.round(args.files / s)} | ${rss.toFixed(0)} |`,
    );
  }
  const rm = results.get('readMets')!;
  const peak = median(rm.map((x) => x.peakHeapGrowthMB!));
  const kept = median(rm.map((x) => x.retainedHeapMB!));
  console.log(
    `\nreadMets throughput / sax (same options): ${((sec('sax') / sec('readMets')) * 100).toFixed(0)}% (target >= 50%)`,
  );
  console.log(
    `readMets throughput / sax without xmlns: ${((sec('sax-min') / sec('readMets')) * 100).toFixed(0)}%`,
  );
  const rss = (m: Mode) => median(results.get(m)!.map((x) => x.maxRssMB));
  console.log(
    `readMets heap: peak growth ${peak.toFixed(0)} MB (garbage included); the finished model retains ${kept.toFixed(0)} MB`,
  );
  console.log(
    `  peak heap growth = ${(peak / kept).toFixed(2)}x the model = ${((peak / mb) * 100).toFixed(0)}% of the METS file size`,
  );
  const pl = live.peakLiveHeapMB!;
  console.log(
    `  peak live heap mid-parse (forced GC every 4 MiB, one run): ${pl.toFixed(0)} MB = model + ${(pl - kept).toFixed(0)} MB of working records`,
  );
  console.log(`  peak RSS above plain sax: ${(rss('readMets') - rss('sax')).toFixed(0)} MB`);
  console.log(`files in the model: ${rm[0]!.files}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
