/**
 * Filesystem → filesystem copies in the hashing workers: many small files in batches and large
 * files one per task, verified by SHA-256 before anything becomes visible; mismatches name the
 * file and leave no version directory and no temp file; links in the deposit are judged by the
 * deposit store; progress counts files and bytes to the totals.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { copyLarge } from '../../lib/hash/local-copy.js';
import { DigesterCache } from '../../lib/hash/local-files.js';
import { openRepository } from '../../lib/services/repository.js';
import type { CopyProgress } from '../../lib/txn/copy.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { tempDir } from './helpers.js';

const agent = { name: 'https://example.org/agents/tester' };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function setup(t: Test) {
  const repoDir = tempDir(t, 'copy-repo');
  const depositDir = tempDir(t, 'copy-deposit');
  const writer = await openRepositoryWriter(pathToFileURL(repoDir).href, { create: true });
  await writer.createContainer('books', { agent });
  const put = (path: string, bytes: Buffer) => {
    const full = join(depositDir, ...path.split('/'));
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, bytes);
    return { path, bytes, uri: pathToFileURL(full).href, sha256: sha256(bytes) };
  };
  const repo = () => openRepository(pathToFileURL(repoDir).href);
  return { repoDir, depositDir, writer, put, repo, sources: [pathToFileURL(depositDir).href] };
}

/** Every file name below `dir` (recursively). */
function allNames(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

t.test('600 small files and two large ones are copied, verified, and read back byte for byte', async (t) => {
  const { writer, put, repo, sources, repoDir } = await setup(t);
  const files = [
    ...Array.from({ length: 600 }, (_, i) =>
      put(`small/${i % 7}/f${i}.bin`, randomBytes(100 + (i % 50) * 90)),
    ),
    put('large/a.bin', randomBytes(6 * 1024 * 1024 + 17)),
    put('large/b.bin', randomBytes(5 * 1024 * 1024)),
  ];
  const tx = writer.begin('books/many', { agent, sources, sourceVersion: null });
  for (const dir of ['small', 'large', ...Array.from({ length: 7 }, (_, i) => `small/${i}`)])
    tx.createContainer(dir);
  // One of them declares its size, the others do not (the workers find out).
  for (const [i, f] of files.entries()) {
    tx.putBinary(f.path, { source: f.uri, digest: f.sha256, ...(i === 0 && { size: f.bytes.length }) });
  }
  const seen: CopyProgress[] = [];
  const result = await tx.commit({ onProgress: (p) => p.step === 'content' && seen.push({ ...p }) });
  t.equal(result.plan.copies.length, 602);
  const last = seen.at(-1)!;
  t.equal(last.filesDone, 602, 'progress ends with every file done');
  t.equal(
    last.bytesDone,
    files.reduce((n, f) => n + f.bytes.length, 0),
    'and every byte',
  );
  t.ok(
    seen.every((p, i) => i === 0 || p.bytesDone >= seen[i - 1]!.bytesDone),
    'bytes never go backwards',
  );
  const r = await repo();
  t.same((await r.validateObject('info:fedora/books/many', { fixity: true })).errors, []);
  for (const f of [files[0]!, files[333]!, files.at(-2)!, files.at(-1)!]) {
    const read = await r.readFile('info:fedora/books/many', f.path);
    const chunks: Buffer[] = [];
    for await (const c of read.stream) chunks.push(c as Buffer);
    t.equal(sha256(Buffer.concat(chunks)), f.sha256, `${f.path} reads back`);
  }
  t.notOk(
    allNames(repoDir).some((n) => n.startsWith('.strongroom-')),
    'no temp or checkpoint file is left',
  );
});

for (const [title, size] of [
  ['a small file in a batch', 2000],
  ['a large file in a task of its own', 5 * 1024 * 1024 + 1],
] as const) {
  t.test(`a wrong digest on ${title} fails the commit naming it, and leaves nothing`, async (t) => {
    const { writer, put, sources, repoDir, repo } = await setup(t);
    const good = Array.from({ length: 300 }, (_, i) => put(`ok/${i}.txt`, Buffer.from(`file ${i}`)));
    const bad = put('bad one.bin', randomBytes(size));
    const tx = writer.begin('books/bad', { agent, sources, sourceVersion: null });
    tx.createContainer('ok');
    for (const f of good) tx.putBinary(f.path, { source: f.uri, digest: f.sha256 });
    tx.putBinary(bad.path, { source: bad.uri, digest: sha256(Buffer.from('something else')) });
    const err = await tx.commit().catch((e) => e);
    t.equal(err.code, 'FIXITY_MISMATCH');
    t.match(err.message, /bad%20one\.bin|bad one\.bin/, 'the message names the file');
    t.equal(await writer.kindOf('books/bad'), 'absent', 'nothing is visible');
    t.notOk(
      allNames(repoDir).some((n) => n.startsWith('.strongroom-tmp-')),
      'no temp file is left',
    );
    t.same((await (await repo()).listIds()).sort(), ['info:fedora/books']);
  });
}

t.test('a declared size that differs fails the copy of that file', async (t) => {
  const { writer, put, sources } = await setup(t);
  const f = put('a.txt', Buffer.from('twelve bytes'));
  const tx = writer.begin('books/size', { agent, sources });
  tx.putBinary(f.path, { source: f.uri, digest: f.sha256, size: 13 });
  await t.rejects(tx.commit(), { code: 'INVALID_INPUT', message: /12 bytes, not the 13 declared/ });
  t.equal(await writer.kindOf('books/size'), 'absent');
});

t.test('a link in the deposit is followed inside it and refused when it leads out', async (t) => {
  const { writer, put, sources, depositDir, repo } = await setup(t);
  const target = put('real.txt', Buffer.from('the real bytes'));
  symlinkSync(join(depositDir, 'real.txt'), join(depositDir, 'alias.txt'));
  const tx = writer.begin('books/links', { agent, sources });
  tx.putBinary('alias.txt', {
    source: pathToFileURL(join(depositDir, 'alias.txt')).href,
    digest: target.sha256,
  });
  await tx.commit();
  const read = await (await repo()).readFile('info:fedora/books/links', 'alias.txt');
  const chunks: Buffer[] = [];
  for await (const c of read.stream) chunks.push(c as Buffer);
  t.equal(Buffer.concat(chunks).toString(), 'the real bytes');

  const outside = tempDir(t, 'outside');
  writeFileSync(join(outside, 'secret'), 'not yours');
  symlinkSync(join(outside, 'secret'), join(depositDir, 'escape.txt'));
  const tx2 = writer.begin('books/links', { agent, sources });
  tx2.putBinary('escape.txt', {
    source: pathToFileURL(join(depositDir, 'escape.txt')).href,
    digest: sha256(Buffer.from('not yours')),
  });
  await t.rejects(tx2.commit(), { code: 'PATH_ESCAPE' });
  t.equal(
    (await (await repo()).storageMap('info:fedora/books/links')).version.ocflVersion,
    'v1',
    'still at v1',
  );
});

t.test('the large-file worker copy reports bytes as it goes and keeps nothing on a mismatch', async (t) => {
  const dir = tempDir(t, 'copy-large');
  const bytes = randomBytes(3 * 1024 * 1024 + 5);
  writeFileSync(join(dir, 'src'), bytes);
  const progress = new Float64Array(new SharedArrayBuffer(8));
  const spec = {
    from: join(dir, 'src'),
    temp: join(dir, '.tmp'),
    to: join(dir, 'dst'),
    sha256: sha256(bytes),
  };
  const cache = new DigesterCache();
  const ok = await copyLarge(
    { kind: 'copy-file', file: spec, algorithms: ['sha512', 'sha256'], progress, chunkBytes: 1 << 20 },
    cache,
  );
  t.equal(ok.outcome?.status, 'done');
  t.equal(progress[0], bytes.length, 'progress reached the size');
  t.ok(readFileSync(join(dir, 'dst')).equals(bytes));
  const bad = await copyLarge(
    {
      kind: 'copy-file',
      file: { ...spec, to: join(dir, 'dst2'), sha256: '0'.repeat(64) },
      algorithms: ['sha256'],
    },
    cache,
  );
  t.equal(bad.outcome?.status, 'mismatch');
  t.same(readdirSync(dir).sort(), ['dst', 'src'], 'neither the target nor the temp file exists');
});
