/**
 * The server as a deployment runs it: `node dist/server/main.js` listening on a real port, on the
 * filesystem and on MinIO, driven with Node's `fetch` — token, container, deposit, files, import
 * job, browse, ranged content — then stopped with SIGTERM (exit 0) and started again on the same
 * data, where everything it recorded is still there.
 */
import t from 'tap';
import { metsFor, sha256 } from './deposit-harness.js';
import { getJson, LIVE_ADMIN, onBothLive, startLiveServer, waitLive } from './live.js';

t.test('a real server process: deposit to Archival Group over HTTP, SIGTERM, restart', async (t) => {
  await onBothLive(t, async (t, place) => {
    const server = await startLiveServer(t, place.dataDir, place.env);
    t.match(server.base, /^http:\/\/127\.0\.0\.1:\d+$/);
    t.match(server.output(), `admin client: ${LIVE_ADMIN.id}`, 'the banner names the client');
    t.match(server.output(), '/oauth2/token', 'and how to get a token');
    t.equal((await fetch(`${server.base}/health`)).status, 200);
    const openapi = (await (await fetch(`${server.base}/openapi.json`)).json()) as { paths: object };
    t.ok('/deposits/{id}/importjobs' in openapi.paths, 'the OpenAPI document lists the import jobs');
    const anon = await fetch(`${server.base}/deposits`);
    t.equal(anon.status, 401);
    t.equal(anon.headers.get('www-authenticate'), 'Bearer');
    const formToken = await fetch(`${server.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: LIVE_ADMIN.id,
        client_secret: LIVE_ADMIN.secret,
      }),
    });
    t.equal(formToken.status, 200, 'client credentials in the form');

    t.equal((await server.api('PUT', '/repository/live', { name: 'Live' })).status, 201);
    const created = await server.api('POST', '/deposits', {
      template: 'RootLevel',
      archivalGroup: `${server.base}/repository/live/group-1`,
      archivalGroupName: 'Group one',
    });
    t.equal(created.status, 201);
    const deposit = (await created.json()) as { id: string; files: string };
    t.equal(created.headers.get('location'), deposit.id);
    t.ok(deposit.files.endsWith('/'));
    const files = { 'objects/page 1.txt': 'the first page', 'objects/page 2.txt': 'the second page' };
    await place.area.upload(
      deposit.files,
      { ...files, 'mets.xml': metsFor(files, { title: 'Group one' }) },
      {
        checksum: true,
      },
    );
    const depositPath = new URL(deposit.id).pathname;
    const submitted = await server.api('POST', `${depositPath}/importjobs`, {
      id: `${deposit.id}/importjobs/diff`,
    });
    t.equal(submitted.status, 201);
    const waiting = (await submitted.json()) as { id: string; status: string };
    t.equal(waiting.status, 'waiting');
    const { result } = await waitLive(server, waiting.id);
    t.equal(result.status, 'completed', JSON.stringify(result.errors));
    t.equal(result.newVersion.ocflVersion, 'v1');

    const group = await getJson(server, '/repository/live/group-1');
    t.equal(group.type, 'ArchivalGroup');
    t.equal(group.name, 'Group one');
    t.equal(group.id, `${server.base}/repository/live/group-1`, 'ids are under the URL it listens on');
    const page = group.containers
      .find((c: { name: string }) => c.name === 'objects')
      .binaries.find((b: { name: string }) => b.name === 'page 2.txt');
    t.equal(page.digest, sha256('the second page'));
    const ranged = await server.api('GET', new URL(page.content).pathname, undefined, { Range: 'bytes=4-9' });
    t.equal(ranged.status, 206);
    t.equal(await ranged.text(), 'second');
    t.equal(ranged.headers.get('content-range'), 'bytes 4-9/15');
    const listed = await getJson(server, '/repository/live');
    t.same(
      listed.containers.map((c: { id: string }) => c.id),
      [group.id],
    );

    server.proc.kill('SIGTERM');
    t.equal(await server.exited, 0, 'SIGTERM: a clean exit');

    const again = await startLiveServer(t, place.dataDir, place.env);
    const kept = await getJson(again, `${new URL(deposit.id).pathname}`);
    t.equal(kept.status, 'preserved', 'the records survived the restart');
    t.equal(kept.versionPreserved, 'v1');
    t.equal(kept.id.slice(again.base.length), depositPath, 'under the new port');
    const results = await getJson(again, `${depositPath}/importjobs/results`);
    t.same(
      results.map((r: { status: string }) => r.status),
      ['completed'],
    );
    t.equal((await getJson(again, '/repository/live/group-1')).version.ocflVersion, 'v1');
    again.proc.kill('SIGINT');
    t.equal(await again.exited, 0, 'SIGINT too');
  });
});
