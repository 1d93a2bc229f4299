import t from 'tap';
import { combineDeposit, type MetsFileLike, type MetsLike } from '../../lib/formats/combine.js';
import type { FileFormatMetadata, Mismatch, WorkingDirectory } from '../../lib/formats/model.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const MD5_A = '1'.repeat(32);
const MD5_B = '2'.repeat(32);

function metsFile(path: string, over: Partial<MetsFileLike> = {}): MetsFileLike {
  return {
    path,
    name: path.split('/').pop()!.toUpperCase(),
    contentType: 'image/tiff',
    size: 10,
    digests: { sha256: SHA_A },
    format: { pronomKey: 'fmt/353', name: 'TIFF' },
    admId: `ADM_${path}`,
    physDivId: `PHYS_${path}`,
    ...over,
  };
}

function mets(files: MetsFileLike[], over: Partial<MetsLike> = {}): MetsLike {
  return {
    accessRestrictions: ['Open'],
    rightsStatement: 'http://rightsstatements.org/vocab/InC/1.0/',
    files,
    directories: [],
    ...over,
  };
}

function siegfried(over: Partial<FileFormatMetadata> = {}): FileFormatMetadata {
  return {
    type: 'FileFormatMetadata',
    source: 'Siegfried',
    timestamp: '2025-01-01T00:00:00Z',
    origin: 'metadata/siegfried/siegfried.yml',
    digest: SHA_A,
    size: 10,
    pronomKey: 'fmt/353',
    formatName: 'TIFF',
    contentType: 'image/tiff',
    originalName: 'objects/a.tif',
    storageLocation: null,
    ...over,
  };
}

const fields = (ms: Mismatch[]) => ms.map((m) => `${m.field}:${m.localPath}`);

t.test('when every source agrees there are no mismatches and the file carries all facts', async (t) => {
  const r = combineDeposit({
    listing: [
      { path: 'mets.xml', size: 100 },
      { path: 'objects/a.tif', size: 10, modified: '2025-01-02T00:00:00Z', s3Sha256: SHA_A },
    ],
    mets: mets([metsFile('objects/a.tif')]),
    metsPath: 'mets.xml',
    tools: { byPath: new Map([['objects/a.tif', [siegfried()]]]), reports: [] },
  });
  t.same(r.mismatches, []);
  t.same(
    r.files.map((f) => f.localPath),
    ['mets.xml', 'objects/a.tif'],
  );
  t.match(r.files[1], {
    type: 'WorkingFile',
    localPath: 'objects/a.tif',
    name: 'A.TIF',
    contentType: 'image/tiff',
    digest: SHA_A,
    size: 10,
    modified: '2025-01-02T00:00:00Z',
    metsExtensions: { physDivId: 'PHYS_objects/a.tif', admId: 'ADM_objects/a.tif' },
    metadata: [{ type: 'FileFormatMetadata', source: 'Siegfried' }],
  });
  t.match(r.root, { localPath: '', accessRestrictions: ['Open'], rightsStatement: /InC/ });
  t.equal(r.root.directories[0]!.localPath, 'objects');
  t.equal(r.root.directories[0]!.files[0], r.files[1], 'the tree and the flat list hold the same objects');
});

t.test('a digest disagreement lists every source and the shown digest follows S3 first', async (t) => {
  const r = combineDeposit({
    listing: [{ path: 'objects/a.tif', size: 10, s3Sha256: SHA_B }],
    mets: mets([metsFile('objects/a.tif')]),
    bag: { payloadDigests: new Map() },
    tools: { byPath: new Map([['objects/a.tif', [siegfried()]]]), reports: [] },
  });
  const digest = r.mismatches.find((m) => m.field === 'digest')!;
  t.same(digest.values, { S3: SHA_B, METS: SHA_A, Siegfried: SHA_A });
  t.match(digest.message, /sha256 digests differ/);
  t.equal(r.files[0]!.digest, SHA_B);
});

t.test('digests are compared only within one algorithm', async (t) => {
  const r = combineDeposit({
    listing: [{ path: 'data/objects/a.tif', size: 10 }],
    bag: { payloadDigests: { 'data/objects/a.tif': { md5: MD5_B } } },
    mets: mets([metsFile('objects/a.tif', { digests: { md5: MD5_A, sha1: 'c'.repeat(40) } })]),
  });
  t.same(fields(r.mismatches), ['digest:data/objects/a.tif']);
  t.same(r.mismatches[0]!.values, { BagIt: MD5_B, METS: MD5_A });
  t.equal(r.files[0]!.digest, null, 'no SHA-256 known: none shown');
});

