/**
 * Claims (lib/txn/claim.ts) on the filesystem, where a conditional replace is only emulated, and
 * in memory: exactly one of racing takers of an expired claim wins, a taker that finds the claim
 * renewed meanwhile loses and leaves it as it was, a committed version inventory is never taken
 * over however old it is, and no claim record can hold a version forever.
 */
import { promises as fsp } from 'node:fs';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { MemoryStores } from '../../lib/storage/memory/registry.js';
import type { WritableStore } from '../../lib/storage/port.js';
import { openWritableStore } from '../../lib/storage/writable.js';
import {
  type ClaimRecord,
  claimExpired,
  claimVersion,
  inspectClaim,
  recordFor,
  replaceClaim,
} from '../../lib/txn/claim.js';
import { tempDir } from './helpers.js';

const KEY = 'obj/v2/inventory.json';
const LATER = () => Date.now() + 3600_000;

function request(txId: string, now?: () => number) {
  return {
    txId,
    objectId: 'info:fedora/x',
    version: 'v2',
    baseDigest: null,
    agent: 'a',
    leaseMs: 1000,
    ...(now && { now }),
  };
}

const stores: Array<[string, (t: Parameters<typeof tempDir>[0]) => Promise<WritableStore>]> = [
  ['fs', (t) => openWritableStore(pathToFileURL(tempDir(t, 'claims')).href)],
  ['memory', () => openWritableStore('memory://claims', { memoryStores: new MemoryStores() })],
];

for (const [name, open] of stores) {
  t.test(`${name}: of racing takers of one expired claim exactly one wins, every time`, async (t) => {
    const store = await open(t);
    for (let round = 0; round < 10; round++) {
      await store.delete(KEY);
      await claimVersion(store, KEY, request(`dead-${round}`));
      const takers = Array.from({ length: 4 }, (_, i) =>
        claimVersion(store, KEY, request(`taker-${round}-${i}`, LATER)),
      );
      const outcomes = await Promise.allSettled(takers);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      t.equal(won.length, 1, `round ${round}: one winner`);
      t.ok(
        outcomes.every(
          (o) => o.status === 'fulfilled' || (o.reason as { code?: string }).code === 'CONFLICT',
        ),
        'the others get conflicts',
      );
      const held = (won[0] as PromiseFulfilledResult<{ record: ClaimRecord }>).value.record.txId;
      const found = await inspectClaim(store, KEY, Date.now(), 1000);
      t.equal(found?.kind === 'claim' && found.record.txId, held, 'the claim on disk is the winner’s');
    }
  });

  t.test(
    `${name}: a taker that finds the claim renewed meanwhile loses and leaves the renewal`,
    async (t) => {
      const store = await open(t);
      const first = await claimVersion(store, KEY, request('holder'));
      const renewed = Buffer.from(JSON.stringify(recordFor(request('holder', () => Date.now() + 500))));
      await store.write(KEY, renewed, { ifMatch: first.etag });
      const bytes = Buffer.from(JSON.stringify(recordFor(request('taker'))));
      await t.rejects(replaceClaim(store, KEY, first.etag, bytes), { code: 'PRECONDITION_FAILED' });
      t.same(await store.readBytes(KEY), renewed, 'the renewed claim is in place');
      const listed: string[] = [];
      for await (const e of store.list('obj/v2', { delimiter: false })) listed.push(e.key);
      t.same(listed, [KEY], 'nothing was left beside it');
    },
  );

  t.test(`${name}: a committed version inventory is never taken over by a claim, however old`, async (t) => {
    const store = await open(t);
    await store.write(
      KEY,
      JSON.stringify({ id: 'info:fedora/x', type: 'https://ocfl.io/1.1/spec/#inventory' }),
    );
    await t.rejects(claimVersion(store, KEY, request('stale-base', LATER)), {
      code: 'CONFLICT',
      message: /already exists/,
    });
    t.match((await store.readBytes(KEY)).toString(), /ocfl\.io/, 'untouched');
  });
}

t.test('fs: two takers whose steps interleave worst-case still cannot both take one claim', async (t) => {
  // Hold the first rename(2) (the replace) until the other taker has got as far as it can: with
  // a plain compare-then-rename both pass the compare and both replace; the election lets only
  // one of them reach the replace.
  const store = await openWritableStore(pathToFileURL(tempDir(t, 'claims')).href);
  await claimVersion(store, KEY, request('dead'));
  const rename = fsp.rename;
  let other: () => void = () => {};
  const otherDone = new Promise<void>((r) => {
    other = r;
  });
  let calls = 0;
  fsp.rename = (async (from: string, to: string) => {
    if (++calls === 1) await otherDone;
    else other();
    return rename(from, to);
  }) as typeof fsp.rename;
  try {
    const takers = [request('taker-a', LATER), request('taker-b', LATER)].map((r) =>
      claimVersion(store, KEY, r).finally(() => other()),
    );
    const outcomes = await Promise.allSettled(takers);
    t.same(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected'], 'one taker, one conflict');
  } finally {
    fsp.rename = rename;
  }
});

t.test('no claim record holds a version forever', async (t) => {
  const now = Date.now();
  const record = (expires: string, leaseMs?: number) =>
    ({ ...recordFor(request('x')), expires, ...(leaseMs !== undefined && { leaseMs }) }) as ClaimRecord;
  t.ok(claimExpired(record('not a date'), now, now, 1000), 'an unparseable expiry counts as passed');
  t.ok(claimExpired(record(new Date(now - 1).toISOString()), now, now, 1000), 'a passed expiry');
  const farFuture = new Date(now + 365 * 86400_000).toISOString();
  t.notOk(claimExpired(record(farFuture, 60_000), now - 1000, now, 1000), 'recently rewritten: live');
  t.ok(
    claimExpired(record(farFuture, 60_000), now - 121_000, now, 1000),
    'not rewritten for twice its lease',
  );
  t.ok(
    claimExpired(record(farFuture, 1e15), now - 2 * 86400_000 - 1, now, 1000),
    'a lease claimed beyond a day is capped at a day',
  );
});
