/**
 * Zipped bags from an attacker: members that climb out or are absolute, symbolic links, duplicate
 * names, names that are not UTF-8, sizes that lie, impossible inflation ratios, overlapping
 * members, too many members. Each makes the bag invalid with an error naming the member (or, for
 * an archive that cannot be read at all, a MalformedError / TooLargeError), and no hostile member
 * is ever inflated past its declared size. Every archive is built here; the "1 GiB" members are
 * deflate streams of zeros made on the fly (about 1 MiB each), never large files on disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import t from 'tap';
import { bytesRandomAccess, type RandomAccessBytes } from '../../../lib/formats/bagit/random-access.js';
import { validateBag } from '../../../lib/formats/bagit/validate.js';
import { openZipBag, type ZipBagOptions, zipBagSource } from '../../../lib/formats/bagit/zip-source.js';
import { buildZip, type ZipSpec } from './zip-writer.js';

const A = 'alpha\n';
const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

/** A valid bag's members (one payload file), followed by `extra`. */
function bag(extra: ZipSpec[] = [], manifestExtra = ''): ZipSpec[] {
  return [
    { name: 'bagit.txt', content: 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' },
    { name: 'manifest-sha256.txt', content: `${sha(A)}  data/a.txt\n${manifestExtra}` },
    { name: 'data/a.txt', content: A, method: 8 },
    ...extra,
  ];
}

async function validate(specs: ZipSpec[], options: ZipBagOptions = {}) {
  const source = await openZipBag(bytesRandomAccess(buildZip(specs)), options);
  try {
    return await validateBag(source);
  } finally {
    await source.close();
  }
}

const issuesOf = (r: { issues: { code: string; severity: string; message: string }[] }, code: string) =>
  r.issues.filter((i) => i.code === code && i.severity === 'error');

/** 1 GiB of zeros, raw-deflated as it is generated (about 1 MiB of output). */
async function deflatedZeros(bytes: number): Promise<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024);
  const source = Readable.from(
    (function* () {
      for (let left = bytes; left > 0; left -= chunk.length)
        yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    })(),
  );
  const out: Buffer[] = [];
  for await (const c of source.pipe(createDeflateRaw({ level: 9 }))) out.push(c as Buffer);
  return Buffer.concat(out);
}

const GiB = 1024 ** 3;
let zerosGiB: Buffer | undefined;
const gibOfZeros = async () => {
  zerosGiB ??= await deflatedZeros(GiB);
  return zerosGiB;
};

t.test('the honest bag these cases start from is valid', async (t) => {
  const r = await validate(bag());
  t.same([r.valid, r.errors], [true, []]);
});

for (const name of [
  '../evil.txt',
  'data/../../evil.txt',
  '/etc/evil',
  'C:\\evil.txt',
  'data\\..\\..\\evil',
  'data/a\u0001b',
]) {
  t.test(
    `a member named ${JSON.stringify(name)} makes the bag invalid and is named in the error`,
    async (t) => {
      const r = await validate(bag([{ name, content: 'x' }]));
      t.equal(r.valid, false);
      const errs = issuesOf(r, 'unsafe-name');
      t.equal(errs.length, 1, JSON.stringify(r.errors));
      t.match(errs[0]!.message, JSON.stringify(name), 'the member is named (quoted)');
    },
  );
}

t.test('a symbolic link member (Unix mode 120777) makes the bag invalid and is never read', async (t) => {
  const r = await validate(
    bag(
      [{ name: 'data/link', content: '/etc/passwd', unixMode: 0o120777 }],
      `${sha('/etc/passwd')}  data/link\n`,
    ),
  );
  t.equal(r.valid, false);
  t.match(issuesOf(r, 'zip-symlink')[0]?.message, '"data/link"');
  t.notOk(
    r.errors.some((e) => /digest mismatch/.test(e)),
    'the link target was not hashed',
  );
});

t.test('FIFO and device members are special files, never read', async (t) => {
  const r = await validate(
    bag([
      { name: 'data/fifo', unixMode: 0o010644 },
      { name: 'data/dev', unixMode: 0o020644 },
    ]),
  );
  t.same(
    issuesOf(r, 'special-file')
      .map((i) => i.message)
      .sort(),
    [
      '"data/dev": zip member is a FIFO, socket or device; not read',
      '"data/fifo": zip member is a FIFO, socket or device; not read',
    ],
  );
});

t.test('a duplicate member name makes the bag invalid; neither copy is believed', async (t) => {
  const r = await validate(bag([{ name: 'data/a.txt', content: 'evil\n' }]));
  t.equal(r.valid, false);
  t.match(issuesOf(r, 'duplicate-member')[0]?.message, '"data/a.txt"');
});

t.test('a member name that is not valid UTF-8 makes the bag invalid', async (t) => {
  const name = Buffer.concat([Buffer.from('data/'), Buffer.from([0xff, 0xfe, 0x41])]);
  const r = await validate(bag([{ name, content: 'x', flags: 0 }]));
  t.equal(r.valid, false);
  t.equal(issuesOf(r, 'name-not-utf8').length, 1);
});

t.test('an encrypted member is refused, not read', async (t) => {
  const r = await validate(bag([{ name: 'data/secret', content: 'x', flags: 0x801 }]));
  t.equal(issuesOf(r, 'member-unsupported').length, 1);
});

