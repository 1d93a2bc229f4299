/**
 * The write-path suite: the same transactions on every environment (filesystem, MinIO): objects
 * that validate and read back, patches, tombstones, dedup, conflicts, fixity failures, source
 * containment and repository structure.
 */
import type { Test } from 'tap';
import { STUB_MAGIC } from '../../lib/core/export-stub.js';
import { openRepository } from '../../lib/services/repository.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { collect } from '../storage/contract-util.js';
import type { TxnEnv } from './env.js';

const agent = { name: 'https://example.org/agents/tester' };

/** Run every case as a subtest of `t`, each in a fresh environment from `makeEnv`. */
export function runTransactionSuite(t: Test, name: string, makeEnv: (t: Test) => Promise<TxnEnv>): void {
  const it = (
    title: string,
    body: (t: Test, env: TxnEnv, ctx: Awaited<ReturnType<typeof setup>>) => Promise<void>,
  ) =>
    t.test(`${name}: ${title}`, async (t) => {
      const env = await makeEnv(t);
      await body(t, env, await setup(env));
    });
  for (const [title, body] of Object.entries(CASES)) it(title, body);
}

async function setup(env: TxnEnv) {
  const writer = await openRepositoryWriter(env.repo, { create: true, store: env.store });
  await writer.createContainer('books', { agent, name: 'Printed books' });
  const repo = () => openRepository(env.repo, { store: env.store });
  return { writer, sources: [env.deposit], repo };
}

type Case = (t: Test, env: TxnEnv, ctx: Awaited<ReturnType<typeof setup>>) => Promise<void>;

