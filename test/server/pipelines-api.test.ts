/**
 * The pipeline endpoints over HTTP with the real tools: POST /deposits/{id}/pipeline answers 204
 * and queues a run; GET …/pipelinerunjobs and …/{jobId} answer ProcessPipelineResults moving
 * waiting → processing → metadataCreated → completed / completedWithErrors; the outputs land in
 * the deposit's metadata/ (filesystem and MinIO deposit areas) and parse with our readers.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import { type Metadata, readToolOutputsAt } from '../../lib/index.js';
import { createS3Client } from '../../lib/storage/s3/config.js';
import { makeTestBucket, requireS3 } from '../helpers/s3.js';
import {
  EICAR_SIGNATURE,
  eicarBytes,
  requireTools,
  type ToolPaths,
  tinyPng,
  writeEicarDatabase,
} from '../helpers/tools.js';
import { tempDir } from '../txn/helpers.js';
import { type TestServer, testServer } from './harness.js';

function toolEnv(tools: ToolPaths, db: string): Record<string, string> {
  return {
    STRONGROOM_SF: tools.sf,
    STRONGROOM_SF_HOME: tools.sfHome,
    STRONGROOM_SF_SIG: tools.sfSig,
    STRONGROOM_CLAMSCAN: tools.clamscan,
    STRONGROOM_CLAMAV_DB: db,
    STRONGROOM_EXIFTOOL: tools.exiftool,
  };
}

async function newDeposit(server: TestServer, body: object = { template: 'RootLevel' }) {
  const res = await server.request
    .post('/deposits')
    .auth(await server.token('depositor'), { type: 'bearer' })
    .send(body);
  if (res.status !== 201) throw new Error(`create deposit: ${res.status} ${res.text}`);
  return res.body as { id: string; files: string };
}

function idOf(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** Record every status the runner writes to a run. */
function watchStatuses(server: TestServer): string[] {
  const seen: string[] = [];
  const runs = server.deps.state.records.pipelineRuns;
  const update = runs.update.bind(runs);
  runs.update = async (id, patch, options) => {
    if (patch.status) seen.push(patch.status);
    return update(id, patch, options);
  };
  return seen;
}

async function setup(t: Test, env: Record<string, string> = {}) {
  const tools = requireTools(t);
  if (!tools) return null;
  const dir = tempDir(t, 'pipeline-api');
  return testServer(t, { ...toolEnv(tools, writeEicarDatabase(dir)), ...env });
}

t.test(
  'POST pipeline answers 204; the run goes waiting → processing → metadataCreated → completedWithErrors naming the infected file',
  async (t) => {
    const server = await setup(t);
    if (!server) return;
    const deposit = await newDeposit(server, { template: 'RootLevel', archivalGroupName: 'Pipeline test' });
    const id = idOf(deposit.id);
    const area = fileURLToPath(deposit.files);
    mkdirSync(join(area, 'objects', 'images'), { recursive: true });
    writeFileSync(join(area, 'objects', 'readme.txt'), 'hello\n');
    writeFileSync(join(area, 'objects', 'images', 'dot.png'), tinyPng());
    writeFileSync(join(area, 'objects', 'eicar.com'), eicarBytes());
    const token = await server.token('depositor');
    const post = await server.request.post(`/deposits/${id}/pipeline`).auth(token, { type: 'bearer' });
    t.equal(post.status, 204);
    t.equal(post.text, '');
    const waiting = await server.request
      .get(`/deposits/${id}/pipelinerunjobs`)
      .auth(token, { type: 'bearer' });
    t.equal(waiting.status, 200);
    t.equal(waiting.body.length, 1);
    const run = waiting.body[0];
    t.match(run, {
      id: `${server.base}/deposits/${id}/pipelinerunjobs/${run.jobId}`,
      type: 'ProcessPipelineResult',
      status: 'waiting',
      runUser: 'depositor',
      createdBy: `${server.base}/agents/depositor`,
      archivalGroupName: 'Pipeline test',
      dateBegun: null,
      dateFinished: null,
      errors: null,
    });
    const seen = watchStatuses(server);
    t.equal(await server.deps.pipelineRunner.runOnce(), true, 'the runner claimed the run from the queue');
    t.same(seen, ['processing', 'metadataCreated', 'completedWithErrors']);
    const done = await server.request
      .get(`/deposits/${id}/pipelinerunjobs/${run.jobId}`)
      .auth(token, { type: 'bearer' });
    t.equal(done.status, 200);
    t.equal(done.body.status, 'completedWithErrors');
    t.ok(done.body.dateBegun && done.body.dateFinished && done.body.dateBegun <= done.body.dateFinished);
    t.same(done.body.errors, [
      { message: `ClamAV: infected: objects/eicar.com: ${EICAR_SIGNATURE}.UNOFFICIAL`, id: null },
    ]);
    const read = await readToolOutputsAt(deposit.files);
    t.same(read.outputs.sort(), [
      'metadata/clamav/clamscan.log',
      'metadata/exiftool/exiftool.json',
      'metadata/siegfried/siegfried.yaml',
    ]);
    const virus = (read.byPath.get('objects/eicar.com') ?? []).find(
      (m: Metadata) => m.type === 'VirusScanMetadata',
    );
    t.match(virus, { hasVirus: true });
    t.same(readdirSync(join(server.dataDir, 'pipeline-staging')), [], 'nothing is left staged');
  },
);

