/**
 * `strongroom recover`: reports and cleans what crashed writers left, `--dry-run` changes
 * nothing, `--json` prints the report, `--lease-ms` sets when an unclaimed unfinished version
 * counts as abandoned, and the exit code says whether the root is clean (0), has work or damage
 * left (1), or has a writer at work (5).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { openWritableStore } from '../../lib/storage/writable.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { run } from '../../server/commands/recover.js';
import { captureIO, runCli } from '../helpers/cli.js';
import { tempDir } from '../txn/helpers.js';

const agent = { name: 'https://example.org/agents/tester' };

async function repository(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t, 'recover-cli');
  const deposit = tempDir(t, 'recover-cli-deposit');
  writeFileSync(join(deposit, 'a.txt'), 'a');
  const writer = await openRepositoryWriter(pathToFileURL(dir).href, { create: true });
  await writer.createContainer('books', { agent });
  const digest = 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb';
  await writer
    .begin('books/g', { agent, sources: [pathToFileURL(deposit).href] })
    .putBinary('a.txt', { source: pathToFileURL(join(deposit, 'a.txt')).href, digest })
    .commit();
  const store = await openWritableStore(pathToFileURL(dir).href);
  const key = writer.objectKeyOf('books/g');
  const claim = (expiresIn: number) =>
    JSON.stringify({
      strongroomClaim: 1,
      txId: 'dead',
      objectId: 'info:fedora/books/g',
      version: 'v2',
      baseDigest: null,
      claimed: new Date().toISOString(),
      expires: new Date(Date.now() + expiresIn).toISOString(),
      agent: 'x',
    });
  return { dir, store, key, claim };
}

t.test('a clean root: exit 0 and nothing to report', async (t) => {
  const { dir } = await repository(t);
  const r = await runCli(['recover', dir]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /objects checked, 0 findings, 0 errors/);
});

t.test(
  '--dry-run reports an abandoned claim and changes nothing (exit 1); recover deletes it (exit 0)',
  async (t) => {
    const { dir, store, key, claim } = await repository(t);
    await store.write(`${key}/v2/inventory.json`, claim(-1000));
    await store.write(`${key}/v2/content/a.txt`, 'half');
    const dry = await runCli(['recover', '--dry-run', '--json', dir]);
    t.equal(dry.code, 1, 'work to do');
    const report = JSON.parse(dry.stdout);
    t.equal(report.dryRun, true);
    t.match(report.findings, [
      {
        situation: 'abandoned-claim',
        action: 'delete-version',
        applied: false,
        objectId: 'info:fedora/books/g',
        version: 'v2',
      },
    ]);
    t.ok(existsSync(join(dir, key, 'v2', 'content', 'a.txt')), 'nothing changed');
    const done = await runCli(['recover', dir]);
    t.equal(done.code, 0, done.stderr);
    t.match(
      done.stdout,
      /deleted\s+v2 of info:fedora\/books\/g \[abandoned-claim\] claim of transaction "dead" expired/,
    );
    t.notOk(existsSync(join(dir, key, 'v2')));
  },
);

t.test('a live claim is left alone: exit 5', async (t) => {
  const { dir, store, key, claim } = await repository(t);
  await store.write(`${key}/v2/inventory.json`, claim(60_000));
  const r = await runCli(['recover', dir]);
  t.equal(r.code, 5);
  t.match(r.stdout, /left\s+v2 of info:fedora\/books\/g \[live-claim\]/);
  t.ok(existsSync(join(dir, key, 'v2', 'inventory.json')));
});

t.test('--lease-ms decides when an unclaimed version inventory above the head is abandoned', async (t) => {
  const { dir, store, key } = await repository(t);
  // A version inventory the root never took up (a crash between the two inventories).
  await store.copy(`${key}/v1/inventory.json`, `${key}/v2/inventory.json`);
  t.equal((await runCli(['recover', dir])).code, 5, 'within the default lease: may be committing');
  await new Promise((r) => setTimeout(r, 20));
  const r = await runCli(['recover', '--lease-ms', '10', dir]);
  t.equal(r.code, 0, r.stdout);
  t.match(r.stdout, /\[abandoned-version\]/);
  t.notOk(existsSync(join(dir, key, 'v2')));
});

t.test('bad usage is exit 2, a missing root exit 3; a terminal gets a progress bar', async (t) => {
  t.equal((await runCli(['recover'])).code, 2);
  const bad = await runCli(['recover', '--lease-ms', 'soon', '/tmp']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--lease-ms takes a whole number/);
  t.equal((await runCli(['recover', '--frobnicate', '/tmp'])).code, 2);
  const missing = await runCli(['recover', '--json', join(tempDir(t, 'empty'), 'nothing')]);
  t.equal(missing.code, 3);
  t.equal(JSON.parse(missing.stdout).error.code, 'NOT_FOUND');
  const { dir } = await repository(t);
  const tty = captureIO();
  tty.io.isTTY = true;
  t.equal(await run([dir], tty.io), 0);
  t.match(tty.stderr(), /\r/, 'progress drawn on the terminal');
});
