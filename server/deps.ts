/**
 * Building the app's dependencies from the configuration: the repository (created with Fedora's
 * layout when it does not exist), its reader and browser, the durable state (LMDB records and
 * job queue), the deposit service and the job runner, the token service (a generated HMAC key
 * kept in the data folder unless configured) and the admin client (configured, or generated once
 * into `<data>/admin-client.json` so a fresh clone can get a token at once).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import {
  ActivityFeed,
  type DepositRecord,
  DepositService,
  DepositWorkspace,
  type fedora,
  HttpTemplateResolver,
  hasCode,
  type IdentityResolver,
  JobRunner,
  LmdbCache,
  listAgentIds,
  MappingFileResolver,
  NotFoundError,
  openRepository,
  openRepositoryWriter,
  openStateStore,
  openStore,
  PipelineRunner,
  PipelineService,
  pipelineTools,
  type Repository,
  RepositoryBrowser,
  SearchIndexer,
  SearchService,
  type StateStore,
} from '../lib/index.js';
import type { AppDeps } from './app.js';
import { RecordClients } from './auth/clients.js';
import { TokenService } from './auth/tokens.js';
import type { ServerConfig } from './config/server-config.js';
import { apiUrls } from './json/deposits.js';
import { urlsFor } from './json/repository.js';
import type { ServerServices } from './services.js';

/** The admin client the server was started with, and whether it was generated now. */
export interface AdminClient {
  clientId: string;
  clientSecret: string;
  generated: boolean;
}

/** Everything built at start-up, with what must be closed at the end. */
export type ServerDeps = AppDeps & {
  admin: AdminClient;
  runner: JobRunner;
  /** Runs queued deposit pipelines (main.ts reconciles and starts it like `runner`). */
  pipelineRunner: PipelineRunner;
  /** Keeps the search index in step with the activity log (main.ts starts it). */
  indexer: SearchIndexer;
  state: StateStore;
  close(): Promise<void>;
};

