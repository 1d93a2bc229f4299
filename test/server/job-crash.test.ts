/**
 * A server process killed in the middle of an import job, and one asked to stop while a job
 * runs, on the filesystem and on MinIO. After SIGKILL and a restart the job is taken up again
 * (the queue's lease, `STRONGROOM_JOB_LEASE=3` here, expires) and completes with the version it
 * was building; nothing stays `running`, the group takes further jobs, the object validates.
 * SIGTERM stops taking jobs (a waiting one is left for the next start), lets the running one end,
 * closes the stores and exits 0.
 *
 * The deposit is large enough (many files, no METS, no checksums: hashed, then copied and
 * verified) that the job is still running when the test sees it started.
 */
import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { openRepository } from '../../lib/index.js';
import type { LivePlace, LiveServer } from './live.js';
import { getJson, onBothLive, startLiveServer, waitLive } from './live.js';

const FILES = { fs: 400, minio: 160 };
const FILE_BYTES = 48 * 1024;
const LEASE = { STRONGROOM_JOB_LEASE: '3' };

function bigDeposit(n: number): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) out[`objects/part-${String(i).padStart(4, '0')}.bin`] = randomBytes(FILE_BYTES);
  return out;
}

async function depositFor(server: LiveServer, group: string) {
  const res = await server.api('POST', '/deposits', { archivalGroup: `${server.base}/repository/${group}` });
  if (res.status !== 201) throw new Error(`deposit: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; files: string };
}

async function submit(server: LiveServer, deposit: { id: string }) {
  const res = await server.api('POST', `${new URL(deposit.id).pathname}/importjobs`, {
    id: `${deposit.id}/importjobs/diff`,
  });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Poll until the job is running (and, with `progress`, has reported copy progress). */
async function untilRunning(server: LiveServer, resultId: string, progress: boolean) {
  const end = Date.now() + 60_000;
  for (;;) {
    const r = await getJson(server, new URL(resultId).pathname);
    if (r.status === 'running' && (!progress || r.progress?.itemsDone > 0)) return r;
    if (r.status !== 'waiting' && r.status !== 'running') return r;
    if (Date.now() > end) throw new Error(`${resultId} never ran`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function validates(t: Test, place: LivePlace, path: string) {
  const location = place.env.STRONGROOM_REPOSITORY ?? `${place.dataDir}/repository`;
  const repo = await openRepository(
    location,
    place.backend === 'minio'
      ? {
          store: {
            s3: {
              endpoint: place.env.S3_ENDPOINT!,
              accessKeyId: place.env.S3_ACCESS_KEY!,
              secretAccessKey: place.env.S3_SECRET_KEY!,
              region: place.env.S3_REGION!,
              forcePathStyle: true,
            },
          },
        }
      : {},
  );
  const report = await repo.validateObject(`info:fedora/${path}`);
  t.equal(report.valid, true, `the object validates: ${JSON.stringify(report.errors).slice(0, 500)}`);
  return repo;
}

t.test('SIGKILL mid-job: after a restart the job completes, nothing stays running', async (t) => {
  await onBothLive(t, async (t, place) => {
    const env = { ...place.env, ...LEASE };
    const first = await startLiveServer(t, place.dataDir, env);
    t.equal((await first.api('PUT', '/repository/crash')).status, 201);
    const deposit = await depositFor(first, 'crash/big');
    const files = bigDeposit(FILES[place.backend]);
    await place.area.upload(deposit.files, files);
    const resultId = await submit(first, deposit);
    const running = await untilRunning(first, resultId, true);
    t.equal(running.status, 'running', 'killed while the job runs');
    t.ok(running.dateBegun, 'dateBegun is set once it runs');
    t.ok(running.progress.itemsTotal >= running.progress.itemsDone, 'progress counts while running');
    first.proc.kill('SIGKILL');
    t.equal(await first.exited, 'SIGKILL');

    const second = await startLiveServer(t, place.dataDir, env);
    const { result, seen } = await waitLive(second, resultId);
    t.equal(result.status, 'completed', `resumed and completed: ${JSON.stringify(result.errors)}`);
    t.notOk(seen.includes('waiting'), 'never back to waiting');
    t.equal(result.newVersion.ocflVersion, 'v1');
    t.equal(result.binariesAdded.length, FILES[place.backend]);
    t.equal(result.dateBegun, running.dateBegun, 'the job kept its start');
    t.ok(result.dateFinished);
    const dep = await getJson(second, new URL(deposit.id).pathname);
    t.equal(dep.status, 'preserved');
    t.equal(dep.active, false);
    t.equal(dep.versionPreserved, 'v1');
    const group = await getJson(second, '/repository/crash/big');
    t.same(
      group.versions.map((v: { ocflVersion: string }) => v.ocflVersion),
      ['v1'],
      'one version, not two',
    );

    const next = await depositFor(second, 'crash/big');
    await place.area.upload(next.files, { 'objects/after.txt': 'after the crash' });
    const job = await second.api('POST', `${new URL(next.id).pathname}/importjobs`, {
      archivalGroup: `${second.base}/repository/crash/big`,
      isUpdate: true,
      binariesToAdd: [
        {
          id: `${second.base}/repository/crash/big/objects/after.txt`,
          origin: `${next.files}objects/after.txt`,
        },
      ],
    });
    t.equal(job.status, 201);
    const after = await waitLive(second, ((await job.json()) as { id: string }).id);
    t.equal(after.result.status, 'completed', 'the group is not blocked');
    t.equal(after.result.newVersion.ocflVersion, 'v2');
    await validates(t, place, 'crash/big');
    second.proc.kill('SIGTERM');
    t.equal(await second.exited, 0);
  });
});

t.test('SIGTERM: no new jobs are taken, the running one ends, stores close, exit 0', async (t) => {
  await onBothLive(t, async (t, place) => {
    const env = { ...place.env, ...LEASE };
    const first = await startLiveServer(t, place.dataDir, env);
    t.equal((await first.api('PUT', '/repository/stop')).status, 201);
    const big = await depositFor(first, 'stop/big');
    await place.area.upload(big.files, bigDeposit(FILES[place.backend] / 2));
    const small = await depositFor(first, 'stop/small');
    await place.area.upload(small.files, { 'one.txt': 'one' });
    const bigJob = await submit(first, big);
    t.equal((await untilRunning(first, bigJob, false)).status, 'running');
    const smallJob = await submit(first, small);
    first.proc.kill('SIGTERM');
    const stoppedAt = Date.now();
    t.equal(await first.exited, 0, 'a clean exit');

    const second = await startLiveServer(t, place.dataDir, env);
    const bigDone = await waitLive(second, bigJob);
    t.equal(bigDone.result.status, 'completed', JSON.stringify(bigDone.result.errors));
    const smallDone = await waitLive(second, smallJob);
    t.equal(smallDone.result.status, 'completed');
    t.ok(
      Date.parse(smallDone.result.dateBegun) >= stoppedAt,
      'the waiting job was left for the next start, not begun while stopping',
    );
    const unfinished = await getJson(second, '/deposits?showAll=true&status=new');
    t.same(unfinished.deposits, [], 'both deposits preserved');
    await validates(t, place, 'stop/big');
    second.proc.kill('SIGTERM');
    t.equal(await second.exited, 0);
  });
});
