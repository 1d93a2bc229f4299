/**
 * `strongroom bag validate` driven through its `run` with in-memory streams, on corpus bags:
 * exit codes, the text report and the JSON shape.
 */
import { join } from 'node:path';
import t from 'tap';
import { run } from '../../../server/commands/bag.js';
import { runCommand } from '../../helpers/cli.js';
import { corpusDir, fixturesDir } from '../../helpers/paths.js';

/** `strongroom bag <argv>` through the command's own `run`. */
const bag = (argv: string[]) => runCommand(run, argv);

const suite = join(corpusDir, 'bagit-conformance-suite');

t.test('a valid bag exits 0 and lists its warnings', async (t) => {
  const r = await bag(['validate', join(suite, 'v0.97/warning/relative-path')]);
  t.equal(r.code, 0);
  t.match(r.stdout, /: valid — BagIt 0\.97, UTF-8, sha512; 1 payload files, 6 octets/);
  t.match(r.stdout, /^warning: manifest-sha512\.txt: path starts with "\.\/" \.\/data\/hello\.txt$/m);
  t.equal(r.stderr, '');
});

t.test('an invalid bag exits 1 and prints each error', async (t) => {
  const r = await bag(['validate', join(suite, 'v0.97/invalid/corrupt-data-file')]);
  t.equal(r.code, 1);
  t.match(r.stdout, /INVALID/);
  t.match(r.stdout, /^error: manifest-md5\.txt: digest mismatch data\/bare-filename$/m);
});

t.test('--json prints the verdict and the bag model', async (t) => {
  const dir = join(corpusDir, 'digital-preservation-docs/playwright/PreservationApi/samples/my-item');
  const r = await bag(['validate', dir, '--json']);
  t.equal(r.code, 1);
  const j = JSON.parse(r.stdout);
  t.equal(j.valid, false);
  t.equal(j.complete, false);
  t.ok(j.errors.includes('manifest-sha256.txt: missing file data/objects/warteck.jpg'));
  t.same(j.bag.version, '0.97');
  t.same(j.bag.encoding, 'UTF-8');
  t.same(j.bag.manifests, [
    { file: 'manifest-sha256.txt', algorithm: 'sha256', supported: true, entries: 19 },
  ]);
  t.same(j.bag.payloadOxum, { octets: 79639321, streams: 19 });
  t.equal(typeof j.bag.info['Bagging-Date'], 'string');
});

t.test('--no-fixity skips digests; a zip file is validated like a folder', async (t) => {
  const quick = await bag(['validate', join(suite, 'v0.97/invalid/corrupt-data-file'), '--no-fixity']);
  t.notMatch(quick.stdout, /digest mismatch/);
  const zip = await bag(['validate', join(fixturesDir, 'bagit', 'zipped-bag.zip')]);
  t.equal(zip.code, 0, zip.stdout);
});

t.test('bad arguments print usage and exit 2; an unreadable location exits 2', async (t) => {
  for (const argv of [[], ['validate'], ['check', suite], ['validate', 'a', 'b'], ['validate', '--json']]) {
    const r = await bag(argv);
    t.equal(r.code, 2, argv.join(' '));
    t.match(r.stderr, /^usage: strongroom bag validate/);
  }
  const typo = await bag(['validate', join(suite, 'v0.97/valid/bag-in-a-bag'), '--no-fixty']);
  t.equal(typo.code, 2, 'a mistyped flag is refused, not taken as a second location');
  t.match(typo.stderr, /^strongroom bag: unknown option --no-fixty\nusage: strongroom bag validate/);
  const missing = await bag(['validate', join(suite, 'no-such-bag')]);
  t.equal(missing.code, 3, 'a location that does not exist is not found');
  t.match(missing.stderr, /\[NOT_FOUND\]/);
});
