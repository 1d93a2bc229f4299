import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import type { CommandIO } from '../../../server/commands/io.js';
import { run } from '../../../server/commands/mets.js';
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

const E2E = join(corpusDir, 'digital-preservation-e2e-tests/test-data/deposit/mets.xml');

t.test('--json prints the METS model as one JSON object', async (t) => {
  const c = capture();
  t.equal(await run([E2E, '--json'], c.io), 0);
  const j = JSON.parse(c.out());
  t.same(Object.keys(j).sort(), [
    'accessRestrictions',
    'directories',
    'editable',
    'files',
    'problems',
    'producer',
    'rightsStatement',
    'title',
  ]);
  t.equal(j.files.length, 3);
  t.match(j.files[0], {
    path: 'objects/new-test-folder-inside-objects/test_image().jpg',
    name: 'test_image().jpg',
    contentType: 'image/jpeg',
    size: 46051,
    digests: { sha256: '62db932f4c8b13da0bb441b21a5b90fa47758a29afa519cb03fcae9606912e82' },
    format: null,
  });
  t.equal(c.err(), '');
});

t.test('without --json a human summary is printed', async (t) => {
  const c = capture();
  t.equal(await run([E2E], c.io), 0);
  t.match(c.out(), /producer: leeds-preservation-api/);
  t.match(c.out(), /title: UAT Test 1/);
  t.match(c.out(), /3 file\(s\), 3 directories/);
  t.match(c.out(), /objects\/new-test-folder-inside-objects\/ {2}"New test folder inside objects"/);
});

t.test('problems are listed but do not change the exit code', async (t) => {
  const goobi = join(
    corpusDir,
    'digital-preservation/src/DigitalPreservation/XmlGen.Tests/Samples/goobi-wc-b29356350.xml',
  );
  const c = capture();
  t.equal(await run([goobi], c.io), 0);
  t.match(c.out(), /32 problem\(s\):\n {2}DIGEST_LENGTH_MISMATCH objects\/b29356350_0001\.jp2 \(line \d+\)/);
});

t.test('malformed XML exits 1 with file:line:column', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sr-mets-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.xml');
  writeFileSync(bad, '<mets:mets xmlns:mets="http://www.loc.gov/METS/">\n<mets:fileSec>\n</mets:mets>\n');
  const c = capture();
  t.equal(await run([bad, '--json'], c.io), 1);
  t.equal(c.out(), '');
  t.match(c.err(), `strongroom mets: ${bad}:3:12: Unexpected close tag`);
});

t.test('bad usage prints the usage and exits 2', async (t) => {
  for (const argv of [[], ['a.xml', 'b.xml'], ['--verbose'], ['--json']]) {
    const c = capture();
    t.equal(await run(argv, c.io), 2, argv.join(' '));
    t.match(c.err(), /^usage: strongroom mets <file> \[--json\]/);
  }
  const c = capture();
  t.equal(await run([join(tmpdir(), 'no-such-mets-file.xml')], c.io), 2);
  t.match(c.err(), /cannot read/);
});
