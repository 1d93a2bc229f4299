/**
 * Bounded reads: every small OCFL file is read with a cap, and a file past its cap is refused
 * before it is read (sparse files of gigabytes made with truncateSync: no disk, no time). The
 * validator reports an oversized sidecar, declaration or layout file as a finding; an inventory
 * past the reader's limit is an operational TooLargeError ("too large for this reader"), never a
 * wrong code such as E033.
 */
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import { MAX_FEDORA_HEADER_BYTES } from '../../lib/core/fedora/headers.js';
import { MAX_INVENTORY_BYTES } from '../../lib/core/ocfl/inventory-parse.js';
import {
  MAX_DECLARATION_BYTES,
  MAX_EXTENSION_CONFIG_BYTES,
  MAX_LAYOUT_FILE_BYTES,
  MAX_SIDECAR_BYTES,
} from '../../lib/core/ocfl/limits.js';
import { getObjectResources } from '../../lib/engine/fedora-resources.js';
import { readObject } from '../../lib/engine/object-reader.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { validateObject, validateStorageRoot } from '../../lib/engine/validate/index.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { buildObject, writeToDir } from './build-object.js';
import { tempDir } from './hostile-fixtures.js';

const GiB = 1024 ** 3;

function objectDir(t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t, 'bounded');
  writeToDir(dir, buildObject([{ 'a.txt': 'a' }]));
  return dir;
}

t.test('the caps are named and sane', async (t) => {
  t.equal(MAX_SIDECAR_BYTES, 1024);
  t.equal(MAX_DECLARATION_BYTES, 1024);
  t.equal(MAX_LAYOUT_FILE_BYTES, 64 * 1024);
  t.equal(MAX_EXTENSION_CONFIG_BYTES, 64 * 1024);
  t.equal(MAX_FEDORA_HEADER_BYTES, 1024 * 1024);
  t.equal(
    MAX_INVENTORY_BYTES,
    4 * GiB,
    'large inventories are streamed: the cap bounds memory, not a string',
  );
});

t.test('a 2 GiB sidecar of junk is an invalid sidecar (E061), not a VALID object', async (t) => {
  const dir = objectDir(t);
  // The right digest first, then zeros: a reader that decoded a prefix would find it and pass.
  truncateSync(join(dir, 'inventory.json.sha512'), 2 * GiB);
  const store = new FsStore(dir, { readOnly: true });
  const report = await validateObject(store, '');
  t.equal(report.valid, false);
  t.ok(
    report.errors.some((i) => i.code === 'E061' && /larger than 1024 bytes/.test(i.message)),
    JSON.stringify(report.errors),
  );
  const err = await readObject(store, '').catch((e: unknown) => e);
  t.ok(hasCode(err, 'INVALID_OBJECT'));
  t.match((err as Error).message, /larger than 1024 bytes: not an inventory sidecar/);
});

t.test('a 1 GiB object declaration is E007 and a storage root declaration E080, unread', async (t) => {
  const dir = tempDir(t, 'bounded');
  writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
  writeToDir(join(dir, 'obj'), buildObject([{ 'a.txt': 'a' }]));
  truncateSync(join(dir, '0=ocfl_1.1'), GiB);
  truncateSync(join(dir, 'obj', '0=ocfl_object_1.1'), GiB);
  const report = await validateStorageRoot(new FsStore(dir, { readOnly: true }));
  t.ok(report.errors.some((i) => i.code === 'E080' && /at most 1024 bytes/.test(i.message)));
  t.ok(report.objects[0]?.errors.some((i) => i.code === 'E007'));
});

t.test('a 1 GiB ocfl_layout.json is E070 for the validator and TooLargeError for the reader', async (t) => {
  const dir = tempDir(t, 'bounded');
  writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
  writeFileSync(
    join(dir, 'ocfl_layout.json'),
    '{"extension": "0002-flat-direct-storage-layout", "description": "x"}',
  );
  truncateSync(join(dir, 'ocfl_layout.json'), GiB);
  const store = new FsStore(dir, { readOnly: true });
  const report = await validateStorageRoot(store);
  t.ok(report.errors.some((i) => i.code === 'E070' && /larger than 65536 bytes/.test(i.message)));
  t.ok(hasCode(await openStorageRoot(store).catch((e: unknown) => e), 'TOO_LARGE'));
});

