/**
 * The streaming inventory reader gives exactly what the JSON.parse path gives: the same value
 * (keys, order, strings, numbers), the same issues with the same codes, the same duplicate keys
 * and unsafe paths, the same digests, whatever the chunking; and it calls text JSON exactly when
 * JSON.parse (over strict UTF-8) does. Checked on every inventory of the shared corpus and on
 * generated ones (random key order, escapes, surrogate pairs, duplicates, nesting, hostile paths).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { findDuplicateKeys } from '../../lib/core/json-scan.js';
import {
  InventoryParser,
  type ParsedInventory,
  parseInventory,
  STREAMING_THRESHOLD_BYTES,
} from '../../lib/core/ocfl/inventory-parse.js';
import { InventoryScanner } from '../../lib/core/ocfl/inventory-scanner.js';
import { INVENTORY_PATH_SAFETY } from '../../lib/core/ocfl/path-safety.js';
import { pathSafetyProblems } from '../../lib/core/paths.js';
import { corpusDir } from '../helpers/paths.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Stream `bytes` through an InventoryParser in chunks of `size` (or at the given cut points). */
function streamed(bytes: Uint8Array, cuts: number | number[], options = {}): ParsedInventory {
  const parser = new InventoryParser({ digestAlgorithms: ['sha256'], ...options });
  const points = typeof cuts === 'number' ? [] : [0, ...cuts, bytes.length];
  if (typeof cuts === 'number') {
    for (let at = 0; at < bytes.length; at += cuts) parser.push(bytes.subarray(at, at + cuts));
  } else {
    for (let i = 1; i < points.length; i++) parser.push(bytes.subarray(points[i - 1], points[i]));
  }
  return parser.end();
}

/** Issues as comparable text: E033 by code only (positions are bytes here, characters there). */
function outcome(p: ParsedInventory) {
  return {
    issues: p.issues.map((i) =>
      i.code === 'E033' && /not valid UTF-8 JSON/.test(i.message) ? 'E033' : `${i.code} ${i.message}`,
    ),
    inventory: p.inventory === undefined ? undefined : JSON.stringify(p.inventory),
    versionNames: p.versionNames,
    specVersion: p.specVersion,
    sha512: p.digests.sha512,
    sha256: p.digests.sha256,
  };
}

function inventoryFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) inventoryFiles(path, out);
    else if (st?.isFile() && /inventory.*\.json$/.test(name) && st.size < 8 * 1024 * 1024) out.push(path);
  }
  return out;
}

t.test('every corpus inventory: the same outcome streamed as parsed whole, in any chunking', async (t) => {
  const files = inventoryFiles(corpusDir);
  t.ok(files.length >= 300, `${files.length} corpus inventories`);
  let everyByte = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const expected = outcome(parseInventory(bytes));
    const label = file.slice(corpusDir.length + 1);
    for (const size of bytes.length < 8192 ? [bytes.length || 1, 7, 1] : [bytes.length, 4096, 7]) {
      t.same(outcome(streamed(bytes, size)), expected, `${label} in chunks of ${size}`);
    }
    if (bytes.length <= 1200) {
      everyByte++;
      for (let cut = 1; cut < bytes.length; cut++) {
        const got = outcome(streamed(bytes, [cut]));
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          t.same(got, expected, `${label} cut at byte ${cut}`);
          break;
        }
      }
    }
  }
  t.ok(everyByte > 30, `${everyByte} small inventories cut at every byte`);
});

/** A tiny deterministic PRNG (xorshift32). */
function prng(seed: number) {
  let x = seed || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)]!,
    shuffle: <T>(a: T[]): T[] => {
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      return a;
    },
  };
}

type Rng = ReturnType<typeof prng>;

const NAMES = [
  'a.txt',
  'dir/b.bin',
  'résumé.pdf',
  '日本/語.txt',
  'emoji 😀.png',
  'x\ty',
  '__proto__',
  'constructor/x',
];
const HOSTILE = ['../escape', '/abs', 'a//b', 'a/./b', 'C:/win', 'a/', '.', 'nul\u0000x', ''];

/** A JSON string literal of `s`, sometimes with every character escaped as \uXXXX. */
function lit(r: Rng, s: string): string {
  if (r.next() < 0.8) return JSON.stringify(s);
  let out = '"';
  for (let i = 0; i < s.length; i++) out += `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return `${out}"`;
}

/** An object literal from [key, value-text] pairs in random order (duplicates kept). */
function obj(r: Rng, pairs: Array<[string, string]>, indent: string): string {
  const items = r.shuffle([...pairs]).map(([k, v]) => `${indent}  ${lit(r, k)}: ${v}`);
  return items.length === 0 ? '{}' : `{\n${items.join(',\n')}\n${indent}}`;
}

