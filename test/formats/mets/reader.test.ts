import { Readable } from 'node:stream';
import t from 'tap';
import { MalformedError } from '../../../lib/core/errors.js';
import { readMets } from '../../../lib/formats/mets/reader.js';

const NS =
  'xmlns:mets="http://www.loc.gov/METS/" xmlns:premis="http://www.loc.gov/premis/v3" ' +
  'xmlns:mods="http://www.loc.gov/mods/v3" xmlns:xlink="http://www.w3.org/1999/xlink"';
const SHA256 = 'a'.repeat(64);
const SHA1 = 'b'.repeat(40);
const MD5 = 'c'.repeat(32);

/** A METS document with the given body. */
const mets = (body: string) => `<mets:mets ${NS}>${body}</mets:mets>`;

/** A techMD holding one PREMIS object with the given objectCharacteristics content. */
const techMd = (id: string, chars: string, extra = '') =>
  `<mets:techMD ID="${id}"><mets:mdWrap MDTYPE="PREMIS:OBJECT"><mets:xmlData><premis:object>` +
  `<premis:objectCharacteristics>${chars}</premis:objectCharacteristics>${extra}</premis:object>` +
  '</mets:xmlData></mets:mdWrap></mets:techMD>';

const fixity = (alg: string, hex: string) =>
  `<premis:fixity><premis:messageDigestAlgorithm>${alg}</premis:messageDigestAlgorithm><premis:messageDigest>${hex}</premis:messageDigest></premis:fixity>`;

const fileSec = (files: string) => `<mets:fileSec><mets:fileGrp>${files}</mets:fileGrp></mets:fileSec>`;
const file = (id: string, href: string, attrs = '') =>
  `<mets:file ID="${id}" ${attrs}><mets:FLocat LOCTYPE="URL" xlink:href="${href}"/></mets:file>`;

/** One file with one techMD linked from mets:file ADMID. */
const oneFile = (chars: string, fileAttrs = '') =>
  mets(
    `<mets:amdSec ID="A1">${techMd('T1', chars)}</mets:amdSec>${fileSec(file('F1', 'objects/a.jpg', `ADMID="A1" ${fileAttrs}`))}`,
  );

t.test('a 40-hex value labelled sha256 is kept as sha1, never as sha256, and reported', async (t) => {
  const m = await readMets(oneFile(fixity('sha256', SHA1)));
  t.same(m.files[0]!.digests, { sha1: SHA1 });
  t.equal(m.problems[0]!.code, 'DIGEST_LENGTH_MISMATCH');
  t.equal(m.problems[0]!.path, 'objects/a.jpg');
  t.ok(m.problems[0]!.line! > 0, 'the problem says where');
});

t.test('a 32-hex value labelled SHA-1 is kept as md5', async (t) => {
  const m = await readMets(oneFile(fixity('SHA-1', MD5)));
  t.same(m.files[0]!.digests, { md5: MD5 });
  t.equal(m.problems[0]!.code, 'DIGEST_LENGTH_MISMATCH');
});

t.test('a digest whose length fits no algorithm is dropped and reported', async (t) => {
  const m = await readMets(oneFile(fixity('SHA-256', 'ab'.repeat(25))));
  t.same(m.files[0]!.digests, {});
  t.equal(m.problems[0]!.code, 'DIGEST_INVALID');
});

t.test('algorithm labels are normalised: SHA-256, SHA256, sha-256 all mean sha256', async (t) => {
  for (const label of ['SHA-256', 'SHA256', 'sha-256', ' sha256 ']) {
    const m = await readMets(oneFile(fixity(label, SHA256.toUpperCase())));
    t.same(m.files[0]!.digests, { sha256: SHA256 }, label);
    t.same(m.problems, [], label);
  }
});

t.test('repeated identical fixity blocks are not a conflict', async (t) => {
  const m = await readMets(oneFile(fixity('SHA-1', SHA1) + fixity('SHA-1', SHA1)));
  t.same(m.files[0]!.digests, { sha1: SHA1 });
  t.same(m.problems, []);
});