t.test(
  'a member declaring 1 KB that inflates to 1 GiB stops at its declared size (the digest fails, memory stays flat)',
  async (t) => {
    const data = await gibOfZeros();
    t.ok(data.length < 2 * 1024 * 1024, `the compressed stream is ${data.length} bytes`);
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const r = await validate(
      bag([{ name: 'data/bomb', method: 8, data, uncompressedSize: 1024 }], `${sha('x')}  data/bomb\n`),
    );
    t.equal(r.valid, false);
    const err = r.issues.find((i) => i.code === 'unreadable-file');
    t.match(err?.message, /inflates past its declared 1024 bytes/);
    t.ok(Date.now() - started < 5000, 'stopped early, not after inflating a gigabyte');
    t.ok(process.memoryUsage().rss - before < 256 * 1024 * 1024, 'memory did not grow by the inflated size');
  },
);

t.test(
  'a large member (streamed, not read whole) that inflates past its declared size fails too',
  async (t) => {
    // 3 MiB of level-0 deflate: over the one-read threshold, so this goes through the stream path.
    const data = deflateRawSync(randomBytes(3 * 1024 * 1024), { level: 0 });
    const r = await validate(
      bag(
        [{ name: 'data/streamed', method: 8, data, uncompressedSize: 1000 }],
        `${sha('x')}  data/streamed\n`,
      ),
    );
    t.match(
      r.issues.find((i) => i.code === 'unreadable-file')?.message,
      /inflates past its declared 1000 bytes/,
    );
  },
);

t.test('a member whose declared ratio deflate cannot reach is refused before inflating', async (t) => {
  const r = await validate(
    bag(
      [{ name: 'data/liar', method: 8, content: 'tiny', uncompressedSize: GiB }],
      `${sha('x')}  data/liar\n`,
    ),
  );
  t.equal(r.valid, false);
  t.match(issuesOf(r, 'member-too-large')[0]?.message, '"data/liar": zip member declares an inflation ratio');
});

t.test('an honest 1 GiB member past maxMemberBytes is refused by its declared size', async (t) => {
  const data = await gibOfZeros();
  const r = await validate(bag([{ name: 'data/big', method: 8, data, uncompressedSize: GiB }]), {
    maxMemberBytes: 64 * 1024 * 1024,
  });
  t.match(
    issuesOf(r, 'member-too-large')[0]?.message,
    '"data/big": zip member is larger than the inflation limit',
  );
});

t.test('members past the total inflation limit are each refused and named', async (t) => {
  const members = [1, 2, 3].map((i) => ({ name: `data/p${i}`, content: 'x'.repeat(1000) }));
  const r = await validate(bag(members), { maxTotalBytes: 2100 });
  t.same(
    issuesOf(r, 'member-too-large').map((i) => i.message.split(':')[0]),
    ['"data/p2"', '"data/p3"'],
  );
});

t.test('members sharing one data range (the overlapping-files bomb) are refused', async (t) => {
  const r = await validate(
    bag([
      { name: 'data/one', content: 'x'.repeat(100) },
      { name: 'data/two', content: 'x'.repeat(100), sameDataAs: 3 },
    ]),
  );
  t.same(
    issuesOf(r, 'member-inconsistent')
      .map((i) => i.message.split(':')[0])
      .sort(),
    ['"data/one"', '"data/two"'],
  );
});

t.test('a stored member whose two sizes differ is refused', async (t) => {
  const r = await validate(bag([{ name: 'data/stored', content: 'abc', uncompressedSize: 100 }]));
  t.match(issuesOf(r, 'member-inconsistent')[0]?.message, 'stored zip member has different');
});

t.test('a member that holds fewer bytes than it declares fails its read', async (t) => {
  const r = await validate(
    bag(
      [{ name: 'data/short', method: 8, content: 'abc', uncompressedSize: 10 }],
      `${sha('abc')}  data/short\n`,
    ),
  );
  t.match(r.issues.find((i) => i.code === 'unreadable-file')?.message, /holds 3 bytes, not the declared 10/);
});

t.test('an archive that names more members than maxMembers is refused with TooLargeError', async (t) => {
  await t.rejects(openZipBag(bytesRandomAccess(buildZip(bag())), { maxMembers: 2 }), { code: 'TOO_LARGE' });
});

t.test('bytes that are not a zip, and a truncated zip, are MalformedErrors, not raw JS errors', async (t) => {
  await t.rejects(zipBagSource(Buffer.from('not a zip at all')), { code: 'MALFORMED' });
  await t.rejects(zipBagSource(Buffer.alloc(0)), { code: 'MALFORMED' });
  const zip = buildZip(bag());
  await t.rejects(zipBagSource(zip.subarray(0, zip.length - 30)), { code: 'MALFORMED' });
  const cut = Buffer.from(zip);
  cut.writeUInt32LE(0xdeadbeef, zip.length - 22 - 46 * 3 - 40); // a damaged central header
  const r = await zipBagSource(cut).then(
    (s) => validateBag(s),
    (err: unknown) => err,
  );
  t.ok(
    r instanceof Error ? (r as { code?: string }).code === 'MALFORMED' : true,
    'damage is malformed or a finding',
  );
});

t.test(
  'the archive is read by ranges: validating a bag with a 20 MB member reads little without fixity',
  async (t) => {
    const big = Buffer.alloc(20 * 1024 * 1024, 7);
    const zip = buildZip(bag([{ name: 'data/big.bin', content: big }], `${sha(big)}  data/big.bin\n`));
    let read = 0;
    const inner = bytesRandomAccess(zip);
    const counting: RandomAccessBytes = {
      size: inner.size,
      readRange(start, end) {
        read += end - start;
        return inner.readRange(start, end);
      },
    };
    const source = await openZipBag(counting);
    const r = await validateBag(source, { fixity: false });
    t.equal(r.valid, true, JSON.stringify(r.errors));
    t.ok(read < 1024 * 1024, `read ${read} bytes of ${zip.length}`);
    read = 0;
    const full = await validateBag(source);
    t.equal(full.valid, true, JSON.stringify(full.errors));
    t.ok(read >= big.length, 'fixity streams the member through');
    await source.close();
  },
);
