/**
 * Failures at and after the commit point, injected into a filesystem store: once the root
 * inventory is in place the version is committed, whatever fails after it (the declaration, the
 * root sidecar: reported in `pending`, written by the next transaction); a root inventory write
 * that failed is read back (landed: committed; not landed: the version is released); and when
 * the outcome cannot be read back the version is left for recovery, never deleted.
 */
import t from 'tap';
import { IoError } from '../../lib/core/errors.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { openRepository } from '../../lib/services/repository.js';
import type { WritableStore } from '../../lib/storage/port.js';
import { openWritableStore } from '../../lib/storage/writable.js';
import { RepositoryWriter } from '../../lib/txn/writer.js';
import { fsEnv, type TxnEnv } from './env.js';

const agent = { name: 'https://example.org/agents/tester' };

/** Decides, per call, whether to fail a write (before or after doing it) or a read. */
interface Faults {
  write?: (key: string) => 'before' | 'after' | undefined;
  readBytes?: (key: string) => boolean;
}

/** A store that fails as `faults` says, else is `store`. */
function faulty(store: WritableStore, faults: Faults): WritableStore {
  const fail = (key: string) => new IoError(`injected failure at ${key}`, { operation: 'test', key });
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'write') {
        return async (
          key: string,
          ...rest: Parameters<WritableStore['write']> extends [string, ...infer R] ? R : never
        ) => {
          const when = faults.write?.(key);
          if (when === 'before') throw fail(key);
          const out = await target.write(key, ...rest);
          if (when === 'after') throw fail(key);
          return out;
        };
      }
      if (prop === 'readBytes') {
        return async (key: string, options?: Parameters<WritableStore['readBytes']>[1]) => {
          if (faults.readBytes?.(key)) throw fail(key);
          return target.readBytes(key, options);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function setup(t: Parameters<typeof fsEnv>[0]) {
  const env = await fsEnv(t);
  const plain = await openWritableStore(env.repo);
  const faults: Faults = {};
  const store = faulty(plain, faults);
  const { openRepositoryWriter } = await import('../../lib/txn/writer.js');
  await (await openRepositoryWriter(env.repo, { create: true })).createContainer('books', { agent });
  const writer = new RepositoryWriter(store, await openStorageRoot(store), {});
  const rootKey = () => `${writer.objectKeyOf('books/g')}/inventory.json`;
  const commit = async (text: string) => {
    const [f] = await env.writeDeposit({ [`${text}.txt`]: text });
    return writer
      .begin('books/g', { agent, sources: [env.deposit] })
      .putBinary('a.txt', { source: f!.uri, digest: f!.sha256 })
      .commit();
  };
  return { env, writer, faults, rootKey, commit };
}

async function state(env: TxnEnv) {
  const r = await openRepository(env.repo);
  const versions = await r.versions('info:fedora/books/g').catch(() => []);
  const errors = versions.length
    ? (await r.validateObject('info:fedora/books/g')).errors.map((e) => e.code)
    : [];
  return { versions: versions.length, errors };
}

t.test(
  'after the root inventory, failed writes of the declaration and root sidecar do not undo the commit',
  async (t) => {
    const { env, writer, faults, rootKey, commit } = await setup(t);
    faults.write = (key) =>
      key === `${rootKey()}.sha512` || key.endsWith(`${writer.objectKeyOf('books/g')}/0=ocfl_object_1.1`)
        ? 'before'
        : undefined;
    const v1 = await commit('one');
    t.equal(v1.version, 'v1', 'committed');
    t.equal(v1.pending?.length, 2, 'what is missing is reported');
    t.match(v1.pending?.join('\n'), /declaration[\s\S]*root sidecar/);
    t.same((await state(env)).versions, 1, 'readers see v1');
    faults.write = undefined;
    const v2 = await commit('two');
    t.equal(v2.version, 'v2');
    t.notOk(v2.pending);
    t.same(await state(env), { versions: 2, errors: [] }, 'the next transaction completed the object');
  },
);

t.test('a root inventory write that failed is read back: landed means committed', async (t) => {
  const { env, faults, rootKey, commit } = await setup(t);
  await commit('one');
  faults.write = (key) => (key === rootKey() ? 'after' : undefined);
  t.equal((await commit('two')).version, 'v2', 'the write landed: committed');
  faults.write = undefined;
  t.same(await state(env), { versions: 2, errors: [] });
});

t.test('a root inventory write that failed and did not land releases the version', async (t) => {
  const { env, writer, faults, rootKey, commit } = await setup(t);
  await commit('one');
  faults.write = (key) => (key === rootKey() ? 'before' : undefined);
  await t.rejects(commit('two'), { code: 'IO' });
  faults.write = undefined;
  t.notOk(await env.hasKey(`${writer.objectKeyOf('books/g')}/v2`), 'v2 is gone');
  t.same(await state(env), { versions: 1, errors: [] });
  t.equal((await commit('two')).version, 'v2', 'and the retry succeeds');
});

t.test('when the outcome cannot be read back the version is left for recovery, never deleted', async (t) => {
  const { env, writer, faults, rootKey, commit } = await setup(t);
  await commit('one');
  let written = false; // from the root write on, the root cannot be read either
  faults.write = (key) => {
    if (key !== rootKey()) return undefined;
    written = true;
    return 'after';
  };
  faults.readBytes = (key) => written && key === rootKey();
  await t.rejects(commit('two'), { code: 'IO' });
  faults.write = undefined;
  faults.readBytes = undefined;
  t.ok(await env.hasKey(`${writer.objectKeyOf('books/g')}/v2/inventory.json`), 'v2 is kept');
  t.equal((await state(env)).versions, 2, 'it had committed: readers see v2');
  const report = await writer.recover();
  t.same(
    report.findings.map((f) => `${f.situation}:${f.applied}`),
    ['root-sidecar-mismatch:true'],
    'recovery completes it',
  );
  t.same(await state(env), { versions: 2, errors: [] });
});
