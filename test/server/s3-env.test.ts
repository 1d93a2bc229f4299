import t from 'tap';
import { parseBool, s3ConfigFromEnv } from '../../server/config/s3-env.js';

t.test('S3 settings come from S3_* with AWS_* fallbacks, or from another prefix', async (t) => {
  t.same(s3ConfigFromEnv({}), { region: 'us-east-1' });
  t.same(
    s3ConfigFromEnv({
      S3_ENDPOINT: 'http://h:9000',
      S3_ACCESS_KEY_ID: 'id',
      AWS_SECRET_ACCESS_KEY: 'secret',
      S3_REGION: 'eu-west-1',
      S3_FORCE_PATH_STYLE: 'true',
    }),
    {
      endpoint: 'http://h:9000',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      region: 'eu-west-1',
      forcePathStyle: true,
    },
  );
  t.same(s3ConfigFromEnv({ S3_ACCESS_KEY: 'short', S3_ACCESS_KEY_ID: 'long' }).accessKeyId, 'short');
  t.same(s3ConfigFromEnv({ RGW_ENDPOINT: 'http://r', RGW_SECRET_KEY: 's', AWS_ACCESS_KEY_ID: 'x' }, 'RGW_'), {
    region: 'us-east-1',
    endpoint: 'http://r',
    secretAccessKey: 's',
  });
  t.same(s3ConfigFromEnv({ S3_ENDPOINT: '' }), { region: 'us-east-1' }, 'an empty value counts as unset');
  t.throws(() => s3ConfigFromEnv({ S3_FORCE_PATH_STYLE: 'maybe' }), { code: 'INVALID_INPUT' });
});

t.test('booleans from the environment accept the usual spellings and nothing else', async (t) => {
  for (const v of ['true', '1', 'YES', ' on ']) t.equal(parseBool(v, 'X'), true, v);
  for (const v of ['false', '0', 'No', 'off']) t.equal(parseBool(v, 'X'), false, v);
  t.throws(() => parseBool('', 'X'), { code: 'INVALID_INPUT', key: 'X' });
});

t.test('nothing in lib reads the environment', async (t) => {
  const { execFileSync } = await import('node:child_process');
  const { join } = await import('node:path');
  const { repoRoot } = await import('../helpers/paths.js');
  let out = '';
  try {
    out = execFileSync('grep', ['-rn', 'process.env', join(repoRoot, 'lib')], { encoding: 'utf8' });
  } catch (err) {
    out = (err as { stdout?: string }).stdout ?? ''; // grep exits 1 when nothing matches
  }
  t.equal(out, '', 'grep -rn process.env lib prints nothing');
});
