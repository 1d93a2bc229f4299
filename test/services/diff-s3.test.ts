import t from 'tap';
import { MetsDocument } from '../../lib/formats/mets/document.js';
import { writeMets } from '../../lib/formats/mets/writer.js';
import { type DiffDepositOptions, diffDeposit } from '../../lib/services/diff.js';
import { executeImportJob } from '../../lib/services/import-jobs.js';
import { openRepository } from '../../lib/services/repository.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { requireS3 } from '../helpers/s3.js';
import { type Deposit, type DiffEnv, s3DiffEnv, sha256 } from './diff-env.js';

const BASE = 'https://example.org/repository/';
const GROUP = `${BASE}books/b1`;
const agent = { name: 'https://example.org/agents/tester' };

const config = requireS3(t);

async function setup(env: DiffEnv) {
  const writer = await openRepositoryWriter(env.repo, { create: true, store: env.store });
  await writer.createContainer('books', { agent });
  const diff = async (dep: Deposit, extra: Partial<DiffDepositOptions> = {}) =>
    diffDeposit({
      files: dep.uri,
      archivalGroup: GROUP,
      archivalGroupName: 'Book one',
      repositoryBase: BASE,
      repository: await openRepository(env.repo, { store: env.store }),
      store: env.store,
      ...extra,
    });
  return { writer, diff };
}

if (config) {
  t.test(
    'S3 digests: a SHA-256 checksum comes from one HEAD and no read; an upload without one is hashed; a multipart composite is never taken',
    async (t) => {
      const env = await s3DiffEnv(t, config);
      const { writer, diff } = await setup(env);
      const dep = await env.newDeposit();
      const withChecksum = Buffer.alloc(100 * 1024, 'a');
      const plain = Buffer.alloc(100 * 1024, 'b');
      const multi = Buffer.alloc(11 * 1024 * 1024, 'c');
      await dep.write({ 'objects/with-checksum.bin': withChecksum }, { checksum: true });
      await dep.write({ 'objects/plain.bin': plain });
      await dep.write({ 'objects/multi.bin': multi }, { multipart: true });
      const { job, stats } = await diff(dep);
      t.same(stats.digests, { METS: 0, BagIt: 0, S3: 1, computed: 2 });
      t.equal(stats.headRequests, 3, 'one HEAD per file without a manifest digest');
      t.equal(stats.stubReads, 0, 'files too large to be stubs are not read for it');
      const digest = new Map(job.binariesToAdd.map((b) => [b.id.slice(GROUP.length + 1), b.digest]));
      t.equal(digest.get('objects/with-checksum.bin'), sha256(withChecksum));
      t.equal(digest.get('objects/plain.bin'), sha256(plain));
      t.equal(digest.get('objects/multi.bin'), sha256(multi), 'the whole content, not the composite');
      t.ok(
        job.binariesToAdd.every((b) => b.contentType === 'application/octet-stream'),
        'no better type is known for .bin; the upload’s own Content-Type is never read',
      );
      const out = await executeImportJob(writer, job, {
        repositoryBase: BASE,
        sources: [dep.uri],
        agent,
        sourceStore: env.store,
      });
      t.equal(out.newVersion, 'v1', 'the job applies (every digest verified by the commit)');
      t.same((await diff(dep)).job.binariesToPatch, [], 'nothing changed since');
    },
  );

  t.test('S3 files whose digest the METS gives are never HEADed or read', async (t) => {
    const env = await s3DiffEnv(t, config);
    const { diff } = await setup(env);
    const dep = await env.newDeposit();
    const files = { 'objects/a.tif': 'a', 'objects/b.tif': 'b', 'objects/c.tif': 'c' };
    const doc = MetsDocument.create();
    for (const [path, text] of Object.entries(files)) doc.addFile({ path, sha256: sha256(text), size: 1 });
    await dep.write({ ...files, 'mets.xml': writeMets(doc) });
    const { job, stats } = await diff(dep);
    t.equal(stats.digests.METS, 3);
    t.equal(stats.headRequests, 1, 'only the METS file itself');
    t.equal(stats.stubReads, 1, 'only the METS file itself (small, digest from its own bytes)');
    t.equal(job.binariesToAdd.length, 4);
    t.equal(job.binariesToAdd.find((b) => b.id.endsWith('a.tif'))?.contentType, 'image/tiff');
  });
}
