import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { run } from '../../../server/commands/tools.js';
import { runCommand } from '../../helpers/cli.js';
import { corpusDir } from '../../helpers/paths.js';

const MY_ITEM = join(corpusDir, 'digital-preservation-docs/playwright/PreservationApi/samples/my-item');

t.test('--json prints files, reports, summaries and problems for a BagIt deposit', async (t) => {
  const r = await runCommand(run, [MY_ITEM, '--json']);
  t.equal(r.code, 0);
  const j = JSON.parse(r.stdout) as {
    files: Record<string, { type: string; source: string }[]>;
    reports: { path: string }[];
    summaries: { tool: string }[];
    problems: unknown[];
  };
  t.same(Object.keys(j).sort(), ['files', 'problems', 'reports', 'summaries']);
  t.equal(Object.keys(j.files).length, 11);
  t.match(j.files['data/objects/Fedora-Usage-Principles.docx'], [
    { type: 'FileFormatMetadata', source: 'Brunnhilde' },
    { type: 'VirusScanMetadata', source: 'Brunnhilde' },
  ]);
  t.same(
    j.reports.map((r) => r.path),
    ['data/metadata/brunnhilde/report.html'],
  );
  t.same(j.summaries.map((s) => s.tool).sort(), ['Brunnhilde', 'ClamAV', 'Siegfried']);
});

t.test('plain output lists each file with its formats and verdicts', async (t) => {
  const r = await runCommand(run, [MY_ITEM]);
  t.equal(r.code, 0);
  t.match(
    r.stdout,
    /^data\/objects\/IMAGE-2\.tiff\n {2}format {2}Brunnhilde: fmt\/353 Tagged Image File Format \(image\/tiff\)\n {2}virus {3}Brunnhilde: clean/m,
  );
  t.match(r.stdout, /report: data\/metadata\/brunnhilde\/report\.html \(Brunnhilde, scanned data\/objects\)/);
});

t.test('a root-level deposit with an infected ClamAV log and a Siegfried YAML', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-tools-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'objects'));
  mkdirSync(join(dir, 'metadata', 'siegfried'), { recursive: true });
  mkdirSync(join(dir, 'metadata', 'clamav'), { recursive: true });
  writeFileSync(join(dir, 'objects', 'eicar.com'), 'X5O!P%@AP');
  writeFileSync(
    join(dir, 'metadata', 'siegfried', 'siegfried.yaml'),
    "---\nsiegfried   : 1.11.2\nscandate    : 2025-01-01T00:00:00Z\n---\nfilename : 'C:\\Work\\dep\\objects\\eicar.com'\nfilesize : 9\nmodified : 2025-01-01T00:00:00Z\nerrors   :\nmatches  :\n  - ns      : 'pronom'\n    id      : 'UNKNOWN'\n    warning : 'no match'\n",
  );
  writeFileSync(
    join(dir, 'metadata', 'clamav', 'scan.log'),
    'C:\\Work\\dep\\objects\\eicar.com: Eicar-Signature FOUND\n',
  );
  const r = await runCommand(run, ['--json', dir]);
  t.equal(r.code, 0, 'a virus is reported, not turned into an exit code');
  const j = JSON.parse(r.stdout);
  t.match(j.files['objects/eicar.com'], [
    {
      type: 'FileFormatMetadata',
      pronomKey: null,
      storageLocation: 'C:\\Work\\dep\\objects\\eicar.com',
      originalName: 'objects/eicar.com',
    },
    { type: 'VirusScanMetadata', hasVirus: true, virusesFound: ['Eicar-Signature'] },
  ]);
  t.match(j.problems, [{ code: 'TOOL_VIRUS_FOUND' }]);
});

t.test('bad arguments print usage and exit 2', async (t) => {
  for (const argv of [[], ['a', 'b'], ['--bogus']]) {
    const r = await runCommand(run, argv);
    t.equal(r.code, 2, JSON.stringify(argv));
    t.match(r.stderr, /^usage: strongroom tools/m);
  }
  const bogus = await runCommand(run, ['--bogus', MY_ITEM]);
  t.equal(bogus.code, 2);
  t.match(bogus.stderr, /^strongroom tools: unknown option --bogus\n/, 'the offending option is named');
});

t.test('a folder that does not exist exits 3 (not found) with a message', async (t) => {
  const r = await runCommand(run, [join(tmpdir(), 'strongroom-no-such-folder-xyz')]);
  t.equal(r.code, 3);
  t.match(r.stderr, /\[NOT_FOUND\] .*does not exist/);
});
