/**
 * The deposit filesystem view (DepositWorkspace.filesystem) on the filesystem and on MinIO: the
 * WorkingDirectory tree, metadata collated from the tool outputs at the spec's locations, files
 * uploaded after creation showing without a refresh, the caches, and entries never read.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import type { Metadata, WorkingDirectory, WorkingFile } from '../../lib/formats/model.js';
import { openMemoryRecords } from '../../lib/records/memory-records.js';
import type { RecordStore } from '../../lib/records/port.js';
import { DepositSourceCache } from '../../lib/services/deposit-source-cache.js';
import { readDepositSources } from '../../lib/services/deposit-sources.js';
import { DepositWorkspace } from '../../lib/services/deposit-workspace.js';
import { openStore } from '../../lib/storage/location.js';
import type { ReadableStore } from '../../lib/storage/port.js';
import { createS3Client, type S3Connection } from '../../lib/storage/s3/config.js';
import { corpusDir } from '../helpers/paths.js';
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
const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

function fileAt(view: { files: WorkingFile[] }, path: string): WorkingFile {
  const f = view.files.find((x) => x.localPath === path);
  if (!f) throw new Error(`no ${path} in the view`);
  return f;
}

function dirAt(root: WorkingDirectory, path: string): WorkingDirectory | undefined {
  if (root.localPath === path) return root;
  for (const d of root.directories) {
    const found = dirAt(d, path);
    if (found) return found;
  }
  return undefined;
}

function ofType<T extends Metadata['type']>(f: WorkingFile, type: T, source?: string) {
  return f.metadata.filter((m) => m.type === type && (source === undefined || m.source === source)) as Array<
    Extract<Metadata, { type: T }>
  >;
}

async function setup(t: Test, env: WorkspaceEnv, extra: { cache?: DepositSourceCache } = {}) {
  const records: RecordStore = await openMemoryRecords();
  t.teardown(() => records.close());
  const workspace = new DepositWorkspace({ records, store: env.store, ...extra });
  return { records, workspace };
}

async function suite(t: Test, makeEnv: (t: Test) => Promise<WorkspaceEnv>) {
  t.test(
    'a RootLevel deposit shows its template folders and METS, and a file uploaded after creation appears without a refresh',
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'RootLevel');
      const first = await workspace.filesystem(d.id);
      t.equal(first.root.type, 'WorkingDirectory');
      t.equal(first.root.localPath, '');
      t.same(
        first.root.directories.map((x) => x.localPath),
        ['metadata', 'objects'],
        'the template folders, also on S3 where empty folders do not exist',
      );
      t.same(
        first.root.files.map((f) => [f.localPath, f.contentType]),
        [['mets.xml', 'application/xml']],
      );
      t.ok(first.root.directories[1]!.metsExtensions?.physDivId, 'the folder is in the METS');
      t.equal(first.metsEditable, true);

      await env.put(d.files, { 'objects/sub dir/a b.txt': 'hello', 'objects/sub dir/deeper/c.csv': 'x,y\n' });
      const second = await workspace.filesystem(d.id);
      const a = fileAt(second, 'objects/sub dir/a b.txt');
      t.match(a, { type: 'WorkingFile', size: 5, contentType: 'text/plain', digest: null });
      t.match(a.modified, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'modified is an ISO date');
      const sub = dirAt(second.root, 'objects/sub dir')!;
      t.same(
        sub.files.map((f) => f.localPath),
        ['objects/sub dir/a b.txt'],
        'files holds the direct children only',
      );
      t.same(
        sub.directories.map((x) => x.localPath),
        ['objects/sub dir/deeper'],
      );
      t.same(
        sub.directories[0]!.files.map((f) => f.localPath),
        ['objects/sub dir/deeper/c.csv'],
      );
      for (const p of [...second.files.map((f) => f.localPath), 'objects/sub dir', 'objects/sub dir/deeper'])
        t.notOk(p.startsWith('/') || p.endsWith('/'), `${p}: no slash at either end`);
      t.ok(
        second.mismatches.some((m) => m.localPath === 'objects/sub dir/a b.txt' && m.field === 'presence'),
        'a file not yet in the METS is reported beside the tree',
      );
    },
  );

  t.test(
    'BagIt digests, Siegfried and Brunnhilde formats and the Brunnhilde ClamAV scan reach each WorkingFile (corpus bag)',
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'BagIt');
      await env.put(d.files, corpusFiles(BAG));
      const view = await workspace.filesystem(d.id);
      const docx = fileAt(view, 'data/objects/Fedora-Usage-Principles.docx');
      const digest = '4650877617ebc07caa9ec21c8405c6b72d6f20d3904758879b6bfc16f2a45bdc';
      t.equal(docx.digest, digest);
      t.equal(docx.size, 17305);
      t.match(
        ofType(docx, 'DigestMetadata', 'BagIt'),
        [{ digest, timestamp: '2025-04-25' }],
        'from manifest-sha256.txt',
      );
      t.match(ofType(docx, 'FileFormatMetadata', 'Siegfried'), [
        { pronomKey: 'fmt/412', origin: 'data/metadata/siegfried/siegfried.yml', digest },
      ]);
      t.match(ofType(docx, 'FileFormatMetadata', 'Brunnhilde'), [
        { pronomKey: 'fmt/412', origin: 'data/metadata/brunnhilde/siegfried.csv' },
      ]);
      t.match(ofType(docx, 'VirusScanMetadata', 'Brunnhilde'), [
        { hasVirus: false, origin: 'data/metadata/brunnhilde/logs/viruscheck-log.txt' },
      ]);
      const awkward = view.files.find((f) => f.localPath.startsWith('data/objects/awkward/7 ways'))!;
      t.ok(awkward.localPath.includes('💜'), 'names with emoji and # survive');
      t.match(ofType(awkward, 'FileFormatMetadata', 'Siegfried'), [{ pronomKey: 'fmt/96' }]);
      const report = view.root.metadata.concat(dirAt(view.root, 'data')?.metadata ?? []);
      t.ok(
        [...report, ...(dirAt(view.root, 'data/objects')?.metadata ?? [])].some(
          (m) => m.type === 'ToolOutput',
        ),
        "Brunnhilde's report.html is attached as a ToolOutput",
      );
      t.ok(
        view.mismatches.some((m) => m.field === 'presence' && m.localPath === 'data/objects/IMAGE-2.tiff'),
        'files the tools and manifest name but the deposit lacks are reported',
      );
    },
  );

  t.test(
    'ExifTool tags and a virus found by a plain ClamAV log land on the file; the virus is a problem',
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'RootLevel');
      await env.put(d.files, {
        'objects/photos/p1.jpg': 'not really a jpeg',
        'objects/docs/eicar.txt': 'X5O!P%@AP',
        'metadata/exiftool/exif.json': exiftoolJson({
          '/home/u/packing/job/objects/photos/p1.jpg': { Make: 'FUJIFILM', ImageWidth: 640 },
        }),
        'metadata/clamav/scan.log': clamscanLog({
          '/home/u/packing/job/objects/photos/p1.jpg': null,
          '/home/u/packing/job/objects/docs/eicar.txt': 'Eicar-Signature',
        }),
      });
      const view = await workspace.filesystem(d.id);
      const p1 = fileAt(view, 'objects/photos/p1.jpg');
      t.match(ofType(p1, 'ExifMetadata', 'ExifTool'), [{ tags: { Make: 'FUJIFILM', ImageWidth: '640' } }]);
      t.match(ofType(p1, 'VirusScanMetadata', 'ClamAV'), [{ hasVirus: false }]);
      const eicar = fileAt(view, 'objects/docs/eicar.txt');
      t.match(ofType(eicar, 'VirusScanMetadata', 'ClamAV'), [
        { hasVirus: true, virusesFound: ['Eicar-Signature'] },
      ]);
      t.match(view.findings, [{ code: 'TOOL_VIRUS_FOUND', severity: 'error' }]);
    },
  );

  t.test(
    'an unchanged deposit is answered from the cache; a changed tool output is read again; refresh rebuilds',
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'RootLevel');
      const yaml = (puid: string) =>
        siegfriedYaml([
          {
            path: 'objects/a.txt',
            size: 3,
            sha256: sha256('abc'),
            puid,
            format: 'Plain Text File',
            mime: 'text/plain',
          },
        ]);
      await env.put(d.files, {
        'objects/a.txt': 'abc',
        'metadata/siegfried/siegfried.yaml': yaml('x-fmt/111'),
      });
      const first = await workspace.filesystem(d.id);
      const again = await workspace.filesystem(d.id);
      t.equal(again.root, first.root, 'the same tree, not rebuilt');
      // A new size guarantees a new etag/mtime pair even within one clock tick.
      await env.put(d.files, { 'metadata/siegfried/siegfried.yaml': `${yaml('x-fmt/62')}\n` });
      const changed = await workspace.filesystem(d.id);
      t.match(ofType(fileAt(changed, 'objects/a.txt'), 'FileFormatMetadata'), [{ pronomKey: 'x-fmt/62' }]);
      const refreshed = await workspace.filesystem(d.id, { refresh: true });
      t.not(refreshed.root, changed.root, 'refresh rebuilds');
      t.same(refreshed.root, changed.root, 'to the same view');
    },
  );

  t.test(
    'tool runs re-read on their own (one changed, an unrelated upload) give the view a full re-read gives',
    async (t) => {
      const env = await makeEnv(t);
      const { records, workspace } = await setup(t, env);
      const d = await newDeposit(env, records, 'BagIt');
      const bag = corpusFiles(BAG);
      await env.put(d.files, bag);
      await workspace.filesystem(d.id);
      const yml = 'data/metadata/siegfried/siegfried.yml';
      await env.put(d.files, { [yml]: Buffer.concat([bag[yml]!, Buffer.from('\n')]) });
      await env.put(d.files, { 'data/objects/added later.txt': 'later' });
      const partial = await workspace.filesystem(d.id);
      const full = await workspace.filesystem(d.id, { refresh: true });
      t.same(partial.root, full.root);
      t.same(partial.mismatches, full.mismatches);
      t.same(partial.findings, full.findings);
    },
  );

  t.test('a METS file that cannot be read does not hide the files; it is reported', async (t) => {
    const env = await makeEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'None');
    await env.put(d.files, {
      'mets.xml': '<mets:mets xmlns:mets="http://www.loc.gov/METS/"><oops',
      'a.txt': 'a',
    });
    const view = await workspace.filesystem(d.id);
    t.same(
      view.files.map((f) => f.localPath),
      ['a.txt', 'mets.xml'],
    );
    t.match(view.findings, [{ code: 'METS_UNREADABLE', path: 'mets.xml' }]);
    t.equal(view.metsEditable, false);
  });

  t.test('a deposit that does not exist is NotFoundError', async (t) => {
    const env = await makeEnv(t);
    const { workspace } = await setup(t, env);
    await t.rejects(workspace.filesystem('not-a-deposit'), { code: 'NOT_FOUND' });
  });
}

/** A store that counts reads, to show which files a view reads. */
function countingStore(store: ReadableStore) {
  const reads: string[] = [];
  const wrapped: ReadableStore = Object.create(store);
  wrapped.read = (key, options) => {
    reads.push(key);
    return store.read(key, options);
  };
  wrapped.readBytes = (key, options) => {
    reads.push(key);
    return store.readBytes(key, options);
  };
  wrapped.list = (prefix, options) => store.list(prefix, options);
  return { store: wrapped, reads };
}

