import { createHash } from 'node:crypto';
import t from 'tap';
import type { FedoraHeader } from '../../lib/core/fedora/headers.js';
import { parseFedoraHeader } from '../../lib/core/fedora/headers.js';
import { buildObjectResources } from '../../lib/core/fedora/resources.js';
import type { Inventory } from '../../lib/core/inventory.js';
import { validateInventory } from '../../lib/core/ocfl/inventory-validate.js';
import type { ObjectChange } from '../../lib/core/plan/changes.js';
import {
  type CopiedContent,
  finalizeVersion,
  headersNeeded,
  nextVersionName,
  planVersion,
} from '../../lib/core/plan/version-plan.js';

const sha = (alg: string, text: string) => createHash(alg).update(text).digest('hex');

/** Bytes of the "source" files the changes point at. */
const SOURCES: Record<string, string> = {
  's3://deposits/d1/mets.xml': '<mets/>',
  's3://deposits/d1/objects/a b.tif': 'image bytes',
  's3://deposits/d1/objects/copy.tif': 'image bytes',
  's3://deposits/d2/mets.xml': '<mets v="2"/>',
};

function put(path: string, source: string, extra: Partial<ObjectChange> = {}): ObjectChange {
  return { op: 'putBinary', path, source, sha256: sha('sha256', SOURCES[source]!), ...extra } as ObjectChange;
}

/** Run a plan to the end the way the transaction module does, with pretend copies. */
function commit(
  base: Inventory | undefined,
  headers: Map<string, FedoraHeader>,
  changes: ObjectChange[],
  created: string,
  who: { agent: { name: string; address?: string }; message?: string } = {
    agent: { name: 'https://example.org/agents/ingest' },
    message: 'test',
  },
) {
  const plan = planVersion({
    objectId: 'info:fedora/books/b1',
    parentId: 'info:fedora/books',
    rootKind: 'ArchivalGroup',
    rootName: base ? undefined : 'Book one',
    ...(base && { base }),
    baseHeaders: headers,
    changes,
    created,
    agent: who.agent,
    ...(who.message !== undefined && { message: who.message }),
  });
  const results = new Map<string, CopiedContent>();
  for (const c of plan.copies) {
    const text = SOURCES[c.source]!;
    results.set(c.contentPath, { digest: sha(plan.digestAlgorithm, text), size: Buffer.byteLength(text) });
  }
  const done = finalizeVersion(plan, results);
  const written = new Map<string, Uint8Array>();
  for (const f of done.files) written.set(f.contentPath, f.bytes);
  return { plan, done, written };
}

/** Headers of the inventory's head, parsed from files written so far. */
function headersOf(inv: Inventory, files: Map<string, Uint8Array>): Map<string, FedoraHeader> {
  const out = new Map<string, FedoraHeader>();
  const pathOf = new Map<string, string>();
  for (const [d, paths] of Object.entries(inv.manifest)) pathOf.set(d, paths[0]!);
  for (const [digest, logicals] of Object.entries(inv.versions[inv.head]!.state)) {
    for (const l of logicals)
      if (l.startsWith('.fcrepo/')) out.set(l, parseFedoraHeader(files.get(pathOf.get(digest)!)!));
  }
  return out;
}

