import t from 'tap';
import { MetsDocument, templateLayout } from '../../../lib/formats/mets/document.js';
import { fileUpdateFromWorkingFile } from '../../../lib/formats/mets/from-tools.js';
import { isEditable } from '../../../lib/formats/mets/producer.js';
import { readMets } from '../../../lib/formats/mets/reader.js';
import { metsChunks, writeMets } from '../../../lib/formats/mets/writer.js';
import type { WorkingFile } from '../../../lib/formats/model.js';

const SHA = (c: string) => c.repeat(64);
const AWKWARD = [
  'objects/a b & c/résumé #1 100%.pdf',
  'objects/日本語/ファイル.txt',
  'objects/7 ways to celebrate #WomensHistoryMonth 💜 .htm',
  'objects/quotes "double" and \'single\' <angle>.txt',
  'objects/plus+sign?query=1&x=y.txt',
  'objects/%41 literal percent.txt',
  'objects/tab\tand newline? no — em dash.txt'.replace('\t', ' '),
  'metadata/brunnhilde/siegfried.csv',
];

function sampleDocument(): MetsDocument {
  const doc = MetsDocument.create({ title: 'Deposit <one> & "two"', created: '2025-07-30T15:46:31Z' });
  AWKWARD.forEach((path, i) => {
    doc.addFile({
      path,
      name: i === 0 ? 'Résumé (original).pdf' : undefined,
      sha256: SHA('0123456789abcdef'[i]!),
      size: 1000 + i,
      contentType: i % 2 ? 'text/plain' : 'application/pdf',
      format:
        i % 3
          ? { pronomKey: 'fmt/18', name: 'Acrobat PDF 1.4' }
          : i === 3
            ? null
            : { pronomKey: null, name: 'Plain Text' },
      virusCheck:
        i % 2
          ? {
              outcome: 'Pass',
              detail: 'ClamAV 1.4.3/27886',
              date: '2025-07-30T15:46:31.7401058Z',
              agent: 'ClamAV',
              outcomeDetail: null,
            }
          : null,
    });
  });
  doc.addFile({
    path: 'objects/infected.exe',
    sha256: SHA('f'),
    digests: { md5: 'e'.repeat(32) },
    virusCheck: {
      outcome: 'Fail',
      detail: null,
      date: '2025-07-30T15:46:31Z',
      agent: 'ClamAV',
      outcomeDetail: 'Eicar-Signature',
    },
  });
  doc.addDirectory('objects/empty & awkward dir', { name: 'Empty & "awkward" dir' });
  doc.setAccessRestrictions('', ['Open', 'Staff only']);
  doc.setRightsStatement('', 'http://rightsstatements.org/vocab/InC/1.0/');
  doc.setAccessRestrictions('objects/infected.exe', ['Closed']);
  doc.setRightsStatement('objects/日本語', 'https://creativecommons.org/licenses/by/4.0/');
  return doc;
}

t.test('everything we write reads back to the same model, awkward names included', async (t) => {
  const doc = sampleDocument();
  const model = await readMets(writeMets(doc));
  t.same(model, doc.toModel());
  t.equal(model.files.length, AWKWARD.length + 1);
  t.ok(
    model.directories.some(
      (d) => d.path === 'objects/empty & awkward dir' && d.name === 'Empty & "awkward" dir',
    ),
  );
  t.same(model.problems, []);
});

t.test('a fresh template METS reads back with its empty objects/ and metadata/ folders', async (t) => {
  const doc = MetsDocument.create();
  const model = await readMets(writeMets(doc));
  t.same(
    model.directories.map((d) => d.path),
    ['metadata', 'objects'],
  );
  t.same(model, doc.toModel());
  t.same(templateLayout('BagIt'), {
    metsPath: 'data/mets.xml',
    directories: ['data', 'data/objects', 'data/metadata'],
    base: 'data',
  });
  t.equal(templateLayout('RootLevel').metsPath, 'mets.xml');
});

t.test('output is deterministic: same content in any insertion order gives the same bytes', async (t) => {
  const a = MetsDocument.create();
  const b = MetsDocument.create();
  for (const p of AWKWARD) a.addFile({ path: p, sha256: SHA('a') });
  for (const p of [...AWKWARD].reverse()) b.addFile({ path: p, sha256: SHA('a') });
  t.equal(writeMets(a), writeMets(b));
  t.equal(writeMets(sampleDocument()), writeMets(sampleDocument()));
  t.equal([...metsChunks(a)].join(''), writeMets(a), 'chunks join to the same text');
});