t.test('two different values for one algorithm are reported and the first kept', async (t) => {
  const m = await readMets(oneFile(fixity('sha256', SHA256) + fixity('sha256', 'd'.repeat(64))));
  t.same(m.files[0]!.digests, { sha256: SHA256 });
  t.equal(m.problems.length, 1);
  t.equal(m.problems[0]!.code, 'DIGEST_CONFLICT');
});

t.test('CHECKSUM/CHECKSUMTYPE on mets:file give digests, labelled and length-checked', async (t) => {
  const m = await readMets(
    mets(
      fileSec(
        file('F1', 'a.txt', `CHECKSUM="${MD5.toUpperCase()}" CHECKSUMTYPE="MD5"`) +
          file('F2', 'b.txt', `CHECKSUM="${SHA256}" CHECKSUMTYPE="SHA-256"`),
      ),
    ),
  );
  t.same(
    m.files.map((f) => f.digests),
    [{ md5: MD5 }, { sha256: SHA256 }],
  );
});

t.test(
  'a PREMIS size and a different mets:file SIZE: the PREMIS size is kept and the conflict reported',
  async (t) => {
    const m = await readMets(
      oneFile(`${fixity('sha256', SHA256)}<premis:size>12</premis:size>`, 'SIZE="99"'),
    );
    t.equal(m.files[0]!.size, 12);
    t.equal(m.problems[0]!.code, 'SIZE_CONFLICT');
  },
);

const event = (type: string, detail: string, outcome: string, note: string, date: string) =>
  `<premis:event><premis:eventType>${type}</premis:eventType><premis:eventDateTime>${date}</premis:eventDateTime>` +
  `<premis:eventDetail>${detail}</premis:eventDetail><premis:eventOutcomeInformation><premis:eventOutcome>${outcome}</premis:eventOutcome>` +
  `<premis:eventOutcomeDetail><premis:eventOutcomeDetailNote>${note}</premis:eventOutcomeDetailNote></premis:eventOutcomeDetail></premis:eventOutcomeInformation>` +
  '<premis:linkingAgentIdentifier><premis:linkingAgentIdentifierType>Archivematica user pk</premis:linkingAgentIdentifierType><premis:linkingAgentIdentifierValue>1</premis:linkingAgentIdentifierValue></premis:linkingAgentIdentifier>' +
  '<premis:linkingAgentIdentifier><premis:linkingAgentIdentifierType>preservation system</premis:linkingAgentIdentifierType><premis:linkingAgentIdentifierValue>Archivematica-1.3</premis:linkingAgentIdentifierValue></premis:linkingAgentIdentifier>' +
  '</premis:event>';
const digiprov = (id: string, ev: string) =>
  `<mets:digiprovMD ID="${id}"><mets:mdWrap MDTYPE="PREMIS:EVENT"><mets:xmlData>${ev}</mets:xmlData></mets:mdWrap></mets:digiprovMD>`;

t.test('checksums found only in message-digest-calculation events are used', async (t) => {
  const m = await readMets(
    mets(
      `<mets:amdSec ID="D1">${digiprov('E1', event('message digest calculation', 'program="python"; module="hashlib.sha256()"', '', SHA256, '2015-02-21T01:55:08'))}</mets:amdSec>` +
        fileSec(file('F1', 'objects/x.tif', 'ADMID="D1"')),
    ),
  );
  t.same(m.files[0]!.digests, { sha256: SHA256 });
  t.same(m.problems, []);
});

t.test('an event digest never overrides or conflicts with a fixity value', async (t) => {
  const m = await readMets(
    mets(
      `<mets:amdSec ID="A1">${techMd('T1', fixity('sha256', SHA256))}${digiprov('E1', event('message digest calculation', 'hashlib.sha256()', '', 'e'.repeat(64), '2015'))}</mets:amdSec>` +
        fileSec(file('F1', 'a', 'ADMID="A1"')),
    ),
  );
  t.same(m.files[0]!.digests, { sha256: SHA256 });
  t.same(m.problems, []);
});

