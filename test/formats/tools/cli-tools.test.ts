import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import type { CommandIO } from '../../../server/commands/io.js';
import { run } from '../../../server/commands/tools.js';
import { corpusDir } from '../../helpers/paths.js';

function capture(): { io: CommandIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        add(String(chunk));
        cb();
      },
    });
  return {
    io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), isTTY: false, env: {} },
    out: () => out,
    err: () => err,
  };
}

const MY_ITEM = join(corpusDir, 'digital-preservation-docs/playwright/PreservationApi/samples/my-item');

t.test('--json prints files, reports, summaries and problems for a BagIt deposit', async (t) => {
  const c = capture();
  t.equal(await run([MY_ITEM, '--json'], c.io), 0);
  const j = JSON.parse(c.out()) as {
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
  const c = capture();
  t.equal(await run([MY_ITEM], c.io), 0);
  t.match(
    c.out(),
    /^data\/objects\/IMAGE-2\.tiff\n {2}format {2}Brunnhilde: fmt\/353 Tagged Image File Format \(image\/tiff\)\n {2}virus {3}Brunnhilde: clean/m,
  );
  t.match(c.out(), /report: data\/metadata\/brunnhilde\/report\.html \(Brunnhilde, scanned data\/objects\)/);
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
  const c = capture();
  t.equal(await run(['--json', dir], c.io), 0, 'a virus is reported, not turned into an exit code');
  const j = JSON.parse(c.out());
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
    const c = capture();
    t.equal(await run(argv, c.io), 2, JSON.stringify(argv));
    t.match(c.err(), /^usage: strongroom tools/);
  }
});

t.test('a folder that does not exist exits 2 with a message', async (t) => {
  const c = capture();
  t.equal(await run([join(tmpdir(), 'strongroom-no-such-folder-xyz')], c.io), 2);
  t.match(c.err(), /cannot read/);
});