const CASES: Record<string, Case> = {
  'a first commit creates the group as a Fedora-shaped object that validates and reads back': async (
    t,
    env,
    { writer, sources, repo },
  ) => {
    const files = await env.writeDeposit({
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
    const r = await repo();
    t.same((await r.listIds()).sort(), ['info:fedora/books', 'info:fedora/books/b1']);
    t.same((await r.validateObject('info:fedora/books/b1')).errors, [], 'our validator finds no error');
    const resources = await r.resources('info:fedora/books/b1');
    t.equal(resources.root.type, 'ArchivalGroup');
    t.same([...resources.byPath.keys()].sort(), [
      '',
      'mets.xml',
      'objects',
      'objects/a b.tif',
      'objects/résumé #1 %.txt',
    ]);
    const map = await r.storageMap('info:fedora/books/b1');
    t.equal(map.files['objects/a b.tif']?.fullPath, 'v1/content/objects/a%20b.tif');
    t.equal(map.files['objects/a b.tif']?.hash, files[1]!.sha256, 'the map carries SHA-256s');
    const read = await r.readFile('info:fedora/books/b1', 'objects/résumé #1 %.txt');
    t.equal((await collect(read.stream)).toString(), 'unicode, space, hash and percent');
    const key = writer.objectKeyOf('books/b1');
    for (const name of [
      '0=ocfl_object_1.1',
      'inventory.json',
      'inventory.json.sha512',
      'v1/inventory.json',
    ]) {
      t.ok(await env.hasKey(`${key}/${name}`), `${name} is written`);
    }
  },

  'the next version patches, deletes to a tombstone and copies only new content': async (
    t,
    env,
    { writer, sources, repo },
  ) => {
    const [a, b] = await env.writeDeposit({ 'v1/a.txt': 'version one', 'v1/b.txt': 'stays' });
    await writer
      .begin('books/b2', { agent, sources })
      .putBinary('a.txt', { source: a!.uri, digest: a!.sha256 })
      .putBinary('b.txt', { source: b!.uri, digest: b!.sha256 })
      .commit();
    const [a2, c] = await env.writeDeposit({ 'v2/a.txt': 'version two', 'v2/c.txt': 'stays' });
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
    const r = await repo();
    const res = await r.resources('info:fedora/books/b2');
    t.same(
      res.tombstones.map((x) => x.path),
      ['b.txt'],
    );
    t.same([...res.byPath.keys()].sort(), ['', 'a.txt', 'c.txt']);
    t.ok(
      (await r.storageMap('info:fedora/books/b2', { version: 'v1' })).files['b.txt'],
      'v1 still has b.txt',
    );
    t.same((await r.validateObject('info:fedora/books/b2')).errors, []);
  },

  'a stale sourceVersion and a lost race are conflicts, and leave the object at its version': async (
    t,
    env,
    { writer, sources, repo },
  ) => {
    const [a] = await env.writeDeposit({ 'a.txt': 'x' });
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
    // A second writer of its own (another process would be the same): no shared in-process lock.
    const other = await openRepositoryWriter(env.repo, { store: env.store });
    const second = other
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
    const r = await repo();
    t.equal((await r.versions('info:fedora/books/b3')).length, 2);
    t.same((await r.validateObject('info:fedora/books/b3')).errors, [], 'no leftovers of the loser');
  },

  'a digest that does not match the bytes fails the commit, names the file and leaves nothing': async (
    t,
    env,
    { writer, sources, repo },
  ) => {
    const [a] = await env.writeDeposit({ 'a.txt': 'real bytes' });
    const tx = writer.begin('books/b4', { agent, sources });
    tx.putBinary('a.txt', { source: a!.uri, digest: 'ab'.repeat(32) });
    await t.rejects(tx.commit(), { code: 'FIXITY_MISMATCH' });
    t.notOk(await env.hasKey(writer.objectKeyOf('books/b4')), 'no object left behind');
    t.notOk((await (await repo()).listIds()).includes('info:fedora/books/b4'));
  },

  'an export stub is never stored as content, even with its own digest, whichever copy path runs': async (
    t,
    env,
    { writer, sources, repo },
  ) => {
    const [real] = await env.writeDeposit({ 'a.tif': 'real image bytes' });
    await writer
      .begin('books/b7', { agent, sources })
      .putBinary('a.tif', { source: real!.uri, digest: real!.sha256 })
      .commit();
    const stubBytes = `${STUB_MAGIC}{"size":16,"origin":"file:///elsewhere"}\n`;
    const [stub] = await env.writeDeposit({ 'stub/a.tif': stubBytes });
    for (const path of ['direct', 'streamed'] as const) {
      // `streamed`: without the stores' worker and server-side copy capabilities, the copy is
      // one stream through the hashes (the path cross-backend pairs take).
      const w = path === 'direct' ? writer : await openRepositoryWriter(env.repo, { store: env.store });
      if (path === 'streamed') Object.assign(w.store, { localTargets: undefined, copyFrom: undefined });
      const tx = w.begin('books/b7', { agent, sources });
      tx.putBinary('a.tif', { source: stub!.uri, digest: stub!.sha256 });
      await t.rejects(tx.commit(), { code: 'UNPROCESSABLE', message: /export stub/ }, `${path}: refused`);
    }
    const r = await repo();
    t.equal((await r.versions('info:fedora/books/b7')).length, 1, 'the object stays at v1');
    t.same((await r.validateObject('info:fedora/books/b7')).errors, [], 'and nothing of the stub is left');
  },

  'sources outside the allowed roots are refused before anything is read': async (t, env, { writer }) => {
    const [a] = await env.writeDeposit({ 'a.txt': 'x' });
    const tx = writer.begin('books/b5', { agent, sources: [`${env.deposit}/elsewhere`] });
    tx.putBinary('a.txt', { source: a!.uri, digest: a!.sha256 });
    await t.rejects(tx.commit(), {
      code: 'INVALID_INPUT',
      message: /not inside the allowed source locations/,
    });
    const climbing = writer.begin('books/b5', { agent, sources: [env.deposit] });
    climbing.putBinary('p', { source: `${env.deposit}/../../../etc/passwd`, digest: a!.sha256 });
    await t.rejects(climbing.commit(), { code: 'INVALID_INPUT' });
  },

  'an Archival Group deleted whole: every resource a tombstone in one new version, gone until purged': async (
    t,
    env,
    { writer, sources, repo },
  ) => {
    const [a, b] = await env.writeDeposit({ 'del/a.txt': 'aaa', 'del/sub/b.txt': 'bbb' });
    const tx = writer.begin('books/doomed', { agent, sources });
    tx.createContainer('sub');
    tx.putBinary('a.txt', { source: a!.uri, digest: a!.sha256 });
    tx.putBinary('sub/b.txt', { source: b!.uri, digest: b!.sha256 });
    await tx.commit();
    await t.rejects(writer.deleteArchivalGroup('books', { agent }), { code: 'CONFLICT' }, 'a container');
    await t.rejects(writer.deleteArchivalGroup('books/none', { agent }), { code: 'NOT_FOUND' });
    const deleted = await writer.deleteArchivalGroup('books/doomed', { agent });
    t.equal(deleted.version, 'v2');
    t.equal(await writer.kindOf('books/doomed'), 'tombstone');
    await t.rejects(writer.deleteArchivalGroup('books/doomed', { agent }), { code: 'GONE' });
    const r = await repo();
    t.same((await r.validateObject('info:fedora/books/doomed')).errors, [], 'the tombstone validates');
    const v2 = await r.resources('info:fedora/books/doomed');
    t.same(
      v2.tombstones.map((x) => [x.path, x.type]),
      [
        ['', 'Container'],
        ['a.txt', 'Binary'],
        ['sub', 'Container'],
        ['sub/b.txt', 'Binary'],
      ],
      'the group and each part leave a tombstone',
    );
    t.ok((await r.storageMap('info:fedora/books/doomed', { version: 'v1' })).files['sub/b.txt'], 'v1 kept');
    await t.rejects(
      writer
        .begin('books/doomed', { agent, sources })
        .putBinary('x', { source: a!.uri, digest: a!.sha256 })
        .commit(),
      { code: 'GONE' },
    );
    await writer.purge('books/doomed');
    t.equal(await writer.kindOf('books/doomed'), 'absent', 'purged: the path is free again');
  },

  'repository structure: groups need a container parent, never a group; tombstones block until purged':
    async (t, env, { writer, sources }) => {
      const [a] = await env.writeDeposit({ 'a.txt': 'x' });
      const put = (path: string) =>
        writer
          .begin(path, { agent, sources })
          .putBinary('a.txt', { source: a!.uri, digest: a!.sha256 })
          .commit();
      await t.rejects(put('nowhere/g'), { code: 'NOT_FOUND' });
      await put('books/g');
      await t.rejects(put('books/g/inner'), { code: 'CONFLICT' });
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
};
