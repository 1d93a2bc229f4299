import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import type { FileFormatMetadata, VirusScanMetadata } from '../../../lib/formats/model.js';
import { readToolOutputs } from '../../../lib/formats/tools/index.js';
import { corpusDir } from '../../helpers/paths.js';

const enc = (s: string) => new TextEncoder().encode(s);
const SAMPLES = join(corpusDir, 'digital-preservation-docs/playwright/PreservationApi/samples');

function loadFolder(root: string): { files: { path: string; bytes: Uint8Array }[]; paths: string[] } {
  const paths: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else paths.push(relative(root, p).split('\\').join('/'));
    }
  };
  walk(root);
  return { paths, files: paths.map((p) => ({ path: p, bytes: readFileSync(join(root, p)) })) };
}

t.test(
  'bc-example-1: Brunnhilde and Siegfried records land on data/ paths, absent files included',
  async (t) => {
    const { files, paths } = loadFolder(join(SAMPLES, 'bc-example-1'));
    const r = readToolOutputs(files, paths);
    t.same(
      r.outputs,
      [
        'data/metadata/brunnhilde/logs/viruscheck-log.txt',
        'data/metadata/brunnhilde/report.html',
        'data/metadata/brunnhilde/siegfried.csv',
        'data/metadata/siegfried/siegfried.yml',
      ],
      'only the tool outputs are read (csv_reports and tree.txt are summaries)',
    );
    const docx = r.byPath.get('data/objects/Fedora-Usage-Principles.docx')!;
    t.match(docx, [
      {
        type: 'FileFormatMetadata',
        source: 'Brunnhilde',
        pronomKey: 'fmt/412',
        digest: '4650877617ebc07caa9ec21c8405c6b72d6f20d3904758879b6bfc16f2a45bdc',
        originalName: 'objects/Fedora-Usage-Principles.docx',
        storageLocation: '/home/tomcrane/__packing_area/bc-example-1/objects/Fedora-Usage-Principles.docx',
        timestamp: '2025-04-25T13:57:58.966482',
      },
      {
        type: 'FileFormatMetadata',
        source: 'Siegfried',
        originalName: 'bc-example-1/objects/Fedora-Usage-Principles.docx',
        storageLocation: null,
        timestamp: '2025-04-25T14:14:41Z',
      },
      {
        type: 'VirusScanMetadata',
        source: 'Brunnhilde',
        hasVirus: false,
        inferred: true,
        engineVersion: '1.0.8',
      },
    ]);
    // The 11 large images are not in the corpus copy of the bag but both tools saw them.
    const absent = [...r.byPath.keys()].filter((p) => !paths.includes(p));
    t.equal(absent.length, 11);
    t.ok(absent.every((p) => p.startsWith('data/objects/')));
    t.match(r.reports, [
      {
        type: 'ToolOutput',
        path: 'data/metadata/brunnhilde/report.html',
        scope: 'data/objects',
        contentType: 'text/html',
      },
    ]);
    t.match(
      r.summaries.find((s) => s.tool === 'Siegfried' && s.source === 'Brunnhilde'),
      { run: { version: '1.11.0' } },
      'the Brunnhilde report supplies the Siegfried version the CSV lacks',
    );
  },
);

t.test('my-item: every file Brunnhilde identified is clean by inference from the -i log', async (t) => {
  const { files, paths } = loadFolder(join(SAMPLES, 'my-item'));
  const r = readToolOutputs(files, paths);
  const formats = [...r.byPath.values()]
    .flat()
    .filter((m): m is FileFormatMetadata => m.type === 'FileFormatMetadata');
  const verdicts = [...r.byPath.values()]
    .flat()
    .filter((m): m is VirusScanMetadata => m.type === 'VirusScanMetadata');
  t.equal(formats.length, 11);
  t.equal(verdicts.length, 11);
  t.ok(verdicts.every((v) => !v.hasVirus && v.inferred === true && v.raw === null));
  const clam = r.summaries.find((s) => s.tool === 'ClamAV');
  t.match(clam, {
    source: 'Brunnhilde',
    inferredClean: { scope: 'tool-run', files: 11 },
    summary: { listing: 'infected-only' },
  });
  t.same(r.problems, [], 'scanned count (11) equals the run scope');
});

