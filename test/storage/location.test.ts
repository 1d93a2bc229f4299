import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { openStore, parseLocation } from '../../lib/storage/location.js';
import { MemoryStores } from '../../lib/storage/memory/registry.js';
import { hasLocalPaths, isWritable } from '../../lib/storage/port.js';
import { createS3Client } from '../../lib/storage/s3/config.js';
import { S3Store } from '../../lib/storage/s3/s3-store.js';
import { openWritableStore } from '../../lib/storage/writable.js';

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
  await t.rejects(openStore('ftp://x/y'), { code: 'INVALID_INPUT' }, 'openStore rejects them too');
  await t.rejects(openWritableStore('s3://UPPER'), { code: 'INVALID_INPUT' });
});

t.test('openStore hands out a read-only view that no cast can write through', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-location-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await new FsStore(dir).write('k', 'v');
  const store = await openStore(pathToFileURL(dir).href);
  t.equal(isWritable(store), false);
  t.notOk(store instanceof FsStore, 'not the backend itself');
  const loose = store as unknown as Record<string, unknown>;
  for (const method of [
    'write',
    'copy',
    'rename',
    'delete',
    'deletePrefix',
    'sync',
    'capabilities',
    'localPath',
  ]) {
    t.equal(loose[method], undefined, `no ${method}`);
  }
  t.same(Object.keys(store), ['kind', 'uri', 'location'], 'only the descriptive fields are visible');
  t.equal((await store.readBytes('k')).toString(), 'v', 'reads pass through');
  t.equal(store.uri, pathToFileURL(dir).href);
  t.same(store.location, { kind: 'file', path: dir });
  t.ok(hasLocalPaths(store), 'hashing workers still get checked local paths');
  if (hasLocalPaths(store)) t.equal(store.localFiles().resolve('k'), join(realpathSync(dir), 'k'));
});

t.test('openWritableStore returns the backend with its write side', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-location-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = await openWritableStore(dir, { durable: true });
  t.ok(store instanceof FsStore);
  t.equal((store as FsStore).durable, true);
  await store.write('a/b', 'x');
  t.equal((await (await openStore(dir)).readBytes('a/b')).toString(), 'x');
});

t.test('memory locations live in the registry passed in, never in a process-wide one', async (t) => {
  const stores = new MemoryStores();
  const writer = await openWritableStore('memory://loc-test', { memoryStores: stores });
  await writer.write('k', 'v');
  const reader = await openStore('memory://loc-test', { memoryStores: stores });
  t.equal((await reader.readBytes('k')).toString(), 'v', 'the same registry shares the store');
  t.equal(
    await openWritableStore('memory://loc-test', { memoryStores: stores }),
    writer,
    'one store per name',
  );
  const other = await openStore('memory://loc-test', { memoryStores: new MemoryStores() });
  t.equal(await other.exists('k'), false, 'another registry has its own store');
  const fresh = await openStore('memory://loc-test');
  t.equal(await fresh.exists('k'), false, 'the default is a new, empty registry per call');
  t.same(reader.location, { kind: 'memory', name: 'loc-test' });
});

t.test('s3 locations take their connection settings as an argument', async (t) => {
  const s3 = { endpoint: 'http://127.0.0.1:1', accessKeyId: 'a', secretAccessKey: 'b' };
  const reader = await openStore('s3://bucket-x/root/dir', { s3 });
  t.equal(reader.uri, 's3://bucket-x/root/dir');
  t.same(reader.location, {
    kind: 's3',
    bucket: 'bucket-x',
    prefix: 'root/dir',
    endpoint: 'http://127.0.0.1:1',
  });
  t.equal(isWritable(reader), false);
  const writer = await openWritableStore('s3://bucket-x/root', { s3 });
  t.ok(writer instanceof S3Store);
  t.teardown(() => (writer as S3Store).client.destroy());
  t.equal((writer as S3Store).objectKey('k'), 'root/k');
  t.same(writer.location, { kind: 's3', bucket: 'bucket-x', prefix: 'root', endpoint: 'http://127.0.0.1:1' });
  const aws = await openWritableStore('s3://bucket-y', { s3: { region: 'eu-west-1' } });
  t.teardown(() => (aws as S3Store).client.destroy());
  t.same(aws.location, { kind: 's3', bucket: 'bucket-y', prefix: '' }, 'no endpoint: AWS');
});

t.test('the S3 client only computes checksums when an operation requires them', async (t) => {
  const client = createS3Client({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1' });
  t.teardown(() => client.destroy());
  t.equal(await client.config.requestChecksumCalculation(), 'WHEN_REQUIRED');
  t.equal(await client.config.responseChecksumValidation(), 'WHEN_REQUIRED');
  t.equal(client.config.forcePathStyle, true, 'path style by default with an endpoint');
});
