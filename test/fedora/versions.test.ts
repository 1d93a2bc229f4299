import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import type { Inventory } from '../../lib/core/inventory.js';
import {
  contentDigests,
  listVersions,
  mementoDateTimeOf,
  mementoTimestampOf,
  parseVersionSelector,
  resolveVersion,
  versionFiles,
} from '../../lib/core/versions.js';

function inventory(versions: Record<string, string>, head: string): Inventory {
  const out: Inventory = {
    id: 'obj',
    type: 't',
    digestAlgorithm: 'sha512',
    head,
    manifest: {},
    versions: {},
  };
  for (const [name, created] of Object.entries(versions)) out.versions[name] = { created, state: {} };
  return out;
}

t.test('memento timestamps are the UTC second of created', async (t) => {
  t.equal(mementoTimestampOf('2025-09-09T11:09:44.900134Z'), '20250909110944');
  t.equal(mementoTimestampOf('2020-04-14T03:41:21Z'), '20200414034121');
  t.equal(mementoTimestampOf('2024-03-14T15:58:58+01:00'), '20240314145858');
  t.equal(mementoTimestampOf('2024-01-01T00:30:00-05:30'), '20240101060000');
  t.equal(mementoTimestampOf('not a date'), undefined);
});

t.test('memento date-times are UTC instants that keep sub-second digits', async (t) => {
  t.equal(mementoDateTimeOf('2025-09-09T11:09:44.900134Z'), '2025-09-09T11:09:44.900134Z');
  t.equal(mementoDateTimeOf('2024-03-14T15:58:58.5+01:00'), '2024-03-14T14:58:58.5Z');
  t.equal(mementoDateTimeOf('2019-07-01T17:12:45Z'), '2019-07-01T17:12:45Z');
});

t.test('selectors: vN (padded or not) or 14 digits; anything else is invalid input', async (t) => {
  t.same(parseVersionSelector('v3'), { kind: 'ocfl', number: 3 });
  t.same(parseVersionSelector('v003'), { kind: 'ocfl', number: 3 });
  t.same(parseVersionSelector('20250909110722'), { kind: 'memento', timestamp: '20250909110722' });
  for (const bad of ['3', 'v0', 'V2', '2025090911072', 'latest', 'v-1']) {
    t.ok(
      hasCode(
        t.throws(() => parseVersionSelector(bad)),
        'INVALID_INPUT',
      ),
      bad,
    );
  }
});

t.test('resolveVersion finds versions by number or memento; unknown ones are NotFound', async (t) => {
  const inv = inventory(
    { v1: '2015-01-27T19:08:43.701Z', v2: '2015-01-27T19:20:40.678Z', v3: '2015-01-27T19:20:40.999Z' },
    'v3',
  );
  t.equal(resolveVersion(inv), 'v3');
  t.equal(resolveVersion(inv, 'v1'), 'v1');
  t.equal(resolveVersion(inv, '20150127190843'), 'v1');
  // v2 and v3 share a second: the newest wins.
  t.equal(resolveVersion(inv, '20150127192040'), 'v3');
  const err = t.throws(() => resolveVersion(inv, 'v4'));
  t.ok(hasCode(err, 'NOT_FOUND'));
  t.match((err as Error).message, /no version v4 \(versions: v1, v2, v3\)/);
  t.ok(
    hasCode(
      t.throws(() => resolveVersion(inv, '20200101000000')),
      'NOT_FOUND',
    ),
  );
  t.ok(
    hasCode(
      t.throws(() => resolveVersion(inv, 'x')),
      'INVALID_INPUT',
    ),
  );
});

t.test('zero-padded version directories resolve from v1 and list in numeric order', async (t) => {
  const inv = inventory(
    { v002: '2020-01-02T00:00:00Z', v001: '2020-01-01T00:00:00Z', v010: '2020-01-10T00:00:00Z' },
    'v010',
  );
  t.equal(resolveVersion(inv, 'v2'), 'v002');
  t.same(
    listVersions(inv).map((v) => v.ocflVersion),
    ['v001', 'v002', 'v010'],
  );
  t.same(listVersions(inv)[0], {
    ocflVersion: 'v001',
    mementoDateTime: '2020-01-01T00:00:00Z',
    mementoTimestamp: '20200101000000',
  });
});

t.test('versionFiles goes through the manifest, never the logical path', async (t) => {
  const inv: Inventory = {
    id: 'o',
    type: 't',
    digestAlgorithm: 'sha256',
    head: 'v1',
    manifest: { AB: ['v1/content/a%20b.txt'], cd: ['v1/content/x', 'v1/content/y'] },
    versions: { v1: { created: '2020-01-01T00:00:00Z', state: { ab: ['a b.txt'], cd: ['z', 'dup'] } } },
  };
  t.same(versionFiles(inv, 'v1'), [
    { logicalPath: 'a b.txt', digest: 'ab', contentPath: 'v1/content/a%20b.txt' },
    { logicalPath: 'dup', digest: 'cd', contentPath: 'v1/content/x' },
    { logicalPath: 'z', digest: 'cd', contentPath: 'v1/content/x' },
  ]);
  t.ok(
    hasCode(
      t.throws(() => versionFiles(inv, 'v2')),
      'NOT_FOUND',
    ),
  );
  t.equal(contentDigests(inv, 'sha256').get('v1/content/a%20b.txt'), 'ab');
  t.equal(contentDigests(inv, 'md5').size, 0);
});
