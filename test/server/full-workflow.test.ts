/**
 * The whole Preservation API workflow in one chain, over HTTP, on the filesystem and on MinIO,
 * with the real pipeline tools (Siegfried, ClamAV, ExifTool): a RootLevel deposit → files
 * uploaded → a pipeline run → the filesystem view with the tools' metadata → the METS edited
 * through the API (a stale ETag refused) → the diff → the import → the activity stream's Create →
 * an export → a change (pipeline and METS again) → the next import → the stream's Update.
 */
import t, { type Test } from 'tap';
import { requireTools, tinyPng, writeEicarDatabase } from '../helpers/tools.js';
import { tempDir } from '../txn/helpers.js';
import {
  call,
  type DepositEnv,
  type Json,
  newDeposit,
  onBothBackends,
  pathOf,
  preserveDeposit,
  sha256,
  waitForExport,
} from './deposit-harness.js';

/** Where the pipeline writes each tool's output (the spec's locations), sorted. */
const TOOL_OUTPUTS = [
  'metadata/clamav/clamscan.log',
  'metadata/exiftool/exiftool.json',
  'metadata/siegfried/siegfried.yaml',
];

/** Start a pipeline run of the deposit and poll its ProcessPipelineResult until it has finished. */
async function runPipeline(t: Test, env: DepositEnv, deposit: Json): Promise<Json> {
  const at = pathOf(env, deposit.id);
  t.equal((await call(env, 'post', `${at}/pipeline`)).status, 204, 'the run is queued');
  const runs = (await call(env, 'get', `${at}/pipelinerunjobs`)).body as Json[];
  const run = runs.at(-1);
  const end = Date.now() + 120_000;
  for (;;) {
    const res = await call(env, 'get', `${at}/pipelinerunjobs/${run.jobId}`, undefined, 'reader');
    if (res.body.status === 'completed' || res.body.status === 'completedWithErrors') return res.body;
    if (Date.now() > end) throw new Error(`pipeline run still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every WorkingFile of a filesystem view, by its local path. */
function filesOf(dir: Json, out = new Map<string, Json>()): Map<string, Json> {
  for (const f of dir.files) out.set(f.localPath, f);
  for (const d of dir.directories) filesOf(d, out);
  return out;
}

/** POST …/mets with `If-Match`. */
async function editMets(env: DepositEnv, deposit: Json, paths: string[], etag: string) {
  const req = env.s.request
    .post(`${pathOf(env, deposit.id)}/mets`)
    .set('Authorization', await env.auth())
    .set('If-Match', etag);
  return req.send(paths);
}

/** Every activity of the Archival Group stream, oldest first. */
async function activities(env: DepositEnv): Promise<Json[]> {
  const items: Json[] = [];
  for (let n = 1; ; n++) {
    const page = await call(env, 'get', `/activity/archivalgroups/pages/${n}`, undefined, 'reader');
    items.push(...page.body.orderedItems);
    if (!page.body.next) return items;
  }
}

t.test(
  'deposit → pipeline → filesystem view → METS edit → diff → import → Create → export → change → Update',
  async (t) => {
    const tools = requireTools(t);
    if (!tools) return;
    const env = {
      STRONGROOM_SF: tools.sf,
      STRONGROOM_SF_HOME: tools.sfHome,
      STRONGROOM_SF_SIG: tools.sfSig,
      STRONGROOM_CLAMSCAN: tools.clamscan,
      STRONGROOM_CLAMAV_DB: writeEicarDatabase(tempDir(t, 'workflow-clamav')),
      STRONGROOM_EXIFTOOL: tools.exiftool,
    };
    await onBothBackends(
      t,
      async (t, env) => {
        env.s.deps.pipelineRunner.start();
        const group = env.repo('workflow/book');
        const readme = 'A digitised book.\n';
        const png = tinyPng();

        // 1. A RootLevel deposit for a new group, and the files, uploaded as a client would.
        const deposit = await newDeposit(env, {
          template: 'RootLevel',
          archivalGroup: group,
          archivalGroupName: 'A book',
        });
        t.same(deposit.pipelineJobs, [], 'no pipeline has run yet');
        await env.upload(deposit.files, { 'objects/readme.txt': readme, 'objects/images/p1.png': png });

        // 2. The pipeline with the real tools writes their outputs into metadata/.
        const run = await runPipeline(t, env, deposit);
        t.equal(run.status, 'completed', JSON.stringify(run.errors));
        t.same(
          (await env.list(deposit.files)).filter((k) => k.startsWith('metadata/')),
          [
            'metadata/clamav/clamscan.log',
            'metadata/exiftool/exiftool.json',
            'metadata/siegfried/siegfried.yaml',
          ],
        );
        const shown = (await call(env, 'get', pathOf(env, deposit.id), undefined, 'reader')).body;
        t.same(
          shown.pipelineJobs.map((j: Json) => [j.jobId, j.status]),
          [[run.jobId, 'completed']],
          'the deposit lists its pipeline run',
        );

        // 3. The filesystem view shows what each tool said, without a refresh.
        const view = await call(env, 'get', `${pathOf(env, deposit.id)}/filesystem`, undefined, 'reader');
        t.equal(view.status, 200, view.text);
        const files = filesOf(view.body);
        const types = (path: string) =>
          files
            .get(path)
            .metadata.map((m: Json) => m.type)
            .sort();
        t.same(types('objects/images/p1.png'), ['ExifMetadata', 'FileFormatMetadata', 'VirusScanMetadata']);
        const format = files
          .get('objects/images/p1.png')
          .metadata.find((m: Json) => m.type === 'FileFormatMetadata');
        t.match(
          format,
          { pronomKey: /^fmt\/\d+$/, contentType: 'image/png' },
          'Siegfried identified the PNG',
        );
        t.match(
          files.get('objects/readme.txt').metadata.find((m: Json) => m.type === 'VirusScanMetadata'),
          { hasVirus: false },
          'ClamAV scanned it clean',
        );

        // 4. The METS edited through the API: a stale ETag is refused, the current one accepted.
        const etag = `"${shown.metsETag}"`;
        t.match(shown.metsETag, /\S/, 'the deposit carries its METS ETag');
        const stale = await editMets(env, deposit, ['objects/readme.txt'], '"not-the-etag"');
        t.equal(stale.status, 412);
        // As the spec's example does, the tools' outputs go into the METS with the files: every
        // file of a platform-managed deposit is in its METS, or the diff names it.
        const edited = await editMets(
          env,
          deposit,
          [...TOOL_OUTPUTS, 'objects/readme.txt', 'objects/images/p1.png'],
          etag,
        );
        t.equal(edited.status, 200, edited.text);
        t.same(
          edited.body.items
            .filter((i: Json) => i.type === 'WorkingFile')
            .map((i: Json) => [i.localPath, i.change])
            .sort(),
          [...TOOL_OUTPUTS, 'objects/images/p1.png', 'objects/readme.txt'].sort().map((p) => [p, 'added']),
        );
        t.equal((await editMets(env, deposit, ['objects/readme.txt'], etag)).status, 412, 'now stale');
        const mets = String(await env.read(deposit.files, 'mets.xml'));
        t.match(mets, sha256(readme), 'the METS carries the digest the tools found');

        // 5. The diff, then the import: v1, announced as a Create.
        // The group's parent container must exist: said by the diff, before any job runs.
        const orphan = await call(env, 'get', `${pathOf(env, deposit.id)}/importjobs/diff`);
        t.equal(orphan.status, 409);
        t.match(orphan.body.message, /parent container "workflow" does not exist/);
        const refused = await call(env, 'post', `${pathOf(env, deposit.id)}/importjobs`, {
          id: `${deposit.id}/importjobs/diff`,
        });
        t.equal(refused.status, 409, 'and so does submitting the job');
        t.equal((await call(env, 'put', '/repository/workflow', { name: 'Workflow' }, 'admin')).status, 201);
        const diff = await call(env, 'get', `${pathOf(env, deposit.id)}/importjobs/diff`);
        t.equal(diff.status, 200, diff.text);
        const rel = (items: Json[]) => items.map((i: Json) => i.id.slice(group.length + 1)).sort();
        t.same(rel(diff.body.binariesToAdd), [
          ...TOOL_OUTPUTS,
          'mets.xml',
          'objects/images/p1.png',
          'objects/readme.txt',
        ]);
        const v1 = await preserveDeposit(env, deposit);
        t.equal(v1.result.status, 'completed', JSON.stringify(v1.result.errors));
        t.equal(v1.result.newVersion.ocflVersion, 'v1');
        let stream = await activities(env);
        t.same(
          stream.map((a: Json) => [a.type, a.object.id]),
          [['Create', group]],
        );
        t.equal(stream[0].object.seeAlso.id, v1.result.id);

        // 6. An export of v1 into a new deposit, a change, the pipeline and the METS again.
        const exported = await call(env, 'post', '/deposits/export', { archivalGroup: group });
        t.equal(exported.status, 201, exported.text);
        const next = await waitForExport(env, exported.body.id);
        t.equal(next.versionExported, 'v1');
        const metsView = await env.s.request
          .get(`${pathOf(env, next.id)}/mets`)
          .set('Authorization', await env.auth('reader'));
        t.equal(
          metsView.headers.etag,
          `"${next.metsETag}"`,
          'the exported deposit knows its METS ETag at once',
        );
        const revised = 'A digitised book, second edition.\n';
        await env.upload(next.files, { 'objects/readme.txt': revised, 'objects/images/p2.png': png });
        const rerun = await runPipeline(t, env, next);
        t.equal(rerun.status, 'completed', JSON.stringify(rerun.errors));
        const current = (await call(env, 'get', pathOf(env, next.id), undefined, 'reader')).body;
        const reedited = await editMets(
          env,
          next,
          [...TOOL_OUTPUTS, 'objects/readme.txt', 'objects/images/p2.png'],
          `"${current.metsETag}"`,
        );
        t.equal(reedited.status, 200, reedited.text);
        const diff2 = await call(env, 'get', `${pathOf(env, next.id)}/importjobs/diff`);
        t.equal(diff2.status, 200, diff2.text);
        t.same(rel(diff2.body.binariesToAdd), ['objects/images/p2.png']);
        t.ok(rel(diff2.body.binariesToPatch).includes('objects/readme.txt'), 'the changed file is a patch');
        t.same(rel(diff2.body.binariesToDelete), []);

        // 7. The next import: v2, announced as an Update; the content is the new one.
        const v2 = await preserveDeposit(env, next);
        t.equal(v2.result.status, 'completed', JSON.stringify(v2.result.errors));
        t.equal(v2.result.newVersion.ocflVersion, 'v2');
        stream = await activities(env);
        t.same(
          stream.map((a: Json) => [a.type, a.object.id]),
          [
            ['Create', group],
            ['Update', group],
          ],
        );
        t.ok(stream[0].endTime < stream[1].endTime, 'end times increase');
        // 8. An export imported back unchanged: done, with no new version and no activity.
        const again = await waitForExport(
          env,
          (await call(env, 'post', '/deposits/export', { archivalGroup: group })).body.id,
        );
        const same = await preserveDeposit(env, again);
        t.equal(same.result.status, 'completed', JSON.stringify(same.result.errors));
        t.equal(same.result.newVersion, null, 'no new version');
        t.same(
          [same.result.binariesAdded, same.result.binariesPatched, same.result.binariesDeleted],
          [[], [], []],
        );
        const kept = (await call(env, 'get', pathOf(env, again.id), undefined, 'reader')).body;
        t.match(
          kept,
          { status: 'preserved', versionPreserved: 'v2' },
          'the deposit is preserved at the head',
        );
        t.equal((await activities(env)).length, 2, 'and the stream says nothing new');

        const content = await env.s.request
          .get('/content/workflow/book/objects/readme.txt')
          .set('Authorization', await env.auth('reader'));
        t.equal(content.text, revised);
        const old = await env.s.request
          .get('/content/workflow/book/objects/readme.txt?version=v1')
          .set('Authorization', await env.auth('reader'));
        t.equal(old.text, readme, 'v1 keeps the first edition');
      },
      { env },
    );
  },
);
