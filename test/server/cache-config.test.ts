/**
 * The server's inventory and header cache: where STRONGROOM_CACHE puts it (default under the data
 * folder, `none` for no cache), and that a restarted server answers from it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { configFromEnv } from '../../server/config/server-config.js';
import { testServer } from './harness.js';

t.test('STRONGROOM_CACHE: default <data>/cache, a path from the working folder, or none', async (t) => {
  t.equal(configFromEnv({ STRONGROOM_DATA: '/srv/data' }, '/').cacheDir, '/srv/data/cache');
  t.equal(configFromEnv({ STRONGROOM_CACHE: 'tmp/c' }, '/work').cacheDir, '/work/tmp/c');
  t.equal(configFromEnv({ STRONGROOM_CACHE: 'none' }, '/').cacheDir, null);
});

t.test('a group read once is in the cache, and a server restarted on it reads it from there', async (t) => {
  const first = await testServer(t);
  await first.preserve('books/one', { 'a.txt': 'alpha', 'sub/b.txt': 'bravo' });
  const token = await first.token('reader');
  const before = await first.request.get('/repository/books/one').auth(token, { type: 'bearer' });
  t.equal(before.status, 200);
  const mapBefore = await first.request.get('/ocfl/storagemap/books/one').auth(token, { type: 'bearer' });
  t.equal(mapBefore.status, 200);
  await new Promise((r) => setTimeout(r, 50)); // the cache is filled after the answer
  t.ok(existsSync(join(first.dataDir, 'cache')) && readdirSync(join(first.dataDir, 'cache')).length > 0);
  await first.deps.close();

  const again = await testServer(t, { STRONGROOM_DATA: first.dataDir });
  const store = again.deps.services.repository.store;
  const reads: string[] = [];
  const readBytes = store.readBytes.bind(store);
  store.readBytes = (key, options) => {
    reads.push(key);
    return readBytes(key, options);
  };
  const mapAfter = await again.request
    .get('/ocfl/storagemap/books/one')
    .auth(await again.token('reader'), { type: 'bearer' });
  t.equal(mapAfter.text, mapBefore.text, 'the same storage map');
  t.same(
    reads.filter((k) => !/\/inventory\.json\.sha512$/.test(k)),
    [],
    'the storage map came from the cache: nothing was read but the sidecar',
  );
  const after = await again.request
    .get('/repository/books/one')
    .auth(await again.token('reader'), { type: 'bearer' });
  t.same(after.body, before.body, 'the same answer');
  t.same(
    reads.filter((k) => /\/\.fcrepo\/(?!fcr-root\.json$)/.test(k) || k.endsWith('/inventory.json')),
    [],
    'no binary’s header and no inventory was read again (only the group’s own root header)',
  );
});

t.test('a group changed after its storage map was cached answers with its new version', async (t) => {
  const first = await testServer(t);
  await first.preserve('books/one', { 'a.txt': 'alpha' });
  const token = await first.token('reader');
  const v1 = await first.request.get('/ocfl/storagemap/books/one').auth(token, { type: 'bearer' });
  t.match(v1.text, /"v1"/);
  await new Promise((r) => setTimeout(r, 50));
  await first.deps.close();
  const again = await testServer(t, { STRONGROOM_DATA: first.dataDir });
  await again.preserve('books/one', { 'a.txt': 'alpha', 'b.txt': 'bravo' });
  const v2 = await again.request
    .get('/ocfl/storagemap/books/one')
    .auth(await again.token('reader'), { type: 'bearer' });
  t.equal(v2.status, 200);
  t.match(v2.text, /"v2"/, 'not the cached map of v1');
  t.match(v2.text, /b\.txt/);
});
