/**
 * The crash harness on the filesystem and on MinIO (see crash-harness.ts). MinIO alternates the
 * two ways of recovering from step to step, to keep its run short; the filesystem does both at
 * every step.
 */
import t from 'tap';
import { requireS3 } from '../helpers/s3.js';
import { runCrashHarness } from './crash-harness.js';
import { fsEnv, s3Env } from './env.js';

t.test(
  'fs: commits killed at every step and mid-copy leave vN-1 or vN, recover, validate and retry',
  async (t) => {
    await runCrashHarness(t, await fsEnv(t), { bothModes: true });
  },
);

const config = requireS3(t);
if (config) {
  t.test(
    'minio: commits killed at every step and mid-copy leave vN-1 or vN, recover, validate and retry',
    async (t) => {
      await runCrashHarness(t, await s3Env(t, config), { bothModes: false });
    },
  );
}
