/**
 * Records in memory, for tests and for embedding without a data directory. The reference
 * behaviour: listings are plain filters and sorts with the comparators of deposit-query.ts, which
 * the LMDB engine's indexes are tested against. A commit applies its ops directly and undoes
 * them in reverse if one fails. Records are copied in and out, so callers never share state
 * with the store.
 */
import { applyOps, type RecordTx } from './apply.js';
import {
  compareCodePoints,
  compareDeposits,
  type DepositQuery,
  matchesDepositQuery,
} from './deposit-query.js';
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

function byId<T>(
  map: Map<string, T>,
  keep: (v: T) => boolean,
  after: string | undefined,
  limit: number,
): T[] {
  return [...map.entries()]
    .filter(([id, v]) => (after === undefined || compareCodePoints(id, after) > 0) && keep(v))
    .sort(([a], [b]) => compareCodePoints(a, b))
    .slice(0, limit)
    .map(([, v]) => structuredClone(v));
}

class MemoryRecordEngine implements RecordEngine {
  private readonly deposits = new Map<string, DepositRecord>();
  private readonly jobs = new Map<string, ImportJobRecord>();
  private readonly results = new Map<string, ImportJobResultRecord>();
  private readonly exportRecords = new Map<string, ExportRecord>();
  private readonly runs = new Map<string, PipelineRunRecord>();
  private readonly activity: ActivityRecord[] = [];
  private readonly agents = new Map<string, AgentRecord>();
  private readonly clients = new Map<string, ClientRecord>();

  constructor(private readonly clock: () => number) {}

  async commit(ops: readonly RecordOp[]): Promise<RecordOpResult[]> {
    const undo: Array<() => void> = [];
    try {
      return structuredClone(applyOps(this.tx(undo), ops, this.clock()));
    } catch (err) {
      for (const step of undo.reverse()) step();
      throw err;
    }
  }

  private tx(undo: Array<() => void>): RecordTx {
    const set = <T>(map: Map<string, T>, key: string, value: T | undefined) => {
      const had = map.has(key);
      const old = map.get(key);
      undo.push(() => (had ? map.set(key, old as T) : map.delete(key)));
      if (value === undefined) map.delete(key);
      else map.set(key, value);
    };
    const idsOf = <T extends { id: string; depositId: string }>(map: Map<string, T>, depositId: string) =>
      [...map.values()].filter((r) => r.depositId === depositId).map((r) => r.id);
    return {
      getDeposit: (id) => this.deposits.get(id),
      putDeposit: (next) => set(this.deposits, next.id, next),
      deleteDeposit: (prev) => set(this.deposits, prev.id, undefined),
      getImportJob: (id) => this.jobs.get(id),
      putImportJob: (record) => set(this.jobs, record.id, record),
      deleteImportJob: (record) => set(this.jobs, record.id, undefined),
      getResult: (id) => this.results.get(id),
      putResult: (next) => set(this.results, next.id, next),
      deleteResult: (prev) => set(this.results, prev.id, undefined),
      resultIdsOfDeposit: (depositId) => idsOf(this.results, depositId),
      getExport: (id) => this.exportRecords.get(id),
      putExport: (next) => set(this.exportRecords, next.id, next),
      deleteExport: (prev) => set(this.exportRecords, prev.id, undefined),
      getPipelineRun: (id) => this.runs.get(id),
      putPipelineRun: (next) => set(this.runs, next.id, next),
      deletePipelineRun: (prev) => set(this.runs, prev.id, undefined),
      pipelineRunIdsOfDeposit: (depositId) => idsOf(this.runs, depositId),
      activityHead: () => ({
        count: this.activity.length,
        lastEndTime: this.activity.at(-1)?.endTime ?? null,
      }),
      appendActivity: (record) => {
        this.activity.push(record);
        undo.push(() => this.activity.pop());
      },
      getAgent: (id) => this.agents.get(id),
      putAgent: (record) => set(this.agents, record.id, record),
      getClient: (id) => this.clients.get(id),
      putClient: (record) => set(this.clients, record.clientId, record),
      deleteClient: (prev) => set(this.clients, prev.clientId, undefined),
    };
  }

  async getDeposit(id: string) {
    return structuredClone(this.deposits.get(id));
  }

  async listDeposits(query: DepositQuery) {
    const matching = [...this.deposits.values()].filter((d) => matchesDepositQuery(d, query));
    matching.sort(compareDeposits(query));
    const start = (query.page - 1) * query.pageSize;
    const deposits = structuredClone(matching.slice(start, start + query.pageSize));
    return { deposits, total: matching.length, page: query.page, pageSize: query.pageSize };
  }

  async searchDeposits(needle: string, page: number, pageSize: number) {
    const matching = [...this.deposits.values()]
      .filter((d) => depositHaystack(d).includes(needle))
      .sort((a, b) => compareCodePoints(b.id, a.id));
    const deposits = structuredClone(matching.slice(page * pageSize, (page + 1) * pageSize));
    return { deposits, total: matching.length, page, pageSize };
  }

  async getImportJob(id: string) {
    return structuredClone(this.jobs.get(id));
  }

  async getImportJobResult(id: string) {
    return structuredClone(this.results.get(id));
  }

  async listImportJobResults(depositId: string, after: string | undefined, limit: number) {
    return byId(this.results, (r) => r.depositId === depositId, after, limit);
  }

  async listUnfinishedImportJobResults(after: string | undefined, limit: number) {
    return byId(this.results, (r) => !isFinishedImportJobStatus(r.status), after, limit);
  }

  async getExport(id: string) {
    return structuredClone(this.exportRecords.get(id));
  }

  async listUnfinishedExports(after: string | undefined, limit: number) {
    return byId(this.exportRecords, (r) => r.status === 'waiting' || r.status === 'running', after, limit);
  }

  async getPipelineRun(id: string) {
    return structuredClone(this.runs.get(id));
  }

  async listPipelineRuns(depositId: string, after: string | undefined, limit: number) {
    return byId(this.runs, (r) => r.depositId === depositId, after, limit);
  }

  async countActivity() {
    return this.activity.length;
  }

  async listActivity(fromSeq: number, limit: number) {
    return structuredClone(this.activity.slice(fromSeq - 1, fromSeq - 1 + limit));
  }

  async getAgent(id: string) {
    return structuredClone(this.agents.get(id));
  }

  async listAgents(after: string | undefined, limit: number) {
    return byId(this.agents, () => true, after, limit);
  }

  async getClient(clientId: string) {
    return structuredClone(this.clients.get(clientId));
  }

  async listClients(after: string | undefined, limit: number) {
    return byId(this.clients, () => true, after, limit);
  }

  async close() {}
}

/** A record store in memory (nothing survives the process). `clock` defaults to `Date.now`. */
export function openMemoryRecords(options: RecordStoreOptions = {}): RecordStore {
  const clock = options.clock ?? Date.now;
  return createRecordStore(new MemoryRecordEngine(clock), { clock });
}
