import t from 'tap';
import { PathEscapeError } from '../../lib/core/errors.js';
import {
  assertSafeRelativePath,
  isSafeRelativePath,
  pathSafetyProblems,
  truncateForMessage,
} from '../../lib/core/paths.js';

t.test('ordinary relative paths, unicode and odd but harmless names are safe', async (t) => {
  for (const p of ['a', 'a/b/c.txt', 'v1/content/résumé #1 %20.pdf', '..a/b..', 'a/.hidden', '~/x']) {
    t.same(pathSafetyProblems(p), [], p);
  }
});

t.test('every way of climbing out or starting elsewhere is named', async (t) => {
  const cases: Array<[unknown, string]> = [
    ['', 'empty'],
    [undefined, 'empty'],
    [42, 'empty'],
    ['/etc/passwd', 'absolute'],
    ['C:/Windows', 'absolute'],
    ['c:x', 'absolute'],
    ['\\\\server\\share\\x', 'absolute'],
    ['../x', 'parent-element'],
    ['a/../../x', 'parent-element'],
    ['a/..', 'parent-element'],
    ['a\\..\\..\\x', 'parent-element'],
    ['a//b', 'empty-element'],
    ['a/./b', 'empty-element'],
    ['a/', 'empty-element'],
    ['a\0b', 'nul'],
    ['a\nb', 'control'],
    ['a\\b', 'backslash'],
    ['x'.repeat(5000), 'too-long'],
  ];
  for (const [path, problem] of cases) {
    t.ok(
      pathSafetyProblems(path).includes(problem as never),
      `${JSON.stringify(path)?.slice(0, 30)} → ${problem}`,
    );
    t.notOk(isSafeRelativePath(path));
  }
});

t.test('options allow backslashes and control characters in names, never NUL or climbing', async (t) => {
  const opts = { allowBackslash: true, allowControl: true };
  t.same(pathSafetyProblems('a\\b/c\nd', opts), []);
  t.same(pathSafetyProblems('a\\..\\b', opts), [], 'with backslash allowed it is one odd name');
  t.same(pathSafetyProblems('a/../b', opts), ['parent-element']);
  t.same(pathSafetyProblems('a\0', opts), ['nul']);
});

t.test('assertSafeRelativePath throws PathEscapeError with a quoted, shortened path', async (t) => {
  t.equal(assertSafeRelativePath('a/b', 'content path'), 'a/b');
  const long = `../${'x'.repeat(1000)}`;
  t.throws(() => assertSafeRelativePath(long, 'content path'), PathEscapeError);
  try {
    assertSafeRelativePath(long, 'content path');
  } catch (err) {
    t.match(
      (err as Error).message,
      /^unsafe content path "\.\.\/x+… \(803 more characters\)": a "\.\." element/,
    );
    t.equal((err as PathEscapeError).code, 'PATH_ESCAPE');
  }
  t.equal(truncateForMessage('abc', 5), 'abc');
});