t.test('size, MIME type and format disagreements are each reported', async (t) => {
  const r = combineDeposit({
    listing: [{ path: 'objects/a.tif', size: 11 }],
    mets: mets([metsFile('objects/a.tif', { contentType: 'image/TIFF; q=1' })]),
    tools: {
      byPath: new Map([
        ['objects/a.tif', [siegfried({ contentType: 'image/png', pronomKey: 'fmt/11', digest: null })]],
      ]),
      reports: [],
    },
  });
  t.same(fields(r.mismatches), ['contentType:objects/a.tif', 'format:objects/a.tif', 'size:objects/a.tif']);
  t.same(r.mismatches.find((m) => m.field === 'size')!.values, { deposit: 11, METS: 10, Siegfried: 10 });
  t.same(r.mismatches.find((m) => m.field === 'format')!.values, { METS: 'fmt/353', Siegfried: 'fmt/11' });
  t.equal(r.files[0]!.size, 11, 'the shown size is the stored one');
  t.equal(r.files[0]!.contentType, 'image/TIFF; q=1', 'the shown type is METS');
});

t.test('MIME types differing only in case or parameters agree', async (t) => {
  const r = combineDeposit({
    listing: [{ path: 'objects/a.txt', size: 10 }],
    mets: mets([metsFile('objects/a.txt', { contentType: 'Text/Plain', format: null })]),
    tools: {
      byPath: new Map([
        ['objects/a.txt', [siegfried({ contentType: 'text/plain; charset=utf-8', pronomKey: 'x-fmt/111' })]],
      ]),
      reports: [],
    },
  });
  t.same(r.mismatches, []);
});

t.test('a format mismatch says when the METS key is among the tool’s other matches', async (t) => {
  const tool = siegfried({
    pronomKey: 'fmt/111',
    ambiguous: true,
    matches: [
      { namespace: 'pronom', pronomKey: 'fmt/111', formatName: 'OLE2', contentType: null },
      { namespace: 'pronom', pronomKey: 'fmt/40', formatName: 'Word', contentType: 'application/msword' },
    ],
    contentType: null,
  });
  const r = combineDeposit({
    listing: [{ path: 'objects/a.doc', size: 10 }],
    mets: mets([
      metsFile('objects/a.doc', { format: { pronomKey: 'fmt/40', name: 'Word' }, contentType: null }),
    ]),
    tools: { byPath: new Map([['objects/a.doc', [tool]]]), reports: [] },
  });
  t.match(r.mismatches, [{ field: 'format', message: /fmt\/40 is among the other matches of Siegfried/ }]);
});

t.test(
  'files only in METS, only in the deposit, and only in a tool output are presence mismatches',
  async (t) => {
    const r = combineDeposit({
      listing: [
        { path: 'mets.xml', size: 1 },
        { path: 'objects/a.tif', size: 10 },
        { path: 'objects/extra.tif', size: 10 },
      ],
      mets: mets([metsFile('objects/a.tif'), metsFile('objects/gone.tif')]),
      tools: { byPath: new Map([['objects/seen-by-tool.tif', [siegfried()]]]), reports: [] },
    });
    t.same(fields(r.mismatches), [
      'presence:objects/extra.tif',
      'presence:objects/gone.tif',
      'presence:objects/seen-by-tool.tif',
    ]);
    t.same(r.mismatches[0]!.values, { deposit: 'present', METS: 'absent' });
    t.same(r.mismatches[1]!.values, { deposit: 'absent', METS: 'present' });
    t.same(r.mismatches[2]!.values, { deposit: 'absent', Siegfried: 'present' });
    t.notOk(
      r.files.some((f) => f.localPath === 'objects/gone.tif'),
      'the tree shows only what is in the deposit',
    );
  },
);

t.test('BagIt layout: METS paths are read under data/, manifest paths from the bag root', async (t) => {
  const r = combineDeposit({
    listing: [
      { path: 'bagit.txt', size: 1 },
      { path: 'manifest-sha256.txt', size: 1 },
      { path: 'data/mets.xml', size: 1 },
      { path: 'data/objects/a.tif', size: 10, s3Sha256: SHA_A },
      { path: 'data/objects/unlisted.tif', size: 10 },
    ],
    mets: mets([metsFile('objects/a.tif'), metsFile('objects/unlisted.tif')], {
      directories: [{ path: 'objects', name: 'Objects', physDivId: 'PHYS_objects' }],
    }),
    bag: {
      payloadDigests: new Map([
        ['data/objects/a.tif', { sha256: SHA_A }],
        ['data/mets.xml', { sha256: SHA_B }],
        ['data/objects/missing.tif', { sha256: SHA_B }],
      ]),
      timestamp: '2025-04-25',
    },
  });
  t.same(fields(r.mismatches), ['presence:data/objects/missing.tif', 'presence:data/objects/unlisted.tif']);
  t.match(r.mismatches[1]!.values, { deposit: 'present', BagIt: 'absent' });
  const a = r.files.find((f) => f.localPath === 'data/objects/a.tif')!;
  t.match(a, {
    name: 'A.TIF',
    digest: SHA_A,
    metadata: [{ type: 'DigestMetadata', source: 'BagIt', digest: SHA_A, timestamp: '2025-04-25' }],
  });
  const data = r.root.directories.find((d) => d.localPath === 'data')!;
  t.match(
    data,
    { accessRestrictions: ['Open'] },
    'the METS root conditions sit on the folder holding the METS',
  );
  t.match(data.directories[0], {
    localPath: 'data/objects',
    name: 'Objects',
    metsExtensions: { physDivId: 'PHYS_objects' },
  });
  t.same(r.root.accessRestrictions, []);
});

