import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { run } from '../../../server/commands/mets.js';
import { captureIO } from '../../helpers/cli.js';
import { corpusDir } from '../../helpers/paths.js';

const E2E = join(corpusDir, 'digital-preservation-e2e-tests/test-data/deposit/mets.xml');

t.test('--json prints the METS model as one JSON object', async (t) => {
  const c = captureIO();
  t.equal(await run([E2E, '--json'], c.io), 0);
  const j = JSON.parse(c.stdout());
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
  t.equal(c.stderr(), '');
});

t.test('without --json a human summary is printed', async (t) => {
  const c = captureIO();
  t.equal(await run([E2E], c.io), 0);
  t.match(c.stdout(), /producer: leeds-preservation-api/);
  t.match(c.stdout(), /title: UAT Test 1/);
  t.match(c.stdout(), /3 file\(s\), 3 directories/);
  t.match(c.stdout(), /objects\/new-test-folder-inside-objects\/ {2}"New test folder inside objects"/);
});

t.test('problems are listed but do not change the exit code', async (t) => {
  const goobi = join(
    corpusDir,
    'digital-preservation/src/DigitalPreservation/XmlGen.Tests/Samples/goobi-wc-b29356350.xml',
  );
  const c = captureIO();
  t.equal(await run([goobi], c.io), 0);
  t.match(
    c.stdout(),
    /32 problem\(s\):\n {2}DIGEST_LENGTH_MISMATCH objects\/b29356350_0001\.jp2 \(line \d+\)/,
  );
});

t.test('malformed XML exits 1 with file:line:column', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sr-mets-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.xml');
  writeFileSync(bad, '<mets:mets xmlns:mets="http://www.loc.gov/METS/">\n<mets:fileSec>\n</mets:mets>\n');
  const c = captureIO();
  t.equal(await run([bad, '--json'], c.io), 1);
  t.equal(JSON.parse(c.stdout()).error.code, 'MALFORMED', 'with --json, the failure is one JSON object');
  t.match(c.stderr(), `strongroom mets: [MALFORMED] ${bad}:3:12: Unexpected close tag`);
});

t.test('bad usage prints the usage and exits 2', async (t) => {
  for (const argv of [[], ['a.xml', 'b.xml'], ['--verbose'], ['--json']]) {
    const c = captureIO();
    t.equal(await run(argv, c.io), 2, argv.join(' '));
    t.match(c.stderr(), /^usage: strongroom mets <file> \[--json\]/m);
  }
  const c = captureIO();
  t.equal(await run([join(tmpdir(), 'no-such-mets-file.xml')], c.io), 3);
  t.match(c.stderr(), /\[NOT_FOUND\]/);
  const typo = captureIO();
  t.equal(await run(['x.xml', '--jsn'], typo.io), 2);
  t.match(typo.stderr(), /unknown option --jsn/, 'a mistyped option is named, not taken as a path');
});
