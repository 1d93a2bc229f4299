import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import t from 'tap';
import { UnsupportedError } from '../../lib/core/errors.js';
import {
  createDigester,
  DigestTransform,
  digestStream,
  isSupportedAlgorithm,
  SUPPORTED_ALGORITHMS,
} from '../../lib/hash/digesters.js';

// Known answers computed with Python's hashlib (FIPS 180 / RFC 7693 examples where they exist);
// the empty-input prefixes agree with extension 0009's table.
const VECTORS: Record<string, Record<string, string>> = {
  '': {
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    sha512:
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    'blake2b-512':
      '786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce',
    'blake2b-160': '3345524abf6bbe1809449224b5972c41790b6cf2',
    'blake2b-256': '0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8',
    'blake2b-384':
      'b32811423377f52d7862286ee1a72ee540524380fda1724a6f25d7978c6fd3244a6caf0498812673c5e05ef583825100',
    'sha512/256': 'c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a',
    size: '0',
  },
  abc: {
    md5: '900150983cd24fb0d6963f7d28e17f72',
    sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
    sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    sha512:
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    'blake2b-512':
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    'blake2b-160': '384264f676f39536840523f284921cdc68b6846b',
    'blake2b-256': 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319',
    'blake2b-384':
      '6f56a82c8e7ef526dfe182eb5212f7db9df1317e57815dbda46083fc30f54ee6c66ba83be64b302d7cba6ce15bb556f4',
    'sha512/256': '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23',
    size: '3',
  },
  'The quick brown fox jumps over the lazy dog': {
    md5: '9e107d9d372bb6826bd81d3542a419d6',
    sha1: '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12',
    sha256: 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592',
    sha512:
      '07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6',
    'blake2b-512':
      'a8add4bdddfd93e4877d2746e62817b116364a1fa7bc148d95090bc7333b3673f82401cf7aa2e4cb1ecd90296e3f14cb5413f8ed77be73045b13914cdcd6a918',
    'blake2b-160': '3c523ed102ab45a37d54f5610d5a983162fde84f',
    'blake2b-256': '01718cec35cd3d796dd00020e0bfecb473ad23457d063b75eff29c0ffa2e58a9',
    'blake2b-384':
      'b7c81b228b6bd912930e8f0b5387989691c1cee1e65aade4da3b86a3c9f678fc8018f6ed9e2906720c8d2a3aeda9c03d',
    'sha512/256': 'dd9d67b371519c339ed8dbd25af90e976a1eeefd4ad3d889005e532fc5bef04d',
    size: '43',
  },
};

const ALL = Object.keys(VECTORS['']!);

/** Deterministic pseudo-random bytes (no RNG: a failure must reproduce). */
function bytes(n: number, seed = 1): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

t.test('every OCFL and extension-0009 algorithm is supported, nothing else', async (t) => {
  t.same([...SUPPORTED_ALGORITHMS].sort(), [...ALL].sort());
  for (const name of ALL) t.ok(isSupportedAlgorithm(name), name);
  for (const name of ['SHA256', 'sha-256', 'sha224', 'blake2b', 'blake2b-128', 'sha3-256', '']) {
    t.notOk(isSupportedAlgorithm(name), `${name} is not an OCFL name`);
  }
});

t.test('each algorithm gives the known answer for its test vectors', async (t) => {
  for (const [input, expected] of Object.entries(VECTORS)) {
    const d = await createDigester(ALL);
    t.same(d.update(Buffer.from(input, 'utf8')).digest(), expected, JSON.stringify(input));
  }
});

t.test('one algorithm alone gives the same answer as in a group', async (t) => {
  for (const alg of ALL) {
    const d = await createDigester([alg]);
    t.same(d.update(Buffer.from('abc')).digest(), { [alg]: VECTORS['abc']![alg] }, alg);
  }
});

t.test('feeding bytes in uneven pieces equals hashing them at once', async (t) => {
  const data = bytes(300_001);
  const whole = (await createDigester(ALL)).update(data).digest();
  const pieces = await createDigester(ALL);
  for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7 + 3) % 65_537) {
    pieces.update(data.subarray(at, at + step));
  }
  t.same(pieces.digest(), whole);
  t.equal(whole['size'], '300001');
  t.equal(whole['sha256'], createHash('sha256').update(data).digest('hex'));
});

