import t from 'tap';
import {
  type DepositDiffInput,
  type DepositFileFacts,
  type GroupState,
  planDepositDiff,
} from '../../lib/core/deposit-diff.js';
import { isInformativeMediaType, mediaTypeOfName } from '../../lib/core/media-types.js';

const GROUP = 'https://example.org/repository/books/b1';
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const stamp = { created: '2025-01-02T03:04:05.000Z', createdBy: 'https://example.org/agents/me' };

const file = (path: string, sha256 = A, extra: Partial<DepositFileFacts> = {}): DepositFileFacts => ({
  path,
  key: path,
  origin: `file:///deposit/${path}`,
  sha256,
  size: 1,
  name: path.slice(path.lastIndexOf('/') + 1),
  ...extra,
});

const input = (extra: Partial<DepositDiffInput>): DepositDiffInput => ({
  archivalGroup: GROUP,
  source: 'file:///deposit/',
  files: [],
  ...extra,
});

function group(
  binaries: Record<string, { sha256?: string; size?: number; name?: string }>,
  containers: string[],
): GroupState {
  return {
    version: {
      ocflVersion: 'v3',
      mementoTimestamp: '20250102030405',
      mementoDateTime: '2025-01-02T03:04:05Z',
    },
    name: 'Book one',
    binaries: new Map(Object.entries(binaries)),
    containers: new Map(containers.map((c) => [c, { name: c.slice(c.lastIndexOf('/') + 1) }])),
  };
}

t.test('a new group: every list present, ids mapped from paths, the common fields set', async (t) => {
  const { job, problems } = planDepositDiff(
    input({ archivalGroupName: 'Book one', files: [file('objects/a b.txt'), file('mets.xml', B)] }),
    stamp,
  );
  t.same(problems, []);
  t.same(job, {
    type: 'ImportJob',
    archivalGroup: GROUP,
    archivalGroupName: 'Book one',
    isUpdate: false,
    source: 'file:///deposit/',
    sourceVersion: null,
    created: stamp.created,
    createdBy: stamp.createdBy,
    lastModified: stamp.created,
    lastModifiedBy: stamp.createdBy,
    containersToAdd: [{ id: `${GROUP}/objects`, type: 'Container', name: 'objects' }],
    binariesToAdd: [
      {
        id: `${GROUP}/mets.xml`,
        type: 'Binary',
        name: 'mets.xml',
        origin: 'file:///deposit/mets.xml',
        digest: B,
        size: 1,
      },
      {
        id: `${GROUP}/objects/a%20b.txt`,
        type: 'Binary',
        name: 'a b.txt',
        origin: 'file:///deposit/objects/a b.txt',
        digest: A,
        size: 1,
      },
    ],
    containersToDelete: [],
    binariesToDelete: [],
    binariesToPatch: [],
    containersToRename: [],
    binariesToRename: [],
  });
});

t.test('two entries mapping to one id are refused, each named', async (t) => {
  const { problems } = planDepositDiff(
    input({ files: [file('objects/x', A, { key: 'one' }), file('objects/x', B, { key: 'two' })] }),
    stamp,
  );
  t.same(
    problems.map((p) => p.path),
    ['two'],
  );
  t.match(problems[0]?.message, /maps to the same id as "one"/);
  const described = planDepositDiff(
    input({ files: [file('a.txt')], described: [{ path: 'a.txt', key: 'METS a.txt', name: 'a.txt' }] }),
    stamp,
  );
  t.same(
    described.problems.map((p) => p.path),
    ['METS a.txt'],
  );
  const folder = planDepositDiff(input({ files: [file('x'), file('x/y')] }), stamp);
  t.match(folder.problems, [{ path: 'x', message: /a file and a folder map to the same id/ }]);
});

