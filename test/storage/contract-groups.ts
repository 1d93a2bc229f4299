/** Listing, conditional-write and mutation behaviours of the storage contract (see contract.ts). */
import { Readable } from 'node:stream';
import { type Body, collect, describe, isByteSorted, keysOf, seed } from './contract-util.js';

export const listing: Record<string, Body> = {
  'listing without a delimiter yields every file below the prefix in byte order': async (t, store) => {
    await seed(store, { 'p/a': '1', 'p/b/c': '22', 'p/b/d/e': '333', 'p-other/x': 'x', pa: 'y' });
    const entries = await collect(store.list('p', { delimiter: false }));
    t.same(keysOf(entries), ['p/a', 'p/b/c', 'p/b/d/e']);
    t.same(
      entries.map((e) => (e.kind === 'file' ? e.size : -1)),
      [1, 2, 3],
      'files carry their size',
    );
  },
  'listing with a delimiter (the default) folds deeper keys into prefixes': async (t, store) => {
    await seed(store, { 'p/a': '1', 'p/b/c': '2', 'p/b/d/e': '3', 'p/z': '4', 'p-other/x': 'x' });
    t.same(describe(await collect(store.list('p'))), ['file:p/a', 'prefix:p/b', 'file:p/z']);
    t.same(describe(await collect(store.list('p/b', { delimiter: true }))), ['file:p/b/c', 'prefix:p/b/d']);
  },
  'a prefix names a directory, not a substring of keys': async (t, store) => {
    await seed(store, { 'a/b/1': '', 'a/bc/2': '', 'a/b-c/3': '', 'a/b.txt': '' });
    t.same(keysOf(await collect(store.list('a/b', { delimiter: false }))), ['a/b/1']);
    t.same(describe(await collect(store.list('a/b'))), ['file:a/b/1']);
  },
  'the empty prefix lists the whole store; a missing prefix lists nothing': async (t, store) => {
    await seed(store, { top: 't', 'd/one': '1', 'd/e/two': '2' });
    t.same(describe(await collect(store.list(''))), ['prefix:d', 'file:top']);
    t.same(keysOf(await collect(store.list('', { delimiter: false }))), ['d/e/two', 'd/one', 'top']);
    t.same(await collect(store.list('nothing/here')), []);
    t.same(await collect(store.list('top')), [], 'a file is not a prefix');
  },
  'small pages still yield every key exactly once, in order': async (t, store) => {
    const keys = ['q/a', 'q/b', 'q/c/1', 'q/c/2', 'q/d', 'q/e/1', 'q/f', 'q/g'];
    for (const key of keys) await store.write(key, key);
    const flat = keysOf(await collect(store.list('q', { delimiter: false, pageSize: 2 })));
    t.same(flat, keys);
    const folded = describe(await collect(store.list('q', { pageSize: 2 })));
    t.same(folded, ['file:q/a', 'file:q/b', 'prefix:q/c', 'file:q/d', 'prefix:q/e', 'file:q/f', 'file:q/g']);
    t.ok(isByteSorted(flat));
  },
  'an aborted listing rejects with AbortError': async (t, store) => {
    await seed(store, { 'l/1': '', 'l/2': '' });
    const ac = new AbortController();
    ac.abort();
    await t.rejects(collect(store.list('l', { signal: ac.signal })), { name: 'AbortError' });
  },
};

