/**
 * The pipeline's settings from the environment: defaults that run every tool by its usual name,
 * the tools.sh variables, limits, and a clear refusal of values that do not fit.
 */
import t from 'tap';
import { configFromEnv } from '../../server/config/server-config.js';

t.test('by default every tool runs under its usual program name, staged under the data folder', async (t) => {
  const c = configFromEnv({ STRONGROOM_DATA: '/srv/data' }, '/');
  t.same(c.pipeline.tools, {
    siegfried: { command: 'sf' },
    clamav: { command: 'clamscan' },
    exiftool: { command: 'exiftool' },
  });
  t.same(c.pipeline.limits, {
    stagingDir: '/srv/data/pipeline-staging',
    toolTimeoutMs: 3_600_000,
    batchFiles: 1000,
    batchBytes: 1024 ** 3,
  });
});

t.test(
  'the variables scripts/tools.sh prints configure the programs; STRONGROOM_PIPELINE_TOOLS chooses them',
  async (t) => {
    const c = configFromEnv(
      {
        STRONGROOM_DATA: '/d',
        STRONGROOM_SF: '/opt/sf',
        STRONGROOM_SF_HOME: '/opt/sf-home',
        STRONGROOM_SF_SIG: 'default.sig',
        STRONGROOM_CLAMAV_DB: '/var/clamav',
        STRONGROOM_PIPELINE_TOOLS: 'Siegfried, clamav',
        STRONGROOM_PIPELINE_TIMEOUT: '5',
        STRONGROOM_PIPELINE_BATCH_FILES: '10',
        STRONGROOM_PIPELINE_BATCH_MB: '2',
        STRONGROOM_PIPELINE_STAGING: 'tmp/stage',
      },
      '/work',
    );
    t.same(c.pipeline.tools, {
      siegfried: { command: '/opt/sf', home: '/opt/sf-home', signature: 'default.sig' },
      clamav: { command: 'clamscan', database: '/var/clamav' },
      exiftool: false,
    });
    t.same(c.pipeline.limits, {
      stagingDir: '/work/tmp/stage',
      toolTimeoutMs: 5000,
      batchFiles: 10,
      batchBytes: 2 * 1024 * 1024,
    });
    const none = configFromEnv({ STRONGROOM_PIPELINE_TOOLS: 'none' }, '/');
    t.same(none.pipeline.tools, { siegfried: false, clamav: false, exiftool: false });
  },
);

t.test('values that do not fit are refused with the variable named', async (t) => {
  t.throws(() => configFromEnv({ STRONGROOM_PIPELINE_TOOLS: 'siegfried,droid' }, '/'), {
    code: 'INVALID_INPUT',
    message: /STRONGROOM_PIPELINE_TOOLS: unknown tool "droid"/,
  });
  t.throws(() => configFromEnv({ STRONGROOM_PIPELINE_TIMEOUT: '0' }, '/'), {
    message: /STRONGROOM_PIPELINE_TIMEOUT/,
  });
  t.throws(() => configFromEnv({ STRONGROOM_PIPELINE_BATCH_FILES: '1.5' }, '/'), {
    message: /STRONGROOM_PIPELINE_BATCH_FILES/,
  });
});
