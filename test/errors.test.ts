import t from 'tap';
import { FixityMismatchError, hasCode, NotFoundError, StrongroomError } from '../lib/core/errors.js';

t.test('errors carry a stable code, operation and key, and serialise without the cause', async (t) => {
  const cause = new Error('ENOENT');
  const err = new NotFoundError('no such key', { operation: 'read', key: 'a/b', cause });
  t.ok(err instanceof StrongroomError);
  t.equal(err.code, 'NOT_FOUND');
  t.equal(err.name, 'NotFoundError');
  t.equal(err.cause, cause);
  t.same(JSON.parse(JSON.stringify(err)), {
    code: 'NOT_FOUND',
    message: 'no such key',
    operation: 'read',
    key: 'a/b',
  });
  t.ok(hasCode(err, 'NOT_FOUND'));
  t.notOk(hasCode(new Error('x'), 'NOT_FOUND'));
});

t.test('fixity mismatch keeps expected and actual digests', async (t) => {
  const err = new FixityMismatchError('bad', 'aa', 'bb');
  t.equal(err.expected, 'aa');
  t.equal(err.actual, 'bb');
  t.equal(err.code, 'FIXITY_MISMATCH');
});
