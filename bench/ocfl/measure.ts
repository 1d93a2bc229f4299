/**
 * Running measurements: a job in a child process (see job.ts), repeated samples with a time
 * budget, and the backends an object can be measured on.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchObject } from './generate.js';
import type { BenchLocation, JobResult, JobSpec } from './job.js';
import type { S3Placement } from './upload.js';

const JOB_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'job.js');

/** Longest a single job may run (`BENCH_JOB_TIMEOUT` seconds, default 300) before it is killed. */
export const JOB_TIMEOUT_SECONDS = Number(process.env.BENCH_JOB_TIMEOUT ?? 300);

/** A job that did not finish in time: the figure is "more than `seconds`". */
export class JobTimeout extends Error {
  constructor(
    readonly job: string,
    readonly seconds: number,
  ) {
    super(`job ${job} did not finish within ${seconds} s`);
  }
}

/** Run one job in a fresh Node process. Throws JobTimeout, or an Error with the child's output. */
export function runJob(spec: JobSpec): JobResult {
  const r = spawnSync(process.execPath, [JOB_SCRIPT, JSON.stringify(spec)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: JOB_TIMEOUT_SECONDS * 1000,
    killSignal: 'SIGKILL',
  });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
    throw new JobTimeout(spec.job, JOB_TIMEOUT_SECONDS);
  }
  const line = r.stdout?.split('\n').find((l) => l.startsWith('JOB-RESULT '));
  if (r.status !== 0 || !line) {
    throw new Error(
      `job ${spec.job} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').slice(-2000)}`,
    );
  }
  return JSON.parse(line.slice('JOB-RESULT '.length)) as JobResult;
}

/**
 * Take up to `runs` samples of `sample()`. A figure whose first sample already took longer than
 * `budgetSeconds` is not repeated (the whole benchmark must fit in about 20 minutes).
 */
export function repeat<T extends { seconds: number }>(
  runs: number,
  sample: () => T,
  budgetSeconds = 60,
): T[] {
  const out: T[] = [];
  for (let i = 0; i < runs; i++) {
    out.push(sample());
    if (out[0]!.seconds > budgetSeconds) break;
  }
  return out;
}

/** A storage root on one backend, as the jobs address it. */
export interface Backend {
  name: 'file' | 's3';
  location: BenchLocation;
}

/** The backends `obj` is available on: always its directory, and S3 when it was uploaded. */
export function backendsOf(obj: BenchObject, s3?: S3Placement): Backend[] {
  const out: Backend[] = [{ name: 'file', location: { kind: 'file', root: obj.storageRoot } }];
  if (s3) out.push({ name: 's3', location: { kind: 's3', bucket: s3.bucket, prefix: s3.prefix } });
  return out;
}

/** A fresh, empty LMDB directory for a warm-cache series; removed by the returned function. */
export function freshLmdbDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'strongroom-bench-lmdb-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
