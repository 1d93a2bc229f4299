/**
 * Copies into a repository on MinIO: server-side copies from a deposit bucket on the same server
 * (no byte read back for a sha256 inventory, one read of each copy for sha512), a mismatch that
 * names the file and leaves nothing, and large copies that resume from their checkpoint after an
 * abort when the same transaction is retried — without uploading the saved parts again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import { STUB_MAGIC } from '../../lib/core/export-stub.js';
import { openRepository } from '../../lib/services/repository.js';
import { createS3Client, type S3Connection } from '../../lib/storage/s3/config.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { makeTestBucket, requireS3 } from '../helpers/s3.js';
import { tempDir } from './helpers.js';

const agent = { name: 'https://example.org/agents/tester' };
const MiB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An SDK client that counts the commands it sends and can call a hook after each answer. */
function countingClient(config: S3Connection) {
  const client = createS3Client(config);
  const counts = new Map<string, number>();
  const keys: Array<[string, string, string | undefined]> = [];
  const hooks: { after?: (command: string, n: number) => void } = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      const out = await next(args);
      const input = args.input as { Key?: unknown; Range?: string };
      keys.push([name, String(input.Key ?? ''), input.Range]);
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      hooks.after?.(name, n);
      return out;
    },
    { step: 'initialize', name: 'countCommands' },
  );
  const count = (name: string) => counts.get(name) ?? 0;
  /** Commands of `name` sent for keys matching `pattern` (reads of a byte range not counted). */
  const countFor = (name: string, pattern: RegExp) =>
    keys.filter(([n, k, range]) => n === name && pattern.test(k) && range === undefined).length;
  /** Ranged reads of keys matching `pattern`, by range. */
  const rangesFor = (pattern: RegExp) =>
    keys.filter(([n, k, range]) => n === 'GetObjectCommand' && pattern.test(k) && range).map((x) => x[2]);
  const reset = () => {
    counts.clear();
    keys.length = 0;
  };
  return { client, counts, hooks, count, countFor, rangesFor, reset };
}

async function bucketPair(t: Test, config: S3Connection) {
  const repo = await makeTestBucket(config, 't-copy-repo');
  const deposit = await makeTestBucket(config, 't-copy-deposit');
  t.teardown(async () => {
    await repo.cleanup();
    await deposit.cleanup();
  });
  const raw = createS3Client(config);
  t.teardown(() => raw.destroy());
  const put = async (key: string, bytes: Buffer) => {
    await raw.send(new PutObjectCommand({ Bucket: deposit.bucket, Key: `d/${key}`, Body: bytes }));
    return { path: key, bytes, sha256: sha256(bytes), uri: `s3://${deposit.bucket}/d/${key}` };
  };
  const uploads = async () =>
    (await raw.send(new ListMultipartUploadsCommand({ Bucket: repo.bucket }))).Uploads ?? [];
  return { repoBucket: repo.bucket, depositUri: `s3://${deposit.bucket}/d`, put, uploads };
}

