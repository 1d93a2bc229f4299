/**
 * Two writers in two processes (test/txn/commit-child.ts) commit to one object at once, on the
 * filesystem and on MinIO: exactly one wins, the other gets a ConflictError, and the object
 * validates and holds exactly the winner's content. Each round lines both up right before the
 * claim (the commit's `onStep` hook) and lets them go together, or just starts both; then the
 * same for two processes creating the same new group.
 */
import t, { type Test } from 'tap';
import { openRepository } from '../../lib/services/repository.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { requireS3 } from '../helpers/s3.js';
import { collect } from '../storage/contract-util.js';
import { CommitChild } from './child.js';
import type { ChildMessage, ChildSpec } from './commit-child.js';
import { fsEnv, s3Env, type TxnEnv } from './env.js';

const ROUNDS = 4;
const agent = { name: 'https://example.org/agents/tester' };

async function race(
  t: Test,
  env: TxnEnv,
  path: string,
  sourceVersion: string | null,
  round: string,
  lineUp: boolean,
) {
  const specs: ChildSpec[] = [];
  for (const who of ['left', 'right']) {
    const [f] = await env.writeDeposit({ [`${round}/${who}.txt`]: `${who} in ${round}` });
    specs.push({
      repo: env.repo,
      store: env.store,
      leaseMs: 30_000,
      path,
      sourceVersion,
      sources: [env.deposit],
      changes: [{ op: 'put', path: 'who.txt', source: f!.uri, digest: f!.sha256 }],
      ...(lineUp && { pauseAt: 'claim' }),
    });
  }
  const children = specs.map((s) => CommitChild.start(s));
  if (lineUp) {
    for (const c of children) t.equal((await c.next()).kind, 'paused');
    for (const c of children) c.continue();
  }
  const outcomes: ChildMessage[] = await Promise.all(children.map((c) => c.next()));
  await Promise.all(children.map((c) => c.exit()));
  return outcomes;
}

async function checkRace(t: Test, env: TxnEnv, path: string, outcomes: ChildMessage[], version: string) {
  const kinds = outcomes.map((o) => (o.kind === 'failed' ? `failed:${o.code}` : o.kind)).sort();
  t.same(kinds, ['done', 'failed:CONFLICT'], 'exactly one of two processes wins, the other gets a conflict');
  const winner = outcomes.findIndex((o) => o.kind === 'done');
  t.equal((outcomes[winner] as { version: string }).version, version);
  const r = await openRepository(env.repo, { store: env.store });
  const id = `info:fedora/${path}`;
  t.equal((await r.versions(id)).length, Number(version.slice(1)));
  const text = (await collect((await r.readFile(id, 'who.txt')).stream)).toString();
  t.match(text, winner === 0 ? /^left/ : /^right/, "the object holds the winner's content");
  t.same((await r.validateObject(id)).errors, [], 'and validates: nothing of the loser is left');
}

async function runRaces(t: Test, env: TxnEnv): Promise<void> {
  t.teardown(() => CommitChild.stopSpare());
  const writer = await openRepositoryWriter(env.repo, { create: true, store: env.store });
  await writer.createContainer('books', { agent });
  const [seed] = await env.writeDeposit({ 'seed.txt': 'seed' });
  await writer
    .begin('books/g', { agent, sources: [env.deposit] })
    .putBinary('who.txt', { source: seed!.uri, digest: seed!.sha256 })
    .commit();
  for (let round = 1; round <= ROUNDS; round++) {
    const lineUp = round % 2 === 1;
    const outcomes = await race(t, env, 'books/g', `v${round}`, `g${round}`, lineUp);
    await checkRace(t, env, 'books/g', outcomes, `v${round + 1}`);
  }
  for (let round = 1; round <= 2; round++) {
    const path = `books/new-${round}`;
    const outcomes = await race(t, env, path, null, `n${round}`, round === 1);
    await checkRace(t, env, path, outcomes, 'v1');
  }
}

t.test('fs: two processes committing to one object: one wins, one conflicts', async (t) => {
  await runRaces(t, await fsEnv(t));
});

const config = requireS3(t);
if (config) {
  t.test('minio: two processes committing to one object: one wins, one conflicts', async (t) => {
    await runRaces(t, await s3Env(t, config));
  });
}