t.test('a METS path in other letter case is matched and reported as a path mismatch', async (t) => {
  const r = combineDeposit({
    listing: [{ path: 'objects/PXL_1.jpg', size: 10 }],
    mets: mets([metsFile('objects/pxl_1.jpg', { contentType: 'image/jpeg', format: null })]),
  });
  t.same(fields(r.mismatches), ['path:objects/PXL_1.jpg']);
  t.same(r.mismatches[0]!.values, { deposit: 'objects/PXL_1.jpg', METS: 'objects/pxl_1.jpg' });
  t.equal(r.files[0]!.name, 'PXL_1.JPG');
});

t.test(
  'directories: METS-only and deposit-only ones are presence mismatches when METS lists directories',
  async (t) => {
    const listing = [
      { path: 'objects/a/x.tif', size: 10 },
      { path: 'objects/b/y.tif', size: 10 },
    ];
    const withDirs = combineDeposit({
      listing,
      directories: ['objects/empty'],
      mets: mets([metsFile('objects/a/x.tif'), metsFile('objects/b/y.tif')], {
        directories: [
          { path: 'objects', name: 'objects' },
          { path: 'objects/a', name: 'a' },
          { path: 'objects/c', name: 'c' },
        ],
      }),
    });
    t.same(fields(withDirs.mismatches), [
      'presence:objects/b',
      'presence:objects/c',
      'presence:objects/empty',
    ]);
    const noDirs = combineDeposit({
      listing,
      mets: mets([metsFile('objects/a/x.tif'), metsFile('objects/b/y.tif')]),
    });
    t.same(noDirs.mismatches, [], 'a METS that lists no directories (Goobi) is not faulted for it');
  },
);

t.test('explicit empty directories appear in the tree; children are sorted', async (t) => {
  const r = combineDeposit({
    listing: [
      { path: 'b.txt', size: 1 },
      { path: 'a.txt', size: 1 },
    ],
    directories: ['z/empty', 'm'],
  });
  const names = (d: WorkingDirectory) => [
    ...d.directories.map((x) => x.localPath),
    ...d.files.map((f) => f.localPath),
  ];
  t.same(names(r.root), ['m', 'z', 'a.txt', 'b.txt']);
  t.same(names(r.root.directories[1]!), ['z/empty']);
});

t.test('two outputs of the same tool that disagree are labelled by origin', async (t) => {
  const r = combineDeposit({
    listing: [{ path: 'objects/a.tif', size: 10 }],
    tools: {
      byPath: new Map([
        ['objects/a.tif', [siegfried(), siegfried({ origin: 'metadata/siegfried/old.csv', digest: SHA_B })]],
      ]),
      reports: [],
    },
  });
  t.same(r.mismatches[0]!.values, {
    'Siegfried (metadata/siegfried/siegfried.yml)': SHA_A,
    'Siegfried (metadata/siegfried/old.csv)': SHA_B,
  });
});

t.test('tool reports are attached to the directory they scanned, else to the root', async (t) => {
  const report = (scope: string | null) => ({
    type: 'ToolOutput' as const,
    source: 'Brunnhilde',
    timestamp: null,
    path: 'data/metadata/brunnhilde/report.html',
    contentType: 'text/html',
    scope,
  });
  const r = combineDeposit({
    listing: [{ path: 'data/objects/a.tif', size: 1 }],
    tools: { byPath: new Map(), reports: [report('data/objects'), report('nowhere')] },
  });
  const objects = r.root.directories[0]!.directories[0]!;
  t.equal(objects.localPath, 'data/objects');
  t.equal(objects.metadata.length, 1);
  t.equal(r.root.metadata.length, 1);
});

t.test('without METS the METS base is inferred from where its paths exist', async (t) => {
  const r = combineDeposit({
    listing: [
      { path: 'data/mets.xml', size: 1 },
      { path: 'data/objects/a.tif', size: 10 },
    ],
    mets: mets([metsFile('objects/a.tif')]),
  });
  t.same(
    r.mismatches,
    [],
    'data/mets.xml is recognised as the METS file, objects/a.tif as data/objects/a.tif',
  );
  t.equal(r.files.find((f) => f.localPath === 'data/objects/a.tif')!.name, 'A.TIF');
});