/** A random, mostly valid inventory text with random key order and hostile sprinkles. */
function randomInventory(r: Rng): string {
  const versions = 1 + r.int(3);
  const files: Array<{ digest: string; path: string; version: number }> = [];
  const n = 1 + r.int(6);
  for (let i = 0; i < n; i++) {
    const name = r.next() < 0.1 ? r.pick(HOSTILE) : `${i}-${r.pick(NAMES)}`;
    const digest = createHash('sha512').update(`${i}${r.next()}`).digest('hex');
    files.push({
      digest: r.next() < 0.05 ? digest.toUpperCase() : digest,
      path: name,
      version: 1 + r.int(versions),
    });
  }
  const manifest: Array<[string, string]> = files.map((f) => [
    f.digest,
    `[${lit(r, `v${f.version}/content/${f.path}`)}]`,
  ]);
  if (r.next() < 0.15 && files.length > 0) manifest.push([files[0]!.digest, '["v1/content/dup"]']);
  const blocks: Array<[string, string]> = [];
  for (let v = 1; v <= versions; v++) {
    const state = files
      .filter((f) => f.version <= v)
      .map((f): [string, string] => [
        f.digest,
        `[${lit(r, f.path)}${r.next() < 0.1 ? `, ${lit(r, `${f.path}-2`)}` : ''}]`,
      ]);
    if (r.next() < 0.1) state.push(['__proto__', '["p"]']);
    const block: Array<[string, string]> = [
      ['created', lit(r, r.next() < 0.9 ? `2024-01-0${v}T00:00:00Z` : 'yesterday')],
      ['state', obj(r, state, '      ')],
    ];
    if (r.next() < 0.8) block.push(['message', lit(r, `version ${v} \u2028 "quoted" \\ 😀`)]);
    if (r.next() < 0.8)
      block.push([
        'user',
        obj(
          r,
          [
            ['name', lit(r, 'Ünïcödé')],
            ['address', '"mailto:u@x.org"'],
          ],
          '      ',
        ),
      ]);
    if (r.next() < 0.05) block.push(['extra', '[1, -2.5e3, true, false, null, {"deep": [[[]]]}]']);
    blocks.push([r.next() < 0.05 ? `v0${v}` : `v${v}`, obj(r, block, '    ')]);
  }
  const top: Array<[string, string]> = [
    ['id', lit(r, 'info:fedora/x')],
    ['type', '"https://ocfl.io/1.1/spec/#inventory"'],
    ['digestAlgorithm', r.next() < 0.9 ? '"sha512"' : r.pick(['"md5"', '7', '["sha512"]'])],
    ['head', `"v${versions}"`],
    ['manifest', obj(r, manifest, '  ')],
    ['versions', obj(r, blocks, '  ')],
  ];
  if (r.next() < 0.3) top.push(['contentDirectory', '"content"']);
  if (r.next() < 0.2) {
    const md5 = files.map((f): [string, string] => [
      createHash('md5').update(f.digest).digest('hex'),
      `[${lit(r, `v${f.version}/content/${f.path}`)}]`,
    ]);
    top.push(['fixity', obj(r, [['md5', obj(r, md5, '    ')]], '  ')]);
  }
  if (r.next() < 0.05) top.push(['head', '"v1"']);
  return obj(r, top, '');
}

t.test('generated inventories: the same outcome streamed, cut anywhere, as parsed whole', async (t) => {
  const r = prng(20261203);
  for (let i = 0; i < 300; i++) {
    const bytes = Buffer.from(randomInventory(r));
    const expected = outcome(parseInventory(bytes));
    const cuts = [r.int(bytes.length), r.int(bytes.length)].sort((a, b) => a - b);
    t.same(outcome(streamed(bytes, cuts)), expected, `inventory ${i} cut at ${cuts}`);
    if (i < 20) {
      for (let cut = 1; cut < bytes.length; cut += 1) {
        const got = outcome(streamed(bytes, [cut]));
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          t.same(got, expected, `inventory ${i} cut at byte ${cut}`);
          break;
        }
      }
    }
  }
});

