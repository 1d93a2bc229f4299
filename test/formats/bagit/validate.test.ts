/**
 * validateBag on bags written to temp directories, each broken in one way, plus the other kinds
 * of source (memory store under a prefix, a bare list/read source, a zipped fixture).
 */
import { appendFileSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { storeBagSource } from '../../../lib/engine/bag-source.js';
import type { BagSource } from '../../../lib/formats/bagit/source.js';
import { validateBag } from '../../../lib/formats/bagit/validate.js';
import { zipBagSource } from '../../../lib/formats/bagit/zip-source.js';
import { FsStore } from '../../../lib/storage/fs/fs-store.js';
import { MemoryStore } from '../../../lib/storage/memory/memory-store.js';
import { fixturesDir } from '../../helpers/paths.js';
import { type BagSpec, hex, makeBag, type TempBag } from './make-bag.js';

const PAYLOAD = { 'a.txt': 'alpha\n', 'dir/b.csv': 'x,y\n1,2\n', 'with space.txt': 'spaced' };

async function check(t: Test, spec: BagSpec, breakIt: (bag: TempBag) => void = () => {}) {
  const bag = makeBag(spec);
  t.teardown(bag.cleanup);
  breakIt(bag);
  return validateBag(storeBagSource(new FsStore(bag.dir, { readOnly: true })));
}

const codes = (r: { issues: { code: string; severity: string }[] }, severity: string) =>
  r.issues.filter((i) => i.severity === severity).map((i) => i.code);

t.test('a correct 1.0 bag with two algorithms is valid, complete and warning-free', async (t) => {
  const r = await check(t, { payload: PAYLOAD, algorithms: ['sha256', 'sha512'] });
  t.same(
    { valid: r.valid, complete: r.complete, errors: r.errors, warnings: r.warnings },
    {
      valid: true,
      complete: true,
      errors: [],
      warnings: [],
    },
  );
  t.same(r.payload, { files: 3, octets: 6 + 8 + 6 });
  t.equal(r.bag.baggingDate, '2024-01-02');
});

t.test('a changed payload file is a digest mismatch in every manifest', async (t) => {
  const r = await check(t, { payload: PAYLOAD, algorithms: ['sha256', 'md5'] }, (b) =>
    b.write('data/a.txt', 'ALPHA\n'),
  );
  t.same(r.errors, [
    'manifest-md5.txt: digest mismatch data/a.txt',
    'manifest-sha256.txt: digest mismatch data/a.txt',
  ]);
});

t.test('Payload-Oxum that disagrees with the payload is an error', async (t) => {
  const r = await check(t, { payload: PAYLOAD }, (b) => b.write('data/a.txt', 'alpha!\n'));
  t.ok(
    r.errors.includes('bag-info.txt: Payload-Oxum mismatch: declared 20.3, found 21.3'),
    r.errors.join('\n'),
  );
});

t.test('a missing file and an unlisted file are reported with their paths', async (t) => {
  const r = await check(t, { payload: PAYLOAD, tagAlgorithms: [] }, (b) => {
    rmSync(join(b.dir, 'data/dir/b.csv'));
    b.write('data/extra.bin', 'x');
  });
  t.ok(r.errors.includes('manifest-sha256.txt: missing file data/dir/b.csv'));
  t.ok(r.errors.includes('manifest-sha256.txt: payload file not listed data/extra.bin'));
  t.equal(r.complete, false);
});

t.test('a manifest path climbing out of the bag is a path-escape error and is never read', async (t) => {
  const r = await check(t, { payload: PAYLOAD, tagAlgorithms: [] }, (b) =>
    appendFileSync(join(b.dir, 'manifest-sha256.txt'), `${hex('secret')}  data/../../outside.txt\n`),
  );
  t.same(codes(r, 'error'), ['path-escape']);
  t.equal(r.errors[0], 'manifest-sha256.txt: path escapes the bag data/../../outside.txt');
});

t.test('a holey bag is valid but incomplete: fetch.txt files may be absent', async (t) => {
  const r = await check(t, { payload: { ...PAYLOAD, 'remote.bin': 'far away' }, tagAlgorithms: [] }, (b) => {
    rmSync(join(b.dir, 'data/remote.bin'));
    b.write('fetch.txt', 'https://example.org/remote.bin 8 data/remote.bin\n');
  });
  t.equal(r.valid, true, r.errors.join('\n'));
  t.equal(r.complete, false);
  t.same(r.warnings, ['fetch.txt: not fetched yet data/remote.bin']);
});

t.test('a fetch.txt entry that no payload manifest lists is an error', async (t) => {
  const r = await check(t, { payload: PAYLOAD, tagAlgorithms: [] }, (b) =>
    b.write('fetch.txt', 'https://example.org/x - data/x\n'),
  );
  t.ok(r.errors.includes('fetch.txt: not listed in manifest-sha256.txt data/x'), r.errors.join('\n'));
});

t.test('BagIt 1.0 percent-encodes CR, LF and % in manifest paths', async (t) => {
  const payload = { 'line\nbreak.txt': 'nl', '100%.txt': 'pct', '%7Etilde': 'literal' };
  const encode = (p: string) => `data/${p.replace(/%/g, '%25').replace(/\n/g, '%0A')}`;
  const v1 = await check(t, { payload, writePath: encode });
  t.same([v1.valid, v1.errors, v1.warnings], [true, [], []]);
  const v097 = await check(t, { payload: { '100%.txt': 'pct', '%7Etilde': 'literal' }, version: '0.97' });
  t.same([v097.valid, v097.errors], [true, []], '0.97 writes paths literally');
});

t.test('a manifest in NFD for a file stored in NFC is found, with a warning', async (t) => {
  const nfc = 'Nu\u0301n\u0303ez'.normalize('NFC');
  const r = await check(t, {
    payload: { [nfc]: 'n' },
    writePath: (p) => `data/${p.normalize('NFD')}`,
    tagAlgorithms: [],
  });
  t.equal(r.valid, true, r.errors.join('\n'));
  t.same(codes(r, 'warning'), ['normalization-variant']);
});

t.test('the same path twice: a warning before 1.0, an error from 1.0', async (t) => {
  const dup = (b: TempBag) =>
    appendFileSync(join(b.dir, 'manifest-sha256.txt'), `${hex('alpha\n')}  data/a.txt\n`);
  const old = await check(t, { payload: PAYLOAD, version: '0.97', tagAlgorithms: [] }, dup);
  t.same([old.valid, codes(old, 'warning')], [true, ['duplicate-entry']]);
  const v1 = await check(t, { payload: PAYLOAD, tagAlgorithms: [] }, dup);
  t.same([v1.valid, codes(v1, 'error')], [false, ['duplicate-entry']]);
});

t.test('sha224 manifests are verified even though the hashing pool lacks sha224', async (t) => {
  const good = await check(t, { payload: PAYLOAD, algorithms: ['sha224'] });
  t.same([good.valid, good.errors], [true, []]);
  const bad = await check(t, { payload: PAYLOAD, algorithms: ['sha224'] }, (b) =>
    b.write('data/a.txt', 'beta\n'),
  );
  t.ok(bad.errors.includes('manifest-sha224.txt: digest mismatch data/a.txt'), bad.errors.join('\n'));
});

t.test('an unknown algorithm: error when it is the only manifest, warning beside a known one', async (t) => {
  const addWhirlpool = (b: TempBag) =>
    b.write(
      'manifest-whirlpool.txt',
      Object.keys(PAYLOAD)
        .map((p) => `${'ab'.repeat(64)}  data/${p}\n`)
        .join(''),
    );
  const beside = await check(t, { payload: PAYLOAD, tagAlgorithms: [] }, addWhirlpool);
  t.same([beside.valid, codes(beside, 'warning')], [true, ['algorithm-unknown']]);
  const alone = await check(t, { payload: PAYLOAD, tagAlgorithms: [] }, (b) => {
    addWhirlpool(b);
    rmSync(join(b.dir, 'manifest-sha256.txt'));
  });
  t.same([alone.valid, codes(alone, 'error')], [false, ['algorithm-unknown']]);
});

t.test('a tag file that changed after bagging fails its tag manifest', async (t) => {
  const r = await check(t, { payload: PAYLOAD }, (b) =>
    appendFileSync(join(b.dir, 'bag-info.txt'), 'Contact-Name: Someone\n'),
  );
  t.same(r.errors, ['tagmanifest-sha256.txt: digest mismatch bag-info.txt']);
});

t.test('advisories are opt-in: md5-only manifests and uncovered tag files', async (t) => {
  const bag = makeBag({ payload: PAYLOAD, algorithms: ['md5'] });
  t.teardown(bag.cleanup);
  bag.write('notes.txt', 'not in the tag manifest');
  const source = storeBagSource(new FsStore(bag.dir, { readOnly: true }));
  t.same((await validateBag(source)).warnings, []);
  const r = await validateBag(source, { advisories: true });
  t.same(codes(r, 'warning').sort(), ['algorithm-weak', 'tag-file-unlisted']);
});

t.test('a symlinked payload file is reported', async (t) => {
  const r = await check(t, { payload: PAYLOAD, tagAlgorithms: [] }, (b) => {
    rmSync(join(b.dir, 'data/a.txt'));
    writeFileSync(join(b.dir, 'real.txt'), 'alpha\n');
    symlinkSync(join(b.dir, 'real.txt'), join(b.dir, 'data/a.txt'));
  });
  t.ok(codes(r, 'warning').includes('symlink'));
});

t.test('fixity: false checks completeness only', async (t) => {
  const bag = makeBag({ payload: PAYLOAD });
  t.teardown(bag.cleanup);
  bag.write('data/a.txt', 'ALPHA\n');
  const r = await validateBag(storeBagSource(new FsStore(bag.dir, { readOnly: true })), { fixity: false });
  t.same([r.valid, r.errors], [true, []]);
});

t.test('a bag under a prefix of a memory store validates like the same bag on disk', async (t) => {
  const bag = makeBag({ payload: PAYLOAD });
  t.teardown(bag.cleanup);
  const store = new MemoryStore('bag');
  for await (const f of new FsStore(bag.dir).list('', { delimiter: false })) {
    await store.write(`deposits/one/${f.key}`, readFileSync(join(bag.dir, f.key)));
  }
  await store.write('deposits/one/data/a.txt', 'tampered');
  const r = await validateBag(storeBagSource(store, 'deposits/one'));
  t.ok(r.errors.includes('manifest-sha256.txt: digest mismatch data/a.txt'), r.errors.join('\n'));
  t.equal(r.bag.version, '1.0');
});

t.test('a source with only list and read is hashed by the validator itself', async (t) => {
  const bag = makeBag({ payload: PAYLOAD });
  t.teardown(bag.cleanup);
  const fs = new FsStore(bag.dir);
  const bare: BagSource = {
    location: 'bare',
    async *list() {
      for await (const f of fs.list('', { delimiter: false }))
        if (f.kind === 'file') yield { path: f.key, size: f.size };
    },
    read: (p) => fs.readBytes(p),
  };
  t.same((await validateBag(bare)).errors, []);
  bag.write('data/dir/b.csv', 'changed');
  t.ok((await validateBag(bare)).errors.includes('manifest-sha256.txt: digest mismatch data/dir/b.csv'));
});

t.test(
  'a zipped bag (one top folder, an empty directory, deflated members) is read from the zip',
  async (t) => {
    const zip = readFileSync(join(fixturesDir, 'bagit', 'zipped-bag.zip'));
    const r = await validateBag(await zipBagSource(zip, 'zipped-bag.zip'));
    t.same([r.valid, r.errors, r.warnings], [true, [], []]);
    t.same(r.payload, { files: 2, octets: 26 });
  },
);

t.test('macOS __MACOSX/ entries in a zipped bag are not part of the bag', async (t) => {
  const zip = readFileSync(join(fixturesDir, 'bagit', 'zipped-bag-macos.zip'));
  const r = await validateBag(await zipBagSource(zip, 'zipped-bag-macos.zip'));
  t.same([r.valid, r.errors, r.warnings], [true, [], []]);
});
