import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { corpusDir } from '../helpers/paths.js';

const fixtures = join(corpusDir, 'ocfl-fixtures');
const fedoraRoot = join(corpusDir, 'fcrepo/fcrepo-http-api/src/test/resources/test-rebuild-invalid');

t.test('validate prints VALID and exits 0 for a good object', async (t) => {
  const r = await runCli(['validate', join(fixtures, '1.1/good-objects/spec-ex-full')]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /^VALID OCFL object ark:\/12345\/bcd987 @ v3/);
});

t.test('validate exits 1 and names the OCFL code for a bad object', async (t) => {
  const r = await runCli(['validate', join(fixtures, '1.0/bad-objects/E058_no_sidecar')]);
  t.equal(r.code, 1);
  t.match(r.stdout, /INVALID/);
  t.match(r.stdout, /E058/);
});

t.test('validate --json gives errors and warnings with codes', async (t) => {
  const r = await runCli(['validate', '--json', join(fixtures, '1.0/bad-objects/E058_no_sidecar')]);
  t.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  t.equal(out.kind, 'object');
  t.equal(out.valid, false);
  t.ok(out.errors.some((e: { code: string }) => e.code === 'E058'));
});

t.test('validate --no-fixity does not catch a content digest mismatch that fixity does', async (t) => {
  const obj = join(fixtures, '1.0/bad-objects/E092_content_file_digest_mismatch');
  const full = await runCli(['validate', '--json', obj]);
  const quick = await runCli(['validate', '--json', '--no-fixity', obj]);
  t.ok(JSON.parse(full.stdout).errors.some((e: { code: string }) => e.code === 'E092'));
  t.notOk(JSON.parse(quick.stdout).errors.some((e: { code: string }) => e.code === 'E092'));
});

t.test('validate on a storage root reports each object', async (t) => {
  const r = await runCli(['validate', '--json', fedoraRoot]);
  const out = JSON.parse(r.stdout);
  t.equal(out.kind, 'storage-root');
  t.equal(out.objects.length, 3);
  // info:fedora/test carries a sidecar mismatch by design (see the fcrepo corpus README)
  t.equal(r.code, out.valid ? 0 : 1);
});

t.test('validate a lone inventory file', async (t) => {
  const inv = join(
    corpusDir,
    'ocfl-py/extra_fixtures/1.0/bad-inventories/inventory_E042a_bad_content_paths.json',
  );
  const r = await runCli(['validate', '--json', inv]);
  t.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  t.equal(out.kind, 'inventory');
  t.ok(out.errors.some((e: { code: string }) => e.code === 'E042'));
});

t.test('validate: bad arguments exit 2, nothing there 3, something that is not OCFL 1', async (t) => {
  t.equal((await runCli(['validate'])).code, 2);
  t.equal((await runCli(['validate', '--bogus', 'x'])).code, 2);
  const missing = await runCli(['validate', '/nonexistent/strongroom/location']);
  t.equal(missing.code, 3);
  t.match(missing.stderr, /\[NOT_FOUND\] .*does not exist/);
  const dir = mkdtempSync(join(tmpdir(), 'sr-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const empty = await runCli(['validate', dir]);
  t.equal(empty.code, 3);
  t.match(empty.stderr, /NOT_FOUND/, 'nothing there is not found, not an invalid report');
  writeFileSync(join(dir, 'notes.txt'), 'x');
  const other = await runCli(['validate', dir]);
  t.equal(other.code, 1);
  t.match(other.stderr, /not an OCFL object/);
});

t.test('validate --json prints one JSON object for every outcome, errors included', async (t) => {
  const missing = await runCli(['validate', '/nonexistent/strongroom/location', '--json']);
  t.equal(missing.code, 3);
  t.same(Object.keys(JSON.parse(missing.stdout)), ['error']);
  t.equal(JSON.parse(missing.stdout).error.code, 'NOT_FOUND');
  const usage = await runCli(['validate', '--json', '--bogus']);
  t.equal(usage.code, 2);
  t.equal(JSON.parse(usage.stdout).error.code, 'INVALID_INPUT');
});

t.test('ls lists the object ids of a Fedora storage root', async (t) => {
  const r = await runCli(['ls', fedoraRoot]);
  t.equal(r.code, 0, r.stderr);
  const ids = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[0]);
  t.same(ids.sort(), ['info:fedora', 'info:fedora/binary', 'info:fedora/test']);
});

t.test('storage-map prints the spec shape for a Fedora object', async (t) => {
  const r = await runCli(['storage-map', fedoraRoot, 'info:fedora/binary']);
  t.equal(r.code, 0, r.stderr);
  const map = JSON.parse(r.stdout);
  t.equal(map.version.ocflVersion, 'v1');
  t.equal(map.storageType, 'file');
  t.equal(map.objectPath, '7e0/d30/d33/7e0d30d33ceb9225f7bc989c8346778837fabedd8b55c0ca00d051d41d23a0a2');
  t.same(Object.keys(map.files), ['binary']);
  t.equal(map.files.binary.fullPath, 'v1/content/binary');
  t.equal(map.hashes[map.files.binary.hash], 'v1/content/binary');
});

t.test(
  'storage-map with an unknown version or object exits 3 (not found) with a clear message',
  async (t) => {
    const v = await runCli(['storage-map', fedoraRoot, 'info:fedora/binary', '--version', 'v9']);
    t.equal(v.code, 3);
    t.match(v.stderr, /NOT_FOUND/);
    t.equal(JSON.parse(v.stdout).error.code, 'NOT_FOUND', 'stdout stays one JSON object');
    const o = await runCli(['storage-map', fedoraRoot, 'info:fedora/nope']);
    t.equal(o.code, 3);
    const bad = await runCli(['storage-map', fedoraRoot]);
    t.equal(bad.code, 2);
  },
);

t.test('storage-map --cache serves the same map from LMDB on the second call', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sr-cli-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const first = await runCli(['storage-map', fedoraRoot, 'info:fedora/binary', '--cache', dir]);
  const second = await runCli(['storage-map', fedoraRoot, 'info:fedora/binary', '--cache', dir]);
  t.equal(first.code, 0, first.stderr);
  t.equal(second.stdout, first.stdout);
});
