import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { openRepository } from '../../lib/services/repository.js';
import { exportVersion, isExportStub } from '../../lib/txn/export.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const env = { USER: 'tester' };

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, ...path.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(dir, ...path.split('/')), text);
  }
}

/** Every file under `dir` (relative path → text). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full).split('\\').join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const FILES = {
  'mets.xml': '<mets/>',
  'objects/a b.tif': 'tiff',
  'objects/résumé #1 %.txt': 'unicode',
  'objects/sub/deep.txt': 'deep',
  'objects/moved.txt': 'moved bytes',
};

t.test(
  'put mirrors a folder: v1, no-op, then adds, patches, deletes and moves in v2; export restores each version',
  async (t) => {
    const root = tempDir(t, 'put-root');
    const src = tempDir(t, 'put-src');
    write(src, FILES);
    const v1 = await runCli(
      ['put', root, 'books/b1', src, '--init', '--parents', '--message', 'first', '--json'],
      env,
    );
    t.equal(v1.code, 0, v1.stderr);
    const s1 = JSON.parse(v1.stdout);
    t.equal(s1.version, 'v1');
    t.same(s1.binariesAdded.length, 5);
    const again = await runCli(['put', root, 'books/b1', src], env);
    t.equal(again.code, 0);
    t.match(again.stdout, /no changes/);
    writeFileSync(join(src, 'mets.xml'), '<mets v="2"/>');
    rmSync(join(src, 'objects/sub'), { recursive: true });
    mkdirSync(join(src, 'new'));
    renameSync(join(src, 'objects/moved.txt'), join(src, 'new/moved.txt'));
    const v2 = await runCli(['put', root, 'books/b1', src, '--json'], env);
    t.equal(v2.code, 0, v2.stderr);
    const s2 = JSON.parse(v2.stdout);
    t.equal(s2.version, 'v2');
    t.same(s2.binariesPatched, ['mets.xml']);
    t.same(s2.binariesAdded, ['new/moved.txt']);
    t.same(s2.deleted.sort(), ['objects/moved.txt', 'objects/sub', 'objects/sub/deep.txt']);
    t.equal(s2.copied, 1, 'only the changed mets.xml is copied: the moved file is already stored');
    const valid = await runCli(['validate', root, '--json'], env);
    t.equal(valid.code, 0, valid.stdout);
    for (const [version, expected] of [
      ['v1', FILES],
      ['v2', tree(src)],
    ] as const) {
      const out = tempDir(t, `export-${version}`);
      const r = await runCli(['export', root, 'books/b1', out, '--version', version], env);
      t.equal(r.code, 0, r.stderr + r.stdout);
      t.same(tree(out), expected, `export of ${version} restores its files and names`);
    }
    const metsOnly = tempDir(t, 'export-mets');
    t.equal((await runCli(['export', root, 'books/b1', metsOnly, '--mode', 'mets'], env)).code, 0);
    t.same(Object.keys(tree(metsOnly)), ['mets.xml']);
  },
);

t.test('stubs: exported for browsing, kept as unchanged by put, never stored as content', async (t) => {
  const root = tempDir(t, 'stub-root');
  const src = tempDir(t, 'stub-src');
  write(src, FILES);
  t.equal((await runCli(['put', root, 'g', src, '--init'], env)).code, 0);
  const stubs = tempDir(t, 'stubs');
  t.equal((await runCli(['export', root, 'g', stubs, '--mode', 'stub'], env)).code, 0);
  const stub = readFileSync(join(stubs, 'objects', 'a b.tif'));
  t.ok(isExportStub(stub), 'every exported file is a stub');
  const meta = JSON.parse(stub.toString('utf8').split('\n').slice(1).join('\n'));
  t.equal(meta.size, 4);
  t.match(meta.origin, /^file:\/\/.*v1\/content\/objects\/a%2520b\.tif$/);
  writeFileSync(join(stubs, 'mets.xml'), '<mets v="edited"/>');
  const put = await runCli(['put', root, 'g', stubs, '--json'], env);
  t.equal(put.code, 0, put.stderr);
  t.same(
    JSON.parse(put.stdout).binariesPatched,
    ['mets.xml'],
    'only the real edit is stored; stubs count as unchanged',
  );
  const repo = await openRepository(root);
  const map = await repo.storageMap('info:fedora/g');
  t.equal(
    map.files['objects/a b.tif']?.fullPath,
    'v1/content/objects/a%20b.tif',
    'the stubbed file keeps its content',
  );
  writeFileSync(join(stubs, 'stray-stub.txt'), readFileSync(join(stubs, 'objects', 'a b.tif')));
  const refused = await runCli(['put', root, 'g', stubs, '--json'], env);
  t.equal(refused.code, 1);
  t.match(JSON.parse(refused.stdout).error, {
    code: 'UNPROCESSABLE',
    problems: [{ path: 'stray-stub.txt' }],
  });
});

t.test('put refuses what cannot be preserved and bad arguments with clear exits', async (t) => {
  const root = tempDir(t, 'bad-root');
  const src = tempDir(t, 'bad-src');
  write(src, { '.fcrepo/x.json': '{}', 'ok.txt': 'ok' });
  const r = await runCli(['put', root, 'g', src, '--init', '--json'], env);
  t.equal(r.code, 1);
  const problems = JSON.parse(r.stdout).error.problems as Array<{ path: string }>;
  t.ok(
    problems.some((p) => p.path === '.fcrepo/x.json'),
    'the reserved name is named',
  );
  t.equal((await runCli(['put', root, 'g'], env)).code, 2, 'missing argument');
  const noParent = await runCli(['put', root, 'a/b', src], env);
  t.equal(noParent.code, 3, 'the parent container does not exist');
  t.equal((await runCli(['export', root, 'nothing', tempDir(t, 'x')], env)).code, 3);
  t.equal((await runCli(['export', root, 'g', tempDir(t, 'y'), '--mode', 'bogus'], env)).code, 2);
});

t.test(
  'an export whose stored content no longer matches its digest names that file and copies the rest',
  async (t) => {
    const root = tempDir(t, 'export-damaged-root');
    const src = tempDir(t, 'export-damaged-src');
    const files: Record<string, string> = { 'mets.xml': '<mets/>' };
    for (let i = 0; i < 40; i++) files[`objects/f${i}.txt`] = `file ${i}`;
    write(src, files);
    const put = await runCli(['put', root, 'books/d', src, '--init', '--parents'], env);
    t.equal(put.code, 0, put.stderr);
    const repository = await openRepository(pathToFileURL(root).href);
    const object = await repository.root.resolveObjectRoot('info:fedora/books/d');
    const content = join(root, ...repository.root.keyOf(object).split('/'), 'v1', 'content');
    writeFileSync(join(content, 'objects', 'f7.txt'), 'bit rot');
    const out = tempDir(t, 'export-damaged-out');
    const result = await exportVersion(repository.root, 'info:fedora/books/d', pathToFileURL(out).href);
    t.same(
      result.errors.map((e) => e.path),
      ['objects/f7.txt'],
      'the damaged file is named',
    );
    t.match(result.errors[0]!.message, /SHA-256/);
    const copied = tree(out);
    t.notOk('objects/f7.txt' in copied, 'its bytes are not exported');
    t.equal(Object.keys(copied).length, 40, 'every other file is');
    t.equal(copied['objects/f39.txt'], 'file 39');
    t.same(
      Object.keys(copied).filter((k) => /\.tmp|strongroom/.test(k)),
      [],
      'no temp files are left',
    );
  },
);

t.test('a full export on the filesystem copies every file in the workers, verified', async (t) => {
  const root = tempDir(t, 'export-many-root');
  const src = tempDir(t, 'export-many-src');
  const files: Record<string, string> = { 'mets.xml': '<mets/>' };
  for (let i = 0; i < 300; i++) files[`objects/d${i % 7}/f${i}.txt`] = `content ${i}`;
  files['objects/big.bin'] = 'x'.repeat(5 * 1024 * 1024);
  write(src, files);
  t.equal((await runCli(['put', root, 'books/m', src, '--init', '--parents'], env)).code, 0);
  const repository = await openRepository(pathToFileURL(root).href);
  const out = tempDir(t, 'export-many-out');
  const seen: number[] = [];
  const result = await exportVersion(repository.root, 'info:fedora/books/m', pathToFileURL(out).href, {
    onProgress: (p) => seen.push(p.filesDone),
  });
  t.same(result.errors, []);
  t.same(tree(out), files);
  t.equal(result.files.length, 302);
  t.equal(seen.at(-1), 302, 'progress counts every file');
  t.match(result.metsETag, /\S/, 'the METS etag is known');
});
