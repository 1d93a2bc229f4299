/**
 * S3 connection settings from environment variables. Only the application (the CLI now, the
 * server later) reads the environment; the library takes an {@link S3Connection} as an argument
 * (`openStore(uri, { s3 })`).
 */
import { InvalidInputError, type S3Connection } from '../../lib/index.js';

/** An environment: `process.env` or any name → value record. */
export type Environment = Record<string, string | undefined>;

function firstSet(env: Environment, names: string[]): string | undefined {
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
export function s3ConfigFromEnv(env: Environment, prefix = 'S3_'): S3Connection {
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
