import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { openRepository } from '../../lib/services/repository.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { collect } from '../storage/contract-util.js';
import { tempDir, writeDeposit } from './helpers.js';

const agent = { name: 'https://example.org/agents/tester' };

async function setup(t: Test) {
  const repoDir = tempDir(t, 'repo');
  const depositDir = tempDir(t, 'deposit');
  const writer = await openRepositoryWriter(pathToFileURL(repoDir).href, { create: true });
  await writer.createContainer('books', { agent, name: 'Printed books' });
  return { repoDir, depositDir, writer, sources: [pathToFileURL(depositDir).href] };
}

t.test(
  'a first commit creates the group as a Fedora-shaped object that validates and reads back',
  async (t) => {
    const { repoDir, depositDir, writer, sources } = await setup(t);
    const files = writeDeposit(depositDir, {
      'mets.xml': '<mets/>',
      'objects/a b.tif': 'tiff bytes',
      'objects/résumé #1 %.txt': 'unicode, space, hash and percent',
    });
    const tx = writer.begin('books/b1', {
      agent,
      message: 'first',
      sources,
      name: 'Book one',
      sourceVersion: null,
    });
    tx.createContainer('objects', { name: 'Objects' });
    for (const f of files) tx.putBinary(f.path, { source: f.uri, digest: f.sha256, size: f.bytes.length });
    const steps: string[] = [];
    const result = await tx.commit({ onProgress: (p) => steps.push(p.step) });
    t.equal(result.version, 'v1');
    t.ok(steps.includes('content') && steps.at(-1) === 'done', 'progress reports the steps');
    const repo = await openRepository(repoDir);
    t.same((await repo.listIds()).sort(), ['info:fedora/books', 'info:fedora/books/b1']);
    const report = await repo.validateObject('info:fedora/books/b1');
    t.same(report.errors, [], 'our validator finds no error');
    const resources = await repo.resources('info:fedora/books/b1');
    t.equal(resources.root.type, 'ArchivalGroup');
    t.same([...resources.byPath.keys()].sort(), [
      '',
      'mets.xml',
      'objects',
      'objects/a b.tif',
      'objects/résumé #1 %.txt',
    ]);
    const map = await repo.storageMap('info:fedora/books/b1');
    t.equal(map.files['objects/a b.tif']?.fullPath, 'v1/content/objects/a%20b.tif');
    t.equal(map.files['objects/a b.tif']?.hash, files[1]!.sha256, 'the map carries SHA-256s');
    const read = await repo.readFile('info:fedora/books/b1', 'objects/résumé #1 %.txt');
    t.equal((await collect(read.stream)).toString(), 'unicode, space, hash and percent');
    const objectDir = join(repoDir, writer.objectKeyOf('books/b1'));
    t.same(readdirSync(objectDir).sort(), [
      '0=ocfl_object_1.1',
      'inventory.json',
      'inventory.json.sha512',
      'v1',
    ]);
  },
);

t.test('the next version patches, deletes to a tombstone and copies only new content', async (t) => {
  const { repoDir, depositDir, writer, sources } = await setup(t);
  const [a, b] = writeDeposit(depositDir, { 'a.txt': 'version one', 'b.txt': 'stays' });
  const tx1 = writer.begin('books/b2', { agent, sources });
  tx1
    .putBinary('a.txt', { source: a!.uri, digest: a!.sha256 })
    .putBinary('b.txt', { source: b!.uri, digest: b!.sha256 });
  await tx1.commit();
  const [a2, c] = writeDeposit(depositDir, { 'a.txt': 'version two', 'c.txt': 'stays' });
  const tx2 = writer.begin('books/b2', { agent, sources, sourceVersion: 'v1' });
  tx2.putBinary('a.txt', { source: a2!.uri, digest: a2!.sha256 });
  tx2.putBinary('c.txt', { source: c!.uri, digest: c!.sha256 });
  tx2.delete('b.txt');
  const v2 = await tx2.commit();
  t.equal(v2.version, 'v2');
  t.same(
    v2.plan.copies.map((x) => x.contentPath),
    ['v2/content/a.txt'],
    'c.txt has the bytes of b.txt: not copied again',
  );
  const repo = await openRepository(repoDir);
  const res = await repo.resources('info:fedora/books/b2');
  t.same(
    res.tombstones.map((x) => x.path),
    ['b.txt'],
  );
  t.same([...res.byPath.keys()].sort(), ['', 'a.txt', 'c.txt']);
  const v1map = await repo.storageMap('info:fedora/books/b2', { version: 'v1' });
  t.ok(v1map.files['b.txt'], 'v1 still has b.txt');
  t.same((await repo.validateObject('info:fedora/books/b2')).errors, []);
});

