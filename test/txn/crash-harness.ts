/**
 * The crash harness: commits run in a child process that is SIGKILLed at every step boundary of
 * the commit (the `onStep` test hook) and in the middle of a large copy. After each kill it
 * checks that readers see exactly the previous version or the new one (never a half version,
 * never an error), then recovers — with `recover`, or simply by the next transaction — and checks
 * that the object validates with no error and that the retried commit succeeds with exactly the
 * expected content. Counts are reported with `t.comment`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import { openRepository } from '../../lib/services/repository.js';
import { COMMIT_STEPS } from '../../lib/txn/commit.js';
import { openRepositoryWriter, type RepositoryWriter } from '../../lib/txn/writer.js';
import { CommitChild } from './child.js';
import type { ChildSpec } from './commit-child.js';
import type { TxnEnv } from './env.js';

/** Lease of the children and of the parent's writer: short, so a killed child's claim expires soon. */
const LEASE_MS = 200;
const BIG_BYTES = 24 * 1024 * 1024;
const agent = { name: 'https://example.org/agents/harness' };

/** Expected logical files (path → SHA-256) of each version of each group. */
type Expected = Map<string, Record<string, string>>;

interface Harness {
  t: Test;
  env: TxnEnv;
  writer: RepositoryWriter;
  counts: { killed: number; states: number; retried: number; recovered: number };
}

/** How a kill is cleaned up before the retry. */
type Mode = 'recover' | 'next-transaction';

