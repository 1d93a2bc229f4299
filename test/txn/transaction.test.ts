import t from 'tap';
import { requireS3 } from '../helpers/s3.js';
import { fsEnv, s3Env } from './env.js';
import { runTransactionSuite } from './suite.js';

runTransactionSuite(t, 'fs', fsEnv);

const config = requireS3(t);
if (config) runTransactionSuite(t, 'minio', (t) => s3Env(t, config));
