import { chmodSync, cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { MetsDocument } from '../../lib/formats/mets/document.js';
import { writeMets } from '../../lib/formats/mets/writer.js';
import { closeDefaultPool } from '../../lib/hash/pool.js';
import { type DiffDepositOptions, diffDeposit } from '../../lib/services/diff.js';
import { executeImportJob } from '../../lib/services/import-jobs.js';
import { openRepository } from '../../lib/services/repository.js';
import { MemoryStores } from '../../lib/storage/memory/registry.js';
import { exportVersion } from '../../lib/txn/export.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { corpusDir } from '../helpers/paths.js';
import { requireS3 } from '../helpers/s3.js';
import { tempDir } from '../txn/helpers.js';
import { type Deposit, type DiffEnv, fsDiffEnv, s3DiffEnv, sha256 } from './diff-env.js';

t.teardown(closeDefaultPool);

const BASE = 'https://example.org/repository/';
const GROUP = `${BASE}books/b1`;
const OBJECT = 'info:fedora/books/b1';
const agent = { name: 'https://example.org/agents/tester' };

/** A METS listing `files` (METS path → content) with SHA-256, size and optional names/types. */
function mets(
  files: Record<string, string | Buffer>,
  extra: Record<string, { name?: string; contentType?: string }> = {},
): string {
  const doc = MetsDocument.create({ title: 'Book one' });
  for (const [path, content] of Object.entries(files)) {
    doc.addFile({
      path,
      sha256: sha256(Buffer.from(content)),
      size: Buffer.byteLength(content),
      ...extra[path],
    });
  }
  return writeMets(doc);
}

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id.slice(GROUP.length + 1));

function listsOf(job: Awaited<ReturnType<typeof diffDeposit>>['job']) {
  return {
    containersToAdd: ids(job.containersToAdd),
    binariesToAdd: ids(job.binariesToAdd),
    containersToDelete: ids(job.containersToDelete),
    binariesToDelete: ids(job.binariesToDelete),
    binariesToPatch: ids(job.binariesToPatch),
    containersToRename: ids(job.containersToRename),
    binariesToRename: ids(job.binariesToRename),
  };
}

const EMPTY = {
  containersToAdd: [],
  binariesToAdd: [],
  containersToDelete: [],
  binariesToDelete: [],
  binariesToPatch: [],
  containersToRename: [],
  binariesToRename: [],
};

async function setup(env: DiffEnv) {
  const writer = await openRepositoryWriter(env.repo, { create: true, store: env.store });
  await writer.createContainer('books', { agent });
  const repo = () => openRepository(env.repo, { store: env.store });
  const diff = async (dep: Deposit, extra: Partial<DiffDepositOptions> = {}) =>
    diffDeposit({
      files: dep.uri,
      archivalGroup: GROUP,
      archivalGroupName: 'Book one',
      repositoryBase: BASE,
      repository: await repo(),
      store: env.store,
      ...extra,
    });
  const run = (dep: Deposit, job: Awaited<ReturnType<typeof diffDeposit>>['job']) =>
    executeImportJob(writer, job, {
      repositoryBase: BASE,
      sources: [dep.uri],
      agent,
      sourceStore: env.store,
    });
  const exportTo = async (dep: Deposit, mode: 'full' | 'mets' | 'stub') => {
    const out = await exportVersion((await repo()).root, OBJECT, dep.uri, { mode, store: env.store });
    if (out.errors.length > 0) throw new Error(JSON.stringify(out.errors));
  };
  return { writer, repo, diff, run, exportTo };
}

const PAGES = {
  'objects/page_1.tif': 'tiff one',
  'objects/page_2.jp2': 'jpeg 2000',
  'objects/notes/readme.txt': 'read me',
  'metadata/info.json': '{}',
};

/** Put a plain group (no METS) at v1 from a fresh deposit; returns that deposit. */
async function plainV1(env: DiffEnv, s: Awaited<ReturnType<typeof setup>>): Promise<Deposit> {
  const dep = await env.newDeposit();
  await dep.write(PAGES);
  const { job } = await s.diff(dep);
  await s.run(dep, job);
  return dep;
}

