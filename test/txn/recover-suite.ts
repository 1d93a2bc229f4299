/**
 * Recovery, on every environment (filesystem, MinIO): each case builds by hand the state a writer
 * that died at some point leaves (claims, version inventories above the head, stale sidecars,
 * half-created and half-purged objects), then checks what readers see, what `recover` reports and
 * does (and, in a dry run, does not do), that the object validates afterwards, and that the next
 * transaction succeeds.
 */
import type { Test } from 'tap';
import { openRepository } from '../../lib/services/repository.js';
import type { WritableStore } from '../../lib/storage/port.js';
import { openWritableStore } from '../../lib/storage/writable.js';
import type { RecoveryReport } from '../../lib/txn/recover-root.js';
import { openRepositoryWriter, type RepositoryWriter } from '../../lib/txn/writer.js';
import { collect } from '../storage/contract-util.js';
import type { TxnEnv } from './env.js';

const agent = { name: 'https://example.org/agents/tester' };
const LATER = () => Date.now() + 3600_000;

interface Ctx {
  writer: RepositoryWriter;
  store: WritableStore;
  sources: string[];
  repo: () => ReturnType<typeof openRepository>;
  /** Commit `files` (path → text) to group `path`; resolves with the version. */
  put(path: string, files: Record<string, string>, deletes?: string[]): Promise<string>;
  /** Text of `file` in `path` at its head, as a fresh reader sees it. */
  read(path: string, file: string): Promise<string>;
  /** Errors our validator finds in the object at `path`, and in the whole storage root. */
  errors(path: string): Promise<string[]>;
}

let seq = 0;

async function setup(env: TxnEnv): Promise<Ctx> {
  const writer = await openRepositoryWriter(env.repo, { create: true, store: env.store });
  await writer.createContainer('books', { agent });
  const store = await openWritableStore(env.repo, env.store);
  const sources = [env.deposit];
  const repo = () => openRepository(env.repo, { store: env.store });
  return {
    writer,
    store,
    sources,
    repo,
    async put(path, files, deletes = []) {
      const deposited = await env.writeDeposit(
        Object.fromEntries(Object.entries(files).map(([p, text]) => [`d${++seq}/${p}`, text])),
      );
      const tx = writer.begin(path, { agent, sources });
      Object.keys(files).forEach((p, i) => {
        tx.putBinary(p, { source: deposited[i]!.uri, digest: deposited[i]!.sha256 });
      });
      for (const d of deletes) tx.delete(d);
      return (await tx.commit()).version;
    },
    async read(path, file) {
      const r = await repo();
      return (await collect((await r.readFile(`info:fedora/${path}`, file)).stream)).toString();
    },
    async errors(path) {
      const r = await repo();
      const object = await r.validateObject(`info:fedora/${path}`);
      const root = await r.validate({ fixity: false });
      return [
        ...object.errors.map((e) => `${e.code} ${e.message}`),
        ...root.errors.map((e) => `root ${e.code} ${e.message}`),
        ...root.objects.flatMap((o) => o.errors.map((e) => `${o.objectRoot} ${e.code} ${e.message}`)),
      ];
    },
  };
}

/** A claim record as a writer would have left it. */
function claim(objectId: string, version: string, expiresIn: number, purpose?: string): string {
  const now = Date.now();
  return JSON.stringify({
    strongroomClaim: 1,
    txId: `dead-${version}`,
    objectId,
    version,
    baseDigest: null,
    claimed: new Date(now).toISOString(),
    expires: new Date(now + expiresIn).toISOString(),
    agent: 'a writer that died',
    leaseMs: 120_000,
    ...(purpose && { purpose }),
  });
}

function situations(report: RecoveryReport): string[] {
  return report.findings.map((f) => `${f.situation}:${f.action}:${f.applied}`);
}

type Case = (t: Test, env: TxnEnv, ctx: Ctx) => Promise<void>;

