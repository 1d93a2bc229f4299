/**
 * Benchmark parameters from the command line and the environment. Command-line flags win over
 * environment variables, which win over the defaults of the chosen mode:
 *
 * | setting | flag | env | full | --quick |
 * | --- | --- | --- | --- | --- |
 * | small-object files | `--small-files=N` | `BENCH_SMALL_FILES` | 100000 | 2000 |
 * | small-object versions | `--small-versions=N` | `BENCH_SMALL_VERSIONS` | 5 | 5 |
 * | large files | `--large-files=N` | `BENCH_LARGE_FILES` | 2 | 2 |
 * | bytes per large file (`K`/`M`/`G` suffixes, binary) | `--large-size=S` | `BENCH_LARGE_SIZE` | 2G | 64M |
 * | runs per figure (median) | `--runs=N` | `BENCH_RUNS` | 3 | 1 |
 * | objects to measure (`small`, `large`, `all`) | `--objects=K` | `BENCH_OBJECTS` | all | all |
 * | skip S3 | `--no-s3` | `BENCH_NO_S3=1` | | |
 * | skip peers | `--no-peers` | `BENCH_NO_PEERS=1` | | |
 */
import type { SmallObjectParams } from './plan.js';

/** Everything one benchmark run needs to know. */
export interface BenchConfig {
  quick: boolean;
  small: SmallObjectParams;
  large: { files: number; size: number; seed: number };
  runs: number;
  objects: 'small' | 'large' | 'all';
  s3: boolean;
  peers: boolean;
}

/** Parse `2G`, `64M`, `512K` or a plain byte count. Throws RangeError on anything else. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)i?B?$/i.exec(text.trim());
  if (!m) throw new RangeError(`not a size: ${text}`);
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Math.round(Number(m[1]) * unit);
}

function flag(argv: string[], name: string): string | undefined {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

function positiveInt(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer: ${text}`);
  return n;
}

function objectKinds(text: string | undefined): BenchConfig['objects'] {
  if (text === undefined || text === '') return 'all';
  if (text === 'small' || text === 'large' || text === 'all') return text;
  throw new RangeError(`objects must be small, large or all: ${text}`);
}

/** Build the configuration from `argv` (without node and script) and `env`. Throws RangeError on bad values. */
export function benchConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = argv.includes('--quick');
  const pick = (name: string, envName: string) => flag(argv, name) ?? env[envName];
  const largeSize = pick('large-size', 'BENCH_LARGE_SIZE');
  return {
    quick,
    small: {
      files: positiveInt(pick('small-files', 'BENCH_SMALL_FILES'), quick ? 2000 : 100_000, 'small files'),
      versions: positiveInt(pick('small-versions', 'BENCH_SMALL_VERSIONS'), 5, 'small versions'),
      minSize: 64,
      maxSize: 4096,
      seed: 1,
    },
    large: {
      files: positiveInt(pick('large-files', 'BENCH_LARGE_FILES'), 2, 'large files'),
      size: largeSize ? parseSize(largeSize) : quick ? 64 * 2 ** 20 : 2 * 2 ** 30,
      seed: 2,
    },
    runs: positiveInt(pick('runs', 'BENCH_RUNS'), quick ? 1 : 3, 'runs'),
    objects: objectKinds(pick('objects', 'BENCH_OBJECTS')),
    s3: !argv.includes('--no-s3') && env.BENCH_NO_S3 !== '1',
    peers: !argv.includes('--no-peers') && env.BENCH_NO_PEERS !== '1',
  };
}
