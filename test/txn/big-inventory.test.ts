/**
 * Inventories past the streaming threshold (128 MiB) take the streamed paths end to end: the
 * validator, the object reader and storage map, and a writer's base are read from the scanner
 * with the same verdicts as small ones (a valid object stays valid, a duplicate key or an unsafe
 * path is found there too), and a commit on such an object writes its inventories as a stream
 * whose bytes are the canonical serialisation. The large inventories are a real object's
 * inventories padded with trailing whitespace (valid JSON), made in the test.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import type { Inventory } from '../../lib/core/inventory.js';
import { STREAMING_THRESHOLD_BYTES, serializeInventory } from '../../lib/core/ocfl/inventory-parse.js';
import { readObject } from '../../lib/engine/object-reader.js';
import { getStorageMap } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { validateObject } from '../../lib/engine/validate/index.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { openWritableStore } from '../../lib/storage/writable.js';
import { WHOLE_WRITE_BYTES, writeInventory } from '../../lib/txn/inventory-write.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { fsEnv } from './env.js';
import { tempDir } from './helpers.js';

const agent = { name: 'https://example.org/agents/tester' };

/** A two-version Fedora object; returns its object root on disk and the writer. */
async function setup(t: Test) {
  const env = await fsEnv(t);
  const writer = await openRepositoryWriter(env.repo, { create: true });
  await writer.createContainer('books', { agent });
  const files = await env.writeDeposit({ 'a.txt': 'alpha', 'b.txt': 'beta' });
  for (const f of files) {
    const tx = writer.begin('books/big', { agent, sources: [env.deposit] });
    tx.putBinary(f.path, { source: f.uri, digest: f.sha256 });
    await tx.commit();
  }
  const repoDir = fileURLToPath(env.repo);
  const objectRoot = join(repoDir, writer.objectKeyOf('books/big'));
  return { env, writer, repoDir, objectRoot };
}

/** Pad the root inventory and the head's copy to past the threshold; fix both sidecars. */
function padInventories(objectRoot: string, edit: (text: string) => string = (s) => s): Buffer {
  const text = edit(readFileSync(join(objectRoot, 'inventory.json'), 'utf8'));
  const head = (JSON.parse(text) as Inventory).head;
  const padded = Buffer.concat([
    Buffer.from(text),
    Buffer.alloc(STREAMING_THRESHOLD_BYTES + 1024 - Buffer.byteLength(text), 0x20),
  ]);
  const sidecar = `${createHash('sha512').update(padded).digest('hex')} inventory.json\n`;
  for (const dir of [objectRoot, join(objectRoot, head)]) {
    writeFileSync(join(dir, 'inventory.json'), padded);
    writeFileSync(join(dir, 'inventory.json.sha512'), sidecar);
  }
  return padded;
}

t.test(
  'a valid object whose inventories are past the threshold: valid, readable, mappable, writable',
  async (t) => {
    const { writer, repoDir, objectRoot } = await setup(t);
    padInventories(objectRoot);
    const store = new FsStore(objectRoot, { readOnly: true });
    const report = await validateObject(store, '');
    t.same(report.errors, [], 'no error');
    t.equal(report.valid, true);
    const object = await readObject(store, '');
    t.equal(object.sidecar?.matches, true, 'sidecar digest computed while streaming');
    t.equal(object.view.head, 'v2');
    const root = await openStorageRoot(new FsStore(repoDir, { readOnly: true }));
    const map = await getStorageMap(root, 'info:fedora/books/big');
    t.same(Object.keys(map.files).sort(), ['a.txt', 'b.txt']);

    const deposit = tempDir(t, 'deposit-c');
    writeFileSync(join(deposit, 'c.txt'), 'gamma');
    const tx = writer.begin('books/big', { agent, sources: [`file://${deposit}`] });
    tx.putBinary('c.txt', {
      source: `file://${join(deposit, 'c.txt')}`,
      digest: createHash('sha256').update('gamma').digest('hex'),
    });
    t.equal((await tx.commit()).version, 'v3', 'the padded base was read streamed');
    const after = await validateObject(store, '');
    t.same(after.errors, []);
    const written = readFileSync(join(objectRoot, 'inventory.json'));
    t.ok(written.length < STREAMING_THRESHOLD_BYTES, 'the new inventory is canonical (no padding)');
    t.ok(written.equals(readFileSync(join(objectRoot, 'v3', 'inventory.json'))), 'root = head copy');
  },
);

t.test(
  'past the threshold, a duplicate key and an unsafe path are found as in small inventories',
  async (t) => {
    const { objectRoot } = await setup(t);
    padInventories(objectRoot, (text) => text.replace('"head": "v2"', '"head": "v2", "head": "v2"'));
    const store = new FsStore(objectRoot, { readOnly: true });
    const report = await validateObject(store, '', { fixity: false });
    t.ok(
      report.errors.some((i) => i.code === 'E033' && /"head" appears more than once/.test(i.message)),
      JSON.stringify(report.errors),
    );
    t.ok(
      hasCode(await readObject(store, '').catch((e: unknown) => e), 'INVALID_OBJECT'),
      'the reader refuses it',
    );

    const other = await setup(t);
    padInventories(other.objectRoot, (text) => text.replace('"a.txt"', '"../escape.txt"'));
    const otherStore = new FsStore(other.objectRoot, { readOnly: true });
    const bad = await validateObject(otherStore, '', { fixity: false });
    t.ok(
      bad.errors.some((i) => i.code === 'E052'),
      JSON.stringify(bad.errors.map((i) => i.code)),
    );
    const err = await readObject(otherStore, '').catch((e: unknown) => e);
    t.ok(hasCode(err, 'PATH_ESCAPE'), `refused: ${(err as Error).message}`);
  },
);

t.test('a large inventory is written as a stream: the canonical bytes, digested on the way', async (t) => {
  const dir = tempDir(t, 'inv-write');
  const store = await openWritableStore(`file://${dir}`);
  const manifest: Record<string, string[]> = Object.create(null);
  const state: Record<string, string[]> = Object.create(null);
  for (let i = 0; i < 40_000; i++) {
    const digest = createHash('sha512').update(String(i)).digest('hex');
    manifest[digest] = [`v1/content/dir/file-${i}.bin`];
    state[digest] = [`dir/file-${i}.bin`];
  }
  const inventory: Inventory = {
    id: 'info:fedora/x',
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: 'v1',
    contentDirectory: 'content',
    manifest,
    versions: { v1: { created: '2024-01-01T00:00:00Z', message: 'm', user: { name: 'n' }, state } },
  };
  const expected = Buffer.from(serializeInventory(inventory));
  t.ok(expected.length > WHOLE_WRITE_BYTES, `${expected.length} bytes: streamed`);
  const written = await writeInventory(store, 'inventory.json', inventory, { durable: true });
  t.ok(readFileSync(join(dir, 'inventory.json')).equals(expected), 'byte for byte serializeInventory');
  t.equal(written.size, expected.length);
  t.equal(written.digests.sha512, createHash('sha512').update(expected).digest('hex'));
  t.equal(written.result.sha256, createHash('sha256').update(expected).digest('hex'));
});
