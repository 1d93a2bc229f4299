import t, { type Test } from 'tap';
import type { ImportJob, ImportJobItem } from '../../lib/core/import-job.js';
import { executeImportJob } from '../../lib/services/import-jobs.js';
import { openRepository } from '../../lib/services/repository.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { requireS3 } from '../helpers/s3.js';
import { type DepositFile, fsEnv, s3Env, type TxnEnv } from './env.js';

const BASE = 'https://example.org/repository/';
const GROUP = `${BASE}books/b1`;
const agent = { name: 'https://example.org/agents/job-runner' };

function job(fields: Partial<ImportJob>): ImportJob {
  return {
    archivalGroup: GROUP,
    containersToAdd: [],
    binariesToAdd: [],
    binariesToPatch: [],
    binariesToDelete: [],
    containersToDelete: [],
    containersToRename: [],
    binariesToRename: [],
    ...fields,
  };
}

const bin = (id: string, f?: DepositFile, extra: Partial<ImportJobItem> = {}): ImportJobItem => ({
  id: `${GROUP}/${id}`,
  ...(f && { origin: f.uri, digest: f.sha256, size: f.bytes.length }),
  ...extra,
});

async function setup(env: TxnEnv) {
  const writer = await openRepositoryWriter(env.repo, { create: true, store: env.store });
  await writer.createContainer('books', { agent });
  const run = (j: ImportJob) =>
    executeImportJob(writer, j, {
      repositoryBase: BASE,
      sources: [env.deposit],
      agent,
      sourceStore: env.store,
    });
  const repo = () => openRepository(env.repo, { store: env.store });
  return { writer, run, repo };
}