t.test('re-reading our METS into a document and writing it again gives identical bytes', async (t) => {
  const first = writeMets(sampleDocument());
  const again = MetsDocument.fromModel(await readMets(first), { created: '2025-07-30T15:46:31Z' });
  t.equal(writeMets(again), first);
});

t.test('IDs are NCNames, unique, independent of path characters, and every IDREF resolves', async (t) => {
  const xml = writeMets(sampleDocument());
  const ids = [...xml.matchAll(/\sID="([^"]*)"/g)].map((m) => m[1]!);
  t.ok(ids.length > 20);
  for (const id of ids) t.match(id, /^[A-Za-z_][A-Za-z0-9._-]*$/, `${id} is an NCName`);
  t.equal(new Set(ids).size, ids.length, 'IDs are unique');
  const refs = [...xml.matchAll(/\s(?:ADMID|DMDID|FILEID)="([^"]*)"/g)].flatMap((m) => m[1]!.split(' '));
  for (const r of refs) t.ok(ids.includes(r), `${r} resolves`);
  const fileIds = [...xml.matchAll(/<mets:file ID="([^"]*)"/g)].map((m) => m[1]!);
  const fptrs = [...xml.matchAll(/<mets:fptr FILEID="([^"]*)"/g)].map((m) => m[1]!);
  t.same(fptrs.sort(), fileIds.sort(), 'every file is in the structMap once');
});

t.test('the METS carries the structure and namespaces the schemas require', async (t) => {
  const xml = writeMets(sampleDocument());
  t.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<mets:mets /);
  for (const ns of [
    'http://www.loc.gov/METS/',
    'http://www.loc.gov/mods/v3',
    'http://www.loc.gov/premis/v3',
    'http://www.w3.org/1999/xlink',
  ]) {
    t.ok(xml.includes(`"${ns}"`), ns);
  }
  // METS 1.12 top-level order: metsHdr, dmdSec*, amdSec*, fileSec, structMap.
  const order = ['<mets:metsHdr', '<mets:dmdSec', '<mets:amdSec', '<mets:fileSec', '<mets:structMap'].map(
    (s) => xml.indexOf(s),
  );
  t.same(
    [...order].sort((x, y) => x - y),
    order,
  );
  t.match(
    xml,
    /<mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">\s*<mets:name>Strongroom<\/mets:name>/,
  );
  // PREMIS 3 requires an identifier, type and date-time on every event, and a format on every file object.
  const events = xml.split('<premis:event ').slice(1);
  t.equal(events.length, 5);
  for (const e of events)
    t.match(
      e,
      /<premis:eventIdentifier>[\s\S]*<premis:eventType>virus check<\/premis:eventType>\s*<premis:eventDateTime>\d{4}-/,
    );
  const fileObjects = xml.split('xsi:type="premis:file"').slice(1);
  for (const o of fileObjects) t.match(o.slice(0, o.indexOf('</premis:object>')), /<premis:format>/);
  t.notMatch(xml, /LABEL="[^"]*[<&](?!amp;|lt;|gt;|quot;|#)/, 'attributes are escaped');
});

t.test('ours is recognised as editable; third-party METS is read-only', async (t) => {
  const ours = await readMets(writeMets(MetsDocument.create()));
  t.ok(isEditable(ours));
  t.same(ours.producer, { kind: 'strongroom', agent: 'Strongroom' });
  const leeds = await readMets(
    '<mets:mets xmlns:mets="http://www.loc.gov/METS/"><mets:metsHdr><mets:agent ROLE="CREATOR"><mets:name>University of Leeds Digital Library Infrastructure Project</mets:name></mets:agent></mets:metsHdr></mets:mets>',
  );
  t.equal(leeds.producer.kind, 'leeds-preservation-api');
  t.notOk(isEditable(leeds));
  t.throws(() => MetsDocument.fromModel(leeds), { code: 'UNSUPPORTED' });
});

t.test('updating a file keeps what the update does not mention', async (t) => {
  const doc = MetsDocument.create();
  doc.addFile({ path: 'objects/a.tif', sha256: SHA('a'), size: 5, contentType: 'image/tiff' });
  doc.addFile({ path: 'objects/a.tif', format: { pronomKey: 'fmt/353', name: 'TIFF' } });
  t.match(doc.getFile('objects/a.tif'), {
    size: 5,
    contentType: 'image/tiff',
    digests: { sha256: SHA('a') },
    format: { pronomKey: 'fmt/353' },
  });
  const m = await readMets(writeMets(doc));
  t.same(m.files[0]!.format, { pronomKey: 'fmt/353', name: 'TIFF' });
});