t.test(
  'a stale sourceVersion and a lost race are conflicts, and leave the object at its version',
  async (t) => {
    const { repoDir, depositDir, writer, sources } = await setup(t);
    const [a] = writeDeposit(depositDir, { 'a.txt': 'x' });
    await writer
      .begin('books/b3', { agent, sources })
      .putBinary('a.txt', { source: a!.uri, digest: a!.sha256 })
      .commit();
    const stale = writer.begin('books/b3', { agent, sources, sourceVersion: 'v0' });
    stale.delete('a.txt');
    await t.rejects(stale.commit(), { code: 'CONFLICT' });
    const first = writer
      .begin('books/b3', { agent, sources, sourceVersion: 'v1' })
      .putBinary('b.txt', { source: a!.uri, digest: a!.sha256 });
    const second = writer
      .begin('books/b3', { agent, sources, sourceVersion: 'v1' })
      .putBinary('c.txt', { source: a!.uri, digest: a!.sha256 });
    const outcomes = await Promise.allSettled([first.commit(), second.commit()]);
    t.same(
      outcomes.map((o) => o.status).sort(),
      ['fulfilled', 'rejected'],
      'exactly one of two concurrent commits wins',
    );
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    t.equal(lost.reason.code, 'CONFLICT');
    const repo = await openRepository(repoDir);
    t.equal((await repo.versions('info:fedora/books/b3')).length, 2);
    t.same((await repo.validateObject('info:fedora/books/b3')).errors, [], 'no leftovers of the loser');
  },
);

t.test(
  'a digest that does not match the bytes fails the commit, names the file and leaves nothing',
  async (t) => {
    const { repoDir, depositDir, writer, sources } = await setup(t);
    const [a] = writeDeposit(depositDir, { 'a.txt': 'real bytes' });
    const tx = writer.begin('books/b4', { agent, sources });
    tx.putBinary('a.txt', { source: a!.uri, digest: 'ab'.repeat(32) });
    await t.rejects(tx.commit(), { code: 'FIXITY_MISMATCH' });
    t.notOk(existsSync(join(repoDir, writer.objectKeyOf('books/b4'))), 'no object directory left');
    const repo = await openRepository(repoDir);
    t.notOk((await repo.listIds()).includes('info:fedora/books/b4'));
  },
);

t.test('sources outside the allowed roots are refused before anything is read', async (t) => {
  const { depositDir, writer } = await setup(t);
  const [a] = writeDeposit(depositDir, { 'a.txt': 'x' });
  const tx = writer.begin('books/b5', {
    agent,
    sources: [pathToFileURL(join(depositDir, 'elsewhere')).href],
  });
  tx.putBinary('a.txt', { source: a!.uri, digest: a!.sha256 });
  await t.rejects(tx.commit(), { code: 'INVALID_INPUT', message: /not inside the allowed source locations/ });
  const escape = writer.begin('books/b5', { agent, sources: [pathToFileURL(depositDir).href] });
  escape.putBinary('p', {
    source: `${pathToFileURL(depositDir).href}/../../../etc/passwd`,
    digest: a!.sha256,
  });
  await t.rejects(escape.commit(), { code: 'INVALID_INPUT' });
});

t.test(
  'repository structure: groups need a container parent, never a group; tombstones block until purged',
  async (t) => {
    const { depositDir, writer, sources } = await setup(t);
    const [a] = writeDeposit(depositDir, { 'a.txt': 'x' });
    await t.rejects(
      writer
        .begin('nowhere/g', { agent, sources })
        .putBinary('a.txt', { source: a!.uri, digest: a!.sha256 })
        .commit(),
      {
        code: 'NOT_FOUND',
      },
    );
    await writer
      .begin('books/g', { agent, sources })
      .putBinary('a.txt', { source: a!.uri, digest: a!.sha256 })
      .commit();
    await t.rejects(
      writer
        .begin('books/g/inner', { agent, sources })
        .putBinary('a.txt', { source: a!.uri, digest: a!.sha256 })
        .commit(),
      {
        code: 'CONFLICT',
      },
    );
    await t.rejects(writer.createContainer('books/g/c', { agent }), { code: 'CONFLICT' });
    await writer.createContainer('empty', { agent });
    t.equal(await writer.kindOf('empty'), 'Container');
    await t.rejects(writer.deleteContainer('books', { agent }), { code: 'CONFLICT' }, 'not empty');
    await writer.deleteContainer('empty', { agent });
    t.equal(await writer.kindOf('empty'), 'tombstone');
    await t.rejects(writer.createContainer('empty', { agent }), { code: 'GONE' });
    await writer.purge('empty');
    t.equal(await writer.kindOf('empty'), 'absent');
    await writer.createContainer('empty', { agent, name: 'Again' });
    t.equal(await writer.kindOf('empty'), 'Container');
  },
);
