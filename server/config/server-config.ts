/**
 * The server's configuration, read from the environment (only server/ reads it). Every setting
 * has an embedded default, so `npm start` on a fresh clone serves the API with no external
 * service: the OCFL storage root, deposit working areas and state under `./data`.
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | `PORT` | 8080 | TCP port (0: any free port) |
 * | `HOST` | 127.0.0.1 | address to listen on |
 * | `STRONGROOM_DATA` | `./data` | the data folder |
 * | `STRONGROOM_BASE_URL` | `http://HOST:PORT` | public base URL; every `id` is under it |
 * | `STRONGROOM_REPOSITORY` | `file://<data>/repository` | OCFL storage root (created if missing) |
 * | `STRONGROOM_DEPOSITS` | `file://<data>/deposits` | deposit working areas (`s3://bucket/prefix` for S3) |
 * | `STRONGROOM_STATE` | `<data>/state` | LMDB directory of records and the job queue |
 * | `STRONGROOM_ADMIN_CLIENT_ID` / `_SECRET` | generated into `<data>/admin-client.json` | an admin API client |
 * | `STRONGROOM_TOKEN_SECRET` | generated into `<data>/token-secret` | HMAC key of issued access tokens |
 * | `STRONGROOM_TOKEN_TTL` | 3600 | lifetime of issued access tokens, seconds |
 * | `STRONGROOM_JWKS_URL`, `STRONGROOM_JWT_AUDIENCE`, `STRONGROOM_JWT_ISSUER` | — | also accept tokens of an external identity provider |
 * | `STRONGROOM_DIGEST_ALGORITHM` | sha512 | inventory digest of new objects (sha512 or sha256) |
 * | `STRONGROOM_JOB_LEASE` | 60 | seconds a job runner's claim on a job lasts unless renewed: how soon a job of a killed process runs again |
 * | `S3_ENDPOINT`, `S3_ACCESS_KEY`, `S3_SECRET_KEY`, `S3_REGION`, `S3_FORCE_PATH_STYLE` | — | S3 connection for `s3://` locations |
 * | `STRONGROOM_IDENTITY_MAP` | — | a JSON file mapping `schema` → `value` → `{ archivalGroup, archivalGroupName }` for `POST /deposits/from-identifier` |
 * | `STRONGROOM_IDENTITY_URL` | — | instead, a catalogue service: a URL template with `{schema}` and `{value}` answering that object (404: unknown) |
 * | `LOG_LEVEL` | info | pino level |
 * | `STRONGROOM_PIPELINE_TOOLS`, `STRONGROOM_SF`, `STRONGROOM_SF_HOME`, `STRONGROOM_SF_SIG`, `STRONGROOM_CLAMSCAN`, `STRONGROOM_CLAMAV_DB`, `STRONGROOM_EXIFTOOL`, `STRONGROOM_PIPELINE_TIMEOUT`, `STRONGROOM_PIPELINE_BATCH_FILES`, `STRONGROOM_PIPELINE_BATCH_MB`, `STRONGROOM_PIPELINE_STAGING` | see pipeline-env.ts | the deposit pipeline's tools and limits |
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidInputError } from '../../lib/errors.js';
import type { S3Connection } from '../../lib/index.js';
import { type PipelineConfig, pipelineConfigFromEnv } from './pipeline-env.js';
import { type Environment, s3ConfigFromEnv } from './s3-env.js';

/** Everything the server is configured with. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Public base URL without a trailing slash. */
  baseUrl: string;
  repository: string;
  deposits: string;
  stateDir: string;
  /**
   * LMDB cache of parsed inventories and Fedora headers (content-addressed, so never stale), so
   * a restarted server's first request does not re-read every header; null: no cache.
   */
  cacheDir: string | null;
  s3: S3Connection;
  admin?: { clientId: string; clientSecret: string };
  tokenSecret?: string;
  tokenTtlSeconds: number;
  external?: { jwksUrl: string; audience?: string; issuer?: string };
  digestAlgorithm: 'sha512' | 'sha256';
  /** Lease of a runner's claim on a job, renewed while it runs (ms). */
  jobLeaseMs: number;
  logLevel: string;
  /** The deposit pipeline's tools and limits (pipeline-env.ts). */
  pipeline: PipelineConfig;
  /** The identity resolver of `POST /deposits/from-identifier`; none: that endpoint answers 501. */
  identity?: { mapFile: string } | { urlTemplate: string };
}

/** `STRONGROOM_CACHE`: a folder (default `<data>/cache`), or `none` for no cache. */
function cacheDirFrom(env: Environment, cwd: string, dataDir: string): string | null {
  const value = set(env, 'STRONGROOM_CACHE');
  if (value === 'none') return null;
  return resolve(cwd, value ?? resolve(dataDir, 'cache'));
}

