/**
 * S3 settings for the CLI's locations: `s3://` locations use S3_ENDPOINT, S3_ACCESS_KEY,
 * S3_SECRET_KEY, S3_REGION, S3_FORCE_PATH_STYLE from the environment (server/config/s3-env.ts).
 * Everything opened from the CLI is read-only.
 */
import type { OpenStoreOptions } from '../../lib/index.js';
import { s3ConfigFromEnv } from '../config/s3-env.js';

/** Store options for CLI locations, from the environment. Throws InvalidInputError for a bad boolean. */
export function cliStoreOptions(env: Record<string, string | undefined>): OpenStoreOptions {
  return { s3: s3ConfigFromEnv(env) };
}
