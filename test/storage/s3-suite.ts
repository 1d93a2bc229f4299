/**
 * Everything we run against a real S3 server (MinIO, Ceph RGW): the storage contract on a fresh
 * prefix per behaviour, plus S3-only behaviours (multipart paths, checksums, bucket-root stores).
 * Server-specific expectations (the probe results) are checked by the calling test file.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Test } from 'tap';
import type { S3Connection } from '../../lib/storage/s3/config.js';
import { S3Store, type S3StoreOptions } from '../../lib/storage/s3/s3-store.js';
import { makeTestBucket } from '../helpers/s3.js';
import { runStorageContract } from './contract.js';
import { collect, describe } from './contract-util.js';
import { s3ErrorBehaviours } from './s3-errors.js';

const MiB = 1024 * 1024;

/** Open a store in a fresh bucket for one test; the bucket is removed at teardown. */
export async function freshStore(
  t: Test,
  config: S3Connection,
  options: S3StoreOptions = {},
  prefix = 'sr/p',
) {
  const { bucket, cleanup } = await makeTestBucket(config, 't-storage');
  const store = new S3Store({ ...config, bucket, prefix }, options);
  t.teardown(async () => {
    store.client.destroy();
    await cleanup();
  });
  return store;
}

/** Run the contract and the S3-only behaviours against `config`, inside a subtest named `label`. */
export async function runS3Suite(t: Test, label: string, config: S3Connection): Promise<void> {
  const shared = await makeTestBucket(config, `t-storage-${label}`);
  t.teardown(shared.cleanup);
  let n = 0;
  runStorageContract(t, label, async () => {
    const store = new S3Store({ ...config, bucket: shared.bucket, prefix: `contract/${n++}` });
    return { store, cleanup: async () => store.client.destroy() };
  });
  for (const [title, body] of Object.entries({ ...s3Behaviours, ...s3ErrorBehaviours })) {
    t.test(`${label}: ${title}`, (t) => body(t, config));
  }
}