const INFECTED_LOG = `/home/u/deposit/objects/eicar.txt: Eicar-Signature FOUND

----------- SCAN SUMMARY -----------
Known viruses: 8707575
Engine version: 1.4.3
Scanned directories: 1
Scanned files: 2
Infected files: 1
Start Date: 2025:09:19 10:20:10
End Date:   2025:09:19 10:20:32
`;

t.test(
  'an infected-only log in metadata/clamav marks the listed file and infers the rest of the content clean',
  async (t) => {
    const paths = ['mets.xml', 'objects/eicar.txt', 'objects/ok.txt', 'metadata/clamav/scan.log'];
    const r = readToolOutputs([{ path: 'metadata/clamav/scan.log', bytes: enc(INFECTED_LOG) }], paths);
    t.match(r.byPath.get('objects/eicar.txt'), [
      { hasVirus: true, virusesFound: ['Eicar-Signature'], source: 'ClamAV', raw: /FOUND$/ },
    ]);
    t.match(r.byPath.get('objects/ok.txt'), [{ hasVirus: false, inferred: true }]);
    t.notOk(r.byPath.has('metadata/clamav/scan.log'), 'tool outputs are not part of the scanned content');
    t.match(r.summaries, [
      { tool: 'ClamAV', infected: ['objects/eicar.txt'], inferredClean: { scope: 'deposit' } },
    ]);
    t.match(
      r.problems.filter((p) => p.code === 'TOOL_INCONSISTENT'),
      [{ message: /2 files were scanned; 3 file/ }],
      'mets.xml counts as content, so the scope (3) differs from the 2 scanned files',
    );
  },
);

t.test('no clean verdicts are inferred when an infected path cannot be placed in the deposit', async (t) => {
  const log = INFECTED_LOG.replace('/home/u/deposit/objects/eicar.txt', '/elsewhere/unknown.bin');
  const r = readToolOutputs([{ path: 'metadata/clamav/scan.log', bytes: enc(log) }], ['objects/ok.txt']);
  t.equal(r.byPath.size, 0);
  t.match(r.problems, [
    { code: 'TOOL_VIRUS_FOUND' },
    { code: 'TOOL_UNRESOLVED_PATH' },
    { code: 'TOOL_UNRESOLVED_PATH', message: /no clean verdicts/ },
  ]);
});

t.test(
  'outputs are recognised by content where names vary; unknown files in tool folders are reported',
  async (t) => {
    const paths = [
      'objects/a.jpg',
      'metadata/scans/run1.log',
      'metadata/exiftool/all.txt',
      'metadata/siegfried/notes.md',
      'metadata/readme.txt',
    ];
    const r = readToolOutputs(
      [
        { path: 'metadata/scans/run1.log', bytes: enc('/ws/objects/a.jpg: OK\n') },
        { path: 'metadata/exiftool/all.txt', bytes: enc('======== /ws/objects/a.jpg\nMake : Canon\n') },
        { path: 'metadata/siegfried/notes.md', bytes: enc('# notes\n') },
        { path: 'metadata/readme.txt', bytes: enc('hello\n') },
      ],
      paths,
    );
    t.same(r.outputs, ['metadata/exiftool/all.txt', 'metadata/scans/run1.log']);
    t.match(r.byPath.get('objects/a.jpg'), [
      { type: 'VirusScanMetadata', hasVirus: false, inferred: undefined },
      { type: 'ExifMetadata', tags: { Make: 'Canon' } },
    ]);
    t.match(r.problems, [{ code: 'TOOL_UNRECOGNISED', path: 'metadata/siegfried/notes.md' }]);
  },
);

t.test('files outside metadata/ are never read as tool outputs', async (t) => {
  const r = readToolOutputs(
    [{ path: 'objects/sf.yml', bytes: enc('---\nsiegfried : 1.0\n') }],
    ['objects/sf.yml'],
  );
  t.same(r.outputs, []);
});

t.test('exiftool -j output under metadata/exiftool is recognised by content', async (t) => {
  const json = JSON.stringify([{ SourceFile: '/ws/dep/objects/a.jpg', 'EXIF:Make': 'Canon' }]);
  const r = readToolOutputs([{ path: 'metadata/exiftool/exif.json', bytes: enc(json) }], ['objects/a.jpg']);
  t.match(r.byPath.get('objects/a.jpg'), [
    { type: 'ExifMetadata', origin: 'metadata/exiftool/exif.json', tags: { 'EXIF:Make': 'Canon' } },
  ]);
  t.match(r.summaries, [{ tool: 'ExifTool', files: 1 }]);
});