async function rejectsWith(t: Test, p: Promise<unknown>, paths: string[], what: RegExp) {
  try {
    await p;
    t.fail('should be refused');
  } catch (err) {
    const e = err as { code?: string; problems?: Array<{ path: string; message: string }> };
    t.equal(e.code, 'UNPROCESSABLE', (err as Error).message);
    t.same(e.problems?.map((x) => x.path).sort(), [...paths].sort(), 'each offending file is named');
    t.match(e.problems?.map((x) => x.message).join('\n'), what);
  }
}

function suite(t: Test, makeEnv: (t: Test) => Promise<DiffEnv>) {
  t.test(
    'a RootLevel deposit with METS for a new group: everything added, named and typed from the METS',
    async (t) => {
      const env = await makeEnv(t);
      const s = await setup(env);
      const dep = await env.newDeposit();
      const files = { ...PAGES, 'objects/page_3.dat': 'custom' };
      await dep.write({
        ...files,
        'mets.xml': mets(files, {
          'objects/page_1.tif': { name: 'Page 1 (front).tif' },
          'objects/page_3.dat': { contentType: 'application/x-custom' },
        }),
      });
      const { job, stats } = await s.diff(dep);
      t.equal(job.type, 'ImportJob');
      t.equal(job.isUpdate, false);
      t.equal(job.sourceVersion, null);
      t.equal(job.source, dep.uri);
      t.equal(job.archivalGroup, GROUP);
      t.equal(job.archivalGroupName, 'Book one');
      t.ok(Date.parse(job.created) > 0, 'created is a time');
      t.same(listsOf(job), {
        ...EMPTY,
        containersToAdd: ['metadata', 'objects', 'objects/notes'],
        binariesToAdd: [
          'metadata/info.json',
          'mets.xml',
          'objects/notes/readme.txt',
          'objects/page_1.tif',
          'objects/page_2.jp2',
          'objects/page_3.dat',
        ],
      });
      const byId = new Map(job.binariesToAdd.map((b) => [b.id.slice(GROUP.length + 1), b]));
      t.equal(byId.get('objects/page_1.tif')?.name, 'Page 1 (front).tif', 'the METS name wins');
      t.equal(byId.get('objects/page_1.tif')?.contentType, 'image/tiff', 'extension');
      t.equal(byId.get('objects/page_2.jp2')?.contentType, 'image/jp2');
      t.equal(byId.get('objects/page_3.dat')?.contentType, 'application/x-custom', 'METS type');
      t.equal(byId.get('mets.xml')?.contentType, 'application/xml');
      t.equal(byId.get('objects/page_2.jp2')?.digest, sha256(PAGES['objects/page_2.jp2']));
      t.equal(byId.get('objects/page_2.jp2')?.size, PAGES['objects/page_2.jp2'].length);
      t.equal(byId.get('objects/page_2.jp2')?.origin, `${dep.uri}objects/page_2.jp2`);
      t.equal(stats.digests.METS, 5, 'every described file takes its digest from the METS');
      t.equal(
        stats.digests.computed + stats.digests.S3,
        1,
        'only the METS file itself needed another source',
      );
      t.equal(stats.metsFile, 'mets.xml');
      const out = await s.run(dep, job);
      t.equal(out.newVersion, 'v1');
      const res = await (await s.repo()).resources(OBJECT);
      t.equal(res.byPath.get('objects/page_1.tif')?.name, 'Page 1 (front).tif');
      const again = await s.diff(dep);
      t.same(listsOf(again.job), EMPTY, 'diffing again after the import gives an empty job');
      t.equal(again.job.isUpdate, true);
      t.equal(again.job.sourceVersion?.ocflVersion, 'v1');
      t.match(again.job.sourceVersion, { mementoTimestamp: /^\d{14}$/, mementoDateTime: /Z$/ });
    },
  );

  t.test(
    'a BagIt deposit: data/ is not part of the paths, tag files are not content, manifest digests are used',
    async (t) => {
      const env = await makeEnv(t);
      const s = await setup(env);
      const dep = await env.newDeposit();
      const payload = { 'data/objects/a.txt': 'alpha', 'data/objects/b c.txt': 'beta' };
      const manifest = Object.entries(payload)
        .map(([p, c]) => `${sha256(c)}  ${p}\n`)
        .join('');
      await dep.write({
        ...payload,
        'bagit.txt': 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
        'bag-info.txt': 'Bagging-Date: 2025-01-02\n',
        'manifest-sha256.txt': manifest,
        'tagmanifest-sha256.txt': `${sha256('x')}  bagit.txt\n`,
      });
      const { job, stats } = await s.diff(dep, { template: 'BagIt' });
      t.same(listsOf(job), {
        ...EMPTY,
        containersToAdd: ['objects'],
        binariesToAdd: ['objects/a.txt', 'objects/b%20c.txt'],
      });
      const spaced = env.name === 'fs' ? 'b%20c.txt' : 'b c.txt';
      t.equal(job.binariesToAdd[1]?.origin, `${dep.uri}data/objects/${spaced}`, 'origins are location URIs');
      t.same(stats.digests, { METS: 0, BagIt: 2, S3: 0, computed: 0 }, 'no file read or HEADed');
      const out = await s.run(dep, job);
      t.equal(out.newVersion, 'v1');
      t.same(listsOf((await s.diff(dep, { template: 'BagIt' })).job), EMPTY);
      await dep.write({ 'stray.txt': 'outside data/' });
      const bag = await s.diff(dep, { template: 'BagIt' });
      t.same(listsOf(bag.job), EMPTY, 'anything beside data/ of a declared bag is the bag\u2019s own');
      await dep.remove('bagit.txt');
      await rejectsWith(t, s.diff(dep, { template: 'BagIt' }), ['stray.txt'], /outside the data\/ folder/);
    },
  );

  t.test('a plain folder with no METS: every digest is computed from the bytes', async (t) => {
    const env = await makeEnv(t);
    const s = await setup(env);
    const dep = await env.newDeposit();
    await dep.write(PAGES);
    const { job, stats } = await s.diff(dep);
    t.equal(stats.metsFile, null);
    t.equal(stats.digests.computed, 4);
    t.same(
      job.binariesToAdd.map((b) => b.digest),
      ['metadata/info.json', 'objects/notes/readme.txt', 'objects/page_1.tif', 'objects/page_2.jp2'].map(
        (k) => sha256(PAGES[k as keyof typeof PAGES]),
      ),
    );
  });

  t.test('a full re-export of an existing group with one file changed gives only that patch', async (t) => {
    const env = await makeEnv(t);
    const s = await setup(env);
    await plainV1(env, s);
    const dep = await env.newDeposit();
    await s.exportTo(dep, 'full');
    await dep.write({ 'objects/page_2.jp2': 'a new jpeg 2000' });
    const { job } = await s.diff(dep);
    t.equal(job.isUpdate, true);
    t.equal(job.sourceVersion?.ocflVersion, 'v1');
    t.same(listsOf(job), { ...EMPTY, binariesToPatch: ['objects/page_2.jp2'] });
    t.equal(job.binariesToPatch[0]?.digest, sha256('a new jpeg 2000'));
    t.equal((await s.run(dep, job)).newVersion, 'v2');
    t.same(listsOf((await s.diff(dep)).job), EMPTY, 'diffing again after the import gives an empty job');
  });

  t.test('a partial deposit (changed files and the METS) deletes only what the METS dropped', async (t) => {
    const env = await makeEnv(t);
    const s = await setup(env);
    const first = await env.newDeposit();
    const v1 = { 'objects/a.txt': 'a', 'objects/b.txt': 'b', 'objects/sub/c.txt': 'c' };
    await first.write({ ...v1, 'mets.xml': mets(v1) });
    await s.run(first, (await s.diff(first)).job);
    const dep = await env.newDeposit();
    await s.exportTo(dep, 'mets');
    const exported = await dep.read('mets.xml');
    t.equal(exported.toString(), mets(v1), 'the METS-only export holds the group METS');
    await dep.write({ 'objects/a.txt': 'A, longer now' });
    await rejectsWith(t, s.diff(dep), ['objects/a.txt'], /sizes differ: deposit 13, METS 1 bytes/);
    const v2 = { 'objects/a.txt': 'A, longer now', 'objects/sub/c.txt': 'c', 'objects/new.txt': 'new' };
    await dep.write({ 'objects/new.txt': 'new', 'mets.xml': mets(v2) });
    const { job } = await s.diff(dep);
    t.same(listsOf(job), {
      ...EMPTY,
      binariesToAdd: ['objects/new.txt'],
      binariesToPatch: ['mets.xml', 'objects/a.txt'],
      binariesToDelete: ['objects/b.txt'],
    });
    t.equal((await s.run(dep, job)).newVersion, 'v2');
    const res = await (await s.repo()).resources(OBJECT);
    t.same([...res.byPath.keys()].filter((p) => p.includes('.')).sort(), [
      'mets.xml',
      'objects/a.txt',
      'objects/new.txt',
      'objects/sub/c.txt',
    ]);
    t.same(listsOf((await s.diff(dep)).job), EMPTY);
    const stale = await env.newDeposit();
    await stale.write({ 'mets.xml': mets({ ...v2, 'objects/sub/c.txt': 'changed elsewhere' }) });
    await rejectsWith(t, s.diff(stale), ['objects/sub/c.txt'], /new content .* deposit does not hold it/);
    const unknown = await env.newDeposit();
    await unknown.write({ 'mets.xml': mets({ ...v2, 'objects/ghost.txt': 'g' }) });
    await rejectsWith(
      t,
      s.diff(unknown),
      ['objects/ghost.txt'],
      /neither in the deposit nor in the Archival Group/,
    );
  });

  t.test('a METS that does not list every deposit file is refused, naming the files', async (t) => {
    const env = await makeEnv(t);
    const s = await setup(env);
    const dep = await env.newDeposit();
    await dep.write({
      ...PAGES,
      'mets.xml': mets({ 'objects/page_1.tif': PAGES['objects/page_1.tif'], 'metadata/info.json': '{}' }),
    });
    await rejectsWith(
      t,
      s.diff(dep),
      ['objects/notes/readme.txt', 'objects/page_2.jp2'],
      /not in its METS file "mets.xml"/,
    );
    await dep.write({ 'broken-mets.xml': '<mets' });
    await dep.remove('mets.xml');
    await rejectsWith(t, s.diff(dep), ['broken-mets.xml'], /^broken-mets\.xml:1:\d+: /);
    await dep.write({ 'other-mets.xml': '<x/>' });
    await rejectsWith(t, s.diff(dep), ['/'], /2 METS candidates/);
  });

  t.test('sources that disagree about a file are reported, not resolved', async (t) => {
    const env = await makeEnv(t);
    const s = await setup(env);
    const dep = await env.newDeposit();
    await dep.write({
      'data/objects/a.txt': 'alpha',
      'data/objects/b.txt': 'beta',
      'data/mets.xml': mets({ 'objects/a.txt': 'alpha', 'objects/b.txt': 'beta' }),
      'bagit.txt': 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
      'manifest-sha256.txt': `${sha256('alpha')}  data/objects/a.txt\n${sha256('not beta')}  data/objects/b.txt\n${sha256('x')}  data/objects/gone.txt\n`,
    });
    try {
      await s.diff(dep, { template: 'BagIt' });
      t.fail('should be refused');
    } catch (err) {
      const e = err as { code: string; problems: Array<{ path: string; message: string }> };
      t.equal(e.code, 'UNPROCESSABLE');
      const b = e.problems.find((p) => p.path === 'data/objects/b.txt');
      t.match(b?.message, `METS ${sha256('beta')}, BagIt ${sha256('not beta')}`, 'both sources are named');
      t.ok(
        e.problems.find((p) => p.path === 'data/objects/gone.txt'),
        'a manifest entry the deposit lacks',
      );
      t.equal(e.problems.length, 2);
    }
  });

  t.test('names with unicode, spaces, # and % map to ids reversibly and apply', async (t) => {
    const env = await makeEnv(t);
    const s = await setup(env);
    const dep = await env.newDeposit();
    const files = {
      'objects/résumé #1 %.txt': 'unicode',
      'objects/a b/100% c#d.txt': 'spaces',
      'objects/日本語.txt': 'cjk',
    };
    await dep.write({ ...files, 'mets.xml': mets(files) });
    const { job } = await s.diff(dep);
    t.same(listsOf(job).binariesToAdd, [
      'mets.xml',
      'objects/%E6%97%A5%E6%9C%AC%E8%AA%9E.txt',
      'objects/a%20b/100%25%20c%23d.txt',
      'objects/r%C3%A9sum%C3%A9%20%231%20%25.txt',
    ]);
    t.same(
      listsOf(job).containersToAdd,
      ['metadata', 'objects', 'objects/a%20b'],
      'folders the METS lists, even empty',
    );
    const named = job.binariesToAdd.find((b) => b.id.endsWith('%25.txt'));
    t.equal(named?.name, 'résumé #1 %.txt', 'the original name is kept');
    t.equal(job.containersToAdd[2]?.name, 'a b');
    await s.run(dep, job);
    const res = await (await s.repo()).resources(OBJECT);
    t.ok(res.byPath.has('objects/a b/100% c#d.txt'));
    t.same(listsOf((await s.diff(dep)).job), EMPTY);
  });

  t.test('a moved file is a delete and an add whose content is not copied again', async (t) => {
    const env = await makeEnv(t);
    const s = await setup(env);
    await plainV1(env, s);
    const before = await (await s.repo()).storageMap(OBJECT);
    const dep = await env.newDeposit();
    await s.exportTo(dep, 'full');
    await dep.move('objects/notes/readme.txt', 'objects/moved/readme.txt');
    const { job } = await s.diff(dep);
    t.same(listsOf(job), {
      ...EMPTY,
      containersToAdd: ['objects/moved'],
      binariesToAdd: ['objects/moved/readme.txt'],
      containersToDelete: ['objects/notes'],
      binariesToDelete: ['objects/notes/readme.txt'],
    });
    await s.run(dep, job);
    const after = await (await s.repo()).storageMap(OBJECT);
    t.equal(
      after.files['objects/moved/readme.txt']?.fullPath,
      before.files['objects/notes/readme.txt']?.fullPath,
      'the moved file points at the bytes v1 stored',
    );
  });

  t.test('export stubs count as unchanged; a stub the group cannot stand behind is refused', async (t) => {
    const env = await makeEnv(t);
    const s = await setup(env);
    await plainV1(env, s);
    const dep = await env.newDeposit();
    await s.exportTo(dep, 'stub');
    const { job, stats } = await s.diff(dep);
    t.same(listsOf(job), EMPTY, 'a deposit of stubs changes nothing');
    t.equal(stats.stubs, 4);
    await dep.write({ 'objects/page_1.tif': 'real new content' });
    t.same(listsOf((await s.diff(dep)).job), { ...EMPTY, binariesToPatch: ['objects/page_1.tif'] });
    await dep.write({ 'objects/copy.txt': await dep.read('objects/page_2.jp2') });
    await rejectsWith(
      t,
      s.diff(dep),
      ['objects/copy.txt'],
      /export stub for a file the Archival Group does not hold/,
    );
  });
}

