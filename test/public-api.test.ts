import { join } from 'node:path';
import t from 'tap';
import * as strongroom from '../lib/index.js';
import { corpusDir } from './helpers/paths.js';

t.test(
  'an embedding tool can validate an object and build a storage map through lib/index alone',
  async (t) => {
    const objectDir = join(corpusDir, 'ocfl-fixtures/1.1/good-objects/spec-ex-full');
    const report = await strongroom.validateObject(await strongroom.openStore(objectDir), '');
    t.ok(report.valid);
    t.equal(report.id, 'ark:/12345/bcd987');

    const rootDir = join(corpusDir, 'fcrepo/fcrepo-http-api/src/test/resources/test-rebuild-invalid');
    const root = await strongroom.openStorageRoot(await strongroom.openStore(rootDir));
    const map = await strongroom.getStorageMap(root, 'info:fedora/binary');
    t.equal(map.files['binary']?.fullPath, 'v1/content/binary');
    await strongroom.closeDefaultPool();
  },
);

t.test('errors exported from lib/index keep their stable codes', async (t) => {
  t.equal(new strongroom.NotFoundError('x').code, 'NOT_FOUND');
  t.equal(typeof strongroom.ocfl.parseInventory, 'function');
  t.equal(typeof strongroom.ocfl.InventoryParser, 'function', 'inventories of any size, streamed');
  t.equal(typeof strongroom.ocfl.inventoryChunks, 'function');
  t.equal(typeof strongroom.mets.readMets, 'function');
});