t.test('deleting a file removes its entries; a directory must be empty first', async (t) => {
  const doc = MetsDocument.create();
  doc.addFile({
    path: 'objects/x/a.txt',
    sha256: SHA('a'),
    virusCheck: {
      outcome: 'Pass',
      detail: null,
      date: '2025-01-01T00:00:00Z',
      agent: null,
      outcomeDetail: null,
    },
  });
  const before = writeMets(doc);
  const key = /<mets:file ID="FILE_([0-9a-f]+)"/.exec(before)![1]!;
  t.throws(() => doc.deleteDirectory('objects/x'), { code: 'INVALID_INPUT' });
  t.ok(doc.deleteFile('objects/x/a.txt'));
  t.notOk(doc.deleteFile('objects/x/a.txt'), 'deleting twice finds nothing');
  t.ok(doc.deleteDirectory('objects/x'));
  const after = writeMets(doc);
  t.notOk(after.includes(key), 'no element of the file is left');
  t.notMatch(after, /<mets:fileSec>/, 'no empty fileSec');
  t.same(await readMets(after), doc.toModel());
});

t.test(
  'bad input is refused: 40-hex as sha256, undated virus checks, bad paths, non-URI rights',
  async (t) => {
    const doc = MetsDocument.create();
    t.throws(() => doc.addFile({ path: 'objects/a', sha256: 'b'.repeat(40) }), { code: 'INVALID_INPUT' });
    t.throws(() => doc.addFile({ path: 'objects/a', digests: { sha1: 'b'.repeat(64) } }), {
      code: 'INVALID_INPUT',
    });
    const undated = { outcome: 'Pass', detail: null, date: null, agent: null, outcomeDetail: null };
    t.throws(() => doc.addFile({ path: 'objects/a', virusCheck: undated }), { code: 'INVALID_INPUT' });
    t.throws(() => doc.addFile({ path: 'objects/a', virusCheck: { ...undated, date: '30/07/2025' } }), {
      code: 'INVALID_INPUT',
    });
    for (const p of ['', '/abs', 'a//b', 'a/../b', 'a/./b', 'trailing/', 'nul\u0000']) {
      t.throws(() => doc.addFile({ path: p }), { code: 'INVALID_INPUT' }, JSON.stringify(p));
    }
    t.throws(() => doc.setRightsStatement('', 'In copyright'), { code: 'INVALID_INPUT' });
    t.throws(() => doc.setAccessRestrictions('objects/missing', ['x']), { code: 'NOT_FOUND' });
    t.throws(() => (doc.created = 'yesterday'), { code: 'INVALID_INPUT' });
    doc.addFile({ path: 'objects/f' });
    t.throws(() => doc.addDirectory('objects/f'), { code: 'INVALID_INPUT' });
    t.throws(() => doc.addFile({ path: 'objects/f/g' }), { code: 'INVALID_INPUT' });
  },
);

t.test('a file update from tool outputs records SHA-256, format and the virus check', async (t) => {
  const wf: WorkingFile = {
    type: 'WorkingFile',
    localPath: 'data/objects/nyc/DSCF1156.JPG',
    name: null,
    contentType: 'image/jpeg',
    digest: SHA('0'),
    size: 7686654,
    modified: null,
    metadata: [
      {
        type: 'FileFormatMetadata',
        source: 'Brunnhilde',
        timestamp: null,
        digest: SHA('0'),
        size: 7686654,
        pronomKey: 'fmt/1507',
        formatName: 'Exchangeable Image File Format (Compressed)',
        contentType: 'image/jpeg',
        originalName: null,
        storageLocation: null,
      },
      {
        type: 'VirusScanMetadata',
        source: 'ClamAV',
        timestamp: '2025-07-30T15:46:31Z',
        hasVirus: false,
        virusesFound: [],
        engineVersion: 'ClamAV 1.0.8',
      },
    ],
    accessRestrictions: [],
    rightsStatement: null,
  };
  const doc = MetsDocument.create();
  doc.addFile(fileUpdateFromWorkingFile(wf, { base: 'data' }));
  const m = await readMets(writeMets(doc));
  t.match(m.files[0], {
    path: 'objects/nyc/DSCF1156.JPG',
    name: 'DSCF1156.JPG',
    digests: { sha256: SHA('0') },
    format: { pronomKey: 'fmt/1507', name: 'Exchangeable Image File Format (Compressed)' },
    virusCheck: { outcome: 'Pass', detail: 'ClamAV 1.0.8', date: '2025-07-30T15:46:31Z', agent: 'ClamAV' },
  });
  const undated = fileUpdateFromWorkingFile({
    ...wf,
    metadata: [{ ...wf.metadata[1]!, timestamp: null } as WorkingFile['metadata'][number]],
  });
  t.equal(undated.virusCheck, undefined, 'an undated scan is not turned into an event dated now');
});