t.test('a 1 GiB extension config.json is refused with TooLargeError', async (t) => {
  const dir = tempDir(t, 'bounded');
  writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
  writeFileSync(
    join(dir, 'ocfl_layout.json'),
    '{"extension": "0002-flat-direct-storage-layout", "description": "x"}',
  );
  const config = join(dir, 'extensions', '0002-flat-direct-storage-layout', 'config.json');
  mkdirSync(join(config, '..'), { recursive: true });
  writeFileSync(config, '{}');
  truncateSync(config, GiB);
  const err = await openStorageRoot(new FsStore(dir, { readOnly: true })).catch((e: unknown) => e);
  t.ok(hasCode(err, 'TOO_LARGE'));
});

for (const where of ['inventory.json', 'v1/inventory.json']) {
  t.test(`a sparse 5 GB ${where} is refused at once as too large for this reader, not E033`, async (t) => {
    const dir = objectDir(t);
    truncateSync(join(dir, where), 5 * 10 ** 9);
    const store = new FsStore(dir, { readOnly: true });
    const started = Date.now();
    const rss = process.memoryUsage().rss;
    const err = await validateObject(store, '').catch((e: unknown) => e);
    t.ok(hasCode(err, 'TOO_LARGE'), 'an operational error, not a report');
    t.match((err as Error).message, /too large for this reader/);
    t.notMatch((err as Error).message, /E033/);
    if (where === 'inventory.json') {
      const read = await readObject(store, '').catch((e: unknown) => e);
      t.ok(hasCode(read, 'TOO_LARGE'));
      t.match((read as Error).message, /5000000000 bytes, too large for this reader/);
    }
    t.ok(Date.now() - started < 5000, `refused in ${Date.now() - started} ms`);
    t.ok(process.memoryUsage().rss - rss < 200 * 1024 * 1024, 'without reading it');
  });

  t.test(
    `a sparse 3 GB ${where} (under the cap) is E033 after its first bytes, not read whole`,
    async (t) => {
      const dir = objectDir(t);
      truncateSync(join(dir, where), 3 * 10 ** 9);
      const store = new FsStore(dir, { readOnly: true });
      const started = Date.now();
      const rss = process.memoryUsage().rss;
      const report = await validateObject(store, '', { fixity: false });
      t.ok(
        report.errors.some((i) => i.code === 'E033' && i.path === where),
        JSON.stringify(report.errors),
      );
      if (where === 'inventory.json') {
        const read = await readObject(store, '').catch((e: unknown) => e);
        t.ok(hasCode(read, 'INVALID_OBJECT'), 'the reader refuses it as not JSON');
      }
      t.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
      t.ok(process.memoryUsage().rss - rss < 200 * 1024 * 1024, 'without reading it');
    },
  );
}

t.test('a Fedora header past MAX_FEDORA_HEADER_BYTES is refused, not read', async (t) => {
  const dir = tempDir(t, 'bounded');
  writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
  const header = JSON.stringify({ id: 'info:fedora/ag', archivalGroup: true, objectRoot: true });
  writeToDir(
    join(dir, 'obj'),
    buildObject([{ '.fcrepo/fcr-root.json': header, 'a.txt': 'a' }], 'info:fedora/ag'),
  );
  truncateSync(join(dir, 'obj', 'v1', 'content', '.fcrepo', 'fcr-root.json'), 2 * MAX_FEDORA_HEADER_BYTES);
  const root = await openStorageRoot(new FsStore(dir, { readOnly: true }));
  const err = await getObjectResources(root, 'info:fedora/ag').catch((e: unknown) => e);
  t.ok(hasCode(err, 'TOO_LARGE'), String(err));
});