t.test('a run of a deposit whose only tool is missing completes with errors naming it', async (t) => {
  const server = await setup(t, { STRONGROOM_PIPELINE_TOOLS: 'siegfried', STRONGROOM_SF: '/nonexistent/sf' });
  if (!server) return;
  const deposit = await newDeposit(server);
  const id = idOf(deposit.id);
  writeFileSync(join(fileURLToPath(deposit.files), 'objects', 'a.txt'), 'a\n');
  const token = await server.token('depositor');
  t.equal(
    (await server.request.post(`/deposits/${id}/pipeline`).auth(token, { type: 'bearer' })).status,
    204,
  );
  await server.deps.pipelineRunner.runOnce();
  const list = await server.request.get(`/deposits/${id}/pipelinerunjobs`).auth(token, { type: 'bearer' });
  t.equal(list.body[0].status, 'completedWithErrors');
  t.match(list.body[0].errors, [{ message: /^Siegfried: the program "\/nonexistent\/sf" is not installed/ }]);
});

t.test(
  'pipeline requests that cannot run are refused: unknown deposit 404, reader 403, locked 409, a run not finished 409',
  async (t) => {
    const server = await setup(t);
    if (!server) return;
    const depositor = await server.token('depositor');
    const reader = await server.token('reader');
    const missing = await server.request
      .post('/deposits/AAAAAAAAAAAA/pipeline')
      .auth(depositor, { type: 'bearer' });
    t.equal(missing.status, 404);
    const deposit = await newDeposit(server);
    const id = idOf(deposit.id);
    t.equal(
      (await server.request.post(`/deposits/${id}/pipeline`).auth(reader, { type: 'bearer' })).status,
      403,
    );
    await server.deps.state.records.deposits.lock(id, 'someone-else');
    const locked = await server.request.post(`/deposits/${id}/pipeline`).auth(depositor, { type: 'bearer' });
    t.equal(locked.status, 409, 'locked by another agent');
    await server.deps.state.records.deposits.unlock(id);
    t.equal(
      (await server.request.post(`/deposits/${id}/pipeline`).auth(depositor, { type: 'bearer' })).status,
      204,
    );
    const again = await server.request.post(`/deposits/${id}/pipeline`).auth(depositor, { type: 'bearer' });
    t.equal(again.status, 409, 'a second run while the first waits');
    const other = await newDeposit(server);
    const runs = await server.request.get(`/deposits/${id}/pipelinerunjobs`).auth(reader, { type: 'bearer' });
    const jobId = runs.body[0].jobId;
    const cross = await server.request
      .get(`/deposits/${idOf(other.id)}/pipelinerunjobs/${jobId}`)
      .auth(reader, { type: 'bearer' });
    t.equal(cross.status, 404, 'a run is only found under its own deposit');
    const bogus = await server.request
      .get(`/deposits/${id}/pipelinerunjobs/..%2F..`)
      .auth(reader, { type: 'bearer' });
    t.equal(bogus.status, 404);
    t.equal(
      (await server.request.get('/deposits/AAAAAAAAAAAA/pipelinerunjobs').auth(reader, { type: 'bearer' }))
        .status,
      404,
    );
    await server.deps.pipelineRunner.runOnce();
    const finished = await server.request
      .get(`/deposits/${id}/pipelinerunjobs/${jobId}`)
      .auth(reader, { type: 'bearer' });
    t.equal(finished.body.status, 'completedWithErrors', 'a RootLevel deposit with an empty objects folder');
    t.match(finished.body.errors, [{ message: /Could not find an objects folder with files in deposit/ }]);
  },
);

