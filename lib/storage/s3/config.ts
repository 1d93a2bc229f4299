/**
 * S3 connection settings and building an SDK client that works with AWS, MinIO and Ceph RGW
 * alike. Settings always come in as arguments: reading them from the environment is the
 * application's business (server/config/s3-env.ts), never the library's.
 */
import { S3Client } from '@aws-sdk/client-s3';

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

/** Connection settings without the bucket and prefix (those come from the location). */
export type S3Connection = Omit<S3Config, 'bucket' | 'prefix'>;

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
