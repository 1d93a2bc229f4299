/**
 * S3 → S3 on one MinIO: deposits in `<bucket>/deposit-<n>x<size>/`, uploaded once (a marker
 * object says the upload finished), imported into a fresh repository prefix per run. Ours
 * (server-side CopyObject with the server's SHA-256; a sha512 inventory also reads each copy
 * back) ÷ a plain CopyObject loop over the same objects at the same concurrency (8, our
 * default copy concurrency).
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { mapLimit } from '../../lib/engine/concurrency.js';
import { createS3Client } from '../../lib/storage/s3/config.js';
import { s3ConfigFromEnv } from '../../server/config/s3-env.js';
import type { Deposit } from './data.js';
import { type FsSectionOptions, jobCase } from './fs-section.js';
import { type Row, secs, timeCases } from './measure.js';

const BUCKET = 'bench-txn';

async function stage(dep: Deposit): Promise<string> {
  const client = createS3Client({ ...s3ConfigFromEnv(process.env), forcePathStyle: true });
  const prefix = `deposit-${dep.files.length}x${dep.files[0]!.size}`;
  await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => {});
  const marker = `${prefix}.done`;
  const staged = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: marker })).then(
    () => true,
    () => false,
  );
  if (!staged) {
    const t0 = Date.now();
    await mapLimit(dep.files, 16, (f) =>
      new Upload({
        client,
        params: { Bucket: BUCKET, Key: `${prefix}/${f.name}`, Body: createReadStream(join(dep.dir, f.name)) },
        partSize: 64 << 20,
        queueSize: 2,
      }).done(),
    );
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: marker, Body: 'staged' }));
    console.log(`  staged ${prefix} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  client.destroy();
  return prefix;
}

/** One table row per deposit and algorithm. */
export async function s3Section(deps: Deposit[], opts: FsSectionOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const dep of deps) {
    const prefix = await stage(dep);
    const size = dep.files[0]!.size;
    const each = size >= 1 << 30 ? `${size / (1 << 30)} GiB` : `${size / (1 << 20)} MiB`;
    const label = `import ${dep.files.length.toLocaleString('en-US')} × ${each}, S3 → S3 (MinIO, same server)`;
    const base = { bucket: BUCKET, prefix, data: opts.data, count: dep.files.length, size };
    const cases = [
      jobCase('ours sha256', { job: 's3-ours', ...base, algorithm: 'sha256' }, opts.work),
      jobCase('CopyObject loop ×8', { job: 's3-copy-loop', ...base, concurrency: 8 }, opts.work),
      jobCase('ours sha512', { job: 's3-ours', ...base, algorithm: 'sha512' }, opts.work),
    ];
    console.log(`\n### ${label}`);
    const t = await timeCases(cases, opts.runs);
    const loop = t.get('CopyObject loop ×8')!;
    for (const [name, digest, target] of [
      ['ours sha256', 'sha256 (server checksum, no read)', '≥ 70%'],
      ['ours sha512', 'sha512 (+ server sha256; one read of each copy)', ''],
    ] as const) {
      const o = t.get(name)!;
      const r = loop.median / o.median;
      rows.push({
        measure: `${label}: ours ÷ plain CopyObject loop, 8 at a time`,
        digest,
        ours: secs(o.median),
        baseline: secs(loop.median),
        ratio: `${(r * 100).toFixed(0)}%`,
        target,
        met: target ? (r >= 0.7 ? 'yes' : 'no') : '',
      });
    }
  }
  return rows;
}
