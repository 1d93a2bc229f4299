/**
 * Parsing `GET /deposits` query parameters: names matched case-insensitively, agent and group
 * URIs reduced, defaults, and every bad parameter named in one InvalidInputError.
 */
import t from 'tap';
import { InvalidInputError } from '../../lib/core/errors.js';
import { compareCodePoints, depositQuery, parseDepositQuery } from '../../lib/records/deposit-query.js';

t.test('no parameters: page 1 of 100, newest created first, active only', async (t) => {
  t.same(parseDepositQuery({}), {
    page: 1,
    pageSize: 100,
    orderBy: 'created',
    ascending: false,
    showAll: false,
    match: {},
    dates: {},
  });
});

t.test('every spec parameter, with names in any case as the reference clients send them', async (t) => {
  const q = parseDepositQuery(
    new URLSearchParams({
      Page: '37',
      PAGESIZE: '20',
      orderby: 'lastmodifiedby',
      Ascending: 'TRUE',
      showAll: 'true',
      createdBy: 'https://host/agents/tom',
      lastModifiedBy: 'ann',
      preservedBy: 'user0001@example.org',
      exportedBy: 'api-user-7',
      createdAfter: '2024-03-14',
      createdBefore: '2024-03-15T10:00:00Z',
      lastModifiedAfter: '2024-03-14T14:58:46.102335Z',
      preservedBefore: '2025-01-01T00:00:00+01:00',
      exportedAfter: '2024-01-01T00:00',
      archivalGroupPath: 'https://host/repository/library/group/',
      status: 'preserved',
      unknownParameter: 'ignored',
    }),
    { agentBase: 'https://host/agents/', repositoryBase: 'https://host/repository/' },
  );
  t.match(q, { page: 37, pageSize: 20, orderBy: 'lastModifiedBy', ascending: true, showAll: true });
  t.same(q.match, {
    status: 'preserved',
    archivalGroupPath: 'library/group',
    createdBy: 'tom',
    lastModifiedBy: 'ann',
    preservedBy: 'user0001@example.org',
    exportedBy: 'api-user-7',
  });
  t.equal(q.dates.created?.after, Date.parse('2024-03-14T00:00:00Z'), 'a date alone is midnight UTC');
  t.equal(q.dates.created?.before, Date.parse('2024-03-15T10:00:00Z'));
  t.equal(
    q.dates.lastModified?.after,
    Date.parse('2024-03-14T14:58:46.102Z'),
    'sub-millisecond digits accepted',
  );
  t.equal(q.dates.preserved?.before, Date.parse('2024-12-31T23:00:00Z'), 'offsets honoured');
  t.ok(Number.isFinite(q.dates.exported?.after));
});

t.test('archivalGroup is accepted for archivalGroupPath', async (t) => {
  t.equal(parseDepositQuery({ archivalGroup: 'a/b' }).match.archivalGroupPath, 'a/b');
});

t.test('bad parameters: one InvalidInputError naming each', async (t) => {
  const err = (() => {
    try {
      parseDepositQuery({
        page: '-1',
        pageSize: 'lots',
        orderBy: 'password',
        ascending: 'yes',
        createdAfter: 'yesterday',
        status: 'deleted',
      });
    } catch (e) {
      return e;
    }
  })();
  t.type(err, InvalidInputError);
  for (const name of ['page', 'pageSize', 'orderBy', 'ascending', 'createdAfter'])
    t.match((err as Error).message, name, `names ${name}`);
  t.throws(() => parseDepositQuery({ status: 'deleted' }), InvalidInputError, 'status must be a known one');
  t.throws(() => parseDepositQuery({ pageSize: '1001' }), InvalidInputError, 'page sizes are capped at 1000');
  t.throws(() => parseDepositQuery({ page: '1000001' }), InvalidInputError);
  t.throws(() => parseDepositQuery({ pageSize: '0' }), InvalidInputError);
  t.throws(() => parseDepositQuery({ createdBy: 'two words' }), InvalidInputError);
  t.throws(() => parseDepositQuery({ archivalGroupPath: '../../etc' }), InvalidInputError);
  t.throws(() => parseDepositQuery({ createdAfter: '2024-13-45' }), InvalidInputError);
});

t.test('a parameter given twice is refused rather than guessed', async (t) => {
  t.throws(() => parseDepositQuery(new URLSearchParams('page=1&Page=2')), InvalidInputError);
  t.throws(() => parseDepositQuery({ status: ['new', 'preserved'] }), InvalidInputError);
});

t.test('__proto__ and other inherited names are just unknown parameters', async (t) => {
  const q = parseDepositQuery(
    JSON.parse('{"__proto__": {"showAll": "true"}, "constructor": "x", "toString": "y"}'),
  );
  t.equal(q.showAll, false);
  t.equal(({} as Record<string, unknown>)['showAll'], undefined);
  t.same(depositQuery(JSON.parse('{"__proto__": {"pageSize": 5}}')).pageSize, 100);
});

t.test('strings compare by code point, as UTF-8 bytes do', async (t) => {
  const words = ['a', 'B', '\uffee', '\u{1F600}', 'é', 'ab', '', 'a\u0301'];
  const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  t.same([...words].sort(compareCodePoints), byBytes);
});

t.test('archivalGroupPath: a URI or id path has its escapes decoded; a raw path is kept', async (t) => {
  const options = { repositoryBase: 'https://host/repository/' };
  const path = (value: string) =>
    parseDepositQuery({ archivalGroupPath: value }, options).match.archivalGroupPath;
  t.equal(
    path('https://host/repository/lib/caf%C3%A9%20au%20lait'),
    'lib/café au lait',
    'the URI a deposit shows',
  );
  t.equal(path('lib/caf%C3%A9%20au%20lait'), 'lib/café au lait', 'its id path');
  t.equal(path('lib/café au lait'), 'lib/café au lait', 'the resource path itself');
  t.throws(() => path('https://host/repository/lib/a%zz'), { code: 'INVALID_INPUT' }, 'a malformed id');
});
