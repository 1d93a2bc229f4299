/**
 * Imports into a new version on the filesystem: ours (a transaction through RepositoryWriter:
 * plan, claim, copy + verify, headers, bulk flush, inventories) against @ocfl/ocfl-fs importing
 * the same folder, a plain `cp -r` of it, and the machine's limits (copy incl. flush, SHA-256 on
 * both cores with openssl).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peersDir } from '../ocfl/paths.js';
import type { Deposit } from './data.js';
import type { JobSpec } from './job.js';
import { type Case, type Row, secs, sh, type Timing, timeCases } from './measure.js';

const ocflFsModule = join(peersDir, 'node_modules', '@ocfl', 'ocfl-fs');

/** True when @ocfl/ocfl-fs is installed (bench/peers/install.sh js). */
export function loadPeer(): boolean {
  return existsSync(ocflFsModule);
}

/** A case that runs `spec` in a child process (bench/txn/job.ts) and takes its own timing. */
export function jobCase(name: string, spec: JobSpec, cleanup: string): Case {
  let seconds = 0;
  return {
    name,
    run: () => {
      const r = spawnSync(process.execPath, [jobScript, JSON.stringify(spec)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (r.status !== 0) throw new Error(`job ${name} failed (${r.status ?? r.signal})`);
      seconds = (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number }).seconds;
    },
    seconds: () => seconds,
    cleanup: () => rmSync(cleanup, { recursive: true, force: true }),
  };
}

const jobScript = fileURLToPath(new URL('./job.js', import.meta.url));

export interface FsSectionOptions {
  work: string;
  data: string;
  runs: number;
  peers: boolean;
}

function ours(name: string, dep: Deposit, opts: FsSectionOptions, algorithm: 'sha512' | 'sha256'): Case {
  const repo = join(opts.work, `ours-${algorithm}`);
  const [count, size] = [dep.files.length, dep.files[0]!.size];
  return jobCase(name, { job: 'ours-import', repo, data: opts.data, count, size, algorithm }, repo);
}

function peer(
  name: string,
  dep: Deposit,
  opts: FsSectionOptions,
  algorithm: 'sha512' | 'sha256',
): Case | undefined {
  if (!loadPeer()) return undefined;
  const dir = join(opts.work, 'peer');
  const [count, size] = [dep.files.length, dep.files[0]!.size];
  return jobCase(name, { job: 'peer-import', dir, data: opts.data, count, size, algorithm }, dir);
}

function shell(name: string, command: (dst: string) => string, work: string): Case {
  const dst = join(work, 'shell');
  return {
    name,
    setup: () => rmSync(dst, { recursive: true, force: true }),
    run: () => sh(command(dst)),
    cleanup: () => rmSync(dst, { recursive: true, force: true }),
  };
}

/** SHA-256 of every file with openssl, 2 processes (the hashing limit of both cores). */
function sha256Limit(dep: Deposit, work: string): Case {
  const per = Math.max(1, Math.ceil(dep.files.length / 2));
  return shell(
    'openssl sha256, 2 processes',
    () => `cd '${dep.dir}' && ls | xargs -P 2 -n ${per} openssl dgst -sha256 > /dev/null`,
    work,
  );
}

const speed = (baseline: Timing, ours: Timing) => baseline.median / ours.median;

/**
 * Every case starts with the deposit in the page cache (read untimed just before it): whichever
 * case came first after another case's writes had evicted the sources would otherwise pay for
 * reading them from the disk, which the others then find cached.
 */
export function warmFirst(dep: Deposit): (c: Case) => Case {
  return (c) => ({
    ...c,
    setup: async () => {
      sh(`find '${dep.dir}' -type f -exec cat {} + > /dev/null`);
      await c.setup?.();
    },
  });
}

/** 10,000 × 4 KiB: ours ÷ @ocfl/ocfl-fs (target ≥ 5× faster) and ÷ `cp -r`. */
export async function smallImport(dep: Deposit, opts: FsSectionOptions): Promise<Row[]> {
  const label = `import ${dep.files.length.toLocaleString('en-US')} × ${dep.files[0]!.size / 1024} KiB, new version, fs`;
  const cases = [
    ours('ours', dep, opts, 'sha512'),
    shell('cp -r', (dst) => `cp -r '${dep.dir}' '${dst}'`, opts.work),
    shell('cp -r + sync -f', (dst) => `cp -r '${dep.dir}' '${dst}' && sync -f '${dst}'`, opts.work),
  ];
  const p = opts.peers ? peer('@ocfl/ocfl-fs', dep, opts, 'sha512') : undefined;
  if (p) cases.push(p);
  console.log(`\n### ${label}`);
  const t = await timeCases(cases.map(warmFirst(dep)), opts.runs);
  const o = t.get('ours')!;
  const rows: Row[] = [];
  if (p) {
    const r = speed(t.get('@ocfl/ocfl-fs')!, o);
    rows.push({
      measure: `${label}: ours ÷ @ocfl/ocfl-fs (speed)`,
      digest: 'sha512 (+ sha256 fixity, ours)',
      ours: secs(o.median),
      baseline: secs(t.get('@ocfl/ocfl-fs')!.median),
      ratio: `${r.toFixed(2)}× faster`,
      target: '≥ 5×',
      met: r >= 5 ? 'yes' : 'no',
    });
  }
  for (const base of ['cp -r', 'cp -r + sync -f']) {
    const b = t.get(base)!;
    rows.push({
      measure: `${label}: ours ÷ \`${base}\` (speed)`,
      digest: 'sha512 (+ sha256)',
      ours: secs(o.median),
      baseline: secs(b.median),
      ratio: `${speed(b, o).toFixed(2)}×`,
      target: '',
      met: '',
    });
  }
  return rows;
}

/** Large files: ours (sha256 and sha512 inventories) ÷ min(copy + flush, SHA-256 on 2 cores). */
export async function largeImport(dep: Deposit, opts: FsSectionOptions): Promise<Row[]> {
  const size = dep.files[0]!.size;
  const each = size >= 1 << 30 ? `${size / (1 << 30)} GiB` : `${size / (1 << 20)} MiB`;
  const label = `import ${dep.files.length.toLocaleString('en-US')} × ${each}, new version, fs`;
  const cases = [
    ours('ours sha256', dep, opts, 'sha256'),
    shell('cp -r + sync -f', (dst) => `cp -r '${dep.dir}' '${dst}' && sync -f '${dst}'`, opts.work),
    sha256Limit(dep, opts.work),
    ours('ours sha512', dep, opts, 'sha512'),
  ];
  const p = opts.peers ? peer('@ocfl/ocfl-fs sha256', dep, opts, 'sha256') : undefined;
  if (p) cases.push(p);
  console.log(`\n### ${label}`);
  const t = await timeCases(cases.map(warmFirst(dep)), opts.runs);
  const copy = t.get('cp -r + sync -f')!;
  const hash = t.get('openssl sha256, 2 processes')!;
  const limit = copy.median > hash.median ? copy : hash;
  const mbs = (s: number) => `${Math.round(dep.bytes / 1e6 / s)} MB/s`;
  const rows: Row[] = [];
  for (const [name, alg] of [
    ['ours sha256', 'sha256'],
    ['ours sha512', 'sha512 (+ sha256)'],
  ] as const) {
    const o = t.get(name)!;
    const r = limit.median / o.median;
    rows.push({
      measure: `${label}: ours ÷ min(cp -r + flush ${mbs(copy.median)}, openssl SHA-256 ×2 ${mbs(hash.median)})`,
      digest: alg,
      ours: `${secs(o.median)} (${mbs(o.median)})`,
      baseline: `${secs(limit.median)} (${mbs(limit.median)})`,
      ratio: `${(r * 100).toFixed(0)}%`,
      target: name === 'ours sha256' ? '≥ 70%' : '',
      met: name === 'ours sha256' ? (r >= 0.7 ? 'yes' : 'no') : '',
    });
  }
  if (p) {
    const b = t.get('@ocfl/ocfl-fs sha256')!;
    const o = t.get('ours sha256')!;
    rows.push({
      measure: `${label}: ours ÷ @ocfl/ocfl-fs (speed)`,
      digest: 'sha256',
      ours: secs(o.median),
      baseline: secs(b.median),
      ratio: `${speed(b, o).toFixed(2)}× faster`,
      target: '',
      met: '',
    });
  }
  return rows;
}
