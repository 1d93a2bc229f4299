/**
 * The LMDB record engine (the embedded default; opened by lmdb-records.ts and state-store.ts,
 * kept apart so the public type declarations never name lmdb's own types): one named database
 * per collection in the state
 * environment (lmdb-env.ts), plus
 * - `deposit-index`: the deposit listing indexes (lmdb-deposit-index.ts);
 * - `links`: keys only, `['result', depositId, id]`, `['run', depositId, id]`,
 *   `['unfinished-result', id]`, `['unfinished-export', id]`, so "the jobs of a deposit" and "what
 *   a restarted runner must pick up" are key ranges, not scans;
 * - `activity`: activities by `seq` (1, 2, …), with the count and last endTime in `meta`;
 * - `deposit-text`: deposit id → its folded search text (search/text.ts), written with the
 *   deposit, so a deposit search scans short strings in id order instead of decoding deposits
 *   (filled for deposits written before it existed the first time the store opens).
 *
 * A commit is one synchronous LMDB write transaction (`transactionSync`): reads inside it see the
 * latest committed state of every process sharing the directory and the commit's own writes, and
 * a throw aborts it whole. Records are stored as lmdb's msgpack; reads outside a commit use
 * lmdb's current read snapshot (renewed every event-loop turn).
 */
import type { Database } from 'lmdb';
import { IoError, StrongroomError } from '../core/errors.js';
import { applyOps, type RecordTx } from './apply.js';
import type { DepositQuery } from './deposit-query.js';
import { listFromIndex, reindexDeposit } from './lmdb-deposit-index.js';
import type { StateEnvironment } from './lmdb-env.js';
import {
  type ActivityRecord,
  type AgentRecord,
  type ClientRecord,
  type DepositRecord,
  type ExportRecord,
  type ImportJobRecord,
  type ImportJobResultRecord,
  isFinishedImportJobStatus,
  type PipelineRunRecord,
} from './model.js';
import type { RecordEngine, RecordOp, RecordOpResult, RecordStore } from './port.js';
import { depositHaystack } from './search/text.js';
import { createRecordStore, type RecordStoreOptions } from './store.js';

type Key = Array<string | number>;
const AFTER_IDS = '~';

interface ActivityHead {
  count: number;
  lastEndTime: string | null;
}

/** Values of `db` for keys after `after`, in key order, at most `limit`. */
function page<T>(db: Database<T, string>, after: string | undefined, limit: number): T[] {
  const out: T[] = [];
  for (const { key, value } of db.getRange(after === undefined ? {} : { start: after })) {
    if (key === after) continue;
    out.push(value);
    if (out.length >= limit) break;
  }
  return out;
}

/** The last elements (ids) of the `links` keys starting with `prefix`, after `after`, at most `limit`. */
function linkedIds(links: Database, prefix: Key, after: string | undefined, limit: number): string[] {
  const start = after === undefined ? prefix : [...prefix, after];
  const out: string[] = [];
  for (const key of links.getKeys({ start, end: [...prefix, AFTER_IDS] }) as Iterable<Key>) {
    const id = String(key[key.length - 1]);
    if (id === after) continue;
    out.push(id);
    if (out.length >= limit) break;
  }
  return out;
}

class LmdbRecordEngine implements RecordEngine {
  private readonly deposits: Database<DepositRecord, string>;
  private readonly depositIndex: Database;
  private readonly depositText: Database<string, string>;
  private readonly jobs: Database<ImportJobRecord, string>;
  private readonly results: Database<ImportJobResultRecord, string>;
  private readonly exportRecords: Database<ExportRecord, string>;
  private readonly runs: Database<PipelineRunRecord, string>;
  private readonly links: Database;
  private readonly activity: Database<ActivityRecord, number>;
  private readonly meta: Database<unknown, string>;
  private readonly agents: Database<AgentRecord, string>;
  private readonly clients: Database<ClientRecord, string>;

