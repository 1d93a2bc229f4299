import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import { ResumableHash } from '../../lib/txn/resumable-hash.js';

t.test('a hash state saved mid-way and loaded in a new hasher gives the digest of the whole', async (t) => {
  const bytes = randomBytes(3 * 1024 * 1024 + 77);
  const cut = 1024 * 1024 + 5;
  const first = await ResumableHash.create(['sha256', 'sha512']);
  first.update(bytes.subarray(0, cut));
  const saved = JSON.parse(JSON.stringify(first.save())); // as stored in a checkpoint
  t.equal(saved.offset, cut);
  const resumed = await ResumableHash.create(['sha256', 'sha512'], saved);
  resumed.update(bytes.subarray(cut));
  t.equal(resumed.offset, bytes.length);
  t.same(resumed.digest(), {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sha512: createHash('sha512').update(bytes).digest('hex'),
  });
});

t.test('a saved state without an algorithm the copy needs is refused', async (t) => {
  const h = await ResumableHash.create(['sha256']);
  await t.rejects(ResumableHash.create(['sha256', 'sha512'], h.save()), { code: 'UNSUPPORTED' });
});