t.test(
  'an object and a prefix of the same name (possible on S3) map to one id: refused, naming it',
  async (t) => {
    // MinIO cannot hold `x` and `x/y` at once (it lists only one), so an object store that can
    // (AWS, the memory store) stands in.
    const memoryStores = new MemoryStores();
    const store = memoryStores.get('deposit');
    await store.write('objects/x', 'a file');
    await store.write('objects/x/y.txt', 'below a file of the same name');
    await rejectsWith(
      t,
      diffDeposit({
        files: 'memory://deposit',
        archivalGroup: GROUP,
        repositoryBase: BASE,
        store: { memoryStores },
      }),
      ['objects/x'],
      /a file and a folder map to the same id/,
    );
  },
);

function chmodWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) chmodWritable(path);
    else chmodSync(path, 0o644);
  }
}

const SIEGFRIED = `---
siegfried   : 1.11.0
scandate    : 2025-04-25T14:14:41Z
signature   : default.sig
created     : 2023-12-17T15:54:41+01:00
identifiers :
  - name    : 'pronom'
    details : 'DROID_SignatureFile_V116.xml'
---
filename : 'objects/photo.nef'
filesize : 9
modified : 2025-04-20T12:45:53Z
errors   :
matches  :
  - ns      : 'pronom'
    id      : 'fmt/202'
    format  : 'Nikon Digital SLR Image'
    version :
    mime    : 'image/x-nikon-nef'
    basis   : 'extension match nef'
    warning :
`;

