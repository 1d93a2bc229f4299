/**
 * StorageMaps and resources of a Fedora-shaped AG stored in MinIO under a key prefix: `root` is
 * the bucket and `objectPath` carries every prefix, origins are s3:// URIs of the stored keys.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { MemoryCache } from '../../lib/cache/memory-cache.js';
import { type BinaryResource, findResource } from '../../lib/core/fedora/index.js';
import { getObjectResources } from '../../lib/engine/fedora-resources.js';
import { getStorageMap } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { S3Store } from '../../lib/storage/s3/s3-store.js';
import { makeTestBucket, requireS3 } from '../helpers/s3.js';
import { agRoot } from './helpers.js';

const AG_ID = 'info:fedora/kickoff/tuesday-1';
const AG_PATH = '35e/463/7ea/35e4637ea335e89bc2dfd95c0719a247590af4144615599e265a22070d822555';

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

t.test('getStorageMap on MinIO with a bucket key prefix', async (t) => {
  const config = requireS3(t);
  if (!config) return;
  const { bucket, cleanup } = await makeTestBucket(config, 't-engine-storagemap');
  t.teardown(cleanup);
  const writer = new S3Store({ ...config, bucket, prefix: 'tenant' });
  for (const file of filesUnder(agRoot)) {
    await writer.write(`ocfl-root/${relative(agRoot, file).split('\\').join('/')}`, readFileSync(file));
  }
  const reader = new S3Store({ ...config, bucket, prefix: 'tenant' }, { readOnly: true });
  const root = await openStorageRoot(reader, { prefix: 'ocfl-root', cache: new MemoryCache() });
  t.equal(root.layoutSource, 'declared');
  const map = await getStorageMap(root, AG_ID);
  t.equal(map.storageType, 'S3');
  t.equal(map.root, bucket);
  t.equal(map.objectPath, `tenant/ocfl-root/${AG_PATH}`);
  t.same(map.files['objects/Teto in tree.png']?.fullPath, 'v1/content/objects/Teto%20in%20tree.png');
  t.equal(map.digestAlgorithm, undefined, 'SHA-256s came from the headers');
  const v1 = await getStorageMap(root, AG_ID, { version: '20250909110722' });
  t.equal(v1.version.ocflVersion, 'v1');
  const model = await getObjectResources(root, AG_ID);
  const png = findResource(model, 'objects/Teto in tree.png') as BinaryResource;
  t.equal(png.origin, `s3://${bucket}/tenant/ocfl-root/${AG_PATH}/v1/content/objects/Teto%20in%20tree.png`);
  t.equal(png.digest, map.files['objects/Teto in tree.png']?.hash);
  const ids: string[] = [];
  for await (const ref of root.listObjects()) ids.push(ref.id!);
  t.same(ids, [AG_ID]);
});
