/**
 * One contract case per capability (lib/storage/capabilities.ts). Each asks the store what it
 * claims and holds it to that: an `atomic` claim is proved with racing callers (exactly the
 * allowed number win), an `emulated` one gets its single-caller semantics checked and only the
 * weaker race outcome asserted, an `unsupported` one must throw UNSUPPORTED and change nothing.
 */
import type { Test } from 'tap';
import type { Guarantee, StoreCapabilities, WritableStore } from '../../lib/storage/port.js';
import { type Body, seed } from './contract-util.js';

const WRITERS = 8;

/** Settle `tasks` together; the indices that succeeded and the errors of the rest. */
async function race(tasks: Array<() => Promise<unknown>>): Promise<{ won: number[]; errors: unknown[] }> {
  const results = await Promise.allSettled(tasks.map((task) => task()));
  const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  return { won, errors };
}

/** Atomic: exactly one winner. Emulated: at least one. Losers fail only with `code`. */
function checkRace(
  t: Test,
  guarantee: Guarantee,
  outcome: { won: number[]; errors: unknown[] },
  code: string,
) {
  if (guarantee === 'atomic') t.equal(outcome.won.length, 1, 'atomic: exactly one racer wins');
  else t.ok(outcome.won.length >= 1, `emulated: at least one racer wins (${outcome.won.length} did)`);
  for (const err of outcome.errors) t.match(err, { code }, `losers fail with ${code}`);
}

async function text(store: WritableStore, key: string): Promise<string> {
  return (await store.readBytes(key)).toString();
}