/** Options of {@link runCrashHarness}. */
export interface CrashHarnessOptions {
  /** Kill each step of an existing object's commit once per mode (else the modes alternate). */
  bothModes: boolean;
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Run the harness on `env` (see the module doc). */
export async function runCrashHarness(t: Test, env: TxnEnv, options: CrashHarnessOptions): Promise<void> {
  t.teardown(() => CommitChild.stopSpare());
  const writer = await openRepositoryWriter(env.repo, { create: true, store: env.store, leaseMs: LEASE_MS });
  await writer.createContainer('books', { agent });
  const h: Harness = { t, env, writer, counts: { killed: 0, states: 0, retried: 0, recovered: 0 } };
  const started = Date.now();

  // An existing object: every step of the commit of its next version.
  const expected: Expected = new Map();
  let head = await commitDirect(h, 'books/g', 1, expected);
  const steps = COMMIT_STEPS.filter((s) => s !== 'declaration');
  let i = 0;
  for (const step of [...steps, 'mid-copy']) {
    const modes: Mode[] = options.bothModes
      ? ['recover', 'next-transaction']
      : [i++ % 2 ? 'next-transaction' : 'recover'];
    for (const mode of modes) head = await killAndRecover(h, 'books/g', head, step, mode, expected);
  }
  // A new object: every step of the commit that creates it.
  let j = 0;
  for (const step of [...COMMIT_STEPS]) {
    await killAndRecover(h, `books/new-${step}`, 0, step, j++ % 2 ? 'recover' : 'next-transaction', expected);
  }
  const report = await (await openRepository(env.repo, { store: env.store })).validate({ fixity: false });
  t.same(
    report.objects.flatMap((o) => o.errors.map((e) => `${o.objectRoot}: ${e.code} ${e.message}`)),
    [],
    'the whole storage root validates at the end',
  );
  t.comment(
    `${env.name}: ${h.counts.killed} commits killed (every step of ${steps.length} for an existing object, mid-copy, ` +
      `${COMMIT_STEPS.length} for a new object), ${h.counts.states} states checked, ` +
      `${h.counts.recovered} recover runs, ${h.counts.retried} retried commits, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** Deposit the files of version `k` of `path` and the changes that make it from version k-1. */
async function changesFor(h: Harness, path: string, k: number, expected: Expected, withBig: boolean) {
  const tag = `${path.replaceAll('/', '_')}-v${k}`;
  const files: Record<string, string> = { 'a.txt': `a of ${tag}`, [`n${k}.txt`]: `new in ${tag}` };
  if (k === 1) files['keep.txt'] = `kept from ${tag}`;
  const deposited = await h.env.writeDeposit(
    Object.fromEntries(Object.entries(files).map(([p, text]) => [`${tag}/${p}`, text])),
  );
  const changes: ChildSpec['changes'] = Object.keys(files).map((p, n) => ({
    op: 'put',
    path: p,
    source: deposited[n]!.uri,
    digest: deposited[n]!.sha256,
    size: deposited[n]!.bytes.length,
  }));
  const before = { ...(expected.get(`${path}@${k - 1}`) ?? {}) };
  for (const [p, text] of Object.entries(files)) before[p] = sha256(text);
  if (k > 1) {
    changes.push({ op: 'delete', path: `n${k - 1}.txt` });
    delete before[`n${k - 1}.txt`];
  }
  if (before['big.bin']) {
    changes.push({ op: 'delete', path: 'big.bin' });
    delete before['big.bin'];
  }
  if (withBig) {
    // New bytes each time: content the object already holds is not copied again.
    const [big] = await h.env.writeDeposit({ [`${tag}/big.bin`]: randomBytes(BIG_BYTES) });
    changes.push({ op: 'put', path: 'big.bin', source: big!.uri, digest: big!.sha256, size: BIG_BYTES });
    before['big.bin'] = big!.sha256;
  }
  expected.set(`${path}@${k}`, before);
  return changes;
}

function specFor(h: Harness, path: string, head: number, changes: ChildSpec['changes']): ChildSpec {
  return {
    repo: h.env.repo,
    store: h.env.store,
    leaseMs: LEASE_MS,
    path,
    sourceVersion: head === 0 ? null : `v${head}`,
    sources: [h.env.deposit],
    changes,
  };
}

/** Commit version `k` of `path` in this process (no kill). */
async function commitDirect(h: Harness, path: string, k: number, expected: Expected): Promise<number> {
  const changes = await changesFor(h, path, k, expected, false);
  const version = await commitInParent(h, specFor(h, path, k - 1, changes));
  h.t.equal(version, `v${k}`);
  return k;
}

async function commitInParent(h: Harness, spec: ChildSpec): Promise<string> {
  const tx = h.writer.begin(spec.path, {
    agent,
    sources: spec.sources,
    ...(spec.sourceVersion !== undefined && { sourceVersion: spec.sourceVersion }),
  });
  for (const c of spec.changes) {
    if (c.op === 'delete') tx.delete(c.path);
    else
      tx.putBinary(c.path, {
        source: c.source,
        digest: c.digest,
        ...(c.size !== undefined && { size: c.size }),
      });
  }
  return (await tx.commit()).version;
}

/**
 * Commit version head+1 of `path` in a child killed at `step`; check the readers; recover by
 * `mode`; check validation and the retry. Resolves with the new head.
 */
async function killAndRecover(
  h: Harness,
  path: string,
  head: number,
  step: string,
  mode: Mode,
  expected: Expected,
): Promise<number> {
  const { t } = h;
  const k = head + 1;
  const id = `info:fedora/${path}`;
  const what = `${h.env.name} ${path} v${k}, killed at ${step}, then ${mode}`;
  const changes = await changesFor(h, path, k, expected, step === 'mid-copy');
  const spec: ChildSpec = {
    ...specFor(h, path, head, changes),
    pauseAt: step,
    ...(step === 'mid-copy' && { midCopy: { keySuffix: '/big.bin', afterBytes: BIG_BYTES / 3 } }),
  };
  const child = CommitChild.start(spec);
  const message = await child.next();
  if (message.kind !== 'paused') {
    await child.exit();
    t.fail(`${what}: the child did not stop there (${JSON.stringify(message)})`);
    return head;
  }
  await child.kill();
  const killed = Date.now();
  h.counts.killed++;
  const seen = await checkReaders(h, id, [head, k], expected, `${what}: readers`);
  // The dead child's claim must expire before anyone may take it over.
  await new Promise((r) => setTimeout(r, Math.max(0, LEASE_MS + 50 - (Date.now() - killed))));
  if (mode === 'recover') {
    const report = await h.writer.recover();
    h.counts.recovered++;
    t.same(report.errors, [], `${what}: recover ran without errors`);
    t.notOk(
      report.findings.some((f) => f.action === 'leave'),
      `${what}: recover left nothing behind (${report.findings.map((f) => f.situation).join(', ') || 'nothing to do'})`,
    );
    if (seen === head) {
      t.notOk(await h.env.hasKey(`${h.writer.objectKeyOf(path)}/v${k}`), `${what}: v${k} is gone`);
      if (head > 0) await checkValid(h, path, `${what}: after recover`);
    }
  }
  if (seen === head) {
    const version = await commitInParent(h, specFor(h, path, head, changes));
    h.counts.retried++;
    t.equal(version, `v${k}`, `${what}: the retried commit succeeds`);
  } else if (mode === 'next-transaction') {
    // Committed before the kill: the next transaction finishes what the dead one left.
    return killFree(h, path, k, expected, what);
  }
  await checkReaders(h, id, [k], expected, `${what}: after`);
  await checkValid(h, path, `${what}: after`);
  return k;
}

/** The next transaction on an object whose last commit was killed after its commit point. */
async function killFree(
  h: Harness,
  path: string,
  k: number,
  expected: Expected,
  what: string,
): Promise<number> {
  const changes = await changesFor(h, path, k + 1, expected, false);
  const version = await commitInParent(h, specFor(h, path, k, changes));
  h.counts.retried++;
  h.t.equal(version, `v${k + 1}`, `${what}: the next transaction succeeds`);
  await checkReaders(h, `info:fedora/${path}`, [k + 1], expected, `${what}: after`);
  await checkValid(h, path, `${what}: after`);
  return k + 1;
}

/** What a fresh reader sees must be exactly one of `allowed` versions (0: no object). */
async function checkReaders(
  h: Harness,
  id: string,
  allowed: number[],
  expected: Expected,
  what: string,
): Promise<number> {
  const { t } = h;
  h.counts.states++;
  const r = await openRepository(h.env.repo, { store: h.env.store });
  let head: number;
  try {
    head = (await r.versions(id)).length;
  } catch (err) {
    if (!hasCode(err, 'NOT_FOUND')) throw err;
    head = 0;
  }
  t.ok(allowed.includes(head), `${what} see v${head}, one of ${allowed.map((v) => `v${v}`).join(' or ')}`);
  if (head === 0) return head;
  const path = id.slice('info:fedora/'.length);
  const want = expected.get(`${path}@${head}`) ?? {};
  const map = await r.storageMap(id);
  const have: Record<string, string> = {};
  for (const logical of Object.keys(map.files)) {
    const file = await r.readFile(id, logical);
    const hash = createHash('sha256');
    for await (const chunk of file.stream) hash.update(chunk as Buffer);
    have[logical] = hash.digest('hex');
  }
  t.same(have, want, `${what}: exactly the content of v${head}`);
  return head;
}

async function checkValid(h: Harness, path: string, what: string): Promise<void> {
  const r = await openRepository(h.env.repo, { store: h.env.store });
  const report = await r.validateObject(`info:fedora/${path}`);
  h.t.same(
    report.errors.map((e) => `${e.code} ${e.message}`),
    [],
    `${what}: the object validates`,
  );
  if (h.env.name === 'fs') {
    const dir = fileURLToPath(`${h.env.repo}/${h.writer.objectKeyOf(path)}`);
    h.t.same(tempFiles(dir), [], `${what}: no temp file of the dead writer is left`);
  }
}

function tempFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.name.startsWith('.strongroom-tmp-')) out.push(join(e.parentPath, e.name));
  }
  return out;
}
