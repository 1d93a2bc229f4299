/**
 * METS editing of platform-managed METS (DepositWorkspace.addToMets / deleteItems) on the
 * filesystem and on MinIO: what a file's entry records from the tool outputs, folders on the
 * path, updates, If-Match (428 missing, 412 stale), BagIt paths, third-party METS (409), locks,
 * delete selections (children first, unselected children refused), hostile paths, determinism,
 * and validity against mets.xsd when the schema is at hand.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { readMets } from '../../lib/formats/mets/reader.js';
import { openMemoryRecords } from '../../lib/records/memory-records.js';
import type { DepositRecord } from '../../lib/records/model.js';
import type { RecordStore } from '../../lib/records/port.js';
import { DepositWorkspace } from '../../lib/services/deposit-workspace.js';
import { corpusDir, repoRoot } from '../helpers/paths.js';
import { requireS3 } from '../helpers/s3.js';
import { clamscanLog, exiftoolJson, siegfriedYaml } from './tool-fixtures.js';
import {
  corpusFiles,
  fsWorkspaceEnv,
  newDeposit,
  s3WorkspaceEnv,
  type WorkspaceEnv,
} from './workspace-env.js';

const BAG = join(corpusDir, 'digital-preservation-docs/playwright/PreservationApi/samples/bc-example-1');
const GOOBI = join(
  corpusDir,
  'digital-preservation/src/DigitalPreservation/XmlGen.Tests/Samples/goobi-wc-b29356350.xml',
);
const NOW = '2025-06-07T08:09:10.000Z';
const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

async function setup(t: Test, env: WorkspaceEnv) {
  const records: RecordStore = await openMemoryRecords();
  t.teardown(() => records.close());
  const workspace = new DepositWorkspace({ records, store: env.store, clock: () => new Date(NOW) });
  return { records, workspace };
}

/** The deposit's current METS ETag, as a client reads it from the deposit (`metsETag`). */
async function etagOf(records: RecordStore, d: DepositRecord): Promise<string> {
  return `"${(await records.deposits.get(d.id))!.metsETag}"`;
}

/** A Siegfried report and a ClamAV log for `files` (path → content), as seen on a workstation. */
function toolOutputs(files: Record<string, string>, puid = 'x-fmt/111'): Record<string, string> {
  const entries = Object.entries(files).map(([path, content]) => ({
    path: `/home/u/job/${path}`,
    size: Buffer.byteLength(content),
    sha256: sha256(content),
    puid,
    format: puid === 'x-fmt/111' ? 'Plain Text File' : 'Comma Separated Values',
    mime: 'text/plain',
  }));
  const scan = Object.fromEntries(Object.keys(files).map((p) => [`/home/u/job/${p}`, null]));
  const exif = Object.fromEntries(
    Object.keys(files).map((p) => [
      `/home/u/job/${p}`,
      { Make: 'FUJIFILM', 'Date/Time Original': '2025:04:20 12:45:53' },
    ]),
  );
  return {
    'metadata/siegfried/siegfried.yaml': siegfriedYaml(entries),
    'metadata/clamav/clamscan.log': clamscanLog(scan),
    'metadata/exiftool/exif.json': exiftoolJson(exif),
  };
}

async function metsOf(env: WorkspaceEnv, d: DepositRecord, key = 'mets.xml') {
  const bytes = await env.read(d.files, key);
  return { bytes, model: await readMets(bytes, { name: key }) };
}