export const capabilityCases: Record<string, Body> = {
  'capabilities: the descriptor names a known value for every capability': async (t, store) => {
    const caps = await store.capabilities();
    const guarantees = ['atomic', 'emulated', 'unsupported'];
    for (const name of [
      'conditionalCreate',
      'conditionalReplace',
      'conditionalDelete',
      'copyIfAbsent',
      'rename',
    ] as const) {
      t.ok(guarantees.includes(caps[name]), `${name}: ${caps[name]}`);
    }
    t.ok(['on-write', 'after-sync', 'none'].includes(caps.durability), `durability: ${caps.durability}`);
    t.equal(typeof caps.serverSideSha256, 'boolean');
    t.ok(caps.atomicWriteMaxBytes >= 5 * 1024 * 1024, 'at least a 5 MiB body goes in one step');
    t.same(await store.capabilities(), caps, 'asking again gives the same answer');
  },

  'capability conditionalCreate: racing creators of one key, and the fallback': async (t, store) => {
    const caps = await store.capabilities();
    if (caps.conditionalCreate === 'unsupported') {
      await t.rejects(store.write('c/race', 'x', { ifNoneMatch: true }), { code: 'UNSUPPORTED' });
      t.equal(await store.exists('c/race'), false, 'nothing written');
      return;
    }
    const outcome = await race(
      Array.from(
        { length: WRITERS },
        (_, i) => () => store.write('c/race', `writer ${i}`, { ifNoneMatch: true }),
      ),
    );
    checkRace(t, caps.conditionalCreate, outcome, 'ALREADY_EXISTS');
    const stored = await text(store, 'c/race');
    t.ok(
      outcome.won.some((i) => stored === `writer ${i}`),
      `a winner's bytes are stored (${stored})`,
    );
  },

  'capability conditionalReplace: racing replacers holding one etag, and the fallback': async (t, store) => {
    const caps = await store.capabilities();
    const { etag } = await store.write('r/x', 'v1');
    const e1 = etag ?? (await store.stat('r/x')).etag!;
    if (caps.conditionalReplace === 'unsupported') {
      await t.rejects(store.write('r/x', 'v2', { ifMatch: e1 }), { code: 'UNSUPPORTED' });
      t.equal(await text(store, 'r/x'), 'v1', 'unchanged');
      return;
    }
    const outcome = await race(
      Array.from({ length: WRITERS }, (_, i) => () => store.write('r/x', `replacer ${i}`, { ifMatch: e1 })),
    );
    checkRace(t, caps.conditionalReplace, outcome, 'PRECONDITION_FAILED');
    const stored = await text(store, 'r/x');
    t.ok(
      outcome.won.some((i) => stored === `replacer ${i}`),
      `a winner's bytes are stored (${stored})`,
    );
    await t.rejects(
      store.write('r/x', 'late', { ifMatch: e1 }),
      { code: 'PRECONDITION_FAILED' },
      'stale etag',
    );
    t.equal(await text(store, 'r/x'), stored);
  },

  'capability conditionalDelete: wrong or stale etags keep the object; a race with a replace': async (
    t,
    store,
  ) => {
    const caps = await store.capabilities();
    const { etag } = await store.write('d/x', 'v1');
    const e1 = etag ?? (await store.stat('d/x')).etag!;
    if (caps.conditionalDelete === 'unsupported') {
      await t.rejects(store.delete('d/x', { ifMatch: e1 }), { code: 'UNSUPPORTED' });
      t.equal(await store.exists('d/x'), true, 'kept');
      return;
    }
    await t.rejects(store.delete('d/x', { ifMatch: 'not-the-etag' }), {
      code: 'PRECONDITION_FAILED',
      key: 'd/x',
    });
    t.equal(await text(store, 'd/x'), 'v1', 'a wrong etag keeps the object');
    await t.rejects(store.delete('d/none', { ifMatch: e1 }), { code: 'PRECONDITION_FAILED' }, 'missing key');
    await store.delete('d/x', { ifMatch: e1 });
    t.equal(await store.exists('d/x'), false, 'the current etag deletes');

    for (let round = 0; round < 4; round++) {
      const key = `d/race-${round}`;
      const { etag: put } = await store.write(key, 'base');
      const base = put ?? (await store.stat(key)).etag!;
      const replace = () => store.write(key, 'replaced', { ifMatch: base });
      const remove = () => store.delete(key, { ifMatch: base });
      const outcome = await race(round % 2 === 0 ? [replace, remove] : [remove, replace]);
      if (caps.conditionalDelete === 'atomic' && caps.conditionalReplace === 'atomic') {
        t.equal(outcome.won.length, 1, `round ${round}: exactly one of replace and delete wins`);
        for (const err of outcome.errors) t.match(err, { code: 'PRECONDITION_FAILED' });
        const deleteWon = outcome.won[0] === (round % 2 === 0 ? 1 : 0);
        t.equal(await store.exists(key), !deleteWon, 'the state is the winner’s');
      } else {
        t.ok(outcome.won.length >= 1, `round ${round}: emulated: at least one wins`);
      }
    }
  },

  'capability copyIfAbsent: racing copies to one destination, and the fallback': async (t, store) => {
    const caps = await store.capabilities();
    await seed(
      store,
      Object.fromEntries(Array.from({ length: WRITERS }, (_, i) => [`cp/src-${i}`, `source ${i}`])),
    );
    await seed(store, { 'cp/taken': 'old' });
    if (caps.copyIfAbsent === 'unsupported') {
      await t.rejects(store.copy('cp/src-0', 'cp/dst', { ifNoneMatch: true }), { code: 'UNSUPPORTED' });
      return;
    }
    await t.rejects(store.copy('cp/src-0', 'cp/taken', { ifNoneMatch: true }), { code: 'ALREADY_EXISTS' });
    t.equal(await text(store, 'cp/taken'), 'old', 'an existing destination is kept');
    const outcome = await race(
      Array.from(
        { length: WRITERS },
        (_, i) => () => store.copy(`cp/src-${i}`, 'cp/dst', { ifNoneMatch: true }),
      ),
    );
    checkRace(t, caps.copyIfAbsent, outcome, 'ALREADY_EXISTS');
    const stored = await text(store, 'cp/dst');
    t.ok(
      outcome.won.some((i) => stored === `source ${i}`),
      `a winner's source is stored (${stored})`,
    );
  },

  'capability rename: moves, refuses what it must, and racing renames of one source': async (t, store) => {
    const caps = await store.capabilities();
    await seed(store, { 'mv/a': 'A', 'mv/taken': 'T', 'mv/deep/b': 'B' });
    if (caps.rename === 'unsupported') {
      await t.rejects(store.rename('mv/a', 'mv/z'), { code: 'UNSUPPORTED' });
      return;
    }
    await store.rename('mv/a', 'mv/new/place');
    t.equal(await text(store, 'mv/new/place'), 'A');
    t.equal(await store.exists('mv/a'), false, 'the source is gone');
    await t.rejects(store.rename('mv/a', 'mv/other'), { code: 'NOT_FOUND', key: 'mv/a' });
    await t.rejects(store.rename('mv/new/place', 'mv/taken', { ifNoneMatch: true }), {
      code: 'ALREADY_EXISTS',
    });
    t.equal(await text(store, 'mv/taken'), 'T', 'the destination is kept');
    t.equal(await text(store, 'mv/new/place'), 'A', 'and so is the source');
    await store.rename('mv/new/place', 'mv/taken');
    t.equal(await text(store, 'mv/taken'), 'A', 'without ifNoneMatch the destination is replaced');
    await store.rename('mv/deep/b', 'mv/fresh', { ifNoneMatch: true });
    t.equal(await text(store, 'mv/fresh'), 'B');
    t.equal(await store.exists('mv/deep/b'), false);

    await seed(store, { 'mv/once': 'O' });
    const outcome = await race(
      Array.from({ length: 6 }, (_, i) => () => store.rename('mv/once', `mv/to-${i}`)),
    );
    checkRace(t, caps.rename, outcome, 'NOT_FOUND');
    t.equal(await store.exists('mv/once'), false, 'the source is gone');
    for (const i of outcome.won) t.equal(await text(store, `mv/to-${i}`), 'O', `destination ${i} is whole`);
  },

  'capability durability: sync accepts what was written and checks keys as declared': async (t, store) => {
    const caps = await store.capabilities();
    const keys = ['s/1', 's/2/deep', 's/3'];
    for (const key of keys) await store.write(key, key);
    await store.copy('s/1', 's/copied');
    await store.sync([...keys, 's/copied']);
    await store.sync([]);
    await t.rejects(store.sync(['a//b']), { code: 'INVALID_INPUT' });
    if (caps.durability === 'after-sync') {
      await t.rejects(store.sync(['s/1', 's/missing']), { code: 'NOT_FOUND', key: 's/missing' });
    } else {
      await store.sync(['s/missing']); // nothing to flush, nothing checked
      t.pass(`${caps.durability}: sync has nothing to do`);
    }
  },

  'capability serverSideSha256: stat reports the digest exactly where the backend claims it': async (
    t,
    store,
  ) => {
    const caps: StoreCapabilities = await store.capabilities();
    const sha256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const res = await store.write('h/abc', 'abc', { sha256 });
    t.equal(res.sha256, sha256, 'the write reports the digest it sent');
    const plain = await store.write('h/plain', 'abc');
    t.equal(plain.sha256, sha256, 'also without a declared digest');
    const st = await store.stat('h/abc');
    if (caps.serverSideSha256) {
      t.equal(st.sha256, sha256, 'claimed: stat vouches for the digest');
      const other = await store.stat('h/plain');
      if (other.sha256 !== undefined) t.equal(other.sha256, sha256, 'and is never wrong');
    } else {
      t.equal(st.sha256, undefined, 'not claimed: stat never reports one');
      t.equal((await store.stat('h/plain')).sha256, undefined);
    }
  },
};