t.test('reset starts a fresh input on the same digester', async (t) => {
  const d = await createDigester(['blake2b-256', 'sha1']);
  d.update(Buffer.from('something else entirely')).digest();
  t.throws(() => d.update(Buffer.from('x')), 'update after digest without reset is refused');
  t.same(d.reset().update(Buffer.from('abc')).digest(), {
    'blake2b-256': VECTORS['abc']!['blake2b-256'],
    sha1: VECTORS['abc']!['sha1'],
  });
  t.equal(d.size, 3);
});

t.test('duplicate names are computed once and [] only counts bytes', async (t) => {
  const d = await createDigester(['md5', 'md5']);
  t.same(d.algorithms, ['md5']);
  const none = await createDigester([]);
  t.same(none.update(Buffer.from('abcd')).digest(), {});
  t.equal(none.size, 4);
});

t.test('an unknown algorithm is an UnsupportedError', async (t) => {
  await t.rejects(createDigester(['sha256', 'sha224']), UnsupportedError);
  await t.rejects(createDigester(['sha224']), { code: 'UNSUPPORTED' });
  t.throws(() => new DigestTransform(['whirlpool']), UnsupportedError);
  await t.rejects(digestStream(Readable.from([Buffer.from('x')]), ['crc32']), UnsupportedError);
});

t.test('DigestTransform passes bytes through unchanged while hashing and counting', async (t) => {
  const data = bytes(1_000_000, 7);
  const hasher = new DigestTransform(['sha512', 'blake2b-160', 'size']);
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      out.push(chunk);
      done();
    },
  });
  const chunks = [data.subarray(0, 1), data.subarray(1, 500_000), data.subarray(500_000)];
  await pipeline(Readable.from(chunks), hasher, sink);
  t.ok(Buffer.concat(out).equals(data), 'output equals input');
  const oneShot = (await createDigester(['sha512', 'blake2b-160', 'size'])).update(data).digest();
  t.same(hasher.digests, oneShot);
  t.equal(hasher.size, 1_000_000);
  t.same(await hasher.result, { size: 1_000_000, digests: oneShot });
});

t.test('DigestTransform reuses a digester it is given', async (t) => {
  const d = await createDigester(['md5']);
  d.update(Buffer.from('stale bytes'));
  const hasher = new DigestTransform(d);
  await pipeline(Readable.from([Buffer.from('abc')]), hasher, new Writable({ write: (_c, _e, cb) => cb() }));
  t.same(hasher.digests, { md5: VECTORS['abc']!['md5'] });
});

t.test('DigestTransform.result rejects when the stream fails', async (t) => {
  const hasher = new DigestTransform(['sha256']);
  const failing = new Readable({
    read() {
      this.destroy(new Error('disk on fire'));
    },
  });
  await t.rejects(pipeline(failing, hasher, new Writable({ write: (_c, _e, cb) => cb() })), /disk on fire/);
  await t.rejects(hasher.result);
  t.equal(hasher.digests, undefined);
});

t.test('digestStream of a stream equals the one-shot digest', async (t) => {
  const data = bytes(2_500_000, 3);
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += 65_536) chunks.push(data.subarray(at, at + 65_536));
  const got = await digestStream(Readable.from(chunks), ['sha256', 'blake2b-384', 'size']);
  const oneShot = (await createDigester(['sha256', 'blake2b-384', 'size'])).update(data).digest();
  t.same(got, { size: data.length, digests: oneShot });
});

t.test('digestStream rejects with the abort reason and destroys the stream', async (t) => {
  const ac = new AbortController();
  let destroyed = false;
  let sent = 0;
  const endless = new Readable({
    read() {
      sent++;
      if (sent === 3) ac.abort(new Error('stop now'));
      this.push(Buffer.alloc(1024));
    },
    destroy(err, cb) {
      destroyed = true;
      cb(err);
    },
  });
  await t.rejects(digestStream(endless, ['sha1'], { signal: ac.signal }), /stop now/);
  t.ok(destroyed, 'stream destroyed');
});
