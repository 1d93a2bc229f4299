import t from 'tap';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { runStorageContract } from './contract.js';

let n = 0;
runStorageContract(t, 'memory', async () => ({
  store: new MemoryStore(`contract-${n++}`),
  cleanup: async () => {},
}));

t.test('memory stores with the same name are still separate', async (t) => {
  const a = new MemoryStore('same');
  const b = new MemoryStore('same');
  await a.write('k', 'x');
  t.equal(await b.exists('k'), false);
  t.equal(a.uri, 'memory://same');
});

t.test('memory stat vouches for the SHA-256 it computed', async (t) => {
  const store = new MemoryStore();
  const res = await store.write('k', 'abc');
  t.equal(res.sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  t.equal((await store.stat('k')).sha256, res.sha256);
});

t.test('memory reads return copies, so callers cannot change stored bytes', async (t) => {
  const store = new MemoryStore();
  const body = Buffer.from('abc');
  await store.write('k', body);
  body[0] = 0x7a;
  (await store.readBytes('k'))[1] = 0x7a;
  t.equal((await store.readBytes('k')).toString(), 'abc');
});

t.test(
  'memory listing with a delimiter gives both the object `a` and the prefix `a`, as S3 does',
  async (t) => {
    const store = new MemoryStore();
    await store.write('d/a', 'file');
    await store.write('d/a/b', 'below');
    const seen = [];
    for await (const e of store.list('d')) seen.push(`${e.kind}:${e.key}`);
    t.same(seen, ['file:d/a', 'prefix:d/a']);
  },
);