t.test('an update: unchanged files unlisted, patches, renames, deletes, kept METS-only files', async (t) => {
  const current = group(
    {
      'same.txt': { sha256: A, size: 1, name: 'same.txt' },
      'renamed.txt': { sha256: A, size: 1, name: 'Old name' },
      'changed.txt': { sha256: A, size: 1, name: 'changed.txt' },
      'gone/g.txt': { sha256: A, size: 1, name: 'g.txt' },
      'kept/k.txt': { sha256: B, size: 5, name: 'k.txt' },
    },
    ['gone', 'kept', 'old-name'],
  );
  const { job, problems } = planDepositDiff(
    input({
      group: current,
      files: [file('same.txt'), file('renamed.txt'), file('changed.txt', B)],
      described: [{ path: 'kept/k.txt', key: 'kept/k.txt', name: 'k.txt', sha256: B }],
      folders: [{ path: 'old-name', name: 'New name' }],
    }),
    stamp,
  );
  t.same(problems, []);
  t.equal(job.isUpdate, true);
  t.same(job.sourceVersion, current.version);
  t.equal(job.archivalGroupName, 'Book one', 'the current name when none is given');
  const ids = (list: Array<{ id: string }>) => list.map((i) => i.id.slice(GROUP.length + 1));
  t.same(ids(job.binariesToPatch), ['changed.txt']);
  t.same(ids(job.binariesToRename), ['renamed.txt']);
  t.equal(job.binariesToRename[0]?.name, 'renamed.txt');
  t.same(ids(job.containersToRename), ['old-name']);
  t.same(ids(job.binariesToDelete), ['gone/g.txt']);
  t.same(ids(job.containersToDelete), ['gone']);
  t.same(ids(job.binariesToAdd), []);
  t.same(ids(job.containersToAdd), []);
});

t.test(
  'what cannot be applied is refused: type changes, stale digests, stubs without a group file',
  async (t) => {
    const current = group(
      { 'was-file': { sha256: A }, 'f.txt': { sha256: A, size: 10 }, 's.txt': { sha256: A } },
      ['was-folder'],
    );
    const { problems } = planDepositDiff(
      input({
        group: current,
        files: [
          file('was-folder'),
          file('was-file/inner.txt'),
          file('f.txt', A, { size: 11 }),
          file('s.txt', undefined, { stub: { digest: B } }),
          file('new-stub.txt', undefined, { stub: {} }),
        ],
        described: [
          { path: 'ghost.txt', key: 'ghost.txt', name: 'ghost.txt' },
          { path: 'f2.txt', key: 'f2.txt', name: 'f2.txt' },
        ],
      }),
      stamp,
    );
    const by = new Map(problems.map((p) => [p.path, p.message]));
    t.match(by.get('was-folder'), /a file here but a folder/);
    t.match(by.get('was-file'), /a folder here but a file/);
    t.match(by.get('f.txt'), /size is not .* stale/);
    t.match(by.get('s.txt'), /stub for other content/);
    t.match(by.get('new-stub.txt'), /stub for a file the Archival Group does not hold/);
    t.match(by.get('ghost.txt'), /neither in the deposit nor in the Archival Group/);
    t.match(by.get('f2.txt'), /neither in the deposit/);
    t.equal(problems.length, 7);
  },
);

t.test('media types: the extension as a last resort; octet-stream says nothing', async (t) => {
  t.equal(mediaTypeOfName('objects/Page 1.TIF'), 'image/tiff');
  t.equal(mediaTypeOfName('a.tar.gz'), 'application/gzip');
  t.equal(mediaTypeOfName('README'), undefined);
  t.equal(mediaTypeOfName('.hidden'), undefined);
  t.equal(mediaTypeOfName('x.constructor'), undefined, 'no prototype keys');
  t.equal(isInformativeMediaType('application/octet-stream'), false);
  t.equal(isInformativeMediaType('Application/Octet-Stream; charset=x'), false);
  t.equal(isInformativeMediaType(''), false);
  t.equal(isInformativeMediaType('image/tiff'), true);
  t.equal(isInformativeMediaType('text/plain; charset=utf-8'), true);
});
