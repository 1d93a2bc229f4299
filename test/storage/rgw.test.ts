import t from 'tap';
import { S3Store } from '../../lib/storage/s3/s3-store.js';
import { makeTestBucket, requireRgw } from '../helpers/s3.js';
import { runS3Suite } from './s3-suite.js';

const config = requireRgw(t);
if (config) {
  await runS3Suite(t, 'rgw', config);

  t.test('rgw capabilities: no SHA-256 checksums, conditional create, bare-ETag If-Match', async (t) => {
    const { bucket, cleanup } = await makeTestBucket(config, 't-storage-probe');
    t.teardown(cleanup);
    const store = new S3Store({ ...config, bucket, prefix: 'p' });
    t.teardown(() => store.client.destroy());
    t.same(await store.serverBehaviour(), {
      sha256Checksums: false,
      conditionalCreate: true,
      ifMatchEtag: 'unquoted',
      deleteIfMatchEtag: 'none',
      copyIfNoneMatch: false,
      copySha256: false,
    });
    t.same(await store.capabilities(), {
      conditionalCreate: 'atomic',
      conditionalReplace: 'atomic',
      conditionalDelete: 'emulated',
      copyIfAbsent: 'emulated',
      rename: 'emulated',
      durability: 'on-write',
      serverSideSha256: false,
      atomicWriteMaxBytes: 64 * 1024 * 1024,
    });
  });

  t.test('rgw stat claims no sha256 even when the write carried one', async (t) => {
    const { bucket, cleanup } = await makeTestBucket(config, 't-storage-sha');
    t.teardown(cleanup);
    const store = new S3Store({ ...config, bucket });
    t.teardown(() => store.client.destroy());
    const sha256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const res = await store.write('abc', 'abc', { sha256 });
    t.equal(res.sha256, sha256, 'verified by us');
    t.equal((await store.stat('abc')).sha256, undefined);
  });
}
