import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import {
  fedoraIdToPath,
  fedoraIdToUrl,
  headerDigest,
  isFedoraHousekeeping,
  parseDigestUrn,
  parseFedoraHeader,
} from '../../lib/core/fedora/index.js';
import { corpusDir } from '../helpers/paths.js';

const rebuild = join(corpusDir, 'fcrepo/fcrepo-http-api/src/test/resources/test-rebuild-invalid');
const binaryHeader = join(
  rebuild,
  '7e0/d30/d33/7e0d30d33ceb9225f7bc989c8346778837fabedd8b55c0ca00d051d41d23a0a2/v1/content/.fcrepo/fcr-root.json',
);
const migrated = join(
  corpusDir,
  'fcrepo-migration-validator/src/test/resources/test-object-validation/valid/f6/data/ocfl-root',
  '9b4/ebf/059/9b4ebf059a37e0e30da97bfd4c5b21fee07fbc980bae3bab3f3aedfdbf6b3f51/v1/content/.fcrepo',
);

t.test('digest URNs of every spelling normalise to OCFL names and lowercase hex', async (t) => {
  t.same(parseDigestUrn('urn:sha-512:ABCDEF'), { algorithm: 'sha512', hex: 'abcdef' });
  t.same(parseDigestUrn('urn:sha512:ab'), { algorithm: 'sha512', hex: 'ab' });
  t.same(parseDigestUrn('urn:sha-256:01'), { algorithm: 'sha256', hex: '01' });
  t.same(parseDigestUrn('urn:sha256:01'), { algorithm: 'sha256', hex: '01' });
  t.same(parseDigestUrn('urn:sha-1:01'), { algorithm: 'sha1', hex: '01' });
  t.same(parseDigestUrn('urn:md5:01'), { algorithm: 'md5', hex: '01' });
  t.same(parseDigestUrn('urn:sha-512/256:01'), { algorithm: 'sha512/256', hex: '01' });
  t.equal(parseDigestUrn('sha256:01'), undefined);
  t.equal(parseDigestUrn('urn:sha256:not-hex'), undefined);
});

t.test('a 2020 Fedora binary header (no headersVersion, urn:sha512)', async (t) => {
  const h = parseFedoraHeader(readFileSync(binaryHeader));
  t.equal(h.id, 'info:fedora/binary');
  t.equal(h.parent, 'info:fedora');
  t.equal(h.interactionModel, 'http://www.w3.org/ns/ldp#NonRDFSource');
  t.equal(h.mimeType, 'text/plain');
  t.equal(h.filename, '');
  t.equal(h.contentSize, 4);
  t.equal(h.contentPath, 'binary');
  t.equal(h.createdBy, 'fedoraAdmin');
  t.equal(h.createdDate, '2020-04-14T03:41:21.641012Z');
  t.equal(h.objectRoot, true);
  t.equal(h.archivalGroup, false);
  t.equal(h.deleted, false);
  t.equal(h.headersVersion, undefined);
  t.equal(
    headerDigest(h, 'sha512'),
    'ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db27ac185f8a0e1d5f84f88bc887fd67b143732c304cc5fa9ad8e6f57f50028a8ff',
  );
});

t.test('a migration-utils AG root header and a datastream header', async (t) => {
  const root = parseFedoraHeader(readFileSync(join(migrated, 'fcr-root.json')));
  t.equal(root.id, 'info:fedora/1711.dl:UWPAbout');
  t.equal(root.parent, 'info:fedora/');
  t.equal(root.archivalGroup, true);
  t.equal(root.headersVersion, '1.0');
  t.equal(root.lastModifiedDate, '2019-07-25T17:43:56.259Z');
  const ref = parseFedoraHeader(readFileSync(join(migrated, 'REF.json')));
  t.equal(ref.archivalGroupId, 'info:fedora/1711.dl:UWPAbout');
  t.equal(ref.mimeType, 'image/jpeg');
  t.equal(ref.contentSize, 238194);
  t.equal(ref.digests[0]?.algorithm, 'sha512');
  t.equal(ref.digests[0]?.hex.slice(0, 16), '35de8d400e7502e9');
});

t.test('lenient parsing: unknown fields ignored, bad types dropped, tombstone -1 size', async (t) => {
  const h = parseFedoraHeader(
    JSON.stringify({
      id: 'info:fedora/x',
      contentSize: -1,
      deleted: true,
      digests: ['urn:sha-256:AA', 42, 'junk'],
      filename: 7,
      surprise: { a: 1 },
    }),
  );
  t.equal(h.contentSize, undefined);
  t.equal(h.deleted, true);
  t.same(h.digests, [{ algorithm: 'sha256', hex: 'aa' }]);
  t.equal(h.filename, undefined);
  t.ok(
    hasCode(
      t.throws(() => parseFedoraHeader('{')),
      'MALFORMED',
    ),
  );
  t.ok(
    hasCode(
      t.throws(() => parseFedoraHeader('[]')),
      'MALFORMED',
    ),
  );
});

t.test('housekeeping paths are headers, container RDF, description and ACL RDF', async (t) => {
  for (const p of [
    '.fcrepo/fcr-root.json',
    'fcr-container.nt',
    'a/b/fcr-container.nt',
    'BIB0~fcr-desc.nt',
    'x~fcr-acl.nt',
    'fcr-container~fcr-acl.nt',
  ]) {
    t.ok(isFedoraHousekeeping(p), p);
  }
  for (const p of ['BIB0', 'objects/fcr-container.nt.txt', 'mets.xml', 'a b.txt'])
    t.notOk(isFedoraHousekeeping(p), p);
});

t.test('Fedora ids become repository paths and REST URLs', async (t) => {
  t.equal(fedoraIdToPath('info:fedora'), '');
  t.equal(fedoraIdToPath('info:fedora/'), '');
  t.equal(fedoraIdToPath('info:fedora/a/b'), 'a/b');
  t.equal(fedoraIdToPath('plain-id'), 'plain-id');
  t.equal(
    fedoraIdToUrl('info:fedora/kickoff/fedora-camp/tuesday-1', 'https://fedora.example/fcrepo/rest/'),
    'https://fedora.example/fcrepo/rest/kickoff/fedora-camp/tuesday-1',
  );
  t.equal(
    fedoraIdToUrl('info:fedora/1711.dl:UWPAbout/a b', 'https://f/rest'),
    'https://f/rest/1711.dl:UWPAbout/a%20b',
  );
  t.equal(fedoraIdToUrl('info:fedora', 'https://f/rest'), 'https://f/rest');
});