async function suite(t: Test, makeEnv: (t: Test) => Promise<WorkspaceEnv>) {
  t.test(
    "adding a file records its digest, size, type, format and virus scan from the tool outputs, and every folder on its path; the deposit's metsETag follows",
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'RootLevel');
      const files = { 'objects/docs/a.txt': 'abc' };
      await env.put(d.files, { ...files, ...toolOutputs(files) });
      const result = await workspace.addToMets(d.id, ['objects/docs/a.txt'], {
        ifMatch: await etagOf(records, d),
        agent: 'tester',
      });
      t.same(
        result.items.map((i) => [i.localPath, i.type, i.change]),
        [
          ['objects', 'WorkingDirectory', 'updated'],
          ['objects/docs', 'WorkingDirectory', 'added'],
          ['objects/docs/a.txt', 'WorkingFile', 'added'],
        ],
      );
      t.match(result.items[2], {
        digest: sha256('abc'),
        size: 3,
        contentType: 'text/plain',
        metsExtensions: { physDivId: /^PHYS_[0-9a-f]{16}$/, admId: /^ADM_[0-9a-f]{16}$/ },
      });
      const { bytes, model } = await metsOf(env, d);
      t.equal(model.editable, true);
      t.match(model.files, [
        {
          path: 'objects/docs/a.txt',
          name: 'a.txt',
          size: 3,
          contentType: 'text/plain',
          digests: { sha256: sha256('abc') },
          format: { pronomKey: 'x-fmt/111', name: 'Plain Text File' },
          virusCheck: { outcome: 'Pass', date: /^2025-04-25T13:57:26/, agent: 'ClamAV' },
          exif: { Make: 'FUJIFILM', 'Date/Time Original': '2025:04:20 12:45:53' },
        },
      ]);
      t.same(
        model.directories.map((x) => x.path),
        ['metadata', 'objects', 'objects/docs'],
      );
      const text = bytes.toString('utf8');
      t.match(text, 'CREATEDATE="2025-01-02T03:04:05Z"', 'the creation date is kept');
      t.match(text, `LASTMODDATE="${NOW}"`, 'the edit is dated');
      const after = await records.deposits.get(d.id);
      t.equal(after!.metsETag, result.metsETag, 'the deposit carries the new ETag');
      t.equal(after!.lastModifiedBy, 'tester');
      const seeded = await workspace.filesystem(d.id);
      const parsed = await workspace.filesystem(d.id, { refresh: true });
      t.same(seeded.root, parsed.root, 'the model kept after writing is what reading the METS back gives');
      t.match(
        seeded.files.find((f) => f.localPath === 'objects/docs/a.txt'),
        { name: 'a.txt', metsExtensions: { physDivId: /^PHYS_/ } },
      );
    },
  );

  t.test('adding the same file again updates it with what the tools say now', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    const files = { 'objects/a.csv': 'x,y\n' };
    await env.put(d.files, { ...files, ...toolOutputs(files) });
    await workspace.addToMets(d.id, ['objects/a.csv'], {
      ifMatch: await etagOf(records, d),
      agent: 'tester',
    });
    await env.put(d.files, toolOutputs(files, 'x-fmt/18'));
    const again = await workspace.addToMets(d.id, ['objects/a.csv'], {
      ifMatch: await etagOf(records, d),
      agent: 'tester',
    });
    t.same(
      again.items.map((i) => [i.localPath, i.change]),
      [
        ['objects', 'updated'],
        ['objects/a.csv', 'updated'],
      ],
    );
    const { model } = await metsOf(env, d);
    t.match(model.files, [{ path: 'objects/a.csv', format: { pronomKey: 'x-fmt/18' } }]);
    t.equal(model.files.length, 1, 'updated, not added twice');
  });

  t.test('a folder path adds the folder, not its contents', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    await env.put(d.files, { 'objects/box/a.txt': 'a', 'objects/box/b.txt': 'b' });
    const r = await workspace.addToMets(d.id, ['objects/box/'], {
      ifMatch: await etagOf(records, d),
      agent: 'tester',
    });
    t.same(
      r.items.map((i) => [i.localPath, i.type]),
      [
        ['objects', 'WorkingDirectory'],
        ['objects/box', 'WorkingDirectory'],
      ],
    );
    const { model } = await metsOf(env, d);
    t.same(model.files, []);
  });

  t.test('a missing If-Match is 428 and a stale one 412, and nothing is written', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    await env.put(d.files, { 'objects/a.txt': 'a' });
    const before = await env.read(d.files, 'mets.xml');
    const add = (ifMatch: string | undefined) =>
      workspace.addToMets(d.id, ['objects/a.txt'], { ifMatch, agent: 'tester' });
    await t.rejects(add(undefined), { code: 'PRECONDITION_REQUIRED' });
    await t.rejects(add(''), { code: 'PRECONDITION_REQUIRED' });
    await t.rejects(
      add('*'),
      { code: 'PRECONDITION_REQUIRED' },
      'an edit must name the version it was made on',
    );
    await t.rejects(add('"not-the-etag"'), { code: 'PRECONDITION_FAILED' });
    const del = workspace.deleteItems(
      d.id,
      {
        deleteFromDepositFiles: true,
        deleteFromMets: true,
        items: [{ path: 'objects/a.txt', isDir: false }],
      },
      { ifMatch: 'W/"stale", "also-stale"', agent: 'tester' },
    );
    await t.rejects(del, { code: 'PRECONDITION_FAILED' });
    t.same(await env.read(d.files, 'mets.xml'), before, 'the METS is as it was');
    t.ok(await env.exists(d.files, 'objects/a.txt'), 'the file is still there');
    // Someone rewrites the METS behind the API's back: the ETag the client holds is now stale.
    const held = await etagOf(records, d);
    await env.put(d.files, { 'mets.xml': `${before.toString('utf8')}\n` });
    await t.rejects(add(held), { code: 'PRECONDITION_FAILED' }, 'their edit is never overwritten');
    await workspace.filesystem(d.id);
    const fresh = await etagOf(records, d);
    t.not(fresh, held, "a filesystem view brings the deposit's metsETag up to date");
    await add(fresh);
    t.pass('an edit made with the current ETag goes through');
  });

  t.test('a deposit still being filled by its export cannot be edited: 409', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    await records.deposits.update(d.id, { status: 'exporting' });
    await t.rejects(
      workspace.addToMets(d.id, ['objects'], { ifMatch: await etagOf(records, d), agent: 'tester' }),
      {
        code: 'CONFLICT',
        message: /export/,
      },
    );
  });

  t.test('two edits made with the same ETag at once: one is applied, the other is 412', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    await env.put(d.files, { 'objects/a.txt': 'a', 'objects/b.txt': 'b' });
    const etag = await etagOf(records, d);
    const results = await Promise.allSettled([
      workspace.addToMets(d.id, ['objects/a.txt'], { ifMatch: etag, agent: 'tester' }),
      workspace.addToMets(d.id, ['objects/b.txt'], { ifMatch: etag, agent: 'tester' }),
    ]);
    t.same(
      results.map((r) => r.status),
      ['fulfilled', 'rejected'],
    );
    t.match((results[1] as PromiseRejectedResult).reason, { code: 'PRECONDITION_FAILED' });
    const { model } = await metsOf(env, d);
    t.same(
      model.files.map((f) => f.path),
      ['objects/a.txt'],
    );
  });

  t.test('unsafe, unknown and too many paths are refused with 400 before anything is written', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    await env.put(d.files, { 'objects/a.txt': 'a' });
    const before = await env.read(d.files, 'mets.xml');
    const etag = await etagOf(records, d);
    const add = (paths: unknown[]) => workspace.addToMets(d.id, paths, { ifMatch: etag, agent: 'tester' });
    for (const bad of [
      '../outside.txt',
      'objects/../../x',
      '/etc/passwd',
      'C:/Windows/win.ini',
      'objects\\..\\..\\x',
      'objects/%2e%2e/%2E%2e/x',
      'objects/%2e%2e%2fx',
      'objects//a.txt',
      './objects/a.txt',
      '',
      'objects/a.txt\u0000.jpg',
      'x'.repeat(2000),
    ]) {
      await t.rejects(
        add(['objects/a.txt', bad]),
        { code: 'INVALID_INPUT' },
        JSON.stringify(bad).slice(0, 40),
      );
    }
    await t.rejects(add([42]), { code: 'INVALID_INPUT' }, 'not a string');
    await t.rejects(add([]), { code: 'INVALID_INPUT' }, 'nothing to add');
    await t.rejects(add(['objects/missing.txt']), { code: 'INVALID_INPUT', message: /not in the deposit/ });
    await t.rejects(add(Array.from({ length: 100_001 }, (_, i) => `objects/${i}`)), {
      code: 'INVALID_INPUT',
    });
    t.same(await env.read(d.files, 'mets.xml'), before, 'the METS is untouched');
  });

  t.test(
    "BagIt deposits take data/ paths; the bag's tag files and the METS itself are accepted and ignored; other root files are refused",
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'BagIt');
      await env.put(d.files, { ...corpusFiles(BAG), 'notes.txt': 'not part of the bag payload' });
      const r = await workspace.addToMets(
        d.id,
        [
          'data/objects/Fedora-Usage-Principles.docx',
          'bagit.txt',
          'manifest-sha256.txt',
          'bag-info.txt',
          'data/mets.xml',
        ],
        { ifMatch: await etagOf(records, d), agent: 'tester' },
      );
      t.same(r.ignored, ['bagit.txt', 'manifest-sha256.txt', 'bag-info.txt', 'data/mets.xml']);
      const { model } = await metsOf(env, d, 'data/mets.xml');
      t.match(model.files, [
        {
          path: 'objects/Fedora-Usage-Principles.docx',
          size: 17305,
          digests: { sha256: '4650877617ebc07caa9ec21c8405c6b72d6f20d3904758879b6bfc16f2a45bdc' },
          format: { pronomKey: 'fmt/412', name: 'Microsoft Word for Windows' },
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          virusCheck: { outcome: 'Pass', agent: 'Brunnhilde', detail: '1.0.8' },
        },
      ]);
      await t.rejects(
        workspace.addToMets(d.id, ['notes.txt'], { ifMatch: await etagOf(records, d), agent: 'tester' }),
        { code: 'INVALID_INPUT', message: /outside the data\/ folder/ },
      );
      await t.rejects(
        workspace.addToMets(d.id, ['objects/Fedora-Usage-Principles.docx'], {
          ifMatch: await etagOf(records, d),
          agent: 'tester',
        }),
        { code: 'INVALID_INPUT' },
        'a path without its data/ prefix names nothing',
      );
    },
  );

  t.test('a METS the platform did not make is read, never rewritten: 409', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'None');
    const goobi = readFileSync(GOOBI);
    await env.put(d.files, { 'mets.xml': goobi, 'objects/a.txt': 'a' });
    const view = await workspace.filesystem(d.id);
    t.equal(view.metsEditable, false);
    const etag = await etagOf(records, d);
    await t.rejects(workspace.addToMets(d.id, ['objects/a.txt'], { ifMatch: etag, agent: 'tester' }), {
      code: 'CONFLICT',
      message: /not made by the platform/,
    });
    await t.rejects(
      workspace.deleteItems(
        d.id,
        {
          deleteFromDepositFiles: true,
          deleteFromMets: true,
          items: [{ path: 'objects/a.txt', isDir: false }],
        },
        { ifMatch: etag, agent: 'tester' },
      ),
      { code: 'CONFLICT' },
    );
    t.same(await env.read(d.files, 'mets.xml'), goobi, 'byte for byte as it was');
    t.ok(await env.exists(d.files, 'objects/a.txt'));
    const bare = await newDeposit(env, records, 'None');
    await t.rejects(workspace.addToMets(bare.id, ['x'], { ifMatch: '"x"', agent: 'tester' }), {
      code: 'CONFLICT',
      message: /no METS file/,
    });
  });

  t.test('while another agent holds the lock, METS edits are 409; the holder may edit', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    await env.put(d.files, { 'objects/a.txt': 'a' });
    await workspace.lock(d.id, 'ann');
    const etag = await etagOf(records, d);
    await t.rejects(workspace.addToMets(d.id, ['objects/a.txt'], { ifMatch: etag, agent: 'bob' }), {
      code: 'LOCKED',
    });
    await t.rejects(
      workspace.deleteItems(
        d.id,
        {
          deleteFromDepositFiles: true,
          deleteFromMets: false,
          items: [{ path: 'objects/a.txt', isDir: false }],
        },
        { ifMatch: etag, agent: 'bob' },
      ),
      { code: 'LOCKED' },
    );
    t.ok(await env.exists(d.files, 'objects/a.txt'));
    await workspace.addToMets(d.id, ['objects/a.txt'], { ifMatch: etag, agent: 'ann' });
    await workspace.unlock(d.id);
    await workspace.addToMets(d.id, ['objects/a.txt'], { ifMatch: await etagOf(records, d), agent: 'bob' });
  });

  t.test(
    'deleting a folder with its files removes them from the deposit and the METS, children first',
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'RootLevel');
      await env.put(d.files, { 'objects/d/x.txt': 'x', 'objects/d/e/y.txt': 'y', 'objects/keep.txt': 'k' });
      await workspace.addToMets(d.id, ['objects/d/x.txt', 'objects/d/e/y.txt', 'objects/keep.txt'], {
        ifMatch: await etagOf(records, d),
        agent: 'tester',
      });
      const r = await workspace.deleteItems(
        d.id,
        {
          deleteFromDepositFiles: true,
          deleteFromMets: true,
          // Parents first on purpose: the service orders the work itself.
          items: [
            { path: 'objects/d', isDir: true },
            { path: 'objects/d/e', isDir: true },
            { path: 'objects/d/x.txt', isDir: false },
            { path: 'objects/d/e/y.txt', isDir: false },
          ],
        },
        { ifMatch: await etagOf(records, d), agent: 'tester' },
      );
      t.ok(r.items.every((i) => i.deletedFromDeposit && i.deletedFromMets));
      const keys = await env.keys(d.files);
      t.notOk(
        keys.some((k) => k.startsWith('objects/d/')),
        'the files are gone from the working area',
      );
      t.ok(keys.includes('objects/keep.txt'));
      const { model } = await metsOf(env, d);
      t.same(
        model.files.map((f) => f.path),
        ['objects/keep.txt'],
      );
      t.same(
        model.directories.map((x) => x.path),
        ['metadata', 'objects'],
      );
      t.equal((await records.deposits.get(d.id))!.metsETag, r.metsETag);
    },
  );

  t.test('a folder whose children are not all selected is 400, and nothing changes', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    await env.put(d.files, { 'objects/d/x.txt': 'x', 'objects/d/y.txt': 'y' });
    await workspace.addToMets(d.id, ['objects/d/x.txt'], {
      ifMatch: await etagOf(records, d),
      agent: 'tester',
    });
    const before = await env.read(d.files, 'mets.xml');
    await t.rejects(
      workspace.deleteItems(
        d.id,
        {
          deleteFromDepositFiles: true,
          deleteFromMets: true,
          items: [
            { path: 'objects/d', isDir: true },
            { path: 'objects/d/x.txt', isDir: false },
          ],
        },
        { ifMatch: await etagOf(records, d), agent: 'tester' },
      ),
      { code: 'INVALID_INPUT', message: /"objects\/d" holds "objects\/d\/y.txt", which is not selected/ },
    );
    t.same(await env.read(d.files, 'mets.xml'), before);
    t.ok(await env.exists(d.files, 'objects/d/x.txt'));
  });

  t.test('deleteFromMets alone leaves the files; deleteFromDepositFiles alone leaves the METS', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    await env.put(d.files, { 'objects/a.txt': 'a', 'objects/b.txt': 'b' });
    await workspace.addToMets(d.id, ['objects/a.txt', 'objects/b.txt'], {
      ifMatch: await etagOf(records, d),
      agent: 'tester',
    });
    const metsOnly = await workspace.deleteItems(
      d.id,
      {
        deleteFromDepositFiles: false,
        deleteFromMets: true,
        items: [{ path: 'objects/a.txt', isDir: false }],
      },
      { ifMatch: await etagOf(records, d), agent: 'tester' },
    );
    t.match(metsOnly.items, [{ deletedFromDeposit: false, deletedFromMets: true }]);
    t.ok(await env.exists(d.files, 'objects/a.txt'));
    t.same(
      (await metsOf(env, d)).model.files.map((f) => f.path),
      ['objects/b.txt'],
    );
    const etag = await etagOf(records, d);
    const filesOnly = await workspace.deleteItems(
      d.id,
      {
        deleteFromDepositFiles: true,
        deleteFromMets: false,
        items: [{ path: 'objects/b.txt', isDir: false }],
      },
      { ifMatch: etag, agent: 'tester' },
    );
    t.equal(`"${filesOnly.metsETag}"`, etag, 'the METS is not rewritten');
    t.notOk(await env.exists(d.files, 'objects/b.txt'));
    t.same(
      (await metsOf(env, d)).model.files.map((f) => f.path),
      ['objects/b.txt'],
      'a METS entry whose file is gone stays until it is deleted from the METS',
    );
    // The scenario of a partial export: the file is not in the working area, only in the METS.
    const gone = await workspace.deleteItems(
      d.id,
      {
        deleteFromDepositFiles: true,
        deleteFromMets: true,
        items: [{ path: 'objects/b.txt', isDir: false }],
      },
      { ifMatch: await etagOf(records, d), agent: 'tester' },
    );
    t.match(gone.items, [{ deletedFromDeposit: false, deletedFromMets: true }]);
    await t.rejects(
      workspace.deleteItems(
        d.id,
        {
          deleteFromDepositFiles: false,
          deleteFromMets: false,
          items: [{ path: 'objects/a.txt', isDir: false }],
        },
        { ifMatch: await etagOf(records, d), agent: 'tester' },
      ),
      { code: 'INVALID_INPUT', message: /nothing to delete/ },
    );
  });

  t.test(
    'a file named as a folder, a folder named as a file, the METS itself and absent paths are 400',
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'RootLevel');
      await env.put(d.files, { 'objects/d/x.txt': 'x' });
      const del = async (items: { path: string; isDir: boolean }[]) =>
        workspace.deleteItems(
          d.id,
          { deleteFromDepositFiles: true, deleteFromMets: true, items },
          { ifMatch: await etagOf(records, d), agent: 'tester' },
        );
      await t.rejects(del([{ path: 'objects/d/x.txt', isDir: true }]), {
        message: /is a file, not a folder/,
      });
      await t.rejects(del([{ path: 'objects/d', isDir: false }]), { message: /is a folder, not a file/ });
      await t.rejects(del([{ path: 'mets.xml', isDir: false }]), { message: /the METS file itself/ });
      await t.rejects(del([{ path: 'objects/nothing.txt', isDir: false }]), {
        message: /not in the deposit or its METS/,
      });
      await t.rejects(del([{ path: '../../etc/passwd', isDir: false }]), { code: 'INVALID_INPUT' });
      await t.rejects(del([{ path: 'objects/%2e%2e/%2e%2e/x', isDir: false }]), { code: 'INVALID_INPUT' });
      await t.rejects(
        del([
          { path: 'objects/d/x.txt', isDir: false },
          { path: 'objects/d/x.txt/', isDir: true },
        ]),
        { message: /both as a file and a folder/ },
      );
      t.ok(await env.exists(d.files, 'objects/d/x.txt'));
    },
  );

  t.test('the same edits give the same bytes, with ISO dates and valid xs:IDs', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const written: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const d = await newDeposit(env, records, 'RootLevel');
      const files = { 'objects/a b & c/résumé #1.txt': 'abc', 'objects/z.csv': '1,2\n' };
      await env.put(d.files, { ...files, ...toolOutputs(files) });
      await workspace.addToMets(d.id, Object.keys(files), {
        ifMatch: await etagOf(records, d),
        agent: 'tester',
      });
      written.push((await metsOf(env, d)).bytes);
    }
    t.same(written[0], written[1], 'deterministic');
    const text = written[0]!.toString('utf8');
    const ids = [...text.matchAll(/ ID="([^"]*)"/g)].map((m) => m[1]!);
    t.ok(ids.length > 5);
    t.ok(
      ids.every((id) => /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(id)),
      'every ID is an NCName',
    );
    t.equal(new Set(ids).size, ids.length, 'IDs are unique');
    for (const m of text.matchAll(/(?:CREATEDATE|LASTMODDATE)="([^"]*)"|<premis:eventDateTime>([^<]*)</g))
      t.match(m[1] ?? m[2], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, 'an ISO date');
    await schemaCheck(t, written[0]!);
  });
}

