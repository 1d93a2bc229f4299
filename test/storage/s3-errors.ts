/**
 * How S3 failures reach callers (run against MinIO and Ceph RGW by s3-suite.ts): refused
 * credentials are ACCESS_DENIED, a missing bucket is NOT_FOUND naming the bucket, and neither is
 * an IO error; every message says which server.
 */
import type { Test } from 'tap';
import { openStore } from '../../lib/storage/location.js';
import type { S3Connection } from '../../lib/storage/s3/config.js';
import { S3Store } from '../../lib/storage/s3/s3-store.js';
import { runCli } from '../helpers/cli.js';
import { makeTestBucket } from '../helpers/s3.js';

/** A store on `bucket` with `config`, destroyed at teardown. */
function storeOn(t: Test, config: S3Connection, bucket: string): S3Store {
  const store = new S3Store({ ...config, bucket, prefix: 'p' });
  t.teardown(() => store.client.destroy());
  return store;
}

export const s3ErrorBehaviours: Record<string, (t: Test, config: S3Connection) => Promise<void>> = {
  'a wrong secret or an unknown key id is ACCESS_DENIED on every operation, naming the server': async (
    t,
    config,
  ) => {
    const { bucket, cleanup } = await makeTestBucket(config, 't-storage-denied');
    t.teardown(cleanup);
    await storeOn(t, config, bucket).write('k', 'v');
    for (const bad of [
      { ...config, secretAccessKey: 'not-the-secret' },
      { ...config, accessKeyId: 'no-such-key-id' },
    ]) {
      const store = storeOn(t, bad, bucket);
      const denied = { code: 'ACCESS_DENIED', name: 'AccessDeniedError' };
      await t.rejects(
        store.stat('k'),
        { ...denied, operation: 'stat', key: 'k' },
        'HEAD (no body: the status decides)',
      );
      await t.rejects(store.readBytes('k'), denied, 'GET');
      await t.rejects(store.exists('k'), denied, 'exists never says "false" to a refusal');
      await t.rejects(store.write('k2', 'x'), denied, 'PUT');
      await t.rejects(store.delete('k'), denied, 'DELETE');
      const listing = store.list('')[Symbol.asyncIterator]().next();
      await t.rejects(listing, denied, 'LIST');
      const err = await store.stat('k').catch((e: Error) => e);
      t.match((err as Error).message, config.endpoint!, 'the message names the endpoint');
      t.match((err as Error).message, bucket, 'and the bucket');
    }
  },
  'a missing bucket is NOT_FOUND naming the bucket, never an empty store': async (t, config) => {
    const bucket = `t-no-such-bucket-${Date.now().toString(36)}`;
    const store = storeOn(t, config, bucket);
    const missing = { code: 'NOT_FOUND', message: new RegExp(`no bucket ${bucket} at ${config.endpoint}`) };
    await t.rejects(store.list('')[Symbol.asyncIterator]().next(), missing, 'LIST');
    await t.rejects(store.readBytes('k'), missing, 'GET');
    await t.rejects(store.stat('k'), missing, 'HEAD: asks HeadBucket to tell the bucket from the key');
    await t.rejects(store.exists('k'), missing, 'exists does not answer false for a missing bucket');
    const reader = await openStore(`s3://${bucket}`, { s3: config });
    await t.rejects(reader.stat('x'), missing, 'through openStore too');
  },
  'the CLI reports a missing bucket by name': async (t, config) => {
    const bucket = `t-no-such-bucket-${Date.now().toString(36)}`;
    const env = {
      S3_ENDPOINT: config.endpoint,
      S3_ACCESS_KEY: config.accessKeyId,
      S3_SECRET_KEY: config.secretAccessKey,
    };
    const run = await runCli(['ls', `s3://${bucket}`], env);
    t.not(run.code, 0);
    t.match(run.stderr, `[NOT_FOUND] no bucket ${bucket}`);
  },
  'a key that is missing in an existing bucket is still a plain NOT_FOUND (and exists says false)': async (
    t,
    config,
  ) => {
    const { bucket, cleanup } = await makeTestBucket(config, 't-storage-missing-key');
    t.teardown(cleanup);
    const store = storeOn(t, config, bucket);
    await t.rejects(store.stat('nope'), { code: 'NOT_FOUND', message: /no object at nope/ });
    t.equal(await store.exists('nope'), false);
    t.equal(await store.exists('nope'), false, 'the bucket check is remembered');
  },
};
