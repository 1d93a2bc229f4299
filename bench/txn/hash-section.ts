/**
 * The price of resumable hashing, to choose where checkpoints pay (issue #10 §2): node:crypto
 * (OpenSSL, SHA-NI) cannot save a hash state; hash-wasm can (`save()` / `load()`), without SHA-NI.
 * In memory: 256 MiB (`--quick`: 64 MiB) through each in 1 MiB updates, hash-wasm saving its
 * state every 16 MiB as a checkpointed copy does. On MinIO (when there): the same 2 files
 * imported from the filesystem into S3 as plain streamed uploads (node:crypto) and as
 * checkpointed multipart uploads (hash-wasm + a checkpoint object per part).
 */
import { createHash } from 'node:crypto';
import { createSHA256, createSHA512 } from 'hash-wasm';
import type { Deposit } from './data.js';
import { type FsSectionOptions, jobCase } from './fs-section.js';
import { type Row, secs, timeCases } from './measure.js';

const MiB = 1 << 20;

/** In-memory throughput of both hashers (same process, round-robin). */
export async function hashSection(quick: boolean, runs: number): Promise<Row[]> {
  const total = (quick ? 64 : 256) * MiB;
  const chunk = Buffer.alloc(MiB, 7);
  const node = (alg: string) => () => {
    const h = createHash(alg);
    for (let n = 0; n < total; n += MiB) h.update(chunk);
    h.digest();
  };
  const wasm = (make: typeof createSHA256) => async () => {
    const h = await make();
    h.init();
    for (let n = 0; n < total; n += MiB) {
      h.update(chunk);
      if ((n + MiB) % (16 * MiB) === 0) h.save();
    }
    h.digest();
  };
  console.log(`\n### hashing ${total / MiB} MiB in memory`);
  const t = await timeCases(
    [
      { name: 'node:crypto sha256', run: node('sha256') },
      { name: 'hash-wasm sha256 + save/16 MiB', run: wasm(createSHA256) },
      { name: 'node:crypto sha512', run: node('sha512') },
      { name: 'hash-wasm sha512 + save/16 MiB', run: wasm(createSHA512) },
    ],
    runs,
  );
  const mbs = (s: number) => `${Math.round(total / 1e6 / s)} MB/s`;
  return ['sha256', 'sha512'].map((alg) => {
    const n = t.get(`node:crypto ${alg}`)!;
    const w = t.get(`hash-wasm ${alg} + save/16 MiB`)!;
    return {
      measure: `hashing in memory: hash-wasm (resumable states) ÷ node:crypto (speed)`,
      digest: alg,
      ours: mbs(w.median),
      baseline: mbs(n.median),
      ratio: `${(n.median / w.median).toFixed(2)}×`,
      target: '',
      met: '',
    };
  });
}

/** fs → S3 import of large files: checkpointed multipart (hash-wasm) ÷ plain streamed upload (node:crypto). */
export async function resumableUploadSection(dep: Deposit, opts: FsSectionOptions): Promise<Row[]> {
  const size = dep.files[0]!.size;
  const label = `import ${dep.files.length} × ${size / MiB} MiB, fs → S3 (MinIO)`;
  const base = { data: opts.data, count: dep.files.length, size, bucket: 'bench-txn' };
  const cases = [
    jobCase('streamed, node:crypto', { job: 's3-upload', ...base, checkpointBytes: 2 * size }, opts.work),
    jobCase(
      'checkpointed multipart, hash-wasm',
      { job: 's3-upload', ...base, checkpointBytes: 1 },
      opts.work,
    ),
  ];
  console.log(`\n### ${label}`);
  const t = await timeCases(cases, opts.runs);
  const plain = t.get('streamed, node:crypto')!;
  const resumable = t.get('checkpointed multipart, hash-wasm')!;
  return [
    {
      measure: `${label}: resumable (multipart, hash-wasm states, checkpoint per 16 MiB part) ÷ streamed (speed)`,
      digest: 'sha512 (+ sha256)',
      ours: secs(resumable.median),
      baseline: secs(plain.median),
      ratio: `${((plain.median / resumable.median) * 100).toFixed(0)}%`,
      target: '',
      met: '',
    },
  ];
}
