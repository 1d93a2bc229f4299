/**
 * `npm run bench`: run every benchmark suite that exists, one child process each.
 *
 *   node dist/bench/run.js [--quick] [--only ocfl|hash|mets|bagit|cache|startup|records|txn|search|deposits|server|inventory] [suite flags...]
 *
 * Suites are folders of `bench/`; a suite's entry is the first compiled file found among
 * `dist/bench/<suite>/{run,index,bench,<suite>-bench}.js`, else the only `*-bench.js` /
 * `*.bench.js` in that folder. Missing suites are reported and skipped. Other flags (e.g.
 * `--quick`, `--runs=3`, `--no-s3`) are passed to every suite.
 *
 * S3: when `S3_ENDPOINT` is not set, a throw-away MinIO is started with `scripts/minio.sh start`
 * (its settings are passed to the suites) and stopped at the end; with `S3_ENDPOINT` set, that
 * server is used. If MinIO cannot start, suites run without S3 and say so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SUITES = [
  'ocfl',
  'hash',
  'mets',
  'bagit',
  'cache',
  'startup',
  'records',
  'txn',
  'search',
  'deposits',
  'server',
  'inventory',
] as const;
const distBench = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(distBench, '..', '..');

/** The compiled entry of a suite, or undefined when the suite does not exist (yet). */
export function suiteEntry(suite: string, dir = join(distBench, suite)): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const name of ['run.js', 'index.js', 'bench.js', `${suite}-bench.js`]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  const benches = readdirSync(dir).filter((f) => /[-.]bench\.js$/.test(f));
  return benches.length === 1 ? join(dir, benches[0]!) : undefined;
}

/** Parse `--only X` / `--only=X` (comma lists allowed); returns the suites and the remaining flags. */
export function parseRunArgs(argv: string[]): { suites: string[]; passOn: string[] } {
  const passOn: string[] = [];
  let only: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--only') only = (argv[++i] ?? '').split(',');
    else if (a.startsWith('--only=')) only = a.slice(7).split(',');
    else passOn.push(a);
  }
  const unknown = only?.filter((s) => !(SUITES as readonly string[]).includes(s)) ?? [];
  if (unknown.length > 0)
    throw new RangeError(`unknown suite(s) ${unknown.join(', ')}; known: ${SUITES.join(', ')}`);
  return { suites: only ?? [...SUITES], passOn };
}

/** Start MinIO unless S3_ENDPOINT is set; returns a stop function (no-op when nothing was started). */
function ensureS3(env: NodeJS.ProcessEnv): () => void {
  if (env.S3_ENDPOINT || env.BENCH_NO_S3 === '1') return () => {};
  let lines: string;
  try {
    lines = execFileSync('bash', [join(repoRoot, 'scripts', 'minio.sh'), 'start'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch {
    console.error('run: MinIO could not be started; suites run without S3');
    return () => {};
  }
  for (const m of lines.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  return () => {
    spawnSync('bash', [join(repoRoot, 'scripts', 'minio.sh'), 'stop'], { env, stdio: 'inherit' });
  };
}

function main(argv: string[]): number {
  const { suites, passOn } = parseRunArgs(argv);
  const env = { ...process.env };
  const stopS3 = passOn.includes('--no-s3') ? () => {} : ensureS3(env);
  let failed = 0;
  try {
    for (const suite of suites) {
      const entry = suiteEntry(suite);
      if (!entry) {
        console.log(`\n## ${suite}: no benchmark suite found (dist/bench/${suite}/), skipped`);
        continue;
      }
      console.log(`\n## ${suite} (${entry.slice(repoRoot.length + 1)} ${passOn.join(' ')})`);
      const r = spawnSync(process.execPath, [entry, ...passOn], { env, stdio: 'inherit', cwd: repoRoot });
      if (r.status !== 0) {
        failed++;
        console.error(`run: suite ${suite} failed (${r.status ?? r.signal})`);
      }
    }
  } finally {
    stopS3();
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
