import { resolve } from 'node:path';
import t from 'tap';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { openStore, parseLocation } from '../../lib/storage/location.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { createS3Client, s3ConfigFromEnv } from '../../lib/storage/s3/config.js';
import { S3Store } from '../../lib/storage/s3/s3-store.js';

t.test('file URIs and plain paths are filesystem locations', async (t) => {
  t.same(parseLocation('file:///srv/ocfl%20root'), { kind: 'file', path: '/srv/ocfl root' });
  t.same(parseLocation('file://localhost/srv/x'), { kind: 'file', path: '/srv/x' });
  t.same(parseLocation('/srv/ocfl'), { kind: 'file', path: '/srv/ocfl' });
  t.same(parseLocation('rel/dir'), { kind: 'file', path: resolve('rel/dir') });
});

t.test('s3 URIs name a bucket and an optional prefix', async (t) => {
  t.same(parseLocation('s3://my-bucket'), { kind: 's3', bucket: 'my-bucket', prefix: '' });
  t.same(parseLocation('s3://my-bucket/'), { kind: 's3', bucket: 'my-bucket', prefix: '' });
  t.same(parseLocation('s3://my.bucket/a/b/'), { kind: 's3', bucket: 'my.bucket', prefix: 'a/b' });
  t.same(parseLocation('memory://scratch'), { kind: 'memory', name: 'scratch' });
});

t.test('bad locations are INVALID_INPUT with the URI as key', async (t) => {
  const bad = [
    '',
    '  ',
    'ftp://host/x',
    's3://',
    's3://UPPER/x',
    's3://b/a//c',
    's3://ok-bucket/../x',
    'memory://',
    'memory://a/b',
    'file://remote.host/x',
    's3:bucket',
    'file:relative',
  ];
  for (const uri of bad)
    t.throws(() => parseLocation(uri), { code: 'INVALID_INPUT', key: uri }, JSON.stringify(uri));
});

t.test('openStore returns the backend the location names', async (t) => {
  const fs = openStore('file:///tmp/strongroom-location-test', { readOnly: true });
  t.ok(fs instanceof FsStore);
  t.equal(fs.uri, 'file:///tmp/strongroom-location-test');
  await t.rejects(fs.write('k', 'v'), { code: 'UNSUPPORTED' });
  const env = { S3_ENDPOINT: 'http://127.0.0.1:1', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b' };
  const s3 = openStore('s3://bucket-x/root/dir', { env });
  t.ok(s3 instanceof S3Store);
  t.equal(s3.uri, 's3://bucket-x/root/dir');
  t.equal((s3 as S3Store).objectKey('k'), 'root/dir/k');
  (s3 as S3Store).client.destroy();
  const m1 = openStore('memory://loc-test');
  t.ok(m1 instanceof MemoryStore);
  t.equal(openStore('memory://loc-test'), m1, 'one memory store per name');
  t.not(openStore('memory://other'), m1);
});

t.test('S3 settings come from S3_* with AWS_* fallbacks, or from another prefix', async (t) => {
  t.same(s3ConfigFromEnv({}), { region: 'us-east-1' });
  t.same(
    s3ConfigFromEnv({
      S3_ENDPOINT: 'http://h:9000',
      S3_ACCESS_KEY_ID: 'id',
      AWS_SECRET_ACCESS_KEY: 'secret',
      S3_REGION: 'eu-west-1',
      S3_FORCE_PATH_STYLE: 'true',
    }),
    {
      endpoint: 'http://h:9000',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      region: 'eu-west-1',
      forcePathStyle: true,
    },
  );
  t.same(s3ConfigFromEnv({ S3_ACCESS_KEY: 'short', S3_ACCESS_KEY_ID: 'long' }).accessKeyId, 'short');
  t.same(s3ConfigFromEnv({ RGW_ENDPOINT: 'http://r', RGW_SECRET_KEY: 's', AWS_ACCESS_KEY_ID: 'x' }, 'RGW_'), {
    region: 'us-east-1',
    endpoint: 'http://r',
    secretAccessKey: 's',
  });
  t.throws(() => s3ConfigFromEnv({ S3_FORCE_PATH_STYLE: 'maybe' }), { code: 'INVALID_INPUT' });
});

t.test('the S3 client only computes checksums when an operation requires them', async (t) => {
  const client = createS3Client({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1' });
  t.teardown(() => client.destroy());
  t.equal(await client.config.requestChecksumCalculation(), 'WHEN_REQUIRED');
  t.equal(await client.config.responseChecksumValidation(), 'WHEN_REQUIRED');
  t.equal(client.config.forcePathStyle, true, 'path style by default with an endpoint');
});
