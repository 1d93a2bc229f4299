import t from 'tap';
import { requireS3 } from '../helpers/s3.js';
import { fsEnv, s3Env } from './env.js';
import { runRecoverySuite } from './recover-suite.js';

runRecoverySuite(t, 'fs', fsEnv);

const config = requireS3(t);
if (config) runRecoverySuite(t, 'minio', (t) => s3Env(t, config));