t.test(
  'content types of new files: a format tool’s MIME type, else the extension, else octet-stream',
  async (t) => {
    const env = await fsDiffEnv(t);
    const dep = await env.newDeposit();
    await dep.write({
      'objects/photo.nef': 'raw bytes',
      'objects/notes.unknown': 'x',
      'objects/page.tif': 't',
      'metadata/siegfried/siegfried.yml': SIEGFRIED,
    });
    const { job } = await diffDeposit({ files: dep.uri, archivalGroup: GROUP, repositoryBase: BASE });
    const type = new Map(job.binariesToAdd.map((b) => [b.id.slice(GROUP.length + 1), b.contentType]));
    t.same(Object.fromEntries(type), {
      'metadata/siegfried/siegfried.yml': 'application/yaml',
      'objects/notes.unknown': 'application/octet-stream',
      'objects/page.tif': 'image/tiff',
      'objects/photo.nef': 'image/x-nikon-nef',
    });
  },
);

t.test(
  'a real bag whose manifest names files the deposit lacks (my-item) is refused, naming each',
  async (t) => {
    const dir = tempDir(t, 'diff-my-item');
    cpSync(join(corpusDir, 'digital-preservation-docs/playwright/PreservationApi/samples/my-item'), dir, {
      recursive: true,
    });
    chmodWritable(dir); // the corpus is read-only; the copy must be removable at teardown
    const missing = [
      'IMAGE-2.tiff',
      'warteck.jpg',
      ...['DSCF0981', 'DSCF1004', 'DSCF1008', 'DSCF1044', 'DSCF1090', 'DSCF1128', 'DSCF1156'].map(
        (n) => `nyc/${n}.JPG`,
      ),
    ].map((p) => `data/objects/${p}`);
    await rejectsWith(
      t,
      diffDeposit({ files: dir, template: 'BagIt', archivalGroup: GROUP, repositoryBase: BASE }),
      missing,
      /is in the BagIt manifest but not in the deposit/,
    );
  },
);

