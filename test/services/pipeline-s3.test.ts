/**
 * Pipeline runs over deposit areas in S3 (MinIO) with the real tools: the objects are staged on
 * local disk in bounded batches (never more than the limit at once), the outputs are written back
 * into the bucket, and the local staging area is empty afterwards. (Keys a local disk cannot hold,
 * which MinIO refuses too, are covered on a memory store in pipeline-stage.test.ts.)
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import {
  type PipelineTool,
  pipelineTools,
  readToolOutputsAt,
  runPipeline,
  type ToolRun,
} from '../../lib/index.js';
import { createS3Client } from '../../lib/storage/s3/config.js';
import { makeTestBucket, requireS3 } from '../helpers/s3.js';
import { eicarBytes, requireTools, toolsConfig, writeEicarDatabase } from '../helpers/tools.js';
import { tempDir } from '../txn/helpers.js';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/** A tool that runs nothing and records which files each batch had on local disk. */
function batchObserver(seen: string[][]): PipelineTool {
  return {
    name: 'Observer',
    output: 'observer/none.txt',
    contentType: 'text/plain',
    open: (): ToolRun => ({
      batch: async (stageDir) => {
        seen.push(
          filesUnder(stageDir)
            .map((f) => relative(stageDir, f))
            .sort(),
        );
        return [];
      },
      finish: async () => null,
    }),
  };
}

t.test(
  'on MinIO: batches stay within the limit, outputs land in the bucket and staging is emptied',
  async (t) => {
    const s3 = requireS3(t);
    if (!s3) return;
    const tools = requireTools(t);
    if (!tools) return;
    const dir = tempDir(t, 'pipeline-s3');
    const { bucket, cleanup } = await makeTestBucket(s3, 'pipeline-s3');
    t.teardown(cleanup);
    const client = createS3Client(s3);
    t.teardown(() => client.destroy());
    const put = (key: string, body: Buffer | string) =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: `dep/${key}`, Body: body }));
    const good = ['objects/a.txt', 'objects/b.txt', 'objects/c/d.txt', 'objects/c/e.txt', 'objects/f.txt'];
    for (const key of good) await put(key, `${key}\n`);
    await put('objects/virus.com', eicarBytes());
    const seen: string[][] = [];
    const out = await runPipeline({
      depositUri: `s3://${bucket}/dep/`,
      depositId: 'dS3',
      template: 'None',
      tools: [batchObserver(seen), ...pipelineTools(toolsConfig(tools, writeEicarDatabase(dir)))],
      limits: { stagingDir: join(dir, 'staging'), batchFiles: 3, toolTimeoutMs: 120_000 },
      store: { s3 },
    });
    t.equal(seen.length, 2, '6 files in batches of 3');
    t.ok(
      seen.every((b) => b.length <= 3),
      'never more than 3 files on local disk at once',
    );
    const staged = seen.flat();
    t.equal(new Set(staged).size, staged.length, 'no file staged twice');
    for (const key of [...good, 'objects/virus.com']) t.ok(staged.includes(key), `${key} was staged`);
    const messages = out.errors.map((e) => e.message).join('\n');
    t.same(messages, `ClamAV: infected: objects/virus.com: Strongroom.Test.EICAR.UNOFFICIAL`);
    t.same(out.outputs, [
      'metadata/siegfried/siegfried.yaml',
      'metadata/clamav/clamscan.log',
      'metadata/exiftool/exiftool.json',
    ]);
    const read = await readToolOutputsAt(`s3://${bucket}/dep`, { store: { s3 } });
    t.same(
      read.problems.filter((p) => p.code !== 'TOOL_VIRUS_FOUND'),
      [],
    );
    for (const key of good) t.equal(read.byPath.get(key)?.length, 3, `${key}: a record from each tool`);
    t.same(readdirSync(join(dir, 'staging')), [], 'the staging area is empty after the run');
  },
);
