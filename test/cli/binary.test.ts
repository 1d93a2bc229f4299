/**
 * The built `strongroom` binary itself (dist/server/cli.js, what package.json's `bin` names),
 * spawned as a user runs it: from another working directory, with the Node running this test.
 * The in-process CLI tests cover the commands; these pin the entry point, its exit codes and
 * that it ends on its own (no worker thread or handle keeps it alive).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { corpusDir, repoRoot } from '../helpers/paths.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};
const cli = join(repoRoot, pkg.bin['strongroom']!);
const fixtures = join(corpusDir, 'ocfl-fixtures/1.1');

function strongroom(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: tmpdir(), encoding: 'utf8', timeout: 60_000 });
}

t.test('the bin entry starts with a node shebang', async (t) => {
  t.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

t.test('--help prints the usage on stdout and exits 0', async (t) => {
  const run = strongroom('--help');
  t.equal(run.status, 0, run.stderr);
  t.match(run.stdout, /^usage: strongroom <command>/);
  t.match(run.stdout, /validate <location>/);
});

t.test('an unknown command is a usage error: exit 2, message and usage on stderr', async (t) => {
  const run = strongroom('frobnicate');
  t.equal(run.status, 2);
  t.equal(run.stdout, '');
  t.match(run.stderr, /unknown command "frobnicate"/);
  t.match(run.stderr, /usage: strongroom/);
});

t.test('validate exits 0 for a valid object and 1 for an invalid one, and then ends', async (t) => {
  const good = strongroom('validate', join(fixtures, 'good-objects/spec-ex-full'));
  t.equal(good.signal, null, 'ended by itself');
  t.equal(good.status, 0, good.stderr);
  t.match(good.stdout, /^VALID OCFL object ark:\/12345\/bcd987/);
  const bad = strongroom('validate', '--json', join(fixtures, 'bad-objects/E001_extra_dir_in_root'));
  t.equal(bad.signal, null, 'ended by itself');
  t.equal(bad.status, 1, bad.stderr);
  const out = JSON.parse(bad.stdout) as { valid: boolean; errors: { code: string }[] };
  t.equal(out.valid, false);
  t.ok(
    out.errors.some((e) => e.code === 'E001'),
    'reports E001',
  );
});