t.test(
  'a METS path in other letter case matches the one deposit file it can mean, with a warning',
  async (t) => {
    const env = await fsDiffEnv(t);
    const dep = await env.newDeposit();
    await dep.write({ 'objects/Page.TIF': 'tiff', 'mets.xml': mets({ 'objects/page.tif': 'tiff' }) });
    const { job, warnings, stats } = await diffDeposit({
      files: dep.uri,
      archivalGroup: GROUP,
      repositoryBase: BASE,
    });
    t.equal(stats.digests.METS, 1);
    t.ok(
      job.binariesToAdd.some((b) => b.id === `${GROUP}/objects/Page.TIF`),
      'the deposit key makes the id',
    );
    t.match(warnings, [{ path: 'objects/Page.TIF', message: /letter case differs/ }]);
  },
);

t.test('a local working area that does not exist is not an empty deposit', async (t) => {
  const env = await fsDiffEnv(t);
  const dep = await env.newDeposit();
  await t.rejects(diffDeposit({ files: `${dep.uri}missing/`, archivalGroup: GROUP, repositoryBase: BASE }), {
    code: 'NOT_FOUND',
  });
});

t.test('filesystem', async (t) => suite(t, fsDiffEnv));
const config = requireS3(t);
if (config) t.test('minio', async (t) => suite(t, (tt) => s3DiffEnv(tt, config)));

