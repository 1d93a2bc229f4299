/**
 * The storage contract: every backend (memory, filesystem, MinIO, Ceph RGW) runs these same
 * behaviours through `runStorageContract`. A backend difference that a caller can observe is
 * either a bug or belongs in the port's documentation, not in an `if (store.kind === ...)` here.
 */
import { Readable } from 'node:stream';
import type { Test } from 'tap';
import { isWritable, type WritableStore } from '../../lib/storage/port.js';
import { readOnlyView } from '../../lib/storage/read-only.js';
import { capabilityCases } from './contract-capabilities.js';
import { conditionals, listing, mutations } from './contract-groups.js';
import { type Body, collect, keysOf } from './contract-util.js';

/** What a contract run needs from a backend: a fresh, empty store and a way to dispose of it. */
export type MakeStore = () => Promise<{ store: WritableStore; cleanup: () => Promise<void> }>;

/** Run every contract behaviour as a subtest of `t`, each on its own fresh store. */
export function runStorageContract(t: Test, name: string, makeStore: MakeStore): void {
  const it = (title: string, body: Body) =>
    t.test(`${name}: ${title}`, async (t) => {
      const { store, cleanup } = await makeStore();
      t.teardown(cleanup);
      await body(t, store);
    });
  for (const [title, body] of Object.entries(basics)) it(title, body);
  for (const [title, body] of Object.entries(listing)) it(title, body);
  for (const [title, body] of Object.entries(conditionals)) it(title, body);
  for (const [title, body] of Object.entries(mutations)) it(title, body);
  for (const [title, body] of Object.entries(capabilityCases)) it(title, body);
  it('a read-only view reads what the store holds and has no write side', async (t, store) => {
    await store.write('ro/k', 'v');
    const view = readOnlyView(store);
    t.equal(isWritable(view), false);
    t.equal((await view.readBytes('ro/k')).toString(), 'v');
    t.same(await view.stat('ro/k'), await store.stat('ro/k'));
    t.same(view.location, store.location);
    t.equal((view as unknown as { write?: unknown }).write, undefined);
  });
  it('a write with a wrong sha256 is FIXITY_MISMATCH and stores nothing', async (t, store) => {
    const wrong = 'ab'.repeat(32);
    await t.rejects(store.write('checked', Buffer.from('payload'), { sha256: wrong }), {
      code: 'FIXITY_MISMATCH',
    });
    await t.rejects(store.write('checked', Readable.from([Buffer.from('payload')]), { sha256: wrong }), {
      code: 'FIXITY_MISMATCH',
    });
    t.equal(await store.exists('checked'), false, 'nothing stored');
    const good = '239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5';
    const res = await store.write('checked', Buffer.from('payload'), { sha256: good });
    t.equal((await store.readBytes('checked')).toString(), 'payload', 'the right digest is accepted');
    t.equal(res.sha256, good, 'the write reports the digest');
  });
}

