/**
 * The Preservation API's main workflow over HTTP, on the filesystem and on MinIO: deposits become
 * Archival Groups through import jobs (a RootLevel deposit with the client's METS, a BagIt bag, a
 * plain folder with no METS), the groups are browsed and streamed, exported, changed, diffed and
 * versioned; a deposit for an existing group holds only what changed; a hand-written job in the
 * reference implementation's PascalCase; names outside the permitted set; tombstones.
 */
import t from 'tap';
import {
  call,
  type DepositEnv,
  type Json,
  metsFor,
  newDeposit,
  onBothBackends,
  pathOf,
  preserveDeposit,
  sha256,
  waitForExport,
  waitForResult,
} from './deposit-harness.js';

const ids = (items: Json[]) => items.map((i: Json) => i.id).sort();

/** The lists of a diff job, as ids relative to the group. */
function diffLists(job: Json, group: string) {
  const rel = (items: Json[]) => items.map((i: Json) => i.id.slice(group.length + 1)).sort();
  return {
    containersToAdd: rel(job.containersToAdd),
    binariesToAdd: rel(job.binariesToAdd),
    binariesToPatch: rel(job.binariesToPatch),
    binariesToDelete: rel(job.binariesToDelete),
    containersToDelete: rel(job.containersToDelete),
  };
}

async function text(env: DepositEnv, path: string, headers: Record<string, string> = {}) {
  let req = env.s.request.get(path).set('Authorization', await env.auth('reader'));
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  const res = await req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  return { status: res.status, headers: res.headers as Record<string, string>, body: String(res.body) };
}

