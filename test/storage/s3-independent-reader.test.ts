/**
 * Our S3 writes read back by an independent S3 client: the MinIO JavaScript SDK (`minio`, its
 * own request signing, XML parsing and multipart handling, nothing shared with the AWS SDK our
 * store uses). Bytes, sizes and key names written through S3Store — single part, multipart,
 * unknown length, server-side copy, Unicode and space in names — must be exactly what the other
 * client sees, and objects it writes must be what our store lists and reads. Run against MinIO
 * and, when it is up, Ceph RGW.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'minio';
import t, { type Test } from 'tap';
import type { S3Connection } from '../../lib/storage/s3/config.js';
import { S3Store } from '../../lib/storage/s3/s3-store.js';
import { makeTestBucket, requireRgw, requireS3 } from '../helpers/s3.js';

const MiB = 1024 * 1024;
const PREFIX = 'cross/check';

/** A minio-js client for the same server and credentials. */
function independentClient(config: S3Connection): Client {
  const url = new URL(config.endpoint ?? 'http://127.0.0.1:9000');
  const useSSL = url.protocol === 'https:';
  return new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: config.accessKeyId ?? '',
    secretKey: config.secretAccessKey ?? '',
    region: config.region ?? 'us-east-1',
    pathStyle: true,
  });
}

function bytes(n: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function crossCheck(t: Test, label: string, config: S3Connection): Promise<void> {
  t.test(`${label}: what S3Store writes, minio-js reads byte for byte (and the reverse)`, async (t) => {
    const { bucket, cleanup } = await makeTestBucket(config, `t-cross-${label}`);
    t.teardown(cleanup);
    // Small thresholds so 12 MiB bodies take the multipart paths.
    const store = new S3Store(
      { ...config, bucket, prefix: PREFIX },
      { multipartThreshold: 5 * MiB, partSize: 5 * MiB },
    );
    t.teardown(() => store.client.destroy());
    const other = independentClient(config);

    const large = bytes(12 * MiB + 7, 3);
    const written = new Map<string, Buffer>([
      ['a b/ünïcödé name.txt', Buffer.from('small text\n')],
      ['empty', Buffer.alloc(0)],
      ['large/multipart.bin', large],
      ['large/unknown-length.bin', bytes(11 * MiB, 5)],
      ['large/copy.bin', large],
    ]);
    await store.write('a b/ünïcödé name.txt', written.get('a b/ünïcödé name.txt')!);
    await store.write('empty', Buffer.alloc(0));
    await store.write(
      'large/multipart.bin',
      Readable.from([large.subarray(0, 3 * MiB), large.subarray(3 * MiB)]),
      {
        size: large.length,
      },
    );
    await store.write('large/unknown-length.bin', Readable.from([written.get('large/unknown-length.bin')!]));
    await store.copy('large/multipart.bin', 'large/copy.bin');

    for (const [key, expected] of written) {
      const name = `${PREFIX}/${key}`;
      const stat = await other.statObject(bucket, name);
      t.equal(stat.size, expected.length, `${key}: size seen by minio-js`);
      const got = await readAll(await other.getObject(bucket, name));
      t.equal(sha256(got), sha256(expected), `${key}: bytes seen by minio-js`);
    }
    const listed: string[] = [];
    for await (const item of other.listObjectsV2(bucket, `${PREFIX}/`, true)) listed.push(item.name);
    t.same(
      listed.sort(),
      [...written.keys()].map((k) => `${PREFIX}/${k}`).sort(),
      'minio-js lists exactly our keys',
    );

    // The other direction: an object minio-js writes is what our store lists and reads.
    const theirs = bytes(70_000, 9);
    await other.putObject(bucket, `${PREFIX}/from minio/ñ.bin`, theirs, theirs.length);
    t.equal(
      sha256(await store.readBytes('from minio/ñ.bin')),
      sha256(theirs),
      'S3Store reads what minio-js wrote',
    );
    t.equal((await store.stat('from minio/ñ.bin')).size, theirs.length);
    const ours: string[] = [];
    for await (const entry of store.list('', { delimiter: false })) ours.push(entry.key);
    t.same(
      ours.sort(),
      [...written.keys(), 'from minio/ñ.bin'].sort(),
      'S3Store lists what both clients wrote',
    );
  });
}

const minio = requireS3(t);
if (minio) await crossCheck(t, 'minio', minio);
const rgw = requireRgw(t);
if (rgw) await crossCheck(t, 'rgw', rgw);