  constructor(
    private readonly env: StateEnvironment,
    private readonly clock: () => number,
    private readonly matchCandidateLimit: number | undefined,
  ) {
    const root = env.root;
    // Shared msgpack structures (property names stored once per shape, not per record) make
    // decoding a deposit about 4× faster, which is what listings and their filters spend time on.
    const shared = { sharedStructuresKey: Symbol.for('structures') };
    this.deposits = root.openDB('deposits', shared);
    this.depositIndex = root.openDB('deposit-index', {});
    this.depositText = root.openDB('deposit-text', {});
    this.jobs = root.openDB('import-jobs', {});
    this.results = root.openDB('import-results', {});
    this.exportRecords = root.openDB('exports', {});
    this.runs = root.openDB('pipeline-runs', {});
    this.links = root.openDB('links', {});
    this.activity = root.openDB('activity', shared);
    this.meta = root.openDB('meta', {});
    this.agents = root.openDB('agents', {});
    this.clients = root.openDB('clients', {});
    this.fillDepositText();
  }

  /** Write the search text of every deposit once, for a store written before `deposit-text` existed. */
  private fillDepositText(): void {
    if (this.meta.get('deposit-text') === 1) return;
    this.env.root.transactionSync(() => {
      if (this.meta.get('deposit-text') === 1) return; // another process did it meanwhile
      for (const { key, value } of this.deposits.getRange({}))
        this.depositText.putSync(key, depositHaystack(value));
      this.meta.putSync('deposit-text', 1);
    });
  }

  async commit(ops: readonly RecordOp[]): Promise<RecordOpResult[]> {
    try {
      return this.env.root.transactionSync(() => applyOps(this.tx(), ops, this.clock()));
    } catch (err) {
      if (err instanceof StrongroomError) throw err;
      throw new IoError('the state store could not commit', { operation: 'commit', cause: err });
    }
  }

  private tx(): RecordTx {
    const { links } = this;
    const flag = (key: Key, on: boolean) => (on ? links.putSync(key, null) : links.removeSync(key));
    return {
      getDeposit: (id) => this.deposits.get(id),
      putDeposit: (next, prev) => {
        this.deposits.putSync(next.id, next);
        reindexDeposit(this.depositIndex, prev, next);
        const text = depositHaystack(next);
        if (!prev || depositHaystack(prev) !== text) this.depositText.putSync(next.id, text);
      },
      deleteDeposit: (prev) => {
        this.deposits.removeSync(prev.id);
        reindexDeposit(this.depositIndex, prev, undefined);
        this.depositText.removeSync(prev.id);
      },
      getImportJob: (id) => this.jobs.get(id),
      putImportJob: (record) => this.jobs.putSync(record.id, record),
      deleteImportJob: (record) => this.jobs.removeSync(record.id),
      getResult: (id) => this.results.get(id),
      putResult: (next) => {
        this.results.putSync(next.id, next);
        flag(['result', next.depositId, next.id], true);
        flag(['unfinished-result', next.id], !isFinishedImportJobStatus(next.status));
      },
      deleteResult: (prev) => {
        this.results.removeSync(prev.id);
        flag(['result', prev.depositId, prev.id], false);
        flag(['unfinished-result', prev.id], false);
      },
      resultIdsOfDeposit: (depositId) =>
        linkedIds(links, ['result', depositId], undefined, Number.MAX_SAFE_INTEGER),
      getExport: (id) => this.exportRecords.get(id),
      putExport: (next) => {
        this.exportRecords.putSync(next.id, next);
        flag(['unfinished-export', next.id], next.status === 'waiting' || next.status === 'running');
      },
      deleteExport: (prev) => {
        this.exportRecords.removeSync(prev.id);
        flag(['unfinished-export', prev.id], false);
      },
      getPipelineRun: (id) => this.runs.get(id),
      putPipelineRun: (next) => {
        this.runs.putSync(next.id, next);
        flag(['run', next.depositId, next.id], true);
      },
      deletePipelineRun: (prev) => {
        this.runs.removeSync(prev.id);
        flag(['run', prev.depositId, prev.id], false);
      },
      pipelineRunIdsOfDeposit: (depositId) =>
        linkedIds(links, ['run', depositId], undefined, Number.MAX_SAFE_INTEGER),
      activityHead: () => this.activityHead(),
      appendActivity: (record) => {
        this.activity.putSync(record.seq, record);
        this.meta.putSync('activity-head', { count: record.seq, lastEndTime: record.endTime });
      },
      getAgent: (id) => this.agents.get(id),
      putAgent: (record) => this.agents.putSync(record.id, record),
      getClient: (id) => this.clients.get(id),
      putClient: (record) => this.clients.putSync(record.clientId, record),
      deleteClient: (prev) => this.clients.removeSync(prev.clientId),
    };
  }