const xsd = process.env.STRONGROOM_METS_XSD;
const python = process.env.STRONGROOM_XSD_PYTHON ?? 'python3';

/** Validate against mets.xsd as test/formats/mets/schema.test.ts does, when the schema is at hand. */
async function schemaCheck(t: Test, bytes: Buffer): Promise<void> {
  const ready = xsd && existsSync(xsd) && spawnSync(python, ['-c', 'import xmlschema']).status === 0;
  if (!ready) {
    t.pass('mets.xsd check', { skip: 'STRONGROOM_METS_XSD / xmlschema not available (scripts/mets-xsd.sh)' });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sr-mets-edit-xsd-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'edited.xml');
  writeFileSync(file, bytes);
  const res = spawnSync(python, [join(repoRoot, 'test/formats/mets/validate_mets_schema.py'), xsd!, file], {
    encoding: 'utf8',
  });
  t.equal(res.status, 0, res.stdout + res.stderr);
  t.match(res.stdout, `${file} VALID`, 'the edited METS is valid against mets.xsd');
}

t.test('filesystem', async (t) => {
  await suite(t, async (t) => fsWorkspaceEnv(t));
});

const config = requireS3(t);
if (config) {
  t.test('minio', async (t) => {
    await suite(t, (t) => s3WorkspaceEnv(t, config));
  });
}
