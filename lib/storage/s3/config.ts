/**
 * S3 connection settings: the config object, reading it from environment variables, and building
 * an SDK client that works with AWS, MinIO and Ceph RGW alike.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { InvalidInputError } from '../../core/errors.js';

/** Where an S3 store lives and how to reach it. */
export interface S3Config {
  bucket: string;
  /** Key prefix inside the bucket ('' or absent: the bucket root). Slashes at either end are ignored. */
  prefix?: string;
  /** Endpoint URL for non-AWS servers, e.g. `http://127.0.0.1:9000`. Absent: AWS. */
  endpoint?: string;
  /** Default `us-east-1`. */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default true when `endpoint` is set, else false. */
  forcePathStyle?: boolean;
}

/** Connection settings without the bucket, as read from the environment. */
export type S3Connection = Omit<S3Config, 'bucket' | 'prefix'>;

function firstSet(env: NodeJS.ProcessEnv, names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Parse a boolean environment value (`true/1/yes/on`, `false/0/no/off`). Throws InvalidInputError. */
export function parseBool(value: string, name: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new InvalidInputError(`${name} must be true or false, not ${JSON.stringify(value)}`, { key: name });
}

/**
 * Read S3 settings from `env`: `S3_ENDPOINT`, `S3_ACCESS_KEY` (or `S3_ACCESS_KEY_ID`,
 * `AWS_ACCESS_KEY_ID`), `S3_SECRET_KEY` (or `S3_SECRET_ACCESS_KEY`, `AWS_SECRET_ACCESS_KEY`),
 * `S3_REGION` (default `us-east-1`), `S3_FORCE_PATH_STYLE`. With another `prefix` (e.g. `RGW_`)
 * the same names are read with that prefix and no AWS_ fallbacks. Absent values stay undefined
 * (the SDK then uses its own credential chain). Throws InvalidInputError for a bad boolean.
 */
export function s3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env, prefix = 'S3_'): S3Connection {
  const aws = prefix === 'S3_';
  const out: S3Connection = { region: firstSet(env, [`${prefix}REGION`]) ?? 'us-east-1' };
  const endpoint = firstSet(env, [`${prefix}ENDPOINT`]);
  const accessKeyId = firstSet(env, [
    `${prefix}ACCESS_KEY`,
    `${prefix}ACCESS_KEY_ID`,
    ...(aws ? ['AWS_ACCESS_KEY_ID'] : []),
  ]);
  const secretAccessKey = firstSet(env, [
    `${prefix}SECRET_KEY`,
    `${prefix}SECRET_ACCESS_KEY`,
    ...(aws ? ['AWS_SECRET_ACCESS_KEY'] : []),
  ]);
  const pathStyle = firstSet(env, [`${prefix}FORCE_PATH_STYLE`]);
  if (endpoint !== undefined) out.endpoint = endpoint;
  if (accessKeyId !== undefined) out.accessKeyId = accessKeyId;
  if (secretAccessKey !== undefined) out.secretAccessKey = secretAccessKey;
  if (pathStyle !== undefined) out.forcePathStyle = parseBool(pathStyle, `${prefix}FORCE_PATH_STYLE`);
  return out;
}

/**
 * An SDK client for `config`. Checksums are computed and validated only when an operation
 * requires them: the SDK's default sends stream bodies aws-chunked with a checksum trailer, which
 * Ceph RGW answers with 411 (see docs/S3 notes); we add our own checksums where we want them.
 */
export function createS3Client(config: S3Connection): S3Client {
  const credentials =
    config.accessKeyId !== undefined && config.secretAccessKey !== undefined
      ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
      : undefined;
  return new S3Client({
    region: config.region ?? 'us-east-1',
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
