/**
 * Records benchmark: `GET /deposits` queries over many deposits in the LMDB store (indexes)
 * against the baseline of the memory store, which filters and sorts every deposit per query (what
 * a store without indexes does), both holding the same deposits in the same run; plus the LMDB
 * queue's enqueue → claim → complete cycle per job (three durable commits).
 *
 *   node dist/bench/records/records-bench.js [--quick] [--deposits=N] [--runs=N]
 *
 * --quick: 20,000 deposits, 3 runs. Default: 100,000 deposits, 5 runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DepositQueryInput } from '../../lib/records/deposit-query.js';
import { newRecordId } from '../../lib/records/ids.js';
import { openMemoryRecords } from '../../lib/records/memory-records.js';
import type { RecordOp, RecordStore } from '../../lib/records/port.js';
import { openStateStore } from '../../lib/records/state-store.js';

function numberFlag(argv: string[], name: string, fallback: number): number {
  const flag = argv.find((a) => a.startsWith(`--${name}=`));
  return flag ? Number(flag.slice(name.length + 3)) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Deterministic deposits: 50 agents, 5,000 groups, a third active, half preserved. */
function depositOps(count: number): RecordOp[][] {
  const batches: RecordOp[][] = [];
  const start = Date.parse('2020-01-01T00:00:00.000Z');
  for (let i = 0; i < count; i += 500) {
    const batch: RecordOp[] = [];
    for (let j = i; j < Math.min(count, i + 500); j++) {
      const at = start + j * 60_000;
      const id = newRecordId(at);
      const preserved = j % 2 === 0;
      batch.push({
        op: 'createDeposit',
        deposit: {
          id,
          files: `file:///data/deposits/${id}/`,
          createdBy: `agent${j % 50}`,
          archivalGroupPath: `library/group-${j % 5000}`,
          exported: j % 7 === 0 ? new Date(at).toISOString() : null,
          exportedBy: j % 7 === 0 ? `agent${j % 13}` : null,
        },
      });
      if (preserved || j % 3 !== 0)
        batch.push({
          op: 'updateDeposit',
          id,
          patch: {
            active: j % 3 === 0,
            ...(preserved && {
              status: 'preserved',
              preserved: new Date(at + 1000).toISOString(),
              preservedBy: `agent${j % 11}`,
              versionPreserved: 'v1',
            }),
          },
        });
    }
    batches.push(batch);
  }
  return batches;
}

const QUERIES: Array<[string, DepositQueryInput]> = [
  ['default (active, newest first, page 1)', {}],
  ['default, page 100', { page: 100 }],
  ['all, by group path ascending', { showAll: true, orderBy: 'archivalGroupPath', ascending: true }],
  ['all, createdBy one of 50 agents', { showAll: true, match: { createdBy: 'agent7' } }],
  ['all, one group path', { showAll: true, match: { archivalGroupPath: 'library/group-42' } }],
  ['all, status preserved, preserved in a 10% window', { showAll: true, match: { status: 'preserved' } }],
  ['all, created in a 3.5% window, by created', { showAll: true, dates: {} }],
  [
    'all, created in a 3.5% window, by group path',
    { showAll: true, orderBy: 'archivalGroupPath', dates: {} },
  ],
];

async function time(store: RecordStore, query: DepositQueryInput, runs: number): Promise<number> {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await store.deposits.list(query);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const count = numberFlag(argv, 'deposits', quick ? 20_000 : 100_000);
  const runs = numberFlag(argv, 'runs', quick ? 3 : 5);
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-records-bench-'));
  // `created` comes from the store's clock: move it along with the batches (each is one commit).
  const start = Date.parse('2020-01-01T00:00:00.000Z');
  let now = start;
  const clock = () => now;
  const state = openStateStore(dir, { clock });
  const memory = openMemoryRecords({ clock });
  try {
    const batches = depositOps(count);
    let t0 = performance.now();
    for (const [i, batch] of batches.entries()) {
      now = start + i * 500 * 60_000;
      await state.records.commit(batch);
    }
    const loadMs = performance.now() - t0;
    for (const [i, batch] of batches.entries()) {
      now = start + i * 500 * 60_000;
      await memory.commit(batch);
    }
    now = Date.now();
    console.log(
      `records: ${count} deposits loaded into LMDB in ${(loadMs / 1000).toFixed(1)} s (batches of 500)`,
    );
    const span = count * 60_000;
    QUERIES[5]![1].dates = { preserved: { after: start + span * 0.45, before: start + span * 0.55 } };
    QUERIES[6]![1].dates = { created: { after: start + span * 0.495, before: start + span * 0.53 } };
    QUERIES[7]![1].dates = QUERIES[6]![1].dates;
    console.log('| query | total | LMDB (ms) | memory scan (ms) | LMDB ÷ scan |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [name, query] of QUERIES) {
      const total = (await state.records.deposits.list(query)).total;
      const lmdb = await time(state.records, query, runs);
      const scan = await time(memory, query, runs);
      console.log(
        `| ${name} | ${total} | ${lmdb.toFixed(1)} | ${scan.toFixed(1)} | ${(lmdb / scan).toFixed(2)} |`,
      );
    }
    const jobs = quick ? 200 : 1000;
    t0 = performance.now();
    for (let i = 0; i < jobs; i++) await state.queue.enqueue('bench', { i });
    const enqueueMs = performance.now() - t0;
    t0 = performance.now();
    for (;;) {
      const claim = await state.queue.claim('bench', { workerId: 'bench', leaseMs: 60_000 });
      if (!claim) break;
      await state.queue.complete(claim.job.id, claim.leaseToken);
    }
    const cycleMs = performance.now() - t0;
    console.log(
      `queue: ${jobs} jobs, enqueue ${(enqueueMs / jobs).toFixed(2)} ms/job, claim + complete ${(cycleMs / jobs).toFixed(2)} ms/job (durable commits)`,
    );
  } finally {
    await state.close();
    await memory.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