t.test('preserve, browse, stream, export, change and version Archival Groups', async (t) => {
  await onBothBackends(t, async (t, env) => {
    t.equal((await call(env, 'put', '/repository/lib', { name: 'Library' }, 'admin')).status, 201);
    // Build the browser's containment index now, so a stale one would show below.
    t.same((await call(env, 'get', '/repository/lib', undefined, 'reader')).body.containers, []);
    const rl = env.repo('lib/root-level');
    const v1Files = { 'objects/a.txt': 'alpha', 'objects/sub/b.txt': 'bravo' };

    await t.test('v1 from a RootLevel deposit whose METS the client wrote', async (t) => {
      const d = await newDeposit(env, {
        template: 'RootLevel',
        archivalGroup: rl,
        archivalGroupName: 'Root level',
      });
      t.same(await env.list(d.files), ['mets.xml'], 'the template METS (folders exist only on disk)');
      await env.upload(d.files, { 'objects/a.txt': v1Files['objects/a.txt'] }, { checksum: true });
      await env.upload(d.files, {
        'objects/sub/b.txt': v1Files['objects/sub/b.txt'],
        'mets.xml': metsFor(v1Files, { title: 'Root level' }),
      });
      const diff = await call(env, 'get', `${pathOf(env, d.id)}/importjobs/diff`);
      t.equal(diff.status, 200);
      t.equal(diff.body.isUpdate, false);
      t.equal(diff.body.sourceVersion, null);
      t.equal(diff.body.originalId, `${d.id}/importjobs/diff`);
      t.equal(diff.body.createdBy, `${env.s.base}/agents/depositor`);
      t.equal(diff.body.lastModifiedBy, `${env.s.base}/agents/depositor`, 'agents are URIs');
      t.same(diffLists(diff.body, rl), {
        containersToAdd: ['metadata', 'objects', 'objects/sub'],
        binariesToAdd: ['mets.xml', 'objects/a.txt', 'objects/sub/b.txt'],
        binariesToPatch: [],
        binariesToDelete: [],
        containersToDelete: [],
      });
      const a = diff.body.binariesToAdd.find((b: Json) => b.name === 'a.txt');
      t.equal(a.digest, sha256('alpha'));
      t.equal(a.contentType, 'text/plain', 'from the extension, not the upload');

      const submit = await call(env, 'post', `${pathOf(env, d.id)}/importjobs`, {
        id: `${d.id}/importjobs/diff`,
      });
      t.equal(submit.status, 201);
      t.equal(submit.body.type, 'ImportJobResult');
      t.equal(submit.body.status, 'waiting', 'the job runs after the answer');
      t.equal(submit.body.dateBegun, null);
      t.equal(submit.body.newVersion, null);
      t.equal(submit.headers.location, submit.body.id);
      t.equal(submit.body.originalImportJob, `${d.id}/importjobs/diff`);
      t.equal(submit.body.deposit, d.id);
      t.equal(submit.body.archivalGroup, rl);
      const { result, seen } = await waitForResult(env, submit.body.id);
      t.equal(result.status, 'completed', JSON.stringify(result.errors));
      t.notOk(seen.includes('completedWithErrors'));
      t.ok(Date.parse(result.dateBegun) <= Date.parse(result.dateFinished));
      t.ok(Date.parse(result.created) <= Date.parse(result.dateBegun));
      t.equal(result.newVersion.ocflVersion, 'v1');
      t.equal(result.sourceVersion, null, 'a new group has no source version');
      t.match(result.newVersion.mementoTimestamp, /^\d{14}$/);
      t.same(ids(result.binariesAdded), [`${rl}/mets.xml`, `${rl}/objects/a.txt`, `${rl}/objects/sub/b.txt`]);
      t.same(ids(result.containersAdded), [`${rl}/metadata`, `${rl}/objects`, `${rl}/objects/sub`]);
      t.same(result.binariesPatched, []);
      t.notOk('progress' in result, 'no progress counts once finished');

      const after = (await call(env, 'get', pathOf(env, d.id))).body;
      t.equal(after.status, 'preserved');
      t.equal(after.active, false, 'inactive after a successful import');
      t.equal(after.preserved, result.dateFinished);
      t.equal(after.preservedBy, `${env.s.base}/agents/depositor`);
      t.equal(after.versionPreserved, 'v1');
      t.equal(after.archivalGroupExists, true);
      const results = await call(env, 'get', `${pathOf(env, d.id)}/importjobs/results`);
      t.same(
        results.body.map((r: Json) => r.id),
        [result.id],
      );
      const job = await call(env, 'get', pathOf(env, result.importJob));
      t.equal(job.status, 200);
      t.equal(job.body.type, 'ImportJob');
      t.equal(job.body.originalId, `${d.id}/importjobs/diff`);
      for (const list of [
        'containersToAdd',
        'binariesToAdd',
        'binariesToPatch',
        'binariesToDelete',
        'containersToDelete',
        'containersToRename',
        'binariesToRename',
      ])
        t.ok(Array.isArray(job.body[list]), `${list} is always present`);
      const again = await call(env, 'post', `${pathOf(env, d.id)}/importjobs`, {
        id: `${d.id}/importjobs/diff`,
      });
      t.equal(again.status, 409, 'an inactive deposit takes no more jobs');
      t.type(again.body.message, 'string');
    });

    await t.test('browse the group and stream its content with ranges', async (t) => {
      const lib = await call(env, 'get', '/repository/lib', undefined, 'reader');
      t.same(
        lib.body.containers.map((c: Json) => [c.id, c.type, c.name]),
        [[rl, 'ArchivalGroup', 'Root level']],
        'the new group is listed by its parent',
      );
      const g = (await call(env, 'get', '/repository/lib/root-level', undefined, 'reader')).body;
      t.equal(g.type, 'ArchivalGroup');
      t.equal(g.name, 'Root level');
      t.equal(g.version.ocflVersion, 'v1');
      t.equal(g.createdBy, `${env.s.base}/agents/depositor`);
      const objects = g.containers.find((c: Json) => c.name === 'objects');
      const a = objects.binaries.find((b: Json) => b.name === 'a.txt');
      t.equal(a.digest, sha256('alpha'));
      t.equal(a.size, 5);
      t.equal(a.contentType, 'text/plain');
      t.equal(a.content, `${env.s.base}/content/lib/root-level/objects/a.txt`);
      t.equal(objects.containers[0].binaries[0].name, 'b.txt');
      const whole = await text(env, pathOf(env, a.content));
      t.equal(whole.body, 'alpha');
      t.equal(whole.headers.etag, `"${sha256('alpha')}"`);
      const range = await text(env, pathOf(env, a.content), { Range: 'bytes=1-3' });
      t.equal(range.status, 206);
      t.equal(range.body, 'lph');
      t.equal(range.headers['content-range'], 'bytes 1-3/5');
      t.equal((await text(env, pathOf(env, a.content), { Range: 'bytes=9-' })).status, 416);
      const mets = await text(env, '/repository/lib/root-level?view=mets');
      t.equal(mets.body, metsFor(v1Files, { title: 'Root level' }));
    });

    let v2Export: Json;
    await t.test('a full export becomes a new deposit: exporting, then new', async (t) => {
      const res = await call(env, 'post', '/deposits/export', { archivalGroup: rl });
      t.equal(res.status, 201);
      t.equal(res.body.status, 'exporting');
      t.equal(res.headers.location, res.body.id);
      v2Export = await waitForExport(env, res.body.id);
      t.equal(v2Export.status, 'new');
      t.equal(v2Export.versionExported, 'v1');
      t.equal(v2Export.exportedBy, `${env.s.base}/agents/depositor`);
      t.ok(v2Export.exported);
      t.equal(v2Export.active, true);
      t.same(await env.list(v2Export.files), ['mets.xml', 'objects/a.txt', 'objects/sub/b.txt']);
      t.equal(String(await env.read(v2Export.files, 'objects/sub/b.txt')), 'bravo');
      const diff = await call(env, 'get', `${pathOf(env, v2Export.id)}/importjobs/diff`);
      t.equal(diff.body.isUpdate, true);
      t.equal(diff.body.sourceVersion.ocflVersion, 'v1');
      t.same(
        diffLists(diff.body, rl),
        {
          containersToAdd: [],
          binariesToAdd: [],
          binariesToPatch: [],
          binariesToDelete: [],
          containersToDelete: [],
        },
        'an unchanged export diffs to nothing',
      );
    });

    await t.test('change the export: the diff shows exactly the changes, and they become v2', async (t) => {
      const v2Files = { 'objects/a.txt': 'alpha, second edition', 'objects/d.txt': 'delta' };
      await env.remove(v2Export.files, 'objects/sub/b.txt');
      await env.upload(v2Export.files, { ...v2Files, 'mets.xml': metsFor(v2Files, { title: 'Root level' }) });
      const diff = await call(env, 'get', `${pathOf(env, v2Export.id)}/importjobs/diff`);
      t.equal(diff.status, 200, diff.text);
      t.same(diffLists(diff.body, rl), {
        containersToAdd: [],
        binariesToAdd: ['objects/d.txt'],
        binariesToPatch: ['mets.xml', 'objects/a.txt'],
        binariesToDelete: ['objects/sub/b.txt'],
        containersToDelete: ['objects/sub'],
      });
      const { result } = await preserveDeposit(env, v2Export);
      t.equal(result.status, 'completed', JSON.stringify(result.errors));
      t.equal(result.newVersion.ocflVersion, 'v2');
      t.equal(result.sourceVersion.ocflVersion, 'v1', 'the version the diff was built on');
      t.same(ids(result.binariesPatched), [`${rl}/mets.xml`, `${rl}/objects/a.txt`]);
      t.same(ids(result.binariesDeleted), [`${rl}/objects/sub/b.txt`]);
      t.same(ids(result.containersDeleted), [`${rl}/objects/sub`]);
      t.same(ids(result.binariesAdded), [`${rl}/objects/d.txt`]);
      const exported = (await call(env, 'get', pathOf(env, v2Export.id))).body;
      t.equal(exported.versionPreserved, 'v2');
      t.equal(exported.versionExported, 'v1');
    });

    await t.test('versions and storage maps of v1 and v2', async (t) => {
      const head = (await call(env, 'get', '/repository/lib/root-level', undefined, 'reader')).body;
      t.equal(head.version.ocflVersion, 'v2');
      t.same(
        head.versions.map((v: Json) => v.ocflVersion),
        ['v1', 'v2'],
      );
      const v1 = (await call(env, 'get', '/repository/lib/root-level?version=v1', undefined, 'reader')).body;
      t.equal(v1.version.ocflVersion, 'v1');
      const objectsV1 = v1.containers.find((c: Json) => c.name === 'objects');
      t.same(
        objectsV1.containers.map((c: Json) => c.name),
        ['sub'],
      );
      const map1 = (await call(env, 'get', '/ocfl/storagemap/lib/root-level?version=v1', undefined, 'reader'))
        .body;
      const map2 = (await call(env, 'get', '/ocfl/storagemap/lib/root-level?version=v2', undefined, 'reader'))
        .body;
      t.equal(map1.version.ocflVersion, 'v1');
      t.equal(map2.version.ocflVersion, 'v2');
      t.equal(map1.files['objects/a.txt'].fullPath, 'v1/content/objects/a.txt');
      t.equal(map2.files['objects/a.txt'].fullPath, 'v2/content/objects/a.txt');
      t.ok(map1.files['objects/sub/b.txt']);
      t.notOk(map2.files['objects/sub/b.txt'], 'deleted in v2');
      t.equal(map2.files['objects/d.txt'].fullPath, 'v2/content/objects/d.txt');
      t.equal((await text(env, '/content/lib/root-level/objects/a.txt?version=v1')).body, 'alpha');
      t.equal((await text(env, '/content/lib/root-level/objects/a.txt')).body, 'alpha, second edition');
      t.equal((await text(env, '/content/lib/root-level/objects/sub/b.txt?version=v1')).body, 'bravo');
      const gone = await call(
        env,
        'get',
        '/repository/lib/root-level/objects/sub/b.txt',
        undefined,
        'reader',
      );
      t.equal(gone.status, 410, 'a binary deleted by a job is a tombstone');
      t.type(gone.body.message, 'string');
    });

    await t.test(
      'a deposit for an existing group holds its METS; only changed files need to be there',
      async (t) => {
        const d = await newDeposit(env, { archivalGroup: rl });
        t.equal(d.archivalGroupExists, true);
        t.same(await env.list(d.files), ['mets.xml'], 'the group METS, nothing else');
        const groupMets = await text(env, '/repository/lib/root-level?view=mets');
        t.equal(String(await env.read(d.files, 'mets.xml')), groupMets.body);
        const all = {
          'objects/a.txt': 'alpha, second edition',
          'objects/d.txt': 'delta',
          'objects/e.txt': 'echo',
        };
        await env.upload(d.files, {
          'objects/e.txt': 'echo',
          'mets.xml': metsFor(all, { title: 'Root level' }),
        });
        const diff = await call(env, 'get', `${pathOf(env, d.id)}/importjobs/diff`);
        t.same(diffLists(diff.body, rl), {
          containersToAdd: [],
          binariesToAdd: ['objects/e.txt'],
          binariesToPatch: ['mets.xml'],
          binariesToDelete: [],
          containersToDelete: [],
        });
        const { result } = await preserveDeposit(env, d);
        t.equal(result.newVersion.ocflVersion, 'v3');
        t.same(result.binariesDeleted, [], 'nothing that was left out is deleted');
        const g = (await call(env, 'get', '/repository/lib/root-level', undefined, 'reader')).body;
        t.same(
          g.containers
            .find((c: Json) => c.name === 'objects')
            .binaries.map((b: Json) => b.name)
            .sort(),
          ['a.txt', 'd.txt', 'e.txt'],
        );
      },
    );

    await t.test('a hand-written job: foreign id, PascalCase, IsUpdate, no sourceVersion', async (t) => {
      const d = await newDeposit(env, { archivalGroup: rl, submissionText: 'one fix' });
      await env.upload(d.files, {
        'incoming/fix.txt': 'alpha, corrected',
        'incoming/again.txt': 'bravo again',
      });
      const body = {
        Id: 'urn:example:goobi-job-42',
        Type: 'ImportJob',
        ArchivalGroup: rl,
        IsUpdate: true,
        BinariesToPatch: [{ Id: `${rl}/objects/a.txt`, Origin: `${d.files}incoming/fix.txt` }],
        BinariesToAdd: [
          {
            Id: `${rl}/objects/sub/b.txt`,
            Name: 'b.txt',
            Origin: `${d.files}incoming/again.txt`,
            Digest: sha256('bravo again'),
          },
        ],
        ContainersToAdd: [{ Id: `${rl}/objects/sub`, Name: 'sub' }],
        ContainersToRename: [{ Id: `${rl}/objects`, Name: 'Objects (renamed)' }],
      };
      const submit = await call(env, 'post', `${pathOf(env, d.id)}/importjobs`, body);
      t.equal(submit.status, 201, submit.text);
      t.equal(submit.body.originalImportJob, 'urn:example:goobi-job-42');
      t.equal(submit.body.sourceVersion, null);
      const { result } = await waitForResult(env, submit.body.id);
      t.equal(result.status, 'completed', JSON.stringify(result.errors));
      t.equal(result.newVersion.ocflVersion, 'v4');
      t.same(ids(result.binariesPatched), [`${rl}/objects/a.txt`]);
      t.same(ids(result.binariesAdded), [`${rl}/objects/sub/b.txt`], 're-added at a tombstoned path');
      t.same(ids(result.containersRenamed), [`${rl}/objects`]);
      const job = (await call(env, 'get', pathOf(env, result.importJob))).body;
      t.equal(job.originalId, 'urn:example:goobi-job-42');
      t.equal(job.isUpdate, true);
      t.equal(job.binariesToPatch[0].origin, `${d.files}incoming/fix.txt`, 'camelCase in the answer');
      t.same(job.binariesToDelete, []);
      t.equal(
        (await text(env, '/content/lib/root-level/objects/a.txt')).body,
        'alpha, corrected',
        'the digest the job left out was computed',
      );
      t.equal((await text(env, '/content/lib/root-level/objects/sub/b.txt')).body, 'bravo again');
      const g = (await call(env, 'get', '/repository/lib/root-level', undefined, 'reader')).body;
      t.ok(
        g.containers.some((c: Json) => c.name === 'Objects (renamed)'),
        'the rename changed the name',
      );
      const nullVersion = await newDeposit(env, { archivalGroup: rl });
      await env.upload(nullVersion.files, { 'x.txt': 'x' });
      const explicitNull = await call(env, 'post', `${pathOf(env, nullVersion.id)}/importjobs`, {
        archivalGroup: rl,
        isUpdate: true,
        sourceVersion: null,
        binariesToAdd: [{ id: `${rl}/x.txt`, origin: `${nullVersion.files}x.txt` }],
      });
      t.equal(explicitNull.status, 201);
      const done = await waitForResult(env, explicitNull.body.id);
      t.equal(done.result.status, 'completed', 'sourceVersion null with isUpdate means "the head"');
    });

    await t.test('v1 from a BagIt deposit: the data/ level is not part of the group', async (t) => {
      const bag = env.repo('lib/a-bag');
      const d = await newDeposit(env, { template: 'BagIt', archivalGroup: bag, archivalGroupName: 'A bag' });
      t.same(await env.list(d.files), ['data/mets.xml']);
      const payload = { 'objects/scan 1.tif': Buffer.from([0x49, 0x49, 0x2a, 0, 1, 2, 3]) };
      await env.upload(d.files, {
        'bagit.txt': 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
        'bag-info.txt': 'Source-Organization: Test\n',
        'manifest-sha256.txt': `${sha256(payload['objects/scan 1.tif'])}  data/objects/scan 1.tif\n`,
        'data/objects/scan 1.tif': payload['objects/scan 1.tif'],
        'data/mets.xml': metsFor(payload, { title: 'A bag' }),
      });
      const diff = await call(env, 'get', `${pathOf(env, d.id)}/importjobs/diff`);
      t.equal(diff.status, 200, diff.text);
      t.same(diffLists(diff.body, bag).binariesToAdd, ['mets.xml', 'objects/scan%201.tif']);
      const { result } = await preserveDeposit(env, d);
      t.equal(result.status, 'completed', JSON.stringify(result.errors));
      const g = (await call(env, 'get', '/repository/lib/a-bag', undefined, 'reader')).body;
      t.same(
        g.binaries.map((b: Json) => b.name),
        ['mets.xml'],
        'no bag tag files in the group',
      );
      t.same(g.containers.map((c: Json) => c.name).sort(), ['metadata', 'objects']);
      t.equal(g.containers.find((c: Json) => c.name === 'objects').binaries[0].contentType, 'image/tiff');
    });

    await t.test('v1 from a plain folder with no METS; names of any UTF-8 get reversible ids', async (t) => {
      const plain = env.repo('lib/plain');
      const d = await newDeposit(env, { archivalGroup: plain, archivalGroupName: 'Plain, été #1' });
      const files = {
        'README.md': '# read me',
        'images/résumé #1 100%.txt': 'r1',
        'dossier été/a b.txt': 'ab',
        'pct/a%20b.txt': 'escaped-looking',
        'pct/a b.txt': 'spaced',
      };
      // On S3, one with the server's SHA-256 (the diff takes it), the rest without (hashed).
      const { 'pct/a b.txt': spaced, ...rest } = files;
      await env.upload(d.files, { 'pct/a b.txt': spaced }, { checksum: true });
      await env.upload(d.files, rest);
      const { result } = await preserveDeposit(env, d);
      t.equal(result.status, 'completed', JSON.stringify(result.errors));
      t.same(ids(result.binariesAdded), [
        `${plain}/README.md`,
        `${plain}/dossier%20%C3%A9t%C3%A9/a%20b.txt`,
        `${plain}/images/r%C3%A9sum%C3%A9%20%231%20100%25.txt`,
        `${plain}/pct/a%20b.txt`,
        `${plain}/pct/a%2520b.txt`,
      ]);
      for (const id of ids(result.binariesAdded)) t.notMatch(id.slice(env.s.base.length), /[#? ]/);
      const g = (await call(env, 'get', '/repository/lib/plain', undefined, 'reader')).body;
      t.equal(g.name, 'Plain, été #1');
      const readme = g.binaries.find((b: Json) => b.name === 'README.md');
      t.equal(readme.contentType, 'text/markdown');
      t.equal(readme.digest, sha256('# read me'), 'hashed by the server (no METS, no checksum)');
      for (const [key, content] of Object.entries(files)) {
        const bin = (await call(env, 'get', pathOf(env, `${plain}/${encodePath(key)}`), undefined, 'reader'))
          .body;
        t.equal(bin.name, key.slice(key.lastIndexOf('/') + 1), `${key}: name kept`);
        const got = await text(env, pathOf(env, bin.content));
        t.equal(got.body, content, `${key}: content`);
        t.match(got.headers['content-disposition'], /filename\*=UTF-8''/);
      }
    });
  });
});

/** The id path of a resource path: every character outside the permitted set percent-encoded. */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((seg) =>
      [...seg]
        .map((ch) =>
          /^[A-Za-z0-9()\-_.]$/.test(ch)
            ? ch
            : [...Buffer.from(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
        )
        .join(''),
    )
    .join('/');
}
