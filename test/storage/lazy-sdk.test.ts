/**
 * Loading the engine for filesystem work must not load the AWS SDK (it costs ≈150 ms of
 * start-up; bench/startup). A child process registers a module-resolution hook that logs every
 * module the process resolves, imports lib/index.js, opens and validates a filesystem object, and
 * reports which SDK modules were resolved (plus any in require.cache). The same child opening an
 * `s3://` location is the control: there the SDK must show up, so the detector itself is proven.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { corpusDir, repoRoot } from '../helpers/paths.js';

const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export async function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`;

const REGISTER = `
import { register } from 'node:module';
register(new URL('./hooks.mjs', import.meta.url), { data: { log: process.env.SR_LOAD_LOG } });
`;

/** Run `body` (ESM, with `lib` = lib/index.js) in a child; returns SDK modules it loaded and its output. */
function loadedSdkModules(t: Test, body: string) {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-lazy-sdk-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), REGISTER);
  const log = join(dir, 'resolved.log');
  writeFileSync(log, '');
  const index = pathToFileURL(join(repoRoot, 'dist/lib/index.js')).href;
  const script = `
    import { createRequire } from 'node:module';
    const lib = await import(${JSON.stringify(index)});
    const out = await (async () => { ${body} })();
    await lib.closeDefaultPool();
    const cjs = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@aws-sdk'));
    console.log(JSON.stringify({ out, cjs }));
  `;
  const child = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--input-type=module', '-e', script],
    { encoding: 'utf8', env: { ...process.env, SR_LOAD_LOG: log }, timeout: 60_000 },
  );
  t.equal(child.status, 0, child.stderr);
  const resolved = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
    out: unknown;
    cjs: string[];
  };
  return {
    resolved,
    sdk: [...resolved.filter((url) => /@aws-sdk|@smithy/.test(url)), ...result.cjs],
    out: result.out,
  };
}

t.test('importing lib/index.js and validating a filesystem object loads no AWS SDK module', async (t) => {
  const objectDir = join(corpusDir, 'ocfl-fixtures/1.1/good-objects/spec-ex-full');
  const run = loadedSdkModules(
    t,
    `const store = await lib.openStore(${JSON.stringify(objectDir)});
     const report = await lib.validateObject(store, '');
     return { valid: report.valid, id: report.id };`,
  );
  t.same(run.out, { valid: true, id: 'ark:/12345/bcd987' }, 'the object was really validated');
  t.ok(
    run.resolved.some((url) => url.endsWith('/lib/storage/fs/fs-store.js')),
    'the hook saw our modules',
  );
  t.same(run.sdk, [], 'no @aws-sdk or @smithy module was loaded');
});

t.test('control: opening an s3:// location does load the SDK, so the detector sees it', async (t) => {
  const run = loadedSdkModules(
    t,
    `const store = await lib.openStore('s3://some-bucket/p', { s3: { endpoint: 'http://127.0.0.1:1' } });
     return store.location.kind;`,
  );
  t.equal(run.out, 's3');
  t.ok(
    run.sdk.some((url) => url.includes('@aws-sdk/client-s3')),
    'the S3 client was loaded on demand',
  );
});