const basics: Record<string, Body> = {
  'written bytes read back the same from buffers, strings and streams': async (t, store) => {
    const res = await store.write('a/buffer.bin', Buffer.from([0, 1, 2, 255]));
    t.equal(res.size, 4);
    t.same([...(await store.readBytes('a/buffer.bin'))], [0, 1, 2, 255]);
    await store.write('a/string.txt', 'héllo');
    t.equal((await store.readBytes('a/string.txt')).toString('utf8'), 'héllo');
    const big = Buffer.alloc(300_000, 7);
    const streamed = await store.write(
      'a/stream.bin',
      Readable.from([big.subarray(0, 1000), big.subarray(1000)]),
    );
    t.equal(streamed.size, big.length);
    t.ok((await store.readBytes('a/stream.bin')).equals(big));
    t.equal((await collect(await store.read('a/stream.bin'))).length, big.length, 'read streams it too');
  },
  'readBytes refuses an object larger than maxBytes with TOO_LARGE and reads one at the cap': async (
    t,
    store,
  ) => {
    await store.write('capped', Buffer.alloc(1000, 1));
    await t.rejects(store.readBytes('capped', { maxBytes: 999 }), { code: 'TOO_LARGE', limit: 999 });
    t.equal((await store.readBytes('capped', { maxBytes: 1000 })).length, 1000);
    await t.rejects(store.readBytes('missing', { maxBytes: 10 }), { code: 'NOT_FOUND' });
  },
  'an empty object is stored, stated and read as zero bytes': async (t, store) => {
    await store.write('empty', Buffer.alloc(0));
    t.equal((await store.stat('empty')).size, 0);
    t.equal((await store.readBytes('empty')).length, 0);
    t.equal((await collect(await store.read('empty', { start: 0 }))).length, 0);
  },
  'byte ranges are inclusive and clamp at the end of the object': async (t, store) => {
    await store.write('r', '0123456789');
    const range = async (start?: number, end?: number) =>
      (await collect(await store.read('r', { start, end }))).toString();
    t.equal(await range(2, 4), '234');
    t.equal(await range(7), '789');
    t.equal(await range(undefined, 1), '01');
    t.equal(await range(8, 100), '89', 'end past the object clamps');
    t.equal(await range(10), '', 'start at the end is empty');
    t.equal(await range(50, 60), '', 'start past the end is empty');
    await t.rejects(store.read('r', { start: 5, end: 4 }), { code: 'INVALID_INPUT' });
    await t.rejects(store.read('r', { start: -1 }), { code: 'INVALID_INPUT' });
  },
  'stat reports size and an etag that matches the write result, and a sha256 only where claimed': async (
    t,
    store,
  ) => {
    const res = await store.write('s/x', 'abc');
    const st = await store.stat('s/x');
    t.equal(st.key, 's/x');
    t.equal(st.size, 3);
    t.ok(st.etag, 'has an etag');
    if (res.etag !== undefined) t.equal(res.etag, st.etag);
    if (!(await store.capabilities()).serverSideSha256) t.equal(st.sha256, undefined, 'no claim, no digest');
    else if (st.sha256 !== undefined) {
      t.equal(st.sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    }
  },
  'missing keys are NOT_FOUND with operation and key, and do not exist': async (t, store) => {
    await store.write('dir/present', 'x');
    await t.rejects(store.read('nope/missing'), {
      code: 'NOT_FOUND',
      key: 'nope/missing',
      operation: 'read',
    });
    await t.rejects(store.readBytes('nope'), { code: 'NOT_FOUND', key: 'nope' });
    await t.rejects(store.stat('nope'), { code: 'NOT_FOUND', operation: 'stat' });
    await t.rejects(store.stat('dir'), { code: 'NOT_FOUND' }, 'a prefix is not an object');
    t.equal(await store.exists('nope'), false);
    t.equal(await store.exists('dir'), false, 'a prefix does not exist as a file');
    t.equal(await store.exists('dir/present'), true);
  },
  'malformed keys are INVALID_INPUT': async (t, store) => {
    for (const key of ['/a', 'a/', 'a//b', '../x', 'a/./b', '']) {
      await t.rejects(store.write(key, 'x'), { code: 'INVALID_INPUT' }, `write ${JSON.stringify(key)}`);
      await t.rejects(store.stat(key), { code: 'INVALID_INPUT' }, `stat ${JSON.stringify(key)}`);
    }
  },
  'awkward keys round-trip through write, stat, list and read': async (t, store) => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    const keys = [
      'k/with space',
      'k/trailing space ',
      `k/${nfc}`,
      `k/${nfd}`,
      'k/hash#tag',
      'k/per%25cent%',
      'k/plus+sign',
      'k/question?mark',
      'k/tilde~x',
      'k/emoji-😀',
      'k/amp&eq=semi;',
    ];
    for (const key of keys) await store.write(key, `v:${key}`);
    for (const key of keys) {
      t.equal((await store.readBytes(key)).toString(), `v:${key}`, `read ${key}`);
      t.equal((await store.stat(key)).key, key);
    }
    t.same(keysOf(await collect(store.list('k', { delimiter: false }))).sort(), [...keys].sort());
    t.not((await store.readBytes(`k/${nfc}`)).toString(), (await store.readBytes(`k/${nfd}`)).toString());
  },
  'aborting a read destroys the stream with an AbortError': async (t, store) => {
    await store.write('big', Buffer.alloc(2 * 1024 * 1024, 1));
    const ac = new AbortController();
    const stream = await store.read('big', { signal: ac.signal });
    ac.abort();
    await t.rejects(collect(stream), { name: 'AbortError' });
    t.ok(stream.destroyed, 'stream destroyed');
    const pre = new AbortController();
    pre.abort();
    await t.rejects(
      (async () => collect(await store.read('big', { signal: pre.signal })))(),
      { name: 'AbortError' },
      'an already-aborted signal fails the read',
    );
  },
};