t.test(
  'on MinIO: the runner stages the deposit in batches, writes the outputs into its S3 area and cleans up',
  async (t) => {
    const s3 = requireS3(t);
    if (!s3) return;
    const { bucket, cleanup } = await makeTestBucket(s3, 'pipeline-api');
    t.teardown(cleanup);
    const server = await setup(t, {
      STRONGROOM_DEPOSITS: `s3://${bucket}/deposits`,
      S3_ENDPOINT: s3.endpoint!,
      S3_ACCESS_KEY: s3.accessKeyId!,
      S3_SECRET_KEY: s3.secretAccessKey!,
      S3_REGION: s3.region ?? 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      STRONGROOM_PIPELINE_BATCH_FILES: '2',
    });
    if (!server) return;
    const deposit = await newDeposit(server, { template: 'BagIt' });
    const id = idOf(deposit.id);
    t.match(deposit.files, new RegExp(`^s3://${bucket}/deposits/${id}/$`));
    const client = createS3Client(s3);
    t.teardown(() => client.destroy());
    const files: Record<string, Buffer> = {
      'data/objects/a.txt': Buffer.from('first\n'),
      'data/objects/sub/b.txt': Buffer.from('second\n'),
      'data/objects/sub/dot.png': tinyPng(),
      'data/objects/c d é.txt': Buffer.from('third\n'),
      'data/objects/eicar.com': eicarBytes(),
    };
    for (const [key, body] of Object.entries(files)) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `deposits/${id}/${key}`, Body: body }));
    }
    const token = await server.token('depositor');
    t.equal(
      (await server.request.post(`/deposits/${id}/pipeline`).auth(token, { type: 'bearer' })).status,
      204,
    );
    await server.deps.pipelineRunner.runOnce();
    const done = await server.request.get(`/deposits/${id}/pipelinerunjobs`).auth(token, { type: 'bearer' });
    t.equal(done.body[0].status, 'completedWithErrors');
    t.same(done.body[0].errors, [
      { message: `ClamAV: infected: data/objects/eicar.com: ${EICAR_SIGNATURE}.UNOFFICIAL`, id: null },
    ]);
    const read = await readToolOutputsAt(deposit.files, { store: { s3 } });
    t.same(read.outputs.sort(), [
      'data/metadata/clamav/clamscan.log',
      'data/metadata/exiftool/exiftool.json',
      'data/metadata/siegfried/siegfried.yaml',
    ]);
    t.same(
      read.problems.filter((p) => p.code !== 'TOOL_VIRUS_FOUND'),
      [],
      'merged batch outputs parse cleanly',
    );
    for (const key of Object.keys(files)) {
      t.same(
        (read.byPath.get(key) ?? []).map((m: Metadata) => m.type).sort(),
        ['ExifMetadata', 'FileFormatMetadata', 'VirusScanMetadata'],
        `${key}: one record from each tool`,
      );
    }
    t.same(readdirSync(join(server.dataDir, 'pipeline-staging')), [], 'the local staging area is cleaned up');
  },
);
