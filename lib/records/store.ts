/**
 * The {@link RecordStore} every engine gets: argument checks, the per-collection shorthands over
 * `commit`, locking with retries, and client secrets (hashed here, so an engine never sees one).
 * Reads of a malformed id answer undefined without reaching the engine: an id from a URL either
 * names a record or names nothing.
 */
import { ConflictError, InvalidInputError, LockedError, NotFoundError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { depositQuery } from './deposit-query.js';
import { AGENT_ID_PATTERN, CLIENT_ID_PATTERN, isRecordId } from './ids.js';
import type {
  ActivityRecord,
  AgentRecord,
  ClientRecord,
  DepositRecord,
  ExportRecord,
  ImportJobResultRecord,
  PipelineRunRecord,
} from './model.js';
import type { RecordEngine, RecordListOptions, RecordOp, RecordOpResult, RecordStore } from './port.js';
import { searchNeedle, searchPage } from './search/text.js';
import { dummySecretHash, hashClientSecret, verifyClientSecret } from './secrets.js';

/** Most operations in one commit. */
export const MAX_OPS_PER_COMMIT = 1000;
/** Default and largest `limit` of id-ordered listings. */
export const DEFAULT_LIST_LIMIT = 100;
/** Largest `limit` of id-ordered listings (and of results per deposit). */
export const MAX_LIST_LIMIT = 1000;

/** Options shared by the record stores (memory, LMDB). */
export interface RecordStoreOptions {
  /** Milliseconds since the epoch (default `Date.now`); the engine should use the same clock. */
  clock?: () => number;
}

function listArgs(options: RecordListOptions | undefined, idPattern: RegExp): [string | undefined, number] {
  const limit = options?.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
    throw new InvalidInputError(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  const after = options?.after;
  if (after !== undefined && (typeof after !== 'string' || !idPattern.test(after)))
    throw new InvalidInputError(
      `after ${typeof after === 'string' ? quoteForMessage(after, 60) : typeof after} is not an id`,
    );
  return [after, limit];
}

const RECORD_ID = /^[0-9a-z]{6,32}$/;
const LOCK_RETRIES = 8;

/** A {@link RecordStore} over `engine`. */
export function createRecordStore(engine: RecordEngine, options: RecordStoreOptions = {}): RecordStore {
  const clock = options.clock ?? Date.now;
  let closed = false;

  async function commit(ops: readonly RecordOp[]): Promise<RecordOpResult[]> {
    if (closed) throw new ConflictError('the record store is closed');
    if (!Array.isArray(ops)) throw new InvalidInputError('a commit takes a list of operations');
    if (ops.length > MAX_OPS_PER_COMMIT)
      throw new InvalidInputError(`a commit takes at most ${MAX_OPS_PER_COMMIT} operations`);
    for (const op of ops)
      if (typeof op !== 'object' || op === null || typeof op.op !== 'string')
        throw new InvalidInputError('each operation must be an object with an `op`');
    return engine.commit(ops);
  }
  async function one<T>(op: RecordOp): Promise<T> {
    return (await commit([op]))[0] as T;
  }

  async function setLock(id: string, lockedBy: string | null, force: boolean): Promise<DepositRecord> {
    for (let attempt = 0; ; attempt++) {
      const current = isRecordId(id) ? await engine.getDeposit(id) : undefined;
      if (!current)
        throw new NotFoundError(`deposit ${quoteForMessage(String(id), 80)} not found`, { key: String(id) });
      if (lockedBy === null && current.lockedBy === null) return current;
      if (lockedBy !== null && current.lockedBy !== null && current.lockedBy !== lockedBy && !force)
        throw new LockedError(`deposit ${id} is locked by ${quoteForMessage(current.lockedBy, 80)}`, {
          key: id,
        });
      const lockDate = lockedBy === null ? null : new Date(clock()).toISOString();
      try {
        return await one<DepositRecord>({
          op: 'updateDeposit',
          id,
          patch: { lockedBy, lockDate },
          ifRevision: current.revision,
        });
      } catch (err) {
        // Someone changed the deposit between our read and write: look again.
        if (!(err instanceof ConflictError) || attempt >= LOCK_RETRIES) throw err;
      }
    }
  }

  const store: RecordStore = {
    commit,
    async close() {
      if (closed) return;
      closed = true;
      await engine.close();
    },
    deposits: {
      get: async (id) => (isRecordId(id) ? engine.getDeposit(id) : undefined),
      list: async (query) => engine.listDeposits(depositQuery(query)),
      create: (deposit) => one({ op: 'createDeposit', deposit }),
      update: (id, patch, opts = {}) => one({ ...opts, op: 'updateDeposit', id, patch }),
      delete: async (id, opts = {}) => {
        await commit([{ ...opts, op: 'deleteDeposit', id }]);
      },
      lock: async (id, agent, opts = {}) => {
        if (typeof agent !== 'string' || !AGENT_ID_PATTERN.test(agent))
          throw new InvalidInputError('a lock needs the agent id of its holder');
        return setLock(id, agent, opts.force === true);
      },
      unlock: (id) => setLock(id, null, false),
      search: async (text, opts = {}) => {
        const { page, pageSize } = searchPage(opts);
        return engine.searchDeposits(searchNeedle(text), page, pageSize);
      },
    },
    importJobs: {
      create: (job, opts = {}) => one({ ...opts, op: 'createImportJob', job }),
      getJob: async (id) => (isRecordId(id) ? engine.getImportJob(id) : undefined),
      getResult: async (id) => (isRecordId(id) ? engine.getImportJobResult(id) : undefined),
      listResults: async (depositId, opts) => {
        const [after, limit] = listArgs({ limit: MAX_LIST_LIMIT, ...opts }, RECORD_ID);
        return isRecordId(depositId) ? engine.listImportJobResults(depositId, after, limit) : [];
      },
      listUnfinished: async (opts) => engine.listUnfinishedImportJobResults(...listArgs(opts, RECORD_ID)),
      updateResult: (id, patch, opts = {}) =>
        one<ImportJobResultRecord>({ ...opts, op: 'updateImportJobResult', id, patch }),
    },
    exports: {
      get: async (id) => (isRecordId(id) ? engine.getExport(id) : undefined),
      create: (record) => one<ExportRecord>({ op: 'createExport', export: record }),
      update: (id, patch, opts = {}) => one<ExportRecord>({ ...opts, op: 'updateExport', id, patch }),
      listUnfinished: async (opts) => engine.listUnfinishedExports(...listArgs(opts, RECORD_ID)),
    },
    pipelineRuns: {
      get: async (id) => (isRecordId(id) ? engine.getPipelineRun(id) : undefined),
      list: async (depositId, opts) => {
        const [after, limit] = listArgs({ limit: MAX_LIST_LIMIT, ...opts }, RECORD_ID);
        return isRecordId(depositId) ? engine.listPipelineRuns(depositId, after, limit) : [];
      },
      create: (run) => one<PipelineRunRecord>({ op: 'createPipelineRun', run }),
      update: (id, patch, opts = {}) =>
        one<PipelineRunRecord>({ ...opts, op: 'updatePipelineRun', id, patch }),
    },
    activity: {
      count: () => engine.countActivity(),
      list: async (fromSeq, limit) => {
        if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) throw new InvalidInputError('fromSeq must be ≥ 1');
        if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
          throw new InvalidInputError(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
        return engine.listActivity(fromSeq, limit);
      },
      append: (activity) => one<ActivityRecord>({ op: 'appendActivity', activity }),
    },
    agents: {
      get: async (id) => (AGENT_ID_PATTERN.test(String(id)) ? engine.getAgent(id) : undefined),
      list: async (opts) => engine.listAgents(...listArgs(opts, AGENT_ID_PATTERN)),
      put: (agent) => one<AgentRecord>({ op: 'putAgent', agent }),
    },
    clients: {
      get: async (clientId) =>
        CLIENT_ID_PATTERN.test(String(clientId)) ? engine.getClient(clientId) : undefined,
      list: async (opts) => engine.listClients(...listArgs(opts, CLIENT_ID_PATTERN)),
      create: async ({ clientId, secret, roles, agent }) => {
        const secretHash = await hashClientSecret(secret);
        return one<ClientRecord>({
          op: 'createClient',
          client: { clientId, secretHash, roles, agent: agent ?? clientId },
        });
      },
      verify: async (clientId, secret) => {
        const client = CLIENT_ID_PATTERN.test(String(clientId))
          ? await engine.getClient(clientId)
          : undefined;
        const ok = await verifyClientSecret(secret, client?.secretHash ?? (await dummySecretHash()));
        return client && ok && !client.disabled ? client : undefined;
      },
      update: async (clientId, patch, opts = {}) => {
        const { secret, ...rest } = patch;
        const change = secret === undefined ? rest : { ...rest, secretHash: await hashClientSecret(secret) };
        return one<ClientRecord>({ ...opts, op: 'updateClient', clientId, patch: change });
      },
      delete: async (clientId) => {
        await commit([{ op: 'deleteClient', clientId }]);
      },
    },
  };
  return store;
}