t.test('the latest virus-check event linked to a file gives outcome, detail, date and agent', async (t) => {
  const m = await readMets(
    mets(
      `<mets:amdSec ID="A1">${digiprov('E1', event('virus check', 'ClamAV 0.98', 'Pass', '', '2015-02-21T01:55:11'))}` +
        `${digiprov('E2', event('virus check', 'ClamAV 1.0', 'Fail', 'Eicar-Signature', '2016-01-01T00:00:00'))}</mets:amdSec>` +
        fileSec(file('F1', 'a', 'ADMID="A1"')),
    ),
  );
  t.same(m.files[0]!.virusCheck, {
    outcome: 'Fail',
    detail: 'ClamAV 1.0',
    date: '2016-01-01T00:00:00',
    agent: 'Archivematica-1.3',
    outcomeDetail: 'Eicar-Signature',
  });
});

t.test('PREMIS format: PRONOM key and name; originalName gives the original name', async (t) => {
  const fmt =
    '<premis:format><premis:formatDesignation><premis:formatName>JPEG</premis:formatName></premis:formatDesignation>' +
    '<premis:formatRegistry><premis:formatRegistryName>PRONOM</premis:formatRegistryName><premis:formatRegistryKey>fmt/43</premis:formatRegistryKey></premis:formatRegistry></premis:format>';
  const m = await readMets(
    mets(
      `<mets:amdSec ID="A1">${techMd('T1', fmt, '<premis:originalName>%transferDirectory%objects/Landing zone.jpg</premis:originalName>')}</mets:amdSec>` +
        fileSec(file('F1', 'objects/Landing_zone.jpg', 'ADMID="A1"')),
    ),
  );
  t.same(m.files[0]!.format, { pronomKey: 'fmt/43', name: 'JPEG' });
  t.equal(m.files[0]!.name, 'Landing zone.jpg');
});

t.test('unprefixed (default-namespace) METS and PREMIS read the same as prefixed ones', async (t) => {
  const prefixed = await readMets(oneFile(fixity('sha256', SHA256) + '<premis:size>5</premis:size>'));
  const plain = await readMets(
    '<mets xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"><amdSec ID="A1"><techMD ID="T1"><mdWrap MDTYPE="PREMIS:OBJECT"><xmlData>' +
      '<object xmlns="info:lc/xmlns/premis-v2"><objectCharacteristics><fixity><messageDigestAlgorithm>sha256</messageDigestAlgorithm>' +
      `<messageDigest>${SHA256}</messageDigest></fixity><size>5</size></objectCharacteristics></object></xmlData></mdWrap></techMD></amdSec>` +
      '<fileSec><fileGrp><file ID="F1" ADMID="A1"><FLocat LOCTYPE="URL" xlink:href="objects/a.jpg"/></file></fileGrp></fileSec></mets>',
  );
  t.same(plain.files, prefixed.files);
});

t.test('elements are matched by namespace, not prefix: a METS-lookalike prefix is ignored', async (t) => {
  const m = await readMets(
    `<x:mets xmlns:x="urn:not-mets" xmlns:xlink="http://www.w3.org/1999/xlink"><x:fileSec><x:fileGrp><x:file ID="F"><x:FLocat xlink:href="a"/></x:file></x:fileGrp></x:fileSec></x:mets>`,
  );
  t.equal(m.files.length, 0);
  t.equal(m.problems[0]!.code, 'NOT_METS');
});