t.test('JSON or not: the scanner agrees with JSON.parse over strict UTF-8, value for value', async (t) => {
  const texts = [
    '',
    ' ',
    '{}',
    '[]',
    '{"a":1}',
    '{"a":1,}',
    '[1,]',
    '{"a" 1}',
    '{"a":}',
    '{a:1}',
    "{'a':1}",
    '{"a":1}x',
    '{"a":1} {}',
    '"\\u00e9\\ud83d\\ude00\\ud800"',
    '"\\x"',
    '"\\u12"',
    '"tab\tinside"',
    '"line\nbreak"',
    '01',
    '-0',
    '-',
    '1.',
    '.5',
    '1e5',
    '1E+5',
    '1e',
    '-1.25e-3',
    '123456789012345678901234567890',
    'true',
    'tru',
    'nul',
    'null ',
    'falsey',
    '[true,false,null]',
    '{"__proto__": {"x": 1}, "constructor": 2, "toString": [3]}',
    '{"a": 1, "a": 2, "b": {"a": 3, "\\u0061": 4}}',
    '\ufeff{}',
    '[[[[[[[[[[]]]]]]]]]]',
    '{"k": "😀 日本 é"}',
    '"unterminated',
    '["a" "b"]',
    '{"a":1 "b":2}',
    '[1 2]',
    '}',
    ']',
    '{"a":[}',
  ];
  const r = prng(7);
  for (let i = 0; i < 200; i++) {
    const base = randomInventory(r);
    const cut = r.int(base.length);
    texts.push(
      r.next() < 0.5
        ? base.slice(0, cut)
        : base.slice(0, cut) + String.fromCharCode(r.int(128)) + base.slice(cut + 1),
    );
  }
  const raw: Buffer[] = [
    Buffer.from([0x22, 0xc3, 0x28, 0x22]), // invalid UTF-8 in a string
    Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), // an encoded surrogate: not UTF-8
    Buffer.from([0x22, 0xf0, 0x9f, 0x98, 0x80, 0x22]), // 😀 raw
    Buffer.from([0x5b, 0x31, 0x2c, 0xff, 0x5d]), // a stray byte
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a byte-order mark
  ];
  for (const text of texts) raw.push(Buffer.from(text));
  for (const bytes of raw) {
    let expected: unknown;
    let ok = true;
    try {
      expected = JSON.parse(strictUtf8.decode(bytes));
    } catch {
      ok = false;
    }
    for (const size of [bytes.length || 1, 1, 3]) {
      const scanner = new InventoryScanner();
      for (let at = 0; at < bytes.length; at += size) scanner.push(bytes.subarray(at, at + size));
      const scan = scanner.end();
      const label = `${JSON.stringify(bytes.toString('latin1').slice(0, 60))} in chunks of ${size}`;
      t.equal(scan.syntaxError === undefined, ok, `${label}: ${scan.syntaxError ?? 'JSON'}`);
      if (ok && scan.syntaxError === undefined) {
        t.equal(JSON.stringify(scan.value), JSON.stringify(expected), label);
        t.same(
          scan.duplicates.map((d) => [d.key, d.where, d.offset]),
          findDuplicateKeys(bytes).map((d) => [d.key, d.where, d.offset]),
          `${label}: duplicates`,
        );
      }
    }
  }
});

t.test('objects have null prototypes: __proto__ and constructor are plain keys', async (t) => {
  const scanner = new InventoryScanner();
  scanner.push(Buffer.from('{"__proto__": {"polluted": true}, "constructor": 1}'));
  const value = scanner.end().value as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(value), null);
  t.same(Object.keys(value), ['__proto__', 'constructor']);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
});

t.test('with checkPaths, the first unsafe path is the one the path-safety function refuses', async (t) => {
  const D = 'a'.repeat(128);
  for (const p of [...HOSTILE, 'ok/path', 'a..b/c', '.hidden', 'dir/..x', 'C:x', 'x/C:/y']) {
    const unsafe = pathSafetyProblems(p, INVENTORY_PATH_SAFETY).length > 0;
    for (const [text, what] of [
      [JSON.stringify({ manifest: { [D]: [p] } }), 'content path'],
      [JSON.stringify({ versions: { v1: { state: { [D]: ['safe', p] } } } }), 'logical path'],
      [JSON.stringify({ fixity: { md5: { [D]: [p] } } }), 'content path'],
    ] as const) {
      const scanner = new InventoryScanner({ checkPaths: true });
      scanner.push(Buffer.from(text));
      const scan = scanner.end();
      t.same(scan.unsafe, unsafe ? { path: p, what } : undefined, `${JSON.stringify(p)} as a ${what}`);
    }
  }
  const scanner = new InventoryScanner({ checkPaths: true });
  scanner.push(Buffer.from(JSON.stringify({ versions: { v1: { message: '../x', state: {} } }, id: '/abs' })));
  t.equal(scanner.end().unsafe, undefined, 'strings outside the path maps are not paths');
});

