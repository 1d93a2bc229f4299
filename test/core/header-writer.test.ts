import t from 'tap';
import {
  containerRdf,
  containerTitleFromRdf,
  fedoraIdOf,
  headerPathFor,
  parentIdOf,
  serializeHeader,
  stateTokenOf,
} from '../../lib/core/fedora/header-writer.js';
import { parseFedoraHeader } from '../../lib/core/fedora/headers.js';

t.test('a binary header written by us parses back with every field', async (t) => {
  const bytes = serializeHeader({
    id: 'info:fedora/books/b1/objects/a b.tif',
    parent: 'info:fedora/books/b1/objects',
    archivalGroupId: 'info:fedora/books/b1',
    kind: 'binary',
    created: '2026-01-02T03:04:05.678Z',
    createdBy: 'https://example.org/agents/ingest',
    lastModified: '2026-01-03T03:04:05.678Z',
    lastModifiedBy: 'https://example.org/agents/ingest',
    mimeType: 'image/tiff',
    filename: 'a b.tif',
    contentPath: 'objects/a b.tif',
    contentSize: 12,
    digests: { sha256: 'aa'.repeat(32), sha512: 'bb'.repeat(64) },
  });
  const raw = JSON.parse(new TextDecoder().decode(bytes));
  t.equal(raw.headersVersion, '1.0');
  t.same(raw.digests, [`urn:sha-512:${'bb'.repeat(64)}`, `urn:sha-256:${'aa'.repeat(32)}`], 'sha-512 first');
  t.equal(raw.stateToken, stateTokenOf('2026-01-03T03:04:05.678Z'));
  const header = parseFedoraHeader(bytes);
  t.equal(header.id, 'info:fedora/books/b1/objects/a b.tif');
  t.equal(header.archivalGroupId, 'info:fedora/books/b1');
  t.equal(header.interactionModel, 'http://www.w3.org/ns/ldp#NonRDFSource');
  t.equal(header.contentSize, 12);
  t.equal(header.contentPath, 'objects/a b.tif');
  t.same(
    header.digests.map((d) => d.algorithm),
    ['sha512', 'sha256'],
  );
  t.equal(header.deleted, false);
});

t.test('a tombstone has no content, size -1 and no digests', async (t) => {
  const header = parseFedoraHeader(
    serializeHeader({
      id: 'info:fedora/c',
      parent: 'info:fedora',
      kind: 'container',
      objectRoot: true,
      created: '2026-01-01T00:00:00Z',
      createdBy: 'a',
      lastModified: '2026-01-02T00:00:00Z',
      lastModifiedBy: 'a',
      contentPath: 'fcr-container.nt',
      contentSize: 0,
      digests: { sha512: 'cc'.repeat(64) },
      deleted: true,
    }),
  );
  t.equal(header.deleted, true);
  t.equal(header.contentSize, undefined);
  t.same(header.digests, []);
  t.equal(header.contentPath, undefined);
  t.equal(header.objectRoot, true);
});

t.test(
  'the state token is the uppercase MD5 of the epoch milliseconds (Fedora ResourceHeaderUtils)',
  async (t) => {
    // md5("1561999965000") for 2019-07-01T17:12:45Z, the migration fixture's stateToken.
    t.equal(stateTokenOf('2019-07-01T17:12:45Z'), 'AD01DF796CB4C98B6EA63D0751783CA1');
  },
);

t.test('paths and ids of headers, container RDF and parents', async (t) => {
  t.equal(headerPathFor(''), '.fcrepo/fcr-root.json');
  t.equal(headerPathFor('objects/a b.tif'), '.fcrepo/objects/a b.tif.json');
  t.equal(fedoraIdOf(''), 'info:fedora');
  t.equal(fedoraIdOf('a/b'), 'info:fedora/a/b');
  t.equal(parentIdOf('a'), 'info:fedora');
  t.equal(parentIdOf('a/b/c'), 'info:fedora/a/b');
});

t.test(
  'a container title survives N-Triples escaping, including quotes, backslashes and newlines',
  async (t) => {
    for (const title of ['Printed books', 'dír "quoted" \\ back\nslash\t', '۞ 🦀']) {
      const rdf = new TextDecoder().decode(containerRdf('info:fedora/x', title));
      t.equal(containerTitleFromRdf(rdf), title, JSON.stringify(title));
      t.equal(rdf.split('\n').length, 2, 'one line per triple');
    }
    t.equal(containerRdf('info:fedora/x', undefined).length, 0, 'no title: the empty file Fedora writes');
    t.equal(containerTitleFromRdf(''), undefined);
  },
);