t.test('older Goobi: the page div ADMID applies to its first fptr only', async (t) => {
  const m = await readMets(
    mets(
      `<mets:amdSec ID="AMD">${techMd('AMD_0001', fixity('SHA-1', SHA1))}</mets:amdSec>` +
        `<mets:fileSec><mets:fileGrp USE="OBJECTS">${file('IMG', 'objects/p1.jp2')}</mets:fileGrp><mets:fileGrp USE="ALTO">${file('ALTO', 'alto/p1.xml')}</mets:fileGrp></mets:fileSec>` +
        '<mets:structMap TYPE="PHYSICAL"><mets:div ID="PHYS_0000" TYPE="physSequence"><mets:div ID="PHYS_0001" TYPE="page" ADMID="AMD_0001">' +
        '<mets:fptr FILEID="IMG"/><mets:fptr FILEID="ALTO"/></mets:div></mets:div></mets:structMap>',
    ),
  );
  t.same(m.files[0]!.digests, { sha1: SHA1 });
  t.equal(m.files[0]!.admId, 'AMD_0001');
  t.same(m.files[1]!.digests, {});
  t.equal(m.files[1]!.admId, null);
  t.equal(m.files[1]!.physDivId, 'PHYS_0001');
});

t.test('an ADMID naming an amdSec takes every section in it; superseded sections are ignored', async (t) => {
  const superseded = techMd('T0', fixity('sha256', 'f'.repeat(64))).replace(
    'ID="T0"',
    'ID="T0" STATUS="superseded"',
  );
  const m = await readMets(
    mets(
      `<mets:amdSec ID="A1">${superseded}${techMd('T1', fixity('sha256', SHA256))}</mets:amdSec>${fileSec(file('F1', 'a', 'ADMID="A1"'))}`,
    ),
  );
  t.same(m.files[0]!.digests, { sha256: SHA256 });
  t.same(m.problems, []);
});

t.test('IDs with spaces (Leeds API) still resolve when the whole ADMID value is an ID', async (t) => {
  const m = await readMets(
    mets(
      `<mets:amdSec ID="ADM_objects/AT&amp;T guide.pdf">${techMd('T', fixity('sha256', SHA256))}</mets:amdSec>${fileSec(file('F', 'objects/AT&amp;T guide.pdf', 'ADMID="ADM_objects/AT&amp;T guide.pdf"'))}`,
    ),
  );
  t.equal(m.files[0]!.path, 'objects/AT&T guide.pdf');
  t.same(m.files[0]!.digests, { sha256: SHA256 });
});

t.test('unresolved references are reported, once each', async (t) => {
  const m = await readMets(
    mets(
      `${fileSec(file('F1', 'a', 'ADMID="nope"') + file('F2', 'b', 'ADMID="nope"'))}<mets:structMap><mets:div><mets:fptr FILEID="ghost"/></mets:div></mets:structMap>`,
    ),
  );
  t.same(
    m.problems.map((p) => p.code),
    ['UNRESOLVED_REFERENCE', 'UNRESOLVED_REFERENCE'],
  );
});

t.test(
  "hrefs: %XX decoded as UTF-8, + kept, the KDK profile's file:// and ./ stripped, absolute URLs flagged",
  async (t) => {
    const kdk = (body: string) =>
      `<mets:mets PROFILE="http://www.kdk.fi/kdk-mets-profile" ${NS}>${body}</mets:mets>`;
    const m = await readMets(
      kdk(
        fileSec(
          file('F1', 'file://asettamiset/p%C3%A4%C3%A4t%C3%B6s+1.pdf') +
            file('F2', './objects/a%20b.txt') +
            file('F3', 'http://example.org/fedora/get/x') +
            file('F4', 'objects/100%.txt') +
            file('F5', 'objects/bad%FF.txt'),
        ),
      ),
    );
    t.same(
      m.files.map((f) => f.path),
      [
        'asettamiset/päätös+1.pdf',
        'objects/a b.txt',
        'http://example.org/fedora/get/x',
        'objects/100%.txt',
        'objects/bad%FF.txt',
      ],
    );
    t.same(
      m.problems.map((p) => p.code),
      ['NOT_RELATIVE_PATH', 'BAD_PERCENT_ENCODING'],
    );
    t.notOk(
      m.directories.some((d) => d.path.startsWith('http')),
      'absolute URLs imply no directories',
    );
  },
);