const CASES: Record<string, Case> = {
  'an expired claim above the head is deleted with its partial content; a live one is left and reported':
    async (t, env, ctx) => {
      await ctx.put('books/g', { 'a.txt': 'one' });
      const key = ctx.writer.objectKeyOf('books/g');
      await ctx.store.write(`${key}/v2/inventory.json`, claim('info:fedora/books/g', 'v2', 60_000));
      await ctx.store.write(`${key}/v2/content/a.txt`, 'half');
      const live = await ctx.writer.recover();
      t.same(situations(live), ['live-claim:leave:false'], 'a live claim is reported, not touched');
      t.ok(await env.hasKey(`${key}/v2/content/a.txt`));
      const done = await ctx.writer.recover({ now: LATER });
      t.same(situations(done), ['abandoned-claim:delete-version:true']);
      t.equal(done.findings[0]!.key, `${key}/v2`, 'the finding names the version directory');
      t.match(done.findings[0]!.reason, /expired/);
      t.notOk(await env.hasKey(`${key}/v2`), 'v2 is gone');
      t.same(await ctx.errors('books/g'), []);
      t.equal(await ctx.put('books/g', { 'a.txt': 'two' }), 'v2', 'the next commit gets v2');
      t.equal(await ctx.read('books/g', 'a.txt'), 'two');
    },

  'a version inventory whose root inventory never landed: readers see the head; deleted once older than the lease':
    async (t, env, ctx) => {
      await ctx.put('books/g', { 'a.txt': 'one' });
      await ctx.put('books/g', { 'a.txt': 'two' });
      const key = ctx.writer.objectKeyOf('books/g');
      // Roll the root back to v1: exactly what a crash between the two inventories leaves.
      await ctx.store.write(`${key}/inventory.json`, await ctx.store.readBytes(`${key}/v1/inventory.json`));
      await ctx.store.write(
        `${key}/inventory.json.sha512`,
        await ctx.store.readBytes(`${key}/v1/inventory.json.sha512`),
      );
      t.equal((await (await ctx.repo()).versions('info:fedora/books/g')).length, 1, 'readers see v1');
      t.equal(await ctx.read('books/g', 'a.txt'), 'one');
      t.same(
        situations(await ctx.writer.recover()),
        ['recent-version:leave:false'],
        'within the lease: may be committing',
      );
      const dry = await ctx.writer.recover({ now: LATER, dryRun: true });
      t.same(situations(dry), ['abandoned-version:delete-version:false'], 'a dry run reports');
      t.ok(await env.hasKey(`${key}/v2/inventory.json`), 'and changes nothing');
      const done = await ctx.writer.recover({ now: LATER });
      t.same(situations(done), ['abandoned-version:delete-version:true']);
      t.notOk(await env.hasKey(`${key}/v2`));
      t.same(await ctx.errors('books/g'), []);
      t.equal(await ctx.put('books/g', { 'b.txt': 'three' }), 'v2');
      t.equal(await ctx.read('books/g', 'b.txt'), 'three');
    },

  'content above the head with no inventory is removed, by recover and by the next transaction alone': async (
    t,
    env,
    ctx,
  ) => {
    await ctx.put('books/g', { 'a.txt': 'one' });
    const key = ctx.writer.objectKeyOf('books/g');
    await ctx.store.write(`${key}/v2/content/junk.bin`, 'junk');
    const done = await ctx.writer.recover();
    t.same(situations(done), ['partial-version:delete-version:true']);
    t.notOk(await env.hasKey(`${key}/v2`));
    await ctx.store.write(`${key}/v2/content/a.txt`, 'junk');
    await ctx.store.write(`${key}/v2/content/junk.bin`, 'junk');
    t.equal(await ctx.put('books/g', { 'a.txt': 'two' }), 'v2', 'the next transaction cleans first');
    t.notOk(await env.hasKey(`${key}/v2/content/junk.bin`), 'nothing of the dead writer is kept');
    t.equal(await ctx.read('books/g', 'a.txt'), 'two');
    t.same(await ctx.errors('books/g'), []);
  },

  'a root sidecar that does not match is rewritten when the root inventory is the head version inventory, else reported':
    async (t, env, ctx) => {
      await ctx.put('books/g', { 'a.txt': 'one' });
      await ctx.put('books/g', { 'a.txt': 'two' });
      const key = ctx.writer.objectKeyOf('books/g');
      const sidecar = `${key}/inventory.json.sha512`;
      await ctx.store.write(sidecar, await ctx.store.readBytes(`${key}/v1/inventory.json.sha512`));
      t.equal(await ctx.read('books/g', 'a.txt'), 'two', 'readers see v2 all the same');
      const done = await ctx.writer.recover();
      t.same(situations(done), ['root-sidecar-mismatch:rewrite-sidecar:true']);
      t.same(
        await ctx.store.readBytes(sidecar),
        await ctx.store.readBytes(`${key}/v2/inventory.json.sha512`),
      );
      t.same(await ctx.errors('books/g'), []);
      // A root inventory that is not the head's version inventory: nothing to go by.
      const pretty = JSON.stringify(
        JSON.parse((await ctx.store.readBytes(`${key}/inventory.json`)).toString()),
        null,
        4,
      );
      await ctx.store.write(`${key}/inventory.json`, pretty);
      const left = await ctx.writer.recover();
      t.same(situations(left), ['unexplained-sidecar-mismatch:leave:false']);
      t.equal((await ctx.store.readBytes(`${key}/inventory.json`)).toString(), pretty, 'not touched');
      t.ok(env.name);
    },

  'a sidecar mismatch at begin does not stop the next transaction': async (t, _env, ctx) => {
    await ctx.put('books/g', { 'a.txt': 'one' });
    const key = ctx.writer.objectKeyOf('books/g');
    await ctx.store.write(`${key}/inventory.json.sha512`, `${'0'.repeat(128)} inventory.json\n`);
    t.equal(await ctx.put('books/g', { 'a.txt': 'two' }), 'v2');
    t.same(await ctx.errors('books/g'), []);
  },

  'a new object whose root inventory never landed is invisible to readers and deleted once its claim expired':
    async (t, env, ctx) => {
      const key = ctx.writer.objectKeyOf('books/new');
      await ctx.store.write(`${key}/v1/inventory.json`, claim('info:fedora/books/new', 'v1', -1000));
      await ctx.store.write(`${key}/v1/content/a.txt`, 'half');
      const r = await ctx.repo();
      await t.rejects(r.versions('info:fedora/books/new'), { code: 'NOT_FOUND' }, 'readers: no such object');
      t.notOk((await r.listIds()).includes('info:fedora/books/new'));
      const done = await ctx.writer.recover();
      t.same(situations(done), ['unfinished-create:delete-object:true']);
      t.notOk(await env.hasKey(key), 'nothing left of it');
      // Killed after its version inventory, before the root inventory (and so the declaration).
      await ctx.put('books/other', { 'a.txt': 'x' });
      const other = ctx.writer.objectKeyOf('books/other');
      for (const f of ['inventory.json', 'inventory.json.sha512', '0=ocfl_object_1.1']) {
        await ctx.store.delete(`${other}/${f}`);
      }
      const recent = await ctx.writer.recover();
      t.same(situations(recent), ['recent-version:leave:false'], 'its writer may still be at it');
      const later = await ctx.writer.recover({ now: LATER });
      t.same(situations(later), ['unfinished-create:delete-object:true']);
      t.notOk(await env.hasKey(other));
      const tx = ctx.writer.begin('books/new', { agent, sources: ctx.sources, sourceVersion: null });
      const [f] = await env.writeDeposit({ 'n/a.txt': 'new' });
      t.equal((await tx.putBinary('a.txt', { source: f!.uri, digest: f!.sha256 }).commit()).version, 'v1');
      t.same(await ctx.errors('books/new'), []);
    },

  'the next transaction on a new object clears a dead creator’s leftovers itself': async (t, env, ctx) => {
    const key = ctx.writer.objectKeyOf('books/new');
    await ctx.store.write(`${key}/v1/inventory.json`, claim('info:fedora/books/new', 'v1', -1000));
    await ctx.store.write(`${key}/v1/content/stale.txt`, 'stale');
    t.equal(await ctx.put('books/new', { 'a.txt': 'new' }), 'v1');
    t.notOk(await env.hasKey(`${key}/v1/content/stale.txt`));
    t.same(await ctx.errors('books/new'), []);
  },

  'a declared object without a root inventory and no claim is damage: reported, never deleted': async (
    t,
    env,
    ctx,
  ) => {
    await ctx.put('books/r', { 'a.txt': 'one' });
    const key = ctx.writer.objectKeyOf('books/r');
    await ctx.store.delete(`${key}/inventory.json`);
    await ctx.store.delete(`${key}/inventory.json.sha512`);
    await t.rejects((await ctx.repo()).versions('info:fedora/books/r'), { code: 'INVALID_OBJECT' });
    const left = await ctx.writer.recover({ now: LATER });
    t.same(situations(left), ['root-inventory-missing:leave:false']);
    t.ok(await env.hasKey(`${key}/v1/content/a.txt`), 'nothing is deleted');
    await t.rejects(ctx.put('books/r', { 'a.txt': 'two' }), { code: 'CONFLICT' }, 'nor written over');
    t.ok(await env.hasKey(`${key}/v1/inventory.json`));
  },

  'a purge that died part-way is finished once its claim expired': async (t, env, ctx) => {
    await ctx.writer.createContainer('c', { agent });
    await ctx.writer.deleteContainer('c', { agent });
    const key = ctx.writer.objectKeyOf('c');
    // What a purge leaves when killed after deleting the declaration and the root inventory.
    await ctx.store.write(`${key}/v3/inventory.json`, claim('info:fedora/c', 'v3', 60_000, 'purge'));
    await ctx.store.delete(`${key}/0=ocfl_object_1.1`);
    await ctx.store.delete(`${key}/inventory.json`);
    t.equal(await ctx.writer.kindOf('c'), 'absent', 'readers: gone');
    await t.rejects((await ctx.repo()).versions('info:fedora/c'), { code: 'NOT_FOUND' });
    t.same(situations(await ctx.writer.recover()), ['live-claim:leave:false'], 'a purge at work is left');
    const done = await ctx.writer.recover({ now: LATER });
    t.same(situations(done), ['unfinished-purge:delete-object:true']);
    t.notOk(await env.hasKey(key));
    await ctx.writer.createContainer('c', { agent, name: 'Again' });
    t.equal(await ctx.writer.kindOf('c'), 'Container');
    // Killed before its root inventory went (only the declaration deleted): the object stays.
    await ctx.writer.createContainer('d', { agent });
    const d = ctx.writer.objectKeyOf('d');
    await ctx.store.write(`${d}/v2/inventory.json`, claim('info:fedora/d', 'v2', -1000, 'purge'));
    await ctx.store.delete(`${d}/0=ocfl_object_1.1`);
    t.equal(await ctx.writer.kindOf('d'), 'Container', 'readers: still there');
    const kept = await ctx.writer.recover();
    t.same(situations(kept), [
      'abandoned-claim:delete-version:true',
      'missing-declaration:write-declaration:true',
    ]);
    t.same(await ctx.errors('d'), []);
  },

  'a purge holds the next version: a purge leaves nothing, and a claim on it makes purge a conflict': async (
    t,
    env,
    ctx,
  ) => {
    await ctx.writer.createContainer('c', { agent });
    const key = ctx.writer.objectKeyOf('c');
    await ctx.store.write(`${key}/v2/inventory.json`, claim('info:fedora/c', 'v2', 60_000));
    await t.rejects(ctx.writer.purge('c'), { code: 'CONFLICT' }, 'a writer at work on it');
    t.equal(await ctx.writer.kindOf('c'), 'Container', 'untouched');
    await ctx.store.delete(`${key}/v2/inventory.json`);
    await ctx.writer.purge('c');
    t.notOk(await env.hasKey(key), 'nothing left');
  },

  'a missing declaration next to a root inventory is written back; recover at one path': async (
    t,
    env,
    ctx,
  ) => {
    await ctx.put('books/g', { 'a.txt': 'one' });
    const key = ctx.writer.objectKeyOf('books/g');
    await ctx.store.delete(`${key}/0=ocfl_object_1.1`);
    const done = await ctx.writer.recover({ path: 'books/g' });
    t.same(situations(done), ['missing-declaration:write-declaration:true']);
    t.equal(done.objectsChecked, 1);
    t.ok(await env.hasKey(`${key}/0=ocfl_object_1.1`));
    t.same(await ctx.errors('books/g'), []);
    t.same(situations(await ctx.writer.recover()), [], 'a clean root has nothing to report');
  },
};

/** Run every case as a subtest of `t`, each in a fresh environment from `makeEnv`. */
export function runRecoverySuite(t: Test, name: string, makeEnv: (t: Test) => Promise<TxnEnv>): void {
  for (const [title, body] of Object.entries(CASES)) {
    t.test(`${name}: ${title}`, async (t) => {
      const env = await makeEnv(t);
      await body(t, env, await setup(env));
    });
  }
}
