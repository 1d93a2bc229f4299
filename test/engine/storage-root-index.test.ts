/**
 * The id index: every claim kept, a miss re-walks at a bounded rate (interval and walk time),
 * concurrent lookups share one walk, a failed walk is not remembered, writers can update it.
 */
import t from 'tap';
import { IoError } from '../../lib/core/errors.js';
import { type IndexedObject, ObjectIdIndex } from '../../lib/engine/storage-root-index.js';

function fixture(objects: IndexedObject[], walkMs = 0) {
  let clock = 0;
  let walks = 0;
  let fail = false;
  const index = new ObjectIdIndex(
    async function* () {
      walks++;
      if (fail) throw new IoError('store down');
      clock += walkMs;
      yield* [...objects];
    },
    1000,
    () => clock,
  );
  return {
    index,
    objects,
    walks: () => walks,
    advance: (ms: number) => (clock += ms),
    failNext: (v: boolean) => (fail = v),
  };
}

t.test('every object root claiming an id is kept', async (t) => {
  const f = fixture([
    { id: 'a', objectRoot: 'x/a' },
    { id: 'a', objectRoot: 'y/a' },
    { id: undefined, objectRoot: 'broken' },
  ]);
  t.same(await f.index.lookup('a'), ['x/a', 'y/a']);
});

t.test('a miss walks again only after the interval, and concurrent lookups share one walk', async (t) => {
  const f = fixture([{ id: 'a', objectRoot: 'a' }]);
  await Promise.all([f.index.lookup('a'), f.index.lookup('a'), f.index.lookup('zz')]);
  t.equal(f.walks(), 1);
  t.same(await f.index.lookup('zz'), []);
  t.equal(f.walks(), 1, 'inside the interval: no walk');
  f.objects.push({ id: 'b', objectRoot: 'b' });
  f.advance(1000);
  t.same(await f.index.lookup('b'), ['b'], 'after it: walked and found');
  t.equal(f.walks(), 2);
});

t.test('a slow walk spaces the next one by its own duration', async (t) => {
  const f = fixture([{ id: 'a', objectRoot: 'a' }], 5000);
  await f.index.lookup('a');
  f.advance(2000);
  await f.index.lookup('nope');
  t.equal(f.walks(), 1, 'the walk took 5 s: 2 s later is too soon');
  f.advance(3000);
  await f.index.lookup('nope');
  t.equal(f.walks(), 2);
});

t.test('a failed walk is not remembered; noteObject and invalidate update the index', async (t) => {
  const f = fixture([{ id: 'a', objectRoot: 'a' }]);
  f.failNext(true);
  await t.rejects(f.index.lookup('a'), { code: 'IO' });
  f.failNext(false);
  t.same(await f.index.lookup('a'), ['a'], 'the next lookup walks again');
  f.index.noteObject('n', 'new/n');
  t.same(await f.index.lookup('n'), ['new/n']);
  f.index.noteObject('n', 'new/n');
  t.same(await f.index.lookup('n'), ['new/n'], 'noting twice is once');
  const walks = f.walks();
  f.index.invalidate();
  t.same(await f.index.lookup('n'), [], 'invalidate drops notes: the store is the truth');
  t.equal(f.walks(), walks + 1);
});