t.test(
  'a new Archival Group: containers, binaries with awkward names, dedup by SHA-256, valid inventory',
  async (t) => {
    const { plan, done, written } = commit(
      undefined,
      new Map(),
      [
        put('mets.xml', 's3://deposits/d1/mets.xml', { contentType: 'application/xml' }),
        { op: 'createContainer', path: 'objects', name: 'Objects (scans)' },
        put('objects/a b.tif', 's3://deposits/d1/objects/a b.tif', { name: 'a b.tif' }),
        put('objects/copy.tif', 's3://deposits/d1/objects/copy.tif'),
      ],
      '2026-01-01T10:00:00.000Z',
    );
    t.equal(plan.version, 'v1');
    t.same(
      plan.copies.map((c) => c.contentPath),
      ['v1/content/mets.xml', 'v1/content/objects/a%20b.tif'],
      'identical bytes are copied once, under the mapped name',
    );
    t.same(plan.applied.binariesAdded, ['mets.xml', 'objects/a b.tif', 'objects/copy.tif']);
    const inv = done.inventory;
    const report = validateInventory(JSON.parse(JSON.stringify(inv)), {});
    t.same(
      report.issues.filter((i) => i.code.startsWith('E')),
      [],
      'the inventory passes our validator',
    );
    t.equal(inv.head, 'v1');
    t.equal(inv.digestAlgorithm, 'sha512');
    const state = inv.versions.v1!.state;
    const logicals = Object.values(state).flat().sort();
    t.same(logicals, [
      '.fcrepo/fcr-root.json',
      '.fcrepo/mets.xml.json',
      '.fcrepo/objects.json',
      '.fcrepo/objects/a b.tif.json',
      '.fcrepo/objects/copy.tif.json',
      'fcr-container.nt',
      'mets.xml',
      'objects/a b.tif',
      'objects/copy.tif',
      'objects/fcr-container.nt',
    ]);
    t.same(
      inv.fixity?.sha256?.[sha('sha256', '<mets/>')],
      ['v1/content/mets.xml'],
      'sha256 fixity for reuse',
    );
    const headers = headersOf(inv, written);
    const model = buildObjectResources({ inventory: inv, version: 'v1', headers });
    t.equal(model.source, 'fedora');
    t.equal(model.root.type, 'ArchivalGroup');
    const tif = model.byPath.get('objects/a b.tif');
    t.equal(tif?.type, 'Binary');
    t.equal(tif?.name, 'a b.tif');
    t.equal((tif as { digest?: string }).digest, sha('sha256', 'image bytes'));
    t.equal((model.byPath.get('mets.xml') as { contentType?: string }).contentType, 'application/xml');
    t.equal(headers.get('.fcrepo/objects/copy.tif.json')?.archivalGroupId, 'info:fedora/books/b1');
    t.equal(headers.get('.fcrepo/fcr-root.json')?.archivalGroup, true);
  },
);

t.test(
  'the next version patches, deletes to a tombstone, renames, and copies only what is new',
  async (t) => {
    const first = commit(
      undefined,
      new Map(),
      [
        put('mets.xml', 's3://deposits/d1/mets.xml'),
        { op: 'createContainer', path: 'objects' },
        put('objects/a b.tif', 's3://deposits/d1/objects/a b.tif'),
      ],
      '2026-01-01T10:00:00.000Z',
    );
    const v1 = first.done.inventory;
    const changes: ObjectChange[] = [
      put('mets.xml', 's3://deposits/d2/mets.xml'),
      { op: 'delete', path: 'objects/a b.tif' },
      put('objects/again.tif', 's3://deposits/d1/objects/copy.tif'),
      { op: 'rename', path: 'objects', name: 'Renamed folder' },
    ];
    const all = headersOf(v1, first.written);
    const needed = new Map(
      headersNeeded(changes).flatMap((p) => (all.has(p) ? [[p, all.get(p)!] as const] : [])),
    );
    const second = commit(v1, needed, changes, '2026-01-02T10:00:00.000Z');
    t.equal(second.plan.version, 'v2');
    t.same(
      second.plan.copies.map((c) => c.contentPath),
      ['v2/content/mets.xml'],
      'the tif bytes are already stored',
    );
    t.same(second.plan.applied.binariesPatched, ['mets.xml']);
    t.same(second.plan.applied.deleted, ['objects/a b.tif']);
    const inv = second.done.inventory;
    const headers = headersOf(inv, new Map([...first.written, ...second.written]));
    const model = buildObjectResources({ inventory: inv, version: 'v2', headers });
    t.same(
      model.tombstones.map((x) => x.path),
      ['objects/a b.tif'],
    );
    t.equal(model.byPath.get('objects/again.tif')?.type, 'Binary');
    t.equal(headers.get('.fcrepo/mets.xml.json')?.createdDate, '2026-01-01T10:00:00.000Z', 'created is kept');
    t.equal(headers.get('.fcrepo/mets.xml.json')?.lastModifiedDate, '2026-01-02T10:00:00.000Z');
    t.equal(
      headers.get('.fcrepo/fcr-root.json')?.lastModifiedDate,
      '2026-01-02T10:00:00.000Z',
      'the group is touched',
    );
    t.same(Object.keys(inv.versions), ['v1', 'v2']);
    t.same(inv.versions.v1, v1.versions.v1, 'history is untouched');
  },
);

