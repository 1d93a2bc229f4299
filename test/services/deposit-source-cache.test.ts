import t from 'tap';
import { DepositSourceCache } from '../../lib/services/deposit-source-cache.js';

t.test('a value is returned only for the tag it was kept under', async (t) => {
  const cache = new DepositSourceCache();
  cache.set('d1', 'mets', 'etag-1', 'model', 10);
  t.equal(cache.get('d1', 'mets', 'etag-1'), 'model');
  t.equal(cache.get('d1', 'mets', 'etag-2'), undefined, 'a changed file is a miss');
  t.equal(cache.get('d1', 'view', 'etag-1'), undefined, 'parts are apart');
  t.equal(cache.get('d2', 'mets', 'etag-1'), undefined);
  cache.drop('d1');
  t.equal(cache.get('d1', 'mets', 'etag-1'), undefined, 'dropped (refresh)');
});

t.test('the least recently used deposits go first, by count and by total files', async (t) => {
  const cache = new DepositSourceCache({ maxDeposits: 2, maxFiles: 100 });
  cache.set('a', 'view', 't', 'A', 10);
  cache.set('b', 'view', 't', 'B', 10);
  cache.get('a', 'view', 't'); // a is now the most recent
  cache.set('c', 'view', 't', 'C', 10);
  t.equal(cache.get('b', 'view', 't'), undefined, 'b was the least recently used');
  t.equal(cache.get('a', 'view', 't'), 'A');
  t.equal(cache.size, 2);
  cache.set('d', 'view', 't', 'D', 95);
  t.same(
    ['a', 'c', 'd'].filter((id) => cache.get(id, 'view', 't') !== undefined),
    ['d'],
    'the files bound evicts older deposits',
  );
  cache.set('huge', 'view', 't', 'H', 1000);
  t.equal(cache.get('huge', 'view', 't'), 'H', 'a deposit over the whole bound keeps its own entry');
  t.equal(cache.size, 1);
});

t.test('re-weighing an entry replaces its old weight', async (t) => {
  const cache = new DepositSourceCache({ maxDeposits: 10, maxFiles: 100 });
  cache.set('a', 'mets', 't', 1, 60);
  cache.set('a', 'tools', 't', 2, 60);
  cache.set('b', 'mets', 't', 3, 40);
  t.equal(cache.get('a', 'mets', 't'), 1, 'a weighs 60, not 120');
  t.equal(cache.get('b', 'mets', 't'), 3);
});
