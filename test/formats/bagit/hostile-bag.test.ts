/**
 * Bags (not zipped) from an attacker: a byte-order mark on bagit.txt, tag files past their caps,
 * FIFOs and undecodable names in the payload, and `__proto__` / `constructor` as algorithm
 * names, manifest paths and bag-info labels. Each is a finding with a stable code; nothing hangs,
 * nothing is read that must not be, and no name is swallowed by Object.prototype.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { storeBagSource } from '../../../lib/engine/bag-source.js';
import { BAG_DECLARATION_MAX_BYTES, BAG_INFO_MAX_BYTES } from '../../../lib/formats/bagit/limits.js';
import { parseBagManifests } from '../../../lib/formats/bagit/read.js';
import type { BagSource } from '../../../lib/formats/bagit/source.js';
import { validateBag } from '../../../lib/formats/bagit/validate.js';
import { FsStore } from '../../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../../lib/storage/memory/memory-store.js';
import { toJson } from '../../../server/commands/bag.js';
import { hex, makeBag } from './make-bag.js';

const PAYLOAD = { 'a.txt': 'alpha\n' };
const codes = (r: { issues: { code: string; severity: string }[] }, severity = 'error') =>
  r.issues.filter((i) => i.severity === severity).map((i) => i.code);
const DECL = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

for (const version of ['1.0', '0.97']) {
  t.test(
    `a bagit.txt (${version}) that starts with a UTF-8 byte-order mark makes the bag invalid`,
    async (t) => {
      const bag = makeBag({ payload: PAYLOAD, version, tagAlgorithms: [] });
      t.teardown(bag.cleanup);
      bag.write('bagit.txt', `\uFEFFBagIt-Version: ${version}\nTag-File-Character-Encoding: UTF-8\n`);
      const r = await validateBag(storeBagSource(new FsStore(bag.dir, { readOnly: true })));
      t.equal(r.valid, false);
      t.ok(r.errors.includes('bagit.txt: must be UTF-8 without a byte-order mark'), r.errors.join('\n'));
    },
  );
}

t.test('a bagit.txt past its cap is reported as too large, not read, and not called missing', async (t) => {
  const store = new MemoryStore('bag');
  await store.write('bagit.txt', DECL + '#'.repeat(BAG_DECLARATION_MAX_BYTES));
  await store.write('manifest-sha256.txt', `${hex('alpha\n')}  data/a.txt\n`);
  await store.write('data/a.txt', 'alpha\n');
  const r = await validateBag(storeBagSource(store));
  t.equal(r.valid, false);
  t.same(
    codes(r).filter((c) => c.startsWith('tag-file') || c === 'declaration-missing'),
    ['tag-file-too-large'],
  );
});

t.test('a bag-info.txt the listing says is past its cap is never read', async (t) => {
  const files = new Map<string, string>([
    ['bagit.txt', DECL],
    ['manifest-sha256.txt', `${hex('alpha\n')}  data/a.txt\n`],
    ['data/a.txt', 'alpha\n'],
  ]);
  const reads: string[] = [];
  const source: BagSource = {
    location: 'lying',
    async *list() {
      for (const [path, text] of files) yield { path, size: text.length };
      yield { path: 'bag-info.txt', size: BAG_INFO_MAX_BYTES + 1 };
    },
    async read(path) {
      reads.push(path);
      return Buffer.from(files.get(path) ?? '');
    },
  };
  const r = await validateBag(source);
  t.ok(
    r.errors.includes(`bag-info.txt: larger than ${BAG_INFO_MAX_BYTES} bytes; not read`),
    r.errors.join('\n'),
  );
  t.notOk(reads.includes('bag-info.txt'));
});

t.test('a source whose read ignores the listed size still cannot hand over more than the cap', async (t) => {
  const source: BagSource = {
    location: 'growing',
    async *list() {
      yield { path: 'bagit.txt', size: 10 };
    },
    async read(_path, options) {
      t.equal(options?.maxBytes, BAG_DECLARATION_MAX_BYTES, 'the cap is passed to the source');
      return Buffer.from(DECL);
    },
  };
  await validateBag(source);
});

t.test('a FIFO and a file whose name is not UTF-8 in the payload are errors, never read', async (t) => {
  const bag = makeBag({ payload: PAYLOAD, tagAlgorithms: [] });
  t.teardown(bag.cleanup);
  execFileSync('mkfifo', [join(bag.dir, 'data', 'pipe')]);
  writeFileSync(Buffer.concat([Buffer.from(join(bag.dir, 'data', 'bad-')), Buffer.from([0xff, 0xfe])]), 'x');
  const r = await validateBag(storeBagSource(new FsStore(bag.dir, { readOnly: true })));
  t.equal(r.valid, false);
  t.ok(r.errors.includes('"data/pipe": is a FIFO; not read'), r.errors.join('\n'));
  t.equal(codes(r).filter((c) => c === 'name-not-utf8').length, 1, r.errors.join('\n'));
  t.same(r.payload, { files: 1, octets: 6 }, 'the readable payload is still checked');
});

t.test(
  '__proto__ and constructor as algorithm names, manifest paths and bag-info labels are ordinary strings',
  async (t) => {
    const bag = makeBag({
      payload: { ...PAYLOAD, __proto__x: 'p' },
      tagAlgorithms: [],
      info: ['__proto__: polluted', 'constructor: also', 'toString: text'],
    });
    t.teardown(bag.cleanup);
    bag.write('data/__proto__', 'proto\n');
    bag.write(
      'manifest-sha256.txt',
      `${hex('alpha\n')}  data/a.txt\n${hex('p')}  data/__proto__x\n${hex('proto\n')}  data/__proto__\n`,
    );
    bag.write('manifest-__proto__.txt', `${hex('alpha\n')}  data/a.txt\n`);
    bag.write('tagmanifest-constructor.txt', `${hex(DECL)}  bagit.txt\n`);
    const r = await validateBag(storeBagSource(new FsStore(bag.dir, { readOnly: true })));
    t.same(
      r.errors.filter((e) => !/payload file not listed|Payload-Oxum/.test(e)),
      [],
      'no crash, no spurious errors',
    );
    t.same(r.bag.manifests.map((m) => m.algorithm).sort(), ['__proto__', 'sha256']);
    t.same(
      r.bag.tagManifests.map((m) => m.algorithm),
      ['constructor'],
    );
    t.ok(r.warnings.some((w) => w.startsWith('manifest-__proto__.txt: unknown algorithm')));
    const json = toJson(r) as { bag: { info: Record<string, unknown> } };
    t.same(Object.keys(json.bag.info).sort(), [
      'Bagging-Date',
      'Payload-Oxum',
      '__proto__',
      'constructor',
      'toString',
    ]);
    t.equal(Object.getPrototypeOf({}).polluted, undefined, 'Object.prototype is untouched');
    const files = new Map<string, Uint8Array>([
      ['bagit.txt', Buffer.from(DECL)],
      ['manifest-__proto__.txt', Buffer.from(`${hex('x')}  data/__proto__\n`)],
    ]);
    const reading = parseBagManifests(files);
    t.same(Object.keys(reading.payloadDigests.get('data/__proto__') ?? {}), ['__proto__']);
  },
);