t.test(
  'a full export diffed against its own group gives an empty job, renamed folders and all',
  async (t) => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const { openRepositoryWriter, putFolder, exportVersion, openRepository, diffDeposit } = await import(
      '../../lib/index.js'
    );
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-roundtrip-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const src = join(dir, 'src');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(src, 'objects', 'a folder'), { recursive: true });
    writeFileSync(join(src, 'objects', 'a folder', 'x #1.txt'), 'x');
    writeFileSync(join(src, 'top.txt'), 'top');
    const repoUri = pathToFileURL(join(dir, 'repo')).href;
    const writer = await openRepositoryWriter(repoUri, { create: true });
    await writer.createContainer('g', { agent: { name: 'a' } });
    await putFolder(writer, 'g/one', pathToFileURL(src).href, { agent: { name: 'a' } });
    await writer
      .begin('g/one', { agent: { name: 'a' } })
      .rename('objects/a folder', 'Renamed folder')
      .commit();
    const repo = await openRepository(repoUri);
    const out = join(dir, 'export');
    const exported = await exportVersion(repo.root, 'info:fedora/g/one', pathToFileURL(out).href);
    t.same(exported.errors, []);
    const { job } = await diffDeposit({
      files: pathToFileURL(out).href,
      archivalGroup: 'https://example.org/repository/g/one',
      repositoryBase: 'https://example.org/repository/',
      repository: repo,
    });
    const changes = [
      job.containersToAdd,
      job.binariesToAdd,
      job.binariesToPatch,
      job.binariesToDelete,
      job.containersToDelete,
    ];
    t.same(
      changes.map((l) => l.length),
      [0, 0, 0, 0, 0],
      'nothing to do',
    );
  },
);