function int(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidInputError(
      `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

function set(env: Environment, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Read the configuration from `env` (default process.env). Throws InvalidInputError naming a bad value. */
export function configFromEnv(env: Environment = process.env, cwd = process.cwd()): ServerConfig {
  const port = int(env, 'PORT', 8080, 0, 65535);
  const host = set(env, 'HOST') ?? '127.0.0.1';
  const dataDir = resolve(cwd, set(env, 'STRONGROOM_DATA') ?? 'data');
  const baseUrl = (set(env, 'STRONGROOM_BASE_URL') ?? `http://${host}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+(\/.*)?$/.test(baseUrl)) {
    throw new InvalidInputError(`STRONGROOM_BASE_URL must be an http(s) URL, not ${JSON.stringify(baseUrl)}`);
  }
  const digest = set(env, 'STRONGROOM_DIGEST_ALGORITHM') ?? 'sha512';
  if (digest !== 'sha512' && digest !== 'sha256') {
    throw new InvalidInputError(
      `STRONGROOM_DIGEST_ALGORITHM must be sha512 or sha256, not ${JSON.stringify(digest)}`,
    );
  }
  const config: ServerConfig = {
    port,
    host,
    dataDir,
    baseUrl,
    repository: set(env, 'STRONGROOM_REPOSITORY') ?? pathToFileURL(resolve(dataDir, 'repository')).href,
    deposits: (set(env, 'STRONGROOM_DEPOSITS') ?? pathToFileURL(resolve(dataDir, 'deposits')).href).replace(
      /\/+$/,
      '',
    ),
    stateDir: resolve(cwd, set(env, 'STRONGROOM_STATE') ?? resolve(dataDir, 'state')),
    cacheDir: cacheDirFrom(env, cwd, dataDir),
    s3: s3ConfigFromEnv(env),
    tokenTtlSeconds: int(env, 'STRONGROOM_TOKEN_TTL', 3600, 60, 86_400 * 7),
    digestAlgorithm: digest,
    jobLeaseMs: int(env, 'STRONGROOM_JOB_LEASE', 60, 2, 3600) * 1000,
    logLevel: set(env, 'LOG_LEVEL') ?? 'info',
    pipeline: pipelineConfigFromEnv(env, dataDir, cwd),
  };
  const id = set(env, 'STRONGROOM_ADMIN_CLIENT_ID');
  const secret = set(env, 'STRONGROOM_ADMIN_CLIENT_SECRET');
  if ((id === undefined) !== (secret === undefined)) {
    throw new InvalidInputError(
      'set both STRONGROOM_ADMIN_CLIENT_ID and STRONGROOM_ADMIN_CLIENT_SECRET, or neither',
    );
  }
  if (id !== undefined && secret !== undefined) config.admin = { clientId: id, clientSecret: secret };
  const tokenSecret = set(env, 'STRONGROOM_TOKEN_SECRET');
  if (tokenSecret !== undefined) {
    if (tokenSecret.length < 32)
      throw new InvalidInputError('STRONGROOM_TOKEN_SECRET must be at least 32 characters');
    config.tokenSecret = tokenSecret;
  }
  const identity = identityConfig(env, cwd);
  if (identity) config.identity = identity;
  const jwks = set(env, 'STRONGROOM_JWKS_URL');
  if (jwks !== undefined) {
    config.external = { jwksUrl: jwks };
    const aud = set(env, 'STRONGROOM_JWT_AUDIENCE');
    const iss = set(env, 'STRONGROOM_JWT_ISSUER');
    if (aud !== undefined) config.external.audience = aud;
    if (iss !== undefined) config.external.issuer = iss;
  }
  return config;
}

/** The identity resolver settings (one of the two variables, or neither). Throws InvalidInputError. */
function identityConfig(env: Environment, cwd: string): ServerConfig['identity'] {
  const mapFile = set(env, 'STRONGROOM_IDENTITY_MAP');
  const urlTemplate = set(env, 'STRONGROOM_IDENTITY_URL');
  if (mapFile !== undefined && urlTemplate !== undefined)
    throw new InvalidInputError('set STRONGROOM_IDENTITY_MAP or STRONGROOM_IDENTITY_URL, not both');
  if (mapFile !== undefined) return { mapFile: resolve(cwd, mapFile) };
  if (urlTemplate === undefined) return undefined;
  if (!/^https?:\/\/[^/]+/.test(urlTemplate) || !urlTemplate.includes('{value}'))
    throw new InvalidInputError(
      `STRONGROOM_IDENTITY_URL must be an http(s) URL template holding {value} (and optionally {schema}), not ${JSON.stringify(urlTemplate)}`,
    );
  return { urlTemplate };
}