const s3Behaviours: Record<string, (t: Test, config: S3Connection) => Promise<void>> = {
  'a store at the bucket root uses bare keys and lists the whole bucket': async (t, config) => {
    const store = await freshStore(t, config, {}, '');
    await store.write('a/b', 'x');
    t.equal(store.objectKey('a/b'), 'a/b');
    t.same(describe(await collect(store.list(''))), ['prefix:a']);
    t.equal(store.uri, `s3://${store.bucket}`);
  },
  'a prefixed store never builds keys with empty segments': async (t, config) => {
    const store = await freshStore(t, config, {}, '/outer/inner/');
    t.equal(store.prefix, 'outer/inner');
    t.equal(store.objectKey('k'), 'outer/inner/k');
    await store.write('k', 'v');
    const head = await store.client.send(
      new HeadObjectCommand({ Bucket: store.bucket, Key: 'outer/inner/k' }),
    );
    t.equal(head.ContentLength, 1);
  },
  'streams above the multipart threshold upload in parts and read back whole': async (t, config) => {
    const store = await freshStore(t, config, { multipartThreshold: 5 * MiB, partSize: 5 * MiB });
    const data = Buffer.alloc(11 * MiB);
    for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
    const sha256 = createHash('sha256').update(data).digest('hex');
    const res = await store.write('big', Readable.from([data.subarray(0, 3 * MiB), data.subarray(3 * MiB)]), {
      sha256,
    });
    t.equal(res.size, data.length);
    t.ok(res.etag, 'an etag even where the server answers the completion with an empty one');
    t.equal(res.etag, (await store.stat('big')).etag);
    t.ok((await store.readBytes('big')).equals(data));
    await t.rejects(store.write('big', Readable.from([data]), { ifNoneMatch: true }), {
      code: 'ALREADY_EXISTS',
    });
    await t.rejects(store.write('big2', Readable.from([data]), { sha256: 'cd'.repeat(32) }), {
      code: 'FIXITY_MISMATCH',
    });
    t.equal(await store.exists('big2'), false, 'a wrong multipart body is never completed');
  },
  'a sized stream with a wrong sha256 never completes its PutObject': async (t, config) => {
    const store = await freshStore(t, config);
    const body = Readable.from([Buffer.from('abc'), Buffer.from('def')]);
    await t.rejects(store.write('k', body, { size: 6, sha256: '00'.repeat(32) }), {
      code: 'FIXITY_MISMATCH',
    });
    t.equal(await store.exists('k'), false);
    const ok = await store.write('k', Readable.from([Buffer.from('abcdef')]), { size: 6 });
    t.equal(ok.size, 6);
  },
  'copies above the copy threshold go through UploadPartCopy': async (t, config) => {
    const store = await freshStore(t, config, { copyThreshold: 6 * MiB, copyPartSize: 5 * MiB });
    const data = Buffer.alloc(11 * MiB, 3);
    data[11 * MiB - 1] = 9;
    await store.write('src', data);
    await store.copy('src', 'dst');
    const head = await store.client.send(
      new HeadObjectCommand({ Bucket: store.bucket, Key: store.objectKey('dst') }),
    );
    t.match(head.ETag ?? '', /-3"?$/, 'the copy is a 3-part multipart object');
    t.ok((await store.readBytes('dst')).equals(data));
    await t.rejects(store.copy('src', 'dst', { ifNoneMatch: true }), { code: 'ALREADY_EXISTS' });
  },
  'a multipart composite checksum is never reported as the sha256': async (t, config) => {
    const store = await freshStore(t, config);
    const Bucket = store.bucket;
    const Key = store.objectKey('composite');
    const parts = [Buffer.alloc(5 * MiB, 1), Buffer.from('tail')];
    const created = await store.client.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256' }),
    );
    const done = [];
    for (const [i, part] of parts.entries()) {
      const ChecksumSHA256 = createHash('sha256').update(part).digest('base64');
      const input = {
        Bucket,
        Key,
        UploadId: created.UploadId,
        PartNumber: i + 1,
        Body: part,
        ChecksumSHA256,
      };
      const out = await store.client.send(new UploadPartCommand(input));
      done.push({ PartNumber: i + 1, ETag: out.ETag, ChecksumSHA256 });
    }
    await store.client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId: created.UploadId,
        MultipartUpload: { Parts: done },
      }),
    );
    const raw = await store.client.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    const st = await store.stat('composite');
    t.equal(st.size, 5 * MiB + 4);
    t.equal(st.sha256, undefined, `server said ${raw.ChecksumSHA256 ?? 'nothing'}; not a content digest`);
  },
  'aborting a read mid-body destroys the GET': async (t, config) => {
    const store = await freshStore(t, config);
    await store.write('big', Buffer.alloc(8 * MiB, 5));
    const ac = new AbortController();
    const stream = await store.read('big', { signal: ac.signal });
    let seen = 0;
    const consumed = (async () => {
      for await (const chunk of stream) {
        seen += (chunk as Buffer).length;
        if (seen > 0) ac.abort();
      }
    })();
    await t.rejects(consumed, { name: 'AbortError' });
    t.ok(seen < 8 * MiB, `stopped after ${seen} bytes`);
    t.ok(stream.destroyed);
  },
  'a read-only store refuses writes and a bad prefix is refused up front': async (t, config) => {
    const store = await freshStore(t, config);
    const ro = new S3Store({ ...config, bucket: store.bucket, prefix: store.prefix }, { readOnly: true });
    t.teardown(() => ro.client.destroy());
    await t.rejects(ro.write('k', 'v'), { code: 'UNSUPPORTED' });
    await t.rejects(ro.capabilities(), { code: 'UNSUPPORTED' }, 'a read-only store writes no probe');
    await t.rejects(ro.rename('k', 'k2'), { code: 'UNSUPPORTED' });
    await t.rejects(ro.delete('k', { ifMatch: 'x' }), { code: 'UNSUPPORTED' });
    t.throws(() => new S3Store({ ...config, bucket: store.bucket, prefix: 'a//b' }), {
      code: 'INVALID_INPUT',
    });
    await t.rejects(store.write('x/.strongroom-probe-1', 'v'), { code: 'INVALID_INPUT' });
  },
};
