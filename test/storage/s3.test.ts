import t from 'tap';
import { S3Store } from '../../lib/storage/s3/s3-store.js';
import { makeTestBucket, requireS3 } from '../helpers/s3.js';
import { runS3Suite } from './s3-suite.js';

/** What the probe finds on MinIO (S3-NOTES): the descriptor in docs/storage.md follows from it. */
const MINIO_BEHAVIOUR = {
  sha256Checksums: true,
  conditionalCreate: true,
  ifMatchEtag: 'quoted',
  deleteIfMatchEtag: 'none',
  copyIfNoneMatch: false,
  copySha256: true,
};
const MINIO_CAPABILITIES = {
  conditionalCreate: 'atomic',
  conditionalReplace: 'atomic',
  conditionalDelete: 'emulated',
  copyIfAbsent: 'emulated',
  rename: 'emulated',
  durability: 'on-write',
  serverSideSha256: true,
  atomicWriteMaxBytes: 64 * 1024 * 1024,
};

const config = requireS3(t);
if (config) {
  await runS3Suite(t, 'minio', config);

  t.test('minio capabilities: verified SHA-256 checksums, conditional create, quoted If-Match', async (t) => {
    const { bucket, cleanup } = await makeTestBucket(config, 't-storage-probe');
    t.teardown(cleanup);
    const store = new S3Store({ ...config, bucket, prefix: 'p' });
    t.teardown(() => store.client.destroy());
    const first = store.serverBehaviour();
    t.equal(store.serverBehaviour(), first, 'probed once, cached');
    t.same(await first, MINIO_BEHAVIOUR);
    t.same(await store.capabilities(), MINIO_CAPABILITIES);
    t.same(
      await store.list('', { delimiter: false })[Symbol.asyncIterator]().next(),
      { done: true, value: undefined },
      'the probe object is gone',
    );
  });

  t.test('minio stat reports the SHA-256 checksum of a single-part write made with one', async (t) => {
    const { bucket, cleanup } = await makeTestBucket(config, 't-storage-sha');
    t.teardown(cleanup);
    const store = new S3Store({ ...config, bucket });
    t.teardown(() => store.client.destroy());
    const sha256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    await store.write('abc', 'abc', { sha256 });
    t.equal((await store.stat('abc')).sha256, sha256);
    await store.write('plain', 'abc');
    t.equal((await store.stat('plain')).sha256, undefined, 'no checksum sent, none claimed');
  });
}