t.test('every change that cannot be applied is named, and nothing is planned', async (t) => {
  const first = commit(
    undefined,
    new Map(),
    [{ op: 'createContainer', path: 'objects' }, put('objects/x', 's3://deposits/d1/mets.xml')],
    '2026-01-01T10:00:00Z',
  );
  const v1 = first.done.inventory;
  try {
    planVersion({
      objectId: 'info:fedora/books/b1',
      parentId: 'info:fedora/books',
      rootKind: 'ArchivalGroup',
      base: v1,
      baseHeaders: new Map(),
      changes: [
        { op: 'createContainer', path: 'objects' },
        { op: 'delete', path: 'objects' },
        { op: 'delete', path: 'missing' },
        { op: 'rename', path: 'nope', name: 'x' },
        put('no-parent/x', 's3://deposits/d1/mets.xml'),
        put('../escape', 's3://deposits/d1/mets.xml'),
        put('.fcrepo/evil.json', 's3://deposits/d1/mets.xml'),
        put('a/fcr-container.nt', 's3://deposits/d1/mets.xml'),
        { op: 'putBinary', path: 'bad-digest', source: 'x', sha256: 'XYZ' },
      ],
      created: '2026-01-02T00:00:00Z',
      agent: { name: 'a' },
    });
    t.fail('should throw');
  } catch (err) {
    const e = err as { code: string; problems: Array<{ path: string; message: string }> };
    t.equal(e.code, 'UNPROCESSABLE');
    t.same(
      e.problems.map((p) => p.path),
      [
        'objects',
        'missing',
        'nope',
        'no-parent/x',
        '../escape',
        '.fcrepo/evil.json',
        'a/fcr-container.nt',
        'bad-digest',
        'objects',
      ],
    );
    t.match(e.problems.at(-1)!.message, /not empty/);
  }
});

t.test('version names follow the base, zero-padded or not', async (t) => {
  t.equal(nextVersionName('v1'), 'v2');
  t.equal(nextVersionName('v9'), 'v10');
  t.equal(nextVersionName('v0009'), 'v0010');
  t.equal(nextVersionName('v9999'), 'v10000', 'unpadded names grow');
  t.throws(() => nextVersionName('v999', true), { code: 'CONFLICT' }, 'a v001 object ends at v999');
  t.throws(() => nextVersionName('x'), { code: 'INVALID_INPUT' });
});

t.test('every version has a message and a user address, so validators raise no W007 or W008', async (t) => {
  const changes = [
    put('mets.xml', 's3://deposits/d1/mets.xml'),
    put('other.xml', 's3://deposits/d2/mets.xml'),
  ];
  const asUri = commit(undefined, new Map(), changes, '2026-01-01T00:00:00Z', {
    agent: { name: 'https://example.org/agents/ingest' },
  });
  const v1 = asUri.done.inventory.versions.v1!;
  t.equal(v1.message, 'Strongroom: 2 binaries added', 'a default message says what the version did');
  t.same(v1.user, {
    name: 'https://example.org/agents/ingest',
    address: 'https://example.org/agents/ingest',
  });
  const plain = commit(undefined, new Map(), changes, '2026-01-01T00:00:00Z', {
    agent: { name: 'jane doe' },
  });
  t.same(plain.done.inventory.versions.v1!.user, { name: 'jane doe', address: 'info:fedora/jane%20doe' });
  const given = commit(undefined, new Map(), changes, '2026-01-01T00:00:00Z', {
    agent: { name: 'x', address: 'mailto:x@example.org' },
    message: 'first scan',
  });
  t.equal(given.done.inventory.versions.v1!.message, 'first scan', 'a given message is kept');
  t.equal(given.done.inventory.versions.v1!.user?.address, 'mailto:x@example.org', 'a given address is kept');
  const issues = validateInventory(JSON.parse(JSON.stringify(plain.done.inventory)), {}).issues.map(
    (i) => i.code,
  );
  t.notOk(issues.includes('W007') || issues.includes('W008'), `no W007/W008 (${issues.join(' ')})`);
});
