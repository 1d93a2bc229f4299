import t from 'tap';
import { readMets } from '../../../lib/formats/mets/reader.js';

const NS =
  'xmlns:mets="http://www.loc.gov/METS/" xmlns:premis="http://www.loc.gov/premis/v3" ' +
  'xmlns:xlink="http://www.w3.org/1999/xlink"';
const mets = (body: string) => `<mets:mets ${NS}>${body}</mets:mets>`;
const hex = (c: string) => c.repeat(64);

const objectMd = (id: string, sha: string) =>
  `<mets:techMD ID="${id}"><mets:mdWrap MDTYPE="PREMIS:OBJECT"><mets:xmlData><premis:object>` +
  '<premis:objectCharacteristics><premis:fixity><premis:messageDigestAlgorithm>SHA-256</premis:messageDigestAlgorithm>' +
  `<premis:messageDigest>${sha}</premis:messageDigest></premis:fixity></premis:objectCharacteristics>` +
  '</premis:object></mets:xmlData></mets:mdWrap></mets:techMD>';
const virusMd = (id: string, outcome: string) =>
  `<mets:digiprovMD ID="${id}"><mets:mdWrap MDTYPE="PREMIS:EVENT"><mets:xmlData><premis:event>` +
  '<premis:eventType>virus check</premis:eventType><premis:eventDateTime>2024-01-01</premis:eventDateTime>' +
  `<premis:eventOutcomeInformation><premis:eventOutcome>${outcome}</premis:eventOutcome></premis:eventOutcomeInformation>` +
  '</premis:event></mets:xmlData></mets:mdWrap></mets:digiprovMD>';
const rightsMd = (id: string) =>
  `<mets:rightsMD ID="${id}"><mets:mdWrap MDTYPE="OTHER"><mets:xmlData><x/></mets:xmlData></mets:mdWrap></mets:rightsMD>`;
const file = (id: string, href: string, admId: string, attrs = '') =>
  `<mets:file ID="${id}" ADMID="${admId}" ${attrs}><mets:FLocat LOCTYPE="URL" xlink:href="${href}"/></mets:file>`;
const fileSec = (files: string) => `<mets:fileSec><mets:fileGrp>${files}</mets:fileGrp></mets:fileSec>`;

t.test('a virus-check section shared by many files (DPRES style) reaches every file', async (t) => {
  const m = await readMets(
    mets(
      `<mets:amdSec>${objectMd('T1', hex('a'))}${objectMd('T2', hex('b'))}${virusMd('EV', 'Pass')}${rightsMd('R')}</mets:amdSec>` +
        fileSec(file('F1', 'a', 'T1 EV R') + file('F2', 'b', 'T2 EV R')),
    ),
  );
  t.same(
    m.files.map((f) => [f.path, f.digests.sha256, f.virusCheck?.outcome]),
    [
      ['a', hex('a'), 'Pass'],
      ['b', hex('b'), 'Pass'],
    ],
  );
  t.same(m.problems, []);
});

t.test('facts merged while parsing keep their problems, reported with the file path', async (t) => {
  const m = await readMets(
    mets(
      `<mets:amdSec ID="A1">${objectMd('T1', hex('a'))}</mets:amdSec>` +
        fileSec(file('F1', 'dir/x.tif', 'A1', `CHECKSUMTYPE="SHA-256" CHECKSUM="${hex('c')}"`)),
    ),
  );
  t.same(m.files[0]!.digests, { sha256: hex('a') });
  t.same(
    m.problems.map((p) => [p.code, p.path]),
    [['DIGEST_CONFLICT', 'dir/x.tif']],
  );
});

t.test('a duplicate path skips the second file without reporting its facts', async (t) => {
  const m = await readMets(
    mets(
      `<mets:amdSec ID="A1">${objectMd('T1', hex('a'))}</mets:amdSec><mets:amdSec ID="A2">${objectMd('T2', 'zz')}</mets:amdSec>` +
        fileSec(file('F1', 'x', 'A1') + file('F2', 'x', 'A2')),
    ),
  );
  t.same(
    m.problems.map((p) => p.code),
    ['DUPLICATE_PATH'],
  );
});

t.test(
  'an object amdSec named by two files gives both its facts, whatever the order of sections',
  async (t) => {
    const section = `<mets:amdSec ID="A1">${objectMd('T1', hex('a'))}</mets:amdSec>`;
    const files = fileSec(file('F1', 'a', 'A1') + file('F2', 'b', 'A1'));
    for (const [order, doc] of [
      ['sections first', mets(section + files)],
      ['sections last', mets(files + section)],
    ] as const) {
      const m = await readMets(doc);
      t.same(
        m.files.map((f) => [f.path, f.digests]),
        [
          ['a', { sha256: hex('a') }],
          ['b', { sha256: hex('a') }],
        ],
        order,
      );
      t.same(m.problems, [], order);
    }
  },
);

t.test('a section that closes after its file is still resolved at the end', async (t) => {
  const m = await readMets(
    mets(`${fileSec(file('F1', 'a', 'A1'))}<mets:amdSec ID="A1">${objectMd('T1', hex('d'))}</mets:amdSec>`),
  );
  t.same(m.files[0]!.digests, { sha256: hex('d') });
  t.same(m.problems, []);
});