export const conditionals: Record<string, Body> = {
  'ifNoneMatch creates a missing key and refuses an existing one, leaving it unchanged': async (t, store) => {
    await store.write('c/new', 'first', { ifNoneMatch: true });
    await t.rejects(store.write('c/new', 'second', { ifNoneMatch: true }), {
      code: 'ALREADY_EXISTS',
      key: 'c/new',
    });
    t.equal((await store.readBytes('c/new')).toString(), 'first');
  },
  'ifNoneMatch also guards stream bodies': async (t, store) => {
    await store.write('c/s', Readable.from([Buffer.from('one')]), { ifNoneMatch: true });
    await t.rejects(store.write('c/s', Readable.from([Buffer.from('two')]), { ifNoneMatch: true }), {
      code: 'ALREADY_EXISTS',
    });
    t.equal((await store.readBytes('c/s')).toString(), 'one');
  },
  'ifMatch replaces only the version with the current etag': async (t, store) => {
    const v1 = await store.write('m/x', 'v1');
    const e1 = v1.etag ?? (await store.stat('m/x')).etag!;
    const v2 = await store.write('m/x', 'v2', { ifMatch: e1 });
    const e2 = v2.etag ?? (await store.stat('m/x')).etag!;
    t.not(e2, e1, 'new content, new etag');
    await t.rejects(store.write('m/x', 'v3', { ifMatch: e1 }), { code: 'PRECONDITION_FAILED', key: 'm/x' });
    t.equal((await store.readBytes('m/x')).toString(), 'v2');
    await store.write('m/x', 'v4', { ifMatch: (await store.stat('m/x')).etag! });
    t.equal((await store.readBytes('m/x')).toString(), 'v4');
  },
  'ifMatch on a missing key is PRECONDITION_FAILED': async (t, store) => {
    await t.rejects(store.write('m/none', 'x', { ifMatch: 'abc' }), { code: 'PRECONDITION_FAILED' });
    t.equal(await store.exists('m/none'), false);
  },
};

export const mutations: Record<string, Body> = {
  'a plain write replaces the content and changes the etag': async (t, store) => {
    await store.write('w', 'aaa');
    const before = await store.stat('w');
    await store.write('w', 'bbb');
    const after = await store.stat('w');
    t.equal((await store.readBytes('w')).toString(), 'bbb');
    t.not(after.etag, before.etag);
  },
  'copy duplicates the bytes and keeps the source': async (t, store) => {
    await store.write('src/one', 'copied bytes');
    await store.copy('src/one', 'dst/deep/one');
    t.equal((await store.readBytes('dst/deep/one')).toString(), 'copied bytes');
    t.equal((await store.readBytes('src/one')).toString(), 'copied bytes');
    await t.rejects(store.copy('src/missing', 'dst/x'), { code: 'NOT_FOUND' });
    t.equal(await store.exists('dst/x'), false);
  },
  'a conditional copy refuses an existing destination': async (t, store) => {
    await seed(store, { from: 'new', to: 'old' });
    await t.rejects(store.copy('from', 'to', { ifNoneMatch: true }), { code: 'ALREADY_EXISTS' });
    t.equal((await store.readBytes('to')).toString(), 'old');
    await store.copy('from', 'fresh', { ifNoneMatch: true });
    t.equal((await store.readBytes('fresh')).toString(), 'new');
  },
  'delete removes one key, a missing key is fine, and emptied prefixes vanish': async (t, store) => {
    await seed(store, { 'x/y/z': '1', 'x/keep': '2' });
    await store.delete('x/y/z');
    await store.delete('x/y/z');
    await store.delete('never/was');
    t.equal(await store.exists('x/y/z'), false);
    t.same(describe(await collect(store.list('x'))), ['file:x/keep']);
  },
  'deletePrefix removes everything below the prefix and nothing beside it': async (t, store) => {
    await seed(store, { 'd/1': '', 'd/e/2': '', 'd/e/f/3': '', 'd-x/4': '', 'dx/5': '', 'e/d/6': '' });
    t.equal(await store.deletePrefix('d'), 3);
    t.same(keysOf(await collect(store.list('', { delimiter: false }))), ['d-x/4', 'dx/5', 'e/d/6']);
    t.equal(await store.deletePrefix('d'), 0, 'again: nothing left');
    t.equal(await store.deletePrefix('dx/5'), 0, 'a file is not a prefix');
    t.equal(await store.exists('dx/5'), true);
  },
};