t.test('no structMap: files come from fileSec and directories from their paths', async (t) => {
  const m = await readMets(mets(fileSec(file('F1', 'objects/sub/a.txt') + file('F2', 'b.txt'))));
  t.same(
    m.files.map((f) => f.path),
    ['objects/sub/a.txt', 'b.txt'],
  );
  t.same(
    m.directories.map((d) => [d.path, d.name]),
    [
      ['objects', null],
      ['objects/sub', null],
    ],
  );
});

t.test(
  'directories: labels are names, paths come from files below, empty ones from their parent',
  async (t) => {
    const m = await readMets(
      mets(
        fileSec(file('F1', 'objects/new-folder/a.txt')) +
          '<mets:structMap TYPE="physical"><mets:div TYPE="Directory" LABEL="__ROOT" ID="R">' +
          '<mets:div TYPE="Directory" LABEL="objects" ID="O"><mets:div TYPE="Directory" LABEL="New folder" ID="N">' +
          '<mets:div TYPE="Item" LABEL="A file.txt" ID="I"><mets:fptr FILEID="F1"/></mets:div></mets:div>' +
          '<mets:div TYPE="directory" LABEL="empty" ID="E"/></mets:div></mets:div></mets:structMap>',
      ),
    );
    t.same(
      m.directories.map((d) => [d.path, d.name, d.physDivId]),
      [
        ['objects', 'objects', 'O'],
        ['objects/empty', 'empty', 'E'],
        ['objects/new-folder', 'New folder', 'N'],
      ],
    );
    t.equal(m.files[0]!.name, 'A file.txt');
    t.equal(m.files[0]!.physDivId, 'I');
  },
);

t.test('root title, access restriction and rights statement come from the top div dmdSec', async (t) => {
  const dmd = (id: string, mods: string) =>
    `<mets:dmdSec ID="${id}"><mets:mdWrap MDTYPE="MODS"><mets:xmlData><mods:mods>${mods}</mods:mods></mets:xmlData></mets:mdWrap></mets:dmdSec>`;
  const m = await readMets(
    mets(
      dmd(
        'D_FILE',
        '<mods:titleInfo><mods:title>Not me</mods:title></mods:titleInfo><mods:accessCondition type="restriction on access">Closed</mods:accessCondition>',
      ) +
        dmd(
          'D_ROOT',
          '<mods:titleInfo type="alternative"><mods:title>Alt</mods:title></mods:titleInfo><mods:titleInfo><mods:title>Main</mods:title><mods:subTitle>Sub</mods:subTitle></mods:titleInfo>' +
            '<mods:accessCondition type="restriction on access">Staff only</mods:accessCondition>' +
            '<mods:accessCondition type="use and reproduction" xlink:href="http://rightsstatements.org/vocab/InC/1.0/">In copyright</mods:accessCondition>',
        ) +
        fileSec(file('F1', 'a.txt')) +
        '<mets:structMap TYPE="PHYSICAL"><mets:div DMDID="D_ROOT"><mets:div DMDID="D_FILE"><mets:fptr FILEID="F1"/></mets:div></mets:div></mets:structMap>',
    ),
  );
  t.equal(m.title, 'Main: Sub');
  t.same(m.accessRestrictions, ['Staff only']);
  t.equal(m.rightsStatement, 'http://rightsstatements.org/vocab/InC/1.0/');
  t.same(m.files[0]!.accessRestrictions, ['Closed']);
  t.notOk('rightsStatement' in m.files[0]!, 'no file-level rights when the file has none');
});

t.test('an EPrints <mets-objects> wrapper holding two METS documents yields both, with a note', async (t) => {
  const m = await readMets(
    `<mets-objects>${mets(fileSec(file('F1', 'objects/1.jpg')))}${mets(fileSec(file('F2', 'objects/2.jpg')))}</mets-objects>`,
  );
  t.same(
    m.files.map((f) => f.path),
    ['objects/1.jpg', 'objects/2.jpg'],
  );
  t.equal(m.producer.kind, 'eprints');
  t.equal(m.problems[0]!.code, 'MULTIPLE_METS_DOCUMENTS');
});