  private activityHead(): ActivityHead {
    return (this.meta.get('activity-head') as ActivityHead | undefined) ?? { count: 0, lastEndTime: null };
  }

  async getDeposit(id: string) {
    return this.deposits.get(id);
  }

  async listDeposits(query: DepositQuery) {
    return listFromIndex(this.depositIndex, this.deposits, query, this.matchCandidateLimit);
  }

  async searchDeposits(needle: string, page: number, pageSize: number) {
    const first = page * pageSize;
    const ids: string[] = [];
    let total = 0;
    for (const { key, value } of this.depositText.getRange({ reverse: true })) {
      if (!value.includes(needle)) continue;
      if (total >= first && ids.length < pageSize) ids.push(key);
      total++;
    }
    const deposits = ids
      .map((id) => this.deposits.get(id))
      .filter((d): d is DepositRecord => d !== undefined);
    return { deposits, total, page, pageSize };
  }

  async getImportJob(id: string) {
    return this.jobs.get(id);
  }

  async getImportJobResult(id: string) {
    return this.results.get(id);
  }

  private byLinks<T>(db: Database<T, string>, prefix: Key, after: string | undefined, limit: number): T[] {
    return linkedIds(this.links, prefix, after, limit)
      .map((id) => db.get(id))
      .filter((r): r is T => r !== undefined);
  }

  async listImportJobResults(depositId: string, after: string | undefined, limit: number) {
    return this.byLinks(this.results, ['result', depositId], after, limit);
  }

  async listUnfinishedImportJobResults(after: string | undefined, limit: number) {
    return this.byLinks(this.results, ['unfinished-result'], after, limit);
  }

  async getExport(id: string) {
    return this.exportRecords.get(id);
  }

  async listUnfinishedExports(after: string | undefined, limit: number) {
    return this.byLinks(this.exportRecords, ['unfinished-export'], after, limit);
  }

  async getPipelineRun(id: string) {
    return this.runs.get(id);
  }

  async listPipelineRuns(depositId: string, after: string | undefined, limit: number) {
    return this.byLinks(this.runs, ['run', depositId], after, limit);
  }

  async countActivity() {
    return this.activityHead().count;
  }

  async listActivity(fromSeq: number, limit: number) {
    return [...this.activity.getRange({ start: fromSeq, end: fromSeq + limit })].map((e) => e.value);
  }

  async getAgent(id: string) {
    return this.agents.get(id);
  }

  async listAgents(after: string | undefined, limit: number) {
    return page(this.agents, after, limit);
  }

  async getClient(clientId: string) {
    return this.clients.get(clientId);
  }

  async listClients(after: string | undefined, limit: number) {
    return page(this.clients, after, limit);
  }

  async close() {
    await this.env.release();
  }
}

/**
 * A record store in an already open environment. It takes its own share of `env` and releases
 * it when closed, so the environment closes when its last user does.
 */
export function recordsInEnvironment(
  env: StateEnvironment,
  options: RecordStoreOptions & { matchCandidateLimit?: number } = {},
): RecordStore {
  const clock = options.clock ?? Date.now;
  env.retain();
  return createRecordStore(new LmdbRecordEngine(env, clock, options.matchCandidateLimit), { clock });
}
