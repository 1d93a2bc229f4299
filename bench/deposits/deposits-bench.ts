/**
 * The deposit filesystem view (`GET /deposits/{id}/filesystem`, issue #12 §1) against the bare
 * listing of the same working area, on the filesystem and on S3 (MinIO when S3_ENDPOINT is set).
 * The deposit (data.ts) has 100,000 files, a Siegfried YAML naming all of them and an
 * infected-only ClamAV log, so every file gets format, digest and virus metadata.
 *
 *   node dist/bench/deposits/deposits-bench.js [--quick] [--files=N] [--runs=N] [--no-s3]
 *
 * Cases, round-robin, median of `runs` (default 3; --quick: 5,000 files, 1 run):
 * - `bare listing`: listing the area (listDeposit, what the view itself does first): the floor;
 * - `cold view`: a new service (empty cache): list, read and parse the METS and tool outputs,
 *   combine; `+ JSON` adds serialising the tree as the route does;
 * - `warm view`: the same request again, nothing changed;
 * - `after an upload`: one file added straight to the working area (untimed), then the view;
 * - `refresh=true`: the cache dropped, everything read again.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mapLimit } from '../../lib/engine/concurrency.js';
import { newRecordId } from '../../lib/records/ids.js';
import { openMemoryRecords } from '../../lib/records/memory-records.js';
import type { RecordStore } from '../../lib/records/port.js';
import { DepositWorkspace } from '../../lib/services/deposit-workspace.js';
import { listDeposit } from '../../lib/services/diff/listing.js';
import { type OpenStoreOptions, openStore } from '../../lib/storage/location.js';
import { createS3Client } from '../../lib/storage/s3/config.js';
import { s3ConfigFromEnv } from '../../server/config/s3-env.js';
import { type BenchDeposit, benchDeposit } from './data.js';

const BUCKET = 'bench-deposits';

function flag(argv: string[], name: string, fallback: number): number {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? fallback : Number(a.slice(name.length + 3));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function seconds(fn: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Where one section runs: the area URI, how to open it, and how to add / remove a file there. */
interface Place {
  name: string;
  area: string;
  store: OpenStoreOptions;
  put(key: string, body: string): Promise<void>;
  remove(key: string): Promise<void>;
}

async function section(place: Place, files: number, runs: number): Promise<void> {
  const records: RecordStore = await openMemoryRecords();
  const id = newRecordId();
  await records.deposits.create({
    id,
    files: place.area,
    createdBy: 'bench',
    template: 'RootLevel',
    metsManaged: true,
  });
  const store = await openStore(place.area.replace(/\/+$/, ''), place.store);
  const samples = new Map<string, number[]>();
  const note = (name: string, s: number) => {
    samples.set(name, [...(samples.get(name) ?? []), s]);
    console.log(`  ${place.name} ${name}: ${s.toFixed(3)} s`);
  };
  let shown = 0;
  let jsonMB = 0;
  for (let round = 0; round < runs; round++) {
    note('bare listing', await seconds(() => listDeposit(store)));
    const workspace = new DepositWorkspace({ records, store: place.store });
    let view: Awaited<ReturnType<DepositWorkspace['filesystem']>> | undefined;
    note('cold view', await seconds(async () => (view = await workspace.filesystem(id))));
    note(
      'JSON of the tree',
      await seconds(() => {
        jsonMB = JSON.stringify(view!.root).length / 1e6;
      }),
    );
    shown = view!.files.length;
    note('warm view', await seconds(() => workspace.filesystem(id)));
    await place.put('objects/uploaded-after.txt', `round ${round}\n`);
    note('after an upload', await seconds(() => workspace.filesystem(id)));
    await place.remove('objects/uploaded-after.txt');
    note('refresh=true', await seconds(() => workspace.filesystem(id, { refresh: true })));
  }
  const base = median(samples.get('bare listing')!);
  console.log(
    `\n### ${place.name}: ${files} content files (${shown} in the view), JSON ${jsonMB.toFixed(1)} MB, median of ${runs}\n`,
  );
  console.log('| case | seconds | × bare listing |');
  console.log('| --- | --- | --- |');
  for (const [name, list] of samples) {
    const m = median(list);
    console.log(`| ${name} | ${m.toFixed(2)} | ${(m / base).toFixed(2)} |`);
  }
  console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (whole process so far)`);
  await records.close();
}

function fsPlace(dep: BenchDeposit): Place {
  return {
    name: 'filesystem',
    area: `${pathToFileURL(dep.dir).href}/`,
    store: {},
    put: async (key, body) => writeFileSync(join(dep.dir, ...key.split('/')), body),
    remove: async (key) => rmSync(join(dep.dir, ...key.split('/')), { force: true }),
  };
}

/** Upload the deposit once into the bench bucket (a marker object says it is complete). */
async function s3Place(dep: BenchDeposit): Promise<Place> {
  const config = { ...s3ConfigFromEnv(process.env), forcePathStyle: true };
  const client: S3Client = createS3Client(config);
  const prefix = `deposit-view-${dep.files}`;
  await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => {});
  const marker = `${prefix}.complete`;
  const staged = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: marker })).then(
    () => true,
    () => false,
  );
  if (!staged) {
    const t0 = Date.now();
    const keys = [
      'mets.xml',
      'metadata/siegfried/siegfried.yaml',
      'metadata/clamav/viruscheck-log.txt',
      ...dep.paths,
    ];
    await mapLimit(keys, 32, (key) =>
      client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `${prefix}/${key}`,
          Body: readFileSync(join(dep.dir, ...key.split('/'))),
        }),
      ),
    );
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: marker, Body: 'staged' }));
    console.log(
      `  uploaded ${keys.length} objects to s3://${BUCKET}/${prefix}/ (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  return {
    name: 'S3 (MinIO)',
    area: `s3://${BUCKET}/${prefix}/`,
    store: { s3: config },
    put: async (key, body) => {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}/${key}`, Body: body }));
    },
    remove: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${prefix}/${key}` }));
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const files = flag(argv, 'files', quick ? 5_000 : 100_000);
  const runs = flag(argv, 'runs', quick ? 1 : 3);
  const dep = benchDeposit(files);
  console.log(`deposit filesystem view: ${files} files, ${runs} run(s)`);
  await section(fsPlace(dep), files, runs);
  if (argv.includes('--no-s3') || !process.env.S3_ENDPOINT) {
    console.log('\nS3: skipped (no S3_ENDPOINT, or --no-s3)');
    return;
  }
  await section(await s3Place(dep), files, runs);
}

await main(process.argv.slice(2));