t.test('filesystem', async (t) => {
  await suite(t, async (t) => fsWorkspaceEnv(t));

  t.test(
    'after an upload the tool outputs are not read again, unless the upload is a file they named and lacked',
    async (t) => {
      const env = fsWorkspaceEnv(t);
      const records = await openMemoryRecords();
      t.teardown(() => records.close());
      const d = await newDeposit(env, records, 'RootLevel');
      const entries = ['a', 'b'].map((n) => ({
        path: `/home/u/job/objects/${n}.txt`,
        size: 1,
        sha256: sha256(n),
        puid: 'x-fmt/111',
        format: 'Plain Text File',
        mime: 'text/plain',
      }));
      await env.put(d.files, {
        'objects/a.txt': 'a',
        'metadata/siegfried/siegfried.yaml': siegfriedYaml(entries),
      });
      const { store, reads } = countingStore(await openStore(d.files.replace(/\/$/, '')));
      const cache = new DepositSourceCache();
      const read = () => readDepositSources(store, d, { cache });
      await read();
      t.same(
        reads,
        ['mets.xml', 'metadata/siegfried/siegfried.yaml'],
        'the METS and the tool output, nothing else',
      );
      reads.length = 0;
      await env.put(d.files, { 'objects/unrelated.txt': 'u' });
      const afterUnrelated = await read();
      t.same(reads, [], 'an unrelated upload reads nothing but the listing');
      t.same(
        afterUnrelated.tools.byPath.get('objects/b.txt')?.length,
        1,
        'the cached result still names b.txt',
      );
      await env.put(d.files, { 'objects/b.txt': 'b' });
      await read();
      t.same(
        reads,
        ['metadata/siegfried/siegfried.yaml'],
        'b.txt, which Siegfried named, makes it read again',
      );
    },
  );

  t.test('FIFOs and symbolic links are shown as entries and never read or followed', async (t) => {
    const env = fsWorkspaceEnv(t);
    const { records, workspace } = await setup(t, env);
    const d = await newDeposit(env, records, 'RootLevel');
    const area = fileURLToPath(d.files);
    if (spawnSync('mkfifo', [join(area, 'objects', 'pipe')]).status !== 0) {
      t.pass('mkfifo is not available', { skip: 'mkfifo is not available' });
      return;
    }
    spawnSync('mkfifo', [join(area, 'metadata', 'tool.log')]);
    symlinkSync('/etc/passwd', join(area, 'metadata', 'siegfried.yaml'));
    const view = await workspace.filesystem(d.id);
    t.ok(
      view.files.some((f) => f.localPath === 'objects/pipe'),
      'the FIFO is in the tree',
    );
    t.match(
      view.mismatches.filter((m) => m.field === 'entry').map((m) => m.localPath),
      ['metadata/siegfried.yaml', 'metadata/tool.log', 'objects/pipe'],
    );
    t.same(
      view.files.flatMap((f) => f.metadata),
      [],
      'nothing was read from the link or the FIFOs',
    );
  });
});

