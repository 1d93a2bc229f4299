/**
 * Record ids: short, URL-safe, sortable by creation (also within one millisecond and when the
 * clock steps back), and the shape check that ids from URLs must pass.
 */
import t from 'tap';
import { InvalidInputError } from '../../lib/core/errors.js';
import { assertRecordId, isRecordId, isTimestamp, newRecordId } from '../../lib/records/ids.js';

t.test('ids are 12 lowercase base32 characters that sort in the order they were made', async (t) => {
  const at = Date.parse('2025-06-01T12:00:00.000Z');
  const ids = [];
  for (let i = 0; i < 2000; i++) ids.push(newRecordId(at + Math.floor(i / 500)));
  ids.push(newRecordId(at - 10_000)); // a clock stepped back
  for (const id of ids) t.match(id, /^[0-9abcdefghjkmnpqrstvwxyz]{12}$/);
  t.equal(new Set(ids).size, ids.length, 'no repeats');
  t.same([...ids].sort(), ids, 'sorted as made');
  const before = newRecordId(Date.parse('2029-12-31'));
  const after = newRecordId(Date.parse('2030-01-01'));
  t.ok(after > before && after.slice(0, 9) > before.slice(0, 9), 'the first 9 characters are the time');
  t.ok(
    newRecordId(Date.parse('2029-01-01')) > after,
    'monotonic in the process even if asked for an earlier time',
  );
});

t.test('only id-shaped strings pass the check for ids from URLs', async (t) => {
  for (const good of ['e56fb7yg', 'phuv9tvurdus', newRecordId()]) t.ok(isRecordId(good), good);
  for (const bad of [
    '',
    'abc',
    '../etc/passwd',
    'ABCDEFGH',
    'abc def gh',
    'a'.repeat(33),
    'abcdefg%2f',
    42,
    null,
  ])
    t.notOk(isRecordId(bad), String(bad));
  t.throws(() => assertRecordId('../x', 'deposit id'), InvalidInputError);
  t.equal(assertRecordId('e56fb7yg'), 'e56fb7yg');
});

t.test('timestamps must be canonical ISO with milliseconds', async (t) => {
  t.ok(isTimestamp('2024-03-14T14:58:46.102Z'));
  for (const bad of [
    '2024-03-14T14:58:46Z',
    '2024-03-14T14:58:46.102335Z',
    '2024-02-30T00:00:00.000Z',
    'now',
  ])
    t.notOk(isTimestamp(bad), bad);
});
