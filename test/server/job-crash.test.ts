/**
 * A server process killed in the middle of an import job, restarted, and then asked to stop while
 * another job runs, on the filesystem and on MinIO. After SIGKILL and a restart the job is taken
 * up again (the queue's lease, `STRONGROOM_JOB_LEASE=2` here, expires) and completes with the
 * version it was building; nothing stays `running`, the group takes further jobs, the objects
 * validate. SIGTERM stops taking jobs (a waiting one is left for the next start), lets the
 * running one end, closes the stores and exits 0.
 *
 * The deposit is large enough (many files, no METS, no checksums: hashed, then copied and
 * verified) that the job is still running when the test sees it started.
 */
import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { openRepository } from '../../lib/index.js';
import type { LivePlace, LiveServer } from './live.js';
import { getJson, onBothLive, startLiveServer, waitLive } from './live.js';

const FILES = { fs: 200, minio: 80 };
const FILE_BYTES = 48 * 1024;
const LEASE = { STRONGROOM_JOB_LEASE: '2' };

function bigDeposit(n: number, bytes = FILE_BYTES): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) out[`objects/part-${String(i).padStart(4, '0')}.bin`] = randomBytes(bytes);
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

/** Poll until the job is running (and, with `progress`, its commit has begun). */
async function untilRunning(server: LiveServer, resultId: string, progress: boolean) {
  const end = Date.now() + 60_000;
  for (;;) {
    const r = await getJson(server, new URL(resultId).pathname);
    // With `progress`: the commit has begun (its first report comes at once, then one a second).
    if (r.status === 'running' && (!progress || r.progress)) return r;
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

t.test('a server killed mid-job, restarted, then stopped with SIGTERM while a job runs', async (t) => {
  await onBothLive(t, async (t, place) => {
    const env = { ...place.env, ...LEASE };
    const first = await startLiveServer(t, place.dataDir, env);
    t.equal((await first.api('PUT', '/repository/crash')).status, 201);
    const big = await depositFor(first, 'crash/big');
    await place.area.upload(big.files, bigDeposit(FILES[place.backend]));
    const bigJob = await submit(first, big);
    const running = await untilRunning(first, bigJob, true);
    t.equal(running.status, 'running', 'killed while the job runs');
    t.ok(running.dateBegun, 'dateBegun is set once it runs');
    t.ok(running.progress.itemsTotal >= running.progress.itemsDone, 'progress counts while running');
    first.proc.kill('SIGKILL');
    t.equal(await first.exited, 'SIGKILL');

    // SIGKILL: the restarted server takes the job up again once its lease has expired.
    const second = await startLiveServer(t, place.dataDir, env);
    const { result, seen } = await waitLive(second, bigJob);
    t.equal(result.status, 'completed', `resumed and completed: ${JSON.stringify(result.errors)}`);
    t.notOk(seen.includes('waiting'), 'never back to waiting');
    t.equal(result.newVersion.ocflVersion, 'v1');
    t.equal(result.binariesAdded.length, FILES[place.backend]);
    t.equal(result.dateBegun, running.dateBegun, 'the job kept its start');
    t.notOk('progress' in result, 'no progress once finished');
    const dep = await getJson(second, new URL(big.id).pathname);
    t.equal(dep.status, 'preserved');
    t.equal(dep.active, false);
    t.equal(dep.versionPreserved, 'v1');
    const group = await getJson(second, '/repository/crash/big');
    t.same(
      group.versions.map((v: { ocflVersion: string }) => v.ocflVersion),
      ['v1'],
      'one version, not two',
    );
    await validates(t, place, 'crash/big');

    // SIGTERM while a job runs and another waits: the running one ends, the waiting one is left.
    // Everything is in place first, so only two requests lie between "running" and SIGTERM.
    const next = await depositFor(second, 'crash/big');
    await place.area.upload(next.files, { 'objects/after.txt': 'after the crash' });
    const medium = await depositFor(second, 'crash/medium');
    await place.area.upload(medium.files, bigDeposit(FILES[place.backend] / 2));
    const mediumJob = await submit(second, medium);
    t.equal((await untilRunning(second, mediumJob, false)).status, 'running');
    const handWritten = await second.api('POST', `${new URL(next.id).pathname}/importjobs`, {
      archivalGroup: `${second.base}/repository/crash/big`,
      isUpdate: true,
      binariesToAdd: [
        {
          id: `${second.base}/repository/crash/big/objects/after.txt`,
          origin: `${next.files}objects/after.txt`,
        },
      ],
    });
    t.equal(handWritten.status, 201);
    const nextJob = ((await handWritten.json()) as { id: string }).id;
    const stillRunning = await getJson(second, new URL(mediumJob).pathname);
    second.proc.kill('SIGTERM');
    const stoppedAt = Date.now();
    t.equal(stillRunning.status, 'running', 'SIGTERM while a job runs (else make it bigger)');
    t.equal(await second.exited, 0, 'SIGTERM: a clean exit');

    const third = await startLiveServer(t, place.dataDir, env);
    const mediumDone = await waitLive(third, mediumJob);
    t.equal(mediumDone.result.status, 'completed', JSON.stringify(mediumDone.result.errors));
    const nextDone = await waitLive(third, nextJob);
    t.equal(
      nextDone.result.status,
      'completed',
      `the group is not blocked: ${JSON.stringify(nextDone.result.errors)}`,
    );
    t.equal(nextDone.result.newVersion.ocflVersion, 'v2');
    t.ok(
      Date.parse(nextDone.result.dateBegun) >= stoppedAt,
      `the waiting job was left for the next start, not begun while stopping (${nextDone.result.dateBegun})`,
    );
    for (const d of [big, medium, next]) {
      const results = await getJson(third, `${new URL(d.id).pathname}/importjobs/results`);
      t.same(
        results.map((r: { status: string }) => r.status),
        ['completed'],
        'nothing stays waiting or running',
      );
    }
    await validates(t, place, 'crash/big');
    await validates(t, place, 'crash/medium');
    third.proc.kill('SIGTERM');
    t.equal(await third.exited, 0);
  });
});