function suite(t: Test, name: string, makeEnv: (t: Test) => Promise<TxnEnv>) {
  t.test(
    `${name}: a new group, then an update that adds, patches, renames, deletes and empties a folder`,
    async (t) => {
      const env = await makeEnv(t);
      const { run, repo } = await setup(env);
      const [mets, a, b] = await env.writeDeposit({
        'mets.xml': '<mets/>',
        'objects/a b.tif': 'a',
        'old/b.txt': 'b',
      });
      const v1 = await run(
        job({
          isUpdate: false,
          archivalGroupName: 'Book one',
          containersToAdd: [{ id: `${GROUP}/objects`, name: 'Objects' }, { id: `${GROUP}/old` }],
          binariesToAdd: [
            bin('mets.xml', mets),
            bin('objects/a%20b.tif', a, { name: 'a b.tif' }),
            bin('old/b.txt', b),
          ],
        }),
      );
      t.equal(v1.newVersion, 'v1');
      t.same(
        v1.binariesAdded.map((x) => x.id.slice(GROUP.length + 1)),
        ['mets.xml', 'objects/a%20b.tif', 'old/b.txt'],
      );
      const [mets2, c] = await env.writeDeposit({ 'v2/mets.xml': '<mets v="2"/>', 'v2/c.txt': 'c' });
      const v2 = await run(
        job({
          isUpdate: true,
          sourceVersion: { ocflVersion: 'v1' },
          binariesToPatch: [bin('mets.xml', mets2)],
          binariesToAdd: [bin('objects/c.txt', c)],
          binariesToDelete: [bin('old/b.txt')],
          containersToDelete: [{ id: `${GROUP}/old` }],
          containersToRename: [{ id: `${GROUP}/objects`, name: 'Renamed objects' }],
        }),
      );
      t.equal(v2.newVersion, 'v2');
      t.same(
        v2.containersDeleted.map((x) => x.id),
        [`${GROUP}/old`],
      );
      t.same(v2.containersRenamed.length, 1);
      const r = await repo();
      const res = await r.resources('info:fedora/books/b1');
      t.same([...res.byPath.keys()].sort(), ['', 'mets.xml', 'objects', 'objects/a b.tif', 'objects/c.txt']);
      t.equal(res.byPath.get('objects/a b.tif')?.name, 'a b.tif');
      t.same((await r.validateObject('info:fedora/books/b1')).errors, []);
    },
  );

  t.test(
    `${name}: a job that cannot be applied names every offending item and changes nothing`,
    async (t) => {
      const env = await makeEnv(t);
      const { run, repo } = await setup(env);
      const [a, b] = await env.writeDeposit({ 'a.txt': 'a', 'dir/b.txt': 'b' });
      await run(
        job({
          containersToAdd: [{ id: `${GROUP}/dir` }],
          binariesToAdd: [bin('a.txt', a), bin('dir/b.txt', b)],
        }),
      );
      try {
        await run(
          job({
            isUpdate: true,
            binariesToAdd: [
              bin('a.txt', a),
              bin('elsewhere.txt', a, { id: `${BASE}books/other/x.txt` }),
              bin('bad%zz.txt', a),
            ],
            binariesToPatch: [bin('missing.txt', b)],
            binariesToDelete: [bin('gone.txt')],
            containersToDelete: [{ id: `${GROUP}/dir` }],
          }),
        );
        t.fail('should be refused');
      } catch (err) {
        const e = err as { code: string; problems: Array<{ path: string }> };
        t.equal(e.code, 'UNPROCESSABLE');
        t.same(
          e.problems.map((p) => p.path).sort(),
          [`${BASE}books/other/x.txt`, `${GROUP}/bad%zz.txt`].sort(),
          'ids first',
        );
      }
      try {
        await run(
          job({
            isUpdate: true,
            binariesToAdd: [bin('a.txt', a)],
            binariesToPatch: [bin('missing.txt', b)],
            binariesToDelete: [bin('gone.txt')],
            containersToDelete: [{ id: `${GROUP}/dir` }],
          }),
        );
        t.fail('should be refused');
      } catch (err) {
        const e = err as { code: string; problems: Array<{ path: string }> };
        t.equal(e.code, 'UNPROCESSABLE');
        t.same(e.problems.map((p) => p.path).sort(), ['a.txt', 'dir', 'gone.txt', 'missing.txt']);
      }
      await t.rejects(
        run(job({ isUpdate: false, binariesToAdd: [bin('z.txt', a)] })),
        { code: 'CONFLICT' },
        'isUpdate must match',
      );
      await t.rejects(
        run(job({ binariesToAdd: [bin('z.txt', a)] })),
        { code: 'CONFLICT' },
        'an existing group needs isUpdate: true or a sourceVersion',
      );
      await t.rejects(
        run(job({ sourceVersion: 'v7', binariesToAdd: [bin('z.txt', a)] })),
        { code: 'CONFLICT' },
        'stale sourceVersion',
      );
      await t.rejects(
        run(
          job({
            isUpdate: true,
            binariesToAdd: [{ id: `${GROUP}/z.txt`, origin: 'file:///etc/passwd', digest: a!.sha256 }],
          }),
        ),
        { code: 'INVALID_INPUT' },
        'an origin outside the deposit',
      );
      t.equal((await (await repo()).versions('info:fedora/books/b1')).length, 1, 'still one version');
    },
  );

  t.test(`${name}: a hand-written job without digests or sourceVersion is applied to the head`, async (t) => {
    const env = await makeEnv(t);
    const { run, repo } = await setup(env);
    const [a] = await env.writeDeposit({ 'a.txt': 'first' });
    await run(job({ binariesToAdd: [bin('a.txt', a)] }));
    const [a2] = await env.writeDeposit({ 'later/a.txt': 'second' });
    const out = await run(
      job({
        id: 'urn:uuid:foreign-job',
        isUpdate: true,
        binariesToPatch: [{ id: `${GROUP}/a.txt`, origin: a2!.uri }],
      }),
    );
    t.equal(out.newVersion, 'v2');
    const map = await (await repo()).storageMap('info:fedora/books/b1');
    t.equal(map.files['a.txt']?.hash, a2!.sha256, 'the digest was computed from the bytes');
  });
}

suite(t, 'fs', fsEnv);
const config = requireS3(t);
if (config) suite(t, 'minio', (t) => s3Env(t, config));