function secretFile(path: string, make: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

function adminClient(config: ServerConfig): AdminClient {
  if (config.admin) return { ...config.admin, generated: false };
  const file = join(config.dataDir, 'admin-client.json');
  if (existsSync(file)) return { ...JSON.parse(readFileSync(file, 'utf8')), generated: false };
  const client = { clientId: 'admin', clientSecret: randomBytes(24).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(client, null, 2)}\n`, { mode: 0o600 });
  return { ...client, generated: true };
}

/** Build everything `createApp` needs (and the runner, which main.ts starts). */
export async function buildDeps(config: ServerConfig, logger: Logger): Promise<ServerDeps> {
  mkdirSync(config.dataDir, { recursive: true });
  // First: a bad identity mapping stops the start before anything is opened.
  const identity = await identityResolver(config);
  const store = { s3: config.s3 };
  const writer = await openRepositoryWriter(config.repository, {
    create: true,
    store,
    sourceStore: store,
    digestAlgorithm: config.digestAlgorithm,
  });
  // Parsed inventories and Fedora headers survive a restart (content-addressed keys).
  const cache = config.cacheDir === null ? undefined : LmdbCache.open({ path: config.cacheDir });
  const repository = await openRepository(writer.store, cache ? { cache } : {});
  const urls = apiUrls(urlsFor(config.baseUrl));
  const state = await openStateStore(config.stateDir);
  const deposits = new DepositService({
    records: state.records,
    queue: state.queue,
    writer,
    repository,
    depositsRoot: config.deposits,
    repositoryBase: urls.repositoryBase,
    store,
  });
  const browser = new RepositoryBrowser(repository);
  const runner = new JobRunner({
    records: state.records,
    queue: state.queue,
    writer,
    repository,
    deposits,
    repositoryBase: urls.repositoryBase,
    agentUri: (id) => urls.agent(id),
    store,
    leaseMs: config.jobLeaseMs,
    log: (level, fields, message) => logger[level](fields, message),
    // The browser lists a container's children from an index of this process's writes.
    onImported: (path, name) => {
      browser.noteWrite(path, 'ArchivalGroup', name).catch(() => browser.refresh());
    },
  });
  const pipelineRunner = new PipelineRunner({
    records: state.records,
    queue: state.queue,
    tools: pipelineTools(config.pipeline.tools),
    limits: config.pipeline.limits,
    store,
    log: (level, fields, message) => logger[level](fields, message),
  });
  const indexer = new SearchIndexer({
    records: state.records,
    index: state.search,
    repository,
    log: (level, fields, message) => logger[level](fields, message),
  });
  const services: ServerServices = {
    urls,
    repository,
    browser,
    writer,
    metsOf: (objectId, resources) => metsOf(repository, objectId, resources),
    deposits,
    workspace: new DepositWorkspace({ records: state.records, store }),
    depositMets: (deposit) => depositMets(deposit, store),
    poke: () => {
      runner.poke();
      pipelineRunner.poke();
    },
    pipelines: new PipelineService({ records: state.records, queue: state.queue }),
    activity: new ActivityFeed(state.records),
    agents: () => listAgentIds(state.records),
    search: new SearchService(state.records, state.search, indexer),
    ...(identity && { identity }),
  };
  const secret =
    config.tokenSecret ??
    secretFile(join(config.dataDir, 'token-secret'), () => randomBytes(32).toString('base64url'));
  const tokens = new TokenService({
    secret: new TextEncoder().encode(secret),
    issuer: config.baseUrl,
    ttlSeconds: config.tokenTtlSeconds,
    ...(config.external && { external: { ...config.external, agentBase: `${config.baseUrl}/agents/` } }),
  });
  const clients = new RecordClients(state.records, (id) => urls.agent(id));
  const admin = adminClient(config);
  await clients.ensure(admin.clientId, admin.clientSecret, ['admin']);
  return {
    services,
    tokens,
    clients,
    logger,
    admin,
    runner,
    pipelineRunner,
    indexer,
    state,
    close: async () => {
      await Promise.all([runner.stop(), pipelineRunner.stop(), indexer.stop()]);
      await state.close();
      await cache?.close();
    },
  };
}

/** The configured identity resolver, if any (a mapping file is read now, so a bad one stops the start). */
async function identityResolver(config: ServerConfig): Promise<IdentityResolver | undefined> {
  if (!config.identity) return undefined;
  if ('mapFile' in config.identity) return MappingFileResolver.load(config.identity.mapFile);
  return new HttpTemplateResolver(config.identity.urlTemplate);
}

async function metsOf(
  repository: Repository,
  objectId: string,
  resources: fedora.ObjectResources,
): Promise<Readable> {
  const root = resources.root as fedora.ContainerResource;
  const mets =
    root.binaries.find((b) => b.name.toLowerCase() === 'mets.xml') ??
    root.binaries.find((b) => /mets.*\.xml$/i.test(b.name));
  if (!mets?.logicalPath) throw new NotFoundError(`${objectId} has no METS file`);
  const file = await repository.readFile(objectId, mets.logicalPath, {
    version: resources.version.ocflVersion,
  });
  return file.stream;
}

/** The deposit's METS: `mets.xml` first, then `*mets*.xml`, at the root, then in `data/`. */
async function depositMets(deposit: DepositRecord, options: { s3: ServerConfig['s3'] }) {
  const area = await openStore(deposit.files.replace(/\/+$/, ''), options);
  for (const dir of ['', 'data']) {
    const names: string[] = [];
    try {
      for await (const e of area.list(dir, { delimiter: true })) if (e.kind === 'file') names.push(e.key);
    } catch (err) {
      if (hasCode(err, 'NOT_FOUND')) continue;
      throw err;
    }
    const base = (k: string) => k.slice(k.lastIndexOf('/') + 1).toLowerCase();
    const key =
      names.find((k) => base(k) === 'mets.xml') ?? names.sort().find((k) => /mets.*\.xml$/.test(base(k)));
    if (key) {
      const st = await area.stat(key);
      return { stream: await area.read(key), ...(st.etag !== undefined && { etag: st.etag }) };
    }
  }
  return undefined;
}