const config = requireS3(t);
if (config) {
  for (const algorithm of ['sha256', 'sha512'] as const) {
    t.test(`S3 → S3 on one server is a server-side copy (${algorithm} inventory)`, async (t) => {
      const { repoBucket, depositUri, put } = await bucketPair(t, config);
      const counter = countingClient(config);
      t.teardown(() => counter.client.destroy());
      const store = { s3: config, s3Store: { client: counter.client } };
      const writer = await openRepositoryWriter(`s3://${repoBucket}/repo`, {
        create: true,
        store,
        digestAlgorithm: algorithm,
      });
      await writer.createContainer('books', { agent });
      const files = await Promise.all(
        Array.from({ length: 12 }, (_, i) => put(`f${i}.bin`, randomBytes(1000 + i * 300))),
      );
      counter.reset();
      const tx = writer.begin('books/server', { agent, sources: [depositUri] });
      for (const f of files) tx.putBinary(f.path, { source: f.uri, digest: f.sha256, size: f.bytes.length });
      await tx.commit();
      t.equal(counter.count('CopyObjectCommand'), 12, 'one CopyObject per file');
      t.equal(counter.count('PutObjectCommand') < 12 + 20, true, 'content was not uploaded through us');
      const contentReads = counter.countFor('GetObjectCommand', /\/content\/f\d+\.bin$/);
      const headReads = counter.rangesFor(/\/content\/f\d+\.bin$/);
      if (algorithm === 'sha256') {
        t.equal(contentReads, 0, 'the server SHA-256 is all a sha256 inventory needs');
        t.same(
          headReads,
          Array(12).fill(`bytes=0-${STUB_MAGIC.length - 1}`),
          'small copies: only the bytes of the export-stub marker are read',
        );
      } else {
        t.equal(contentReads, 12, 'a sha512 inventory reads each copy once');
        t.same(headReads, [], 'and the stub check rides on that read');
      }
      const r = await openRepository(`s3://${repoBucket}/repo`, { store: { s3: config } });
      t.same((await r.validateObject('info:fedora/books/server', { fixity: true })).errors, []);
    });
  }

  t.test('a 1-file patch reads and copies nothing of the unchanged content', async (t) => {
    const { repoBucket, depositUri, put } = await bucketPair(t, config);
    const counter = countingClient(config);
    t.teardown(() => counter.client.destroy());
    const writer = await openRepositoryWriter(`s3://${repoBucket}/repo`, {
      create: true,
      store: { s3: config, s3Store: { client: counter.client } },
    });
    await writer.createContainer('books', { agent });
    const files = await Promise.all(
      Array.from({ length: 30 }, (_, i) => put(`f${i}.bin`, randomBytes(2000))),
    );
    const tx = writer.begin('books/patched', { agent, sources: [depositUri] });
    for (const f of files) tx.putBinary(f.path, { source: f.uri, digest: f.sha256 });
    await tx.commit();
    const patch = await put('new.bin', randomBytes(3000));
    counter.reset();
    await writer
      .begin('books/patched', { agent, sources: [depositUri] })
      .putBinary('f7.bin', { source: patch.uri, digest: patch.sha256 })
      .commit();
    t.equal(counter.count('CopyObjectCommand'), 1, 'only the new content is copied');
    t.equal(
      counter.countFor('GetObjectCommand', /\/content\/f\d+\.bin$/),
      1,
      'only the new copy is read (sha512)',
    );
    t.equal(
      counter.countFor('GetObjectCommand', /inventory\.json$/),
      0,
      'the base inventory is not read again',
    );
    const r = await openRepository(`s3://${repoBucket}/repo`, { store: { s3: config } });
    t.same((await r.validateObject('info:fedora/books/patched', { fixity: true })).errors, []);
  });

  t.test('a server-side copy whose SHA-256 differs fails naming the file and leaves nothing', async (t) => {
    const { repoBucket, depositUri, put } = await bucketPair(t, config);
    const writer = await openRepositoryWriter(`s3://${repoBucket}/repo`, {
      create: true,
      store: { s3: config },
    });
    await writer.createContainer('books', { agent });
    const good = await put('good.txt', Buffer.from('good'));
    const bad = await put('the bad.txt', Buffer.from('not what was promised'));
    const tx = writer.begin('books/bad', { agent, sources: [depositUri] });
    tx.putBinary(good.path, { source: good.uri, digest: good.sha256 });
    tx.putBinary(bad.path, { source: bad.uri, digest: sha256(Buffer.from('promised')) });
    await t.rejects(tx.commit(), { code: 'FIXITY_MISMATCH', message: /the bad\.txt/ });
    t.equal(await writer.kindOf('books/bad'), 'absent');
    const left = [];
    for await (const e of writer.store.list(writer.objectKeyOf('books/bad'), { delimiter: false }))
      left.push(e.key);
    t.same(left, [], 'no key of the failed version is left');
  });

  t.test(
    'an interrupted large upload resumes from its checkpoint when the transaction is retried',
    async (t) => {
      const { repoBucket, uploads } = await bucketPair(t, config);
      const depositDir = tempDir(t, 'resume-deposit');
      const bytes = randomBytes(23 * MiB + 123);
      writeFileSync(join(depositDir, 'big.bin'), bytes);
      const counter = countingClient(config);
      t.teardown(() => counter.client.destroy());
      const options = {
        create: true,
        store: { s3: config, s3Store: { client: counter.client, partSize: 5 * MiB } },
        checkpointBytes: MiB,
        digestAlgorithm: 'sha512' as const,
      };
      const writer = await openRepositoryWriter(`s3://${repoBucket}/repo`, options);
      await writer.createContainer('books', { agent });
      const sources = [pathToFileURL(depositDir).href];
      const change = (id: string) =>
        writer.begin('books/big', { agent, sources, id }).putBinary('big.bin', {
          source: pathToFileURL(join(depositDir, 'big.bin')).href,
          digest: sha256(bytes),
          size: bytes.length,
        });
      const abort = new AbortController();
      counter.hooks.after = (name, n) => {
        if (name === 'UploadPartCommand' && n === 3) abort.abort(new Error('interrupted for the test'));
      };
      counter.reset();
      await t.rejects(change('tx-resume').commit({ signal: abort.signal }));
      counter.hooks.after = undefined;
      const firstParts = counter.count('UploadPartCommand');
      t.ok(firstParts >= 3, `the first attempt uploaded ${firstParts} parts`);
      t.equal(await writer.kindOf('books/big'), 'absent', 'nothing is visible after the interruption');
      t.equal((await uploads()).length, 1, 'the multipart upload is kept for the retry');

      counter.reset();
      const other = change('another-transaction');
      await t.rejects(other.commit(), { code: 'CONFLICT' }, 'another transaction waits for the lease');

      counter.reset();
      const result = await change('tx-resume').commit();
      t.equal(result.version, 'v1');
      const totalParts = Math.ceil(bytes.length / (5 * MiB));
      const resumed = counter.count('UploadPartCommand');
      t.ok(
        resumed <= totalParts - 2,
        `the retry uploaded ${resumed} of ${totalParts} parts: at least the 2 saved ones were not sent again`,
      );
      t.equal(counter.count('CreateMultipartUploadCommand'), 0, 'the same upload was resumed');
      t.same(await uploads(), [], 'no multipart upload is left');
      const r = await openRepository(`s3://${repoBucket}/repo`, { store: { s3: config } });
      t.same(
        (await r.validateObject('info:fedora/books/big', { fixity: true })).errors,
        [],
        'sha512 and content right',
      );
      const read = await r.readFile('info:fedora/books/big', 'big.bin');
      const hash = createHash('sha256');
      for await (const c of read.stream) hash.update(c as Buffer);
      t.equal(hash.digest('hex'), sha256(bytes), 'the stored bytes are the deposit');
    },
  );

  t.test('an interrupted server-side part copy resumes its parts and its read-back hash', async (t) => {
    const { repoBucket, depositUri, put, uploads } = await bucketPair(t, config);
    const file = await put('big.bin', randomBytes(21 * MiB));
    const counter = countingClient(config);
    t.teardown(() => counter.client.destroy());
    const writer = await openRepositoryWriter(`s3://${repoBucket}/repo`, {
      create: true,
      store: {
        s3: config,
        s3Store: { client: counter.client, partSize: 5 * MiB, copyThreshold: 6 * MiB, copyPartSize: 5 * MiB },
      },
    });
    await writer.createContainer('books', { agent });
    const change = () =>
      writer
        .begin('books/copied', { agent, sources: [depositUri], id: 'tx-part-copy' })
        .putBinary('big.bin', { source: file.uri, digest: file.sha256 });
    const abort = new AbortController();
    counter.hooks.after = (name, n) => {
      if (name === 'UploadPartCopyCommand' && n === 3) abort.abort(new Error('interrupted for the test'));
    };
    counter.reset();
    await t.rejects(change().commit({ signal: abort.signal }));
    counter.hooks.after = undefined;
    t.equal(counter.count('UploadPartCopyCommand'), 3);
    counter.reset();
    await change().commit();
    t.equal(counter.count('UploadPartCopyCommand'), 2, 'only the 2 parts not yet copied are copied');
    t.equal(counter.count('CopyObjectCommand'), 0);
    t.same(await uploads(), []);
    const r = await openRepository(`s3://${repoBucket}/repo`, { store: { s3: config } });
    t.same((await r.validateObject('info:fedora/books/copied', { fixity: true })).errors, []);
  });

  t.test('another transaction taking over an expired interrupted version aborts its uploads', async (t) => {
    const { repoBucket, uploads } = await bucketPair(t, config);
    const depositDir = tempDir(t, 'takeover-deposit');
    const bytes = randomBytes(16 * MiB);
    writeFileSync(join(depositDir, 'big.bin'), bytes);
    const counter = countingClient(config);
    t.teardown(() => counter.client.destroy());
    const writer = await openRepositoryWriter(`s3://${repoBucket}/repo`, {
      create: true,
      store: { s3: config, s3Store: { client: counter.client, partSize: 5 * MiB } },
      checkpointBytes: MiB,
      leaseMs: 1000,
    });
    await writer.createContainer('books', { agent });
    const change = (id: string) =>
      writer
        .begin('books/taken', { agent, sources: [pathToFileURL(depositDir).href], id })
        .putBinary('big.bin', {
          source: pathToFileURL(join(depositDir, 'big.bin')).href,
          digest: sha256(bytes),
        });
    const abort = new AbortController();
    counter.hooks.after = (name) => {
      if (name === 'UploadPartCommand') abort.abort(new Error('interrupted for the test'));
    };
    await t.rejects(change('first').commit({ signal: abort.signal }));
    counter.hooks.after = undefined;
    t.equal((await uploads()).length, 1);
    await new Promise((r) => setTimeout(r, 1200));
    await change('second').commit();
    t.same(await uploads(), [], 'the first transaction’s upload was aborted, not left behind');
    const r = await openRepository(`s3://${repoBucket}/repo`, { store: { s3: config } });
    t.same((await r.validateObject('info:fedora/books/taken')).errors, []);
  });
}