/** An SDK client that counts the commands it sends, by name. */
function countingClient(config: S3Connection) {
  const client = createS3Client(config);
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return { client, counts, count: (name: string) => counts.get(name) ?? 0 };
}

const config = requireS3(t);
if (config) {
  t.test('minio', async (t) => {
    await suite(t, (t) => s3WorkspaceEnv(t, config));

    t.test(
      'a 1,500-file deposit is listed in pages and only the METS and the tool outputs are read: no request per file',
      async (t) => {
        const env = await s3WorkspaceEnv(t, config);
        const counter = countingClient(config);
        t.teardown(() => counter.client.destroy());
        const records = await openMemoryRecords();
        t.teardown(() => records.close());
        const workspace = new DepositWorkspace({
          records,
          store: { s3: config, s3Store: { client: counter.client } },
        });
        const d = await newDeposit(env, records, 'RootLevel');
        const files: Record<string, string> = {};
        for (let i = 0; i < 1500; i++) files[`objects/f${String(i % 50).padStart(2, '0')}/${i}.txt`] = `${i}`;
        const entries = Object.entries(files).map(([path, content]) => ({
          path: `/work/job/${path}`,
          size: content.length,
          sha256: sha256(content),
          puid: 'x-fmt/111',
          format: 'Plain Text File',
          mime: 'text/plain',
        }));
        await putMany(env, d.files, {
          ...files,
          'metadata/siegfried/siegfried.yaml': siegfriedYaml(entries),
        });
        const view = await workspace.filesystem(d.id);
        t.equal(view.files.length, 1502);
        t.equal(fileAt(view, 'objects/f07/1457.txt').contentType, 'text/plain');
        t.equal(counter.count('HeadObjectCommand'), 0, 'no HEAD per file');
        t.equal(counter.count('GetObjectCommand'), 2, 'the METS and the Siegfried report');
        t.ok(
          counter.count('ListObjectsV2Command') <= 60,
          `${counter.count('ListObjectsV2Command')} listing pages`,
        );
        counter.counts.clear();
        await workspace.filesystem(d.id);
        t.equal(counter.count('GetObjectCommand'), 0, 'nothing changed: nothing read again');
      },
    );
  });
}

/** Put many small files, 32 at a time. */
async function putMany(env: WorkspaceEnv, area: string, files: Record<string, string>): Promise<void> {
  const entries = Object.entries(files);
  for (let i = 0; i < entries.length; i += 32)
    await Promise.all(entries.slice(i, i + 32).map(([k, v]) => env.put(area, { [k]: v })));
}
