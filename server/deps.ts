/**
 * Building the app's dependencies from the configuration: the repository (created with Fedora's
 * layout when it does not exist), its reader and browser, the token service (a generated HMAC
 * key kept in the data folder unless configured) and the admin client (configured, or generated
 * once into `<data>/admin-client.json` so a fresh clone can get a token at once).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import {
  type fedora,
  NotFoundError,
  openRepository,
  openRepositoryWriter,
  RepositoryBrowser,
} from '../lib/index.js';
import type { AppDeps } from './app.js';
import { MemoryClients } from './auth/clients.js';
import { TokenService } from './auth/tokens.js';
import type { ServerConfig } from './config/server-config.js';
import { urlsFor } from './json/repository.js';
import type { ServerServices } from './services.js';

/** The admin client the server was started with, and whether it was generated now. */
export interface AdminClient {
  clientId: string;
  clientSecret: string;
  generated: boolean;
}

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

/** Build everything `createApp` needs. */
export async function buildDeps(
  config: ServerConfig,
  logger: Logger,
): Promise<AppDeps & { admin: AdminClient }> {
  mkdirSync(config.dataDir, { recursive: true });
  const store = { s3: config.s3 };
  const writer = await openRepositoryWriter(config.repository, {
    create: true,
    store,
    sourceStore: store,
    digestAlgorithm: config.digestAlgorithm,
  });
  const repository = await openRepository(writer.store);
  const urls = urlsFor(config.baseUrl);
  const services: ServerServices = {
    urls,
    repository,
    browser: new RepositoryBrowser(repository),
    writer,
    metsOf: (objectId, resources) => metsOf(repository, objectId, resources),
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
  const clients = new MemoryClients();
  const admin = adminClient(config);
  await clients.add(
    admin.clientId,
    admin.clientSecret,
    ['admin'],
    `${config.baseUrl}/agents/${encodeURIComponent(admin.clientId)}`,
  );
  return { services, tokens, clients, logger, admin };
}

async function metsOf(
  repository: Awaited<ReturnType<typeof openRepository>>,
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