t.test('nesting past the depth limit is a syntax error, not a stack overflow', async (t) => {
  const scanner = new InventoryScanner({ maxDepth: 512 });
  scanner.push(Buffer.from(`{"x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
  t.match(scanner.end().syntaxError, /nested deeper than 512 levels at position 517$/);
  const ok = new InventoryScanner({ maxDepth: 512 });
  ok.push(Buffer.from(`${'['.repeat(500)}${']'.repeat(500)}`));
  t.equal(ok.end().syntaxError, undefined);
});

t.test(
  'limits: more bytes than maxBytes, or a longer string than maxTokenBytes, is TooLargeError',
  async (t) => {
    const scanner = new InventoryScanner({ maxBytes: 10 });
    t.throws(() => scanner.push(Buffer.from('{"id": "0123456789"}')), { code: 'TOO_LARGE' });
    const token = new InventoryScanner({ maxTokenBytes: 100 });
    token.push(Buffer.from('{"id": "'));
    t.throws(
      () => {
        for (let i = 0; i < 20; i++) token.push(Buffer.from('0123456789'));
      },
      { code: 'TOO_LARGE', message: /string or number of more than 100 bytes/ },
    );
    const whole = new InventoryScanner({ maxTokenBytes: 100 });
    t.throws(() => whole.push(Buffer.from(`["${'x'.repeat(200)}"]`)), { code: 'TOO_LARGE' });
  },
);

t.test('a long string split over many chunks is joined once, not once per chunk', async (t) => {
  const scanner = new InventoryScanner();
  const piece = Buffer.alloc(64 * 1024, 0x61);
  scanner.push(Buffer.from('{"message": "'));
  const started = performance.now();
  for (let i = 0; i < 256; i++) scanner.push(piece); // 16 MiB in 64 KiB pieces
  scanner.push(Buffer.from('"}'));
  const value = scanner.end().value as { message: string };
  t.equal(value.message.length, 16 * 1024 * 1024);
  t.ok(performance.now() - started < 5000, `${(performance.now() - started).toFixed(0)} ms`);
});

t.test(
  'version blocks equal to the reference are the reference, and paths repeat as one array',
  async (t) => {
    const D1 = 'a'.repeat(128);
    const D2 = 'b'.repeat(128);
    const user = { name: 'n', address: 'mailto:n@x.org' };
    const v1 = { created: '2024-01-01T00:00:00Z', message: 'm', user, state: { [D1]: ['a.txt'] } };
    const v2 = {
      created: '2024-01-02T00:00:00Z',
      message: 'm',
      user,
      state: { [D1]: ['a.txt'], [D2]: ['b.txt'] },
    };
    const inv = {
      id: 'info:fedora/x',
      type: 'https://ocfl.io/1.1/spec/#inventory',
      digestAlgorithm: 'sha512',
      head: 'v2',
      manifest: { [D1]: ['v1/content/a.txt'], [D2]: ['v2/content/b.txt'] },
      versions: { v1, v2 },
    };
    const root = streamed(Buffer.from(JSON.stringify(inv, null, 2)), 5).inventory!;
    t.equal(
      root.versions.v2!.state[D1],
      root.versions.v1!.state[D1],
      'v2 shares v1’s array for an unchanged file',
    );
    const older = { ...inv, head: 'v1', manifest: { [D1]: ['v1/content/a.txt'] }, versions: { v1 } };
    const parsed = streamed(Buffer.from(JSON.stringify(older)), 3, { reference: root });
    t.same(parsed.issues, []);
    t.equal(
      parsed.inventory!.versions.v1!.state,
      root.versions.v1!.state,
      'the reference’s state block itself',
    );
    t.equal(parsed.inventory!.manifest[D1], root.manifest[D1], 'the reference’s manifest array');
    const changed = { ...older, versions: { v1: { ...v1, state: { [D1]: ['other.txt'] } } } };
    const differs = streamed(Buffer.from(JSON.stringify(changed)), 4, { reference: root }).inventory!;
    t.same(differs.versions.v1!.state, { [D1]: ['other.txt'] }, 'a block that differs is read as written');
    t.not(differs.versions.v1!.state, root.versions.v1!.state);
  },
);

t.test('parseInventory streams above the threshold and agrees with the JSON.parse path', async (t) => {
  t.equal(STREAMING_THRESHOLD_BYTES, 128 * 1024 * 1024);
  const r = prng(99);
  const bytes = Buffer.from(randomInventory(r));
  const padded = Buffer.concat([bytes, Buffer.alloc(STREAMING_THRESHOLD_BYTES - bytes.length, 0x20)]);
  const whole = outcome(parseInventory(padded.subarray(0, padded.length - 1)));
  const big = outcome(parseInventory(padded));
  t.same({ ...big, sha512: '', sha256: '' }, { ...whole, sha512: '', sha256: '' });
  t.equal(big.sha512, createHash('sha512').update(padded).digest('hex'));
});
