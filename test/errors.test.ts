import t from 'tap';
import { ERROR_TABLE, EXIT, exitCodeFor, httpStatusFor } from '../lib/core/error-table.js';
import {
  AccessDeniedError,
  ConflictError,
  type ErrorCode,
  FixityMismatchError,
  hasCode,
  InvalidInputError,
  InvalidObjectError,
  NotFoundError,
  StrongroomError,
  TooLargeError,
} from '../lib/core/errors.js';

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

t.test(
  'every error code has one HTTP status and one exit code, and non-Strongroom errors are INTERNAL',
  async (t) => {
    const codes: ErrorCode[] = [
      'NOT_FOUND',
      'ALREADY_EXISTS',
      'PRECONDITION_FAILED',
      'PRECONDITION_REQUIRED',
      'CONFLICT',
      'GONE',
      'INVALID_INPUT',
      'INVALID_OBJECT',
      'FIXITY_MISMATCH',
      'LOCKED',
      'UNSUPPORTED',
      'PATH_ESCAPE',
      'MALFORMED',
      'TOO_LARGE',
      'UNPROCESSABLE',
      'ACCESS_DENIED',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'IO',
    ];
    t.same(
      Object.keys(ERROR_TABLE).sort(),
      [...codes, 'INTERNAL'].sort(),
      'the table covers exactly the codes',
    );
    t.equal(httpStatusFor(new NotFoundError('x')), 404);
    t.equal(exitCodeFor(new NotFoundError('x')), EXIT.NOT_FOUND);
    t.equal(httpStatusFor(new InvalidInputError('x')), 400);
    t.equal(exitCodeFor(new InvalidInputError('x')), EXIT.USAGE);
    t.equal(exitCodeFor(new ConflictError('x')), EXIT.CONFLICT);
    t.equal(httpStatusFor(new TooLargeError('x', 1)), 413);
    t.equal(exitCodeFor(new AccessDeniedError('x')), EXIT.FAILURE);
    t.equal(exitCodeFor(new InvalidObjectError('x')), EXIT.INVALID);
    t.equal(httpStatusFor(new TypeError('x.toLowerCase is not a function')), 500);
    t.equal(exitCodeFor('a thrown string'), EXIT.FAILURE);
    t.same(new Set(Object.values(EXIT)).size, 6, 'exit codes are distinct');
  },
);