t.test('a document that is not METS yields an empty model and NOT_METS', async (t) => {
  const m = await readMets('<premis:object xmlns:premis="http://www.loc.gov/premis/v3"/>');
  t.same(m.files, []);
  t.equal(m.problems[0]!.code, 'NOT_METS');
});

const href = (h: string) => mets(fileSec(file('F1', h)));

t.test('a UTF-8 BOM without an XML declaration is read', async (t) => {
  const bytes = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(`\n${href('objects/résumé.pdf')}`, 'utf8'),
  ]);
  t.equal((await readMets(bytes)).files[0]!.path, 'objects/résumé.pdf');
});

t.test('declared windows-1252 and ISO-8859-1 are decoded from the bytes', async (t) => {
  const [pre, post] = href('X').split('X') as [string, string];
  const doc = (enc: string, bytes: number[]) =>
    Buffer.concat([
      Buffer.from(`<?xml version="1.0" encoding="${enc}"?>\n${pre}`),
      Buffer.from(bytes),
      Buffer.from(post),
    ]);
  t.equal((await readMets(doc('windows-1252', [0x80, 0xe9]))).files[0]!.path, '€é');
  t.equal((await readMets(doc('ISO-8859-1', [0xe9, 0xa3]))).files[0]!.path, 'é£');
  t.equal((await readMets(doc('ASCII', [0x41]))).files[0]!.path, 'A');
});

t.test('UTF-16 is decoded, with a BOM or from its declaration alone', async (t) => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(href('objects/Ω.txt'), 'utf16le')]);
  t.equal((await readMets(bytes)).files[0]!.path, 'objects/Ω.txt');
  const noBom = Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${href('objects/Ω.txt')}`, 'utf16le');
  t.equal((await readMets(noBom)).files[0]!.path, 'objects/Ω.txt');
  const be = Buffer.from(noBom).swap16();
  t.equal((await readMets(be)).files[0]!.path, 'objects/Ω.txt');
});

t.test('an unknown declared encoding is a MalformedError', async (t) => {
  await t.rejects(readMets(Buffer.from(`<?xml version="1.0" encoding="x-klingon"?>${href('a')}`)), {
    code: 'MALFORMED',
  });
});

t.test('a stream split inside multi-byte characters reads like the whole buffer', async (t) => {
  const bytes = Buffer.from(`<?xml version="1.0"?>${href('objects/日本語 💜.txt')}`, 'utf8');
  const oneByteChunks = Readable.from([...bytes].map((b) => Buffer.from([b])));
  t.same(await readMets(oneByteChunks), await readMets(bytes));
});

t.test('entity declarations are rejected (no billion laughs, no XXE)', async (t) => {
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
    href('&lol2;');
  await t.rejects(readMets(laughs), { code: 'MALFORMED', message: /entity declarations/ });
  const xxe = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + href('&x;');
  await t.rejects(readMets(xxe), { code: 'MALFORMED' });
});

t.test('a plain DOCTYPE is tolerated; an undeclared entity is malformed', async (t) => {
  const m = await readMets(`<!DOCTYPE mets:mets>${href('a')}`);
  t.equal(m.files[0]!.path, 'a');
  await t.rejects(readMets(href('&undefined;')), { code: 'MALFORMED' });
});

t.test('malformed XML is a MalformedError with 1-based line and column', async (t) => {
  const err = await readMets(`<mets:mets ${NS}>\n  <mets:fileSec>\n</mets:mets>`).catch((e: unknown) => e);
  t.ok(err instanceof MalformedError);
  t.match(err, { code: 'MALFORMED', line: 3, column: 12 });
  t.match((err as Error).message, /^METS:3:12: /);
});

t.test('an unbound namespace prefix is malformed (namespace well-formedness)', async (t) => {
  await t.rejects(readMets('<premis:object><premis:size>1</premis:size></premis:object>'), {
    code: 'MALFORMED',
    line: 1,
  });
});
