/**
 * The LMDB state store shared by several processes: two processes draining one queue each get
 * different jobs (the claim is atomic across processes), a worker killed while holding a lease
 * loses the job to another after the lease expires, and a process killed while writing leaves
 * records and queue consistent. Children run test/helpers/state-worker.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import t, { type Test } from 'tap';
import { openStateStore } from '../../lib/records/state-store.js';
import { repoRoot } from '../helpers/paths.js';

const workerScript = join(repoRoot, 'dist/test/helpers/state-worker.js');

interface Worker {
  child: ChildProcess;
  lines: string[];
  /** Resolves when a line matching `pattern` has been printed. */
  waitFor(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(...args: string[]): Worker {
  const child = spawn(process.execPath, [workerScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters])
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (pattern) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
        exited.then(({ code, signal }) => {
          throw new Error(
            `worker ended (${code ?? signal}) before printing ${pattern}: ${stderr.slice(-2000)}`,
          );
        }),
      ]);
    },
  };
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('two processes draining one queue: each job is claimed exactly once', async (t) => {
  const dir = tempDir(t);
  const state = openStateStore(dir);
  const ids = new Set<string>();
  for (let i = 0; i < 300; i++) ids.add((await state.queue.enqueue('work', { i })).job.id);
  const go = join(dir, 'go');
  const workers = [startWorker('drain', dir, go), startWorker('drain', dir, go)];
  await Promise.all(workers.map((w) => w.waitFor(/^ready$/)));
  writeFileSync(go, '');
  const ends = await Promise.all(workers.map((w) => w.exited));
  t.same(ends, [
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);
  const claimed = workers.map((w) => w.lines.filter((l) => l.startsWith('claimed ')).map((l) => l.slice(8)));
  const [a, b] = claimed as [string[], string[]];
  t.ok(a.length > 0 && b.length > 0, `both processes worked (${a.length} + ${b.length})`);
  t.same(
    a.filter((id) => b.includes(id)),
    [],
    'no job claimed by both',
  );
  t.equal(a.length + b.length, ids.size, 'no job claimed twice by one');
  t.same(new Set([...a, ...b]), ids, 'every job claimed');
  t.same(await state.queue.counts('work'), { pending: 0, claimed: 0, completed: 300, dead: 0, cancelled: 0 });
  await state.close();
});

t.test('a worker killed holding a lease: after the lease expires another process gets the job', async (t) => {
  const dir = tempDir(t);
  const state = openStateStore(dir);
  const { job } = await state.queue.enqueue('work', { importJob: 'abc' });
  const worker = startWorker('claim-and-hang', dir, '400');
  t.equal(await worker.waitFor(/^claimed /), `claimed ${job.id}`);
  worker.child.kill('SIGKILL');
  t.equal((await worker.exited).signal, 'SIGKILL');
  t.equal(
    await state.queue.claim('work', { workerId: 'survivor', leaseMs: 1000 }),
    undefined,
    'leased still',
  );
  await sleep(450);
  const claim = await state.queue.claim('work', { workerId: 'survivor', leaseMs: 1000 });
  t.match(claim?.job, { id: job.id, attempts: 2, workerId: 'survivor', lastError: /expired/ });
  t.equal((await state.queue.complete(job.id, claim!.leaseToken)).state, 'completed');
  await state.close();
});

t.test('a process killed while writing leaves records and queue consistent and usable', async (t) => {
  const dir = tempDir(t);
  const worker = startWorker('churn', dir);
  await worker.waitFor(/^ready$/);
  await sleep(400);
  worker.child.kill('SIGKILL');
  t.equal((await worker.exited).signal, 'SIGKILL');
  const state = openStateStore(dir);
  const listing = await state.records.deposits.list({ showAll: true, pageSize: 1000 });
  t.ok(listing.total > 0, `it wrote deposits before dying (${listing.total})`);
  t.equal(listing.deposits.length, Math.min(listing.total, 1000), 'the index and the records agree');
  t.equal(await state.records.activity.count(), listing.total, 'each deposit committed with its activity');
  const counts = await state.queue.counts('churn');
  const total = Object.values(counts).reduce((x, y) => x + y, 0);
  t.ok(total > 0);
  let listed = 0;
  for (let after: string | undefined; ; ) {
    const page = await state.queue.list('churn', { limit: 1000, ...(after !== undefined && { after }) });
    listed += page.length;
    if (page.length < 1000) break;
    after = page.at(-1)!.id;
  }
  t.equal(listed, total, 'every job is in exactly one state');
  t.ok((await state.queue.enqueue('churn', 'after the crash')).created, 'writable after the crash');
  await state.close();
});
