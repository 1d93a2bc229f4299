/**
 * EXIF tags in the platform's METS: written in PREMIS objectCharacteristicsExtension, read back
 * into the model (so a later edit of the METS keeps them), bounded when the METS is hostile.
 */
import t from 'tap';
import { MetsDocument } from '../../../lib/formats/mets/document.js';
import { fileUpdateFromWorkingFile } from '../../../lib/formats/mets/from-tools.js';
import { MAX_EXIF_TAGS } from '../../../lib/formats/mets/md-collector.js';
import { readMets } from '../../../lib/formats/mets/reader.js';
import { writeMets } from '../../../lib/formats/mets/writer.js';
import type { WorkingFile } from '../../../lib/formats/model.js';

const TAGS = {
  Make: 'FUJIFILM',
  'Date/Time Original': '2025:04:20 12:45:53',
  Comment: 'a < b & "c"',
  ['__proto__']: 'an ordinary tag',
} as Record<string, string>;

t.test(
  'EXIF tags are written in objectCharacteristicsExtension and read back, and survive a later edit',
  async (t) => {
    const doc = MetsDocument.create({ created: '2025-01-01T00:00:00Z' });
    doc.addFile({ path: 'objects/p.jpg', sha256: 'a'.repeat(64), size: 3, exif: { ...TAGS } });
    const xml = writeMets(doc);
    t.match(xml, '<premis:objectCharacteristicsExtension>');
    t.match(xml, '<sr:exif xmlns:sr="urn:strongroom:exif:1">');
    t.match(xml, '<sr:tag name="Comment">a &lt; b &amp; "c"</sr:tag>');
    const model = await readMets(xml);
    t.same({ ...model.files[0]!.exif }, { ...TAGS });
    t.ok(Object.hasOwn(model.files[0]!.exif!, '__proto__'), 'a tag named __proto__ is an ordinary key');
    const again = MetsDocument.fromModel(model);
    again.addFile({ path: 'objects/other.txt', sha256: 'b'.repeat(64), size: 1 });
    const reread = await readMets(writeMets(again));
    t.same({ ...reread.files.find((f) => f.path === 'objects/p.jpg')!.exif }, { ...TAGS }, 'kept');
    t.equal(reread.files.find((f) => f.path === 'objects/other.txt')!.exif, undefined);
    again.addFile({ path: 'objects/p.jpg', exif: null });
    t.equal((await readMets(writeMets(again))).files[0]!.exif, undefined, 'null removes them');
  },
);

t.test('tags METS cannot carry are left out rather than failing the edit', async (t) => {
  const doc = MetsDocument.create();
  doc.addFile({
    path: 'objects/p.jpg',
    exif: {
      Good: ' value ',
      'Bad\u0001Name': 'x',
      Binary: 'a\u0000b',
      ['N'.repeat(300)]: 'long name',
      Empty: '',
    },
  });
  t.same({ ...doc.getFile('objects/p.jpg')!.exif }, { Empty: '', Good: 'value' });
  doc.addFile({ path: 'objects/q.jpg', exif: { 'Bad\u0002': 'x' } });
  t.equal(doc.getFile('objects/q.jpg')!.exif, null, 'nothing left: no EXIF at all');
});

t.test(
  'a hostile METS cannot grow a file past the EXIF tag limit; tags outside an object are ignored',
  async (t) => {
    const many = Array.from(
      { length: MAX_EXIF_TAGS + 500 },
      (_, i) => `<sr:tag name="T${i}">v${i}</sr:tag>`,
    ).join('');
    const xml = `<?xml version="1.0"?>
<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:premis="http://www.loc.gov/premis/v3" xmlns:sr="urn:strongroom:exif:1" xmlns:xlink="http://www.w3.org/1999/xlink">
  <mets:amdSec ID="ADM_1"><mets:techMD ID="TECH_1"><mets:mdWrap MDTYPE="PREMIS:OBJECT"><mets:xmlData>
    <sr:tag name="Stray">outside any object</sr:tag>
    <premis:object><premis:objectCharacteristics><premis:size>1</premis:size>
      <premis:objectCharacteristicsExtension><sr:exif>${many}<sr:tag>no name</sr:tag></sr:exif></premis:objectCharacteristicsExtension>
    </premis:objectCharacteristics></premis:object>
  </mets:xmlData></mets:mdWrap></mets:techMD></mets:amdSec>
  <mets:fileSec><mets:fileGrp><mets:file ID="F1" ADMID="ADM_1"><mets:FLocat LOCTYPE="URL" xlink:href="objects/p.jpg"/></mets:file></mets:fileGrp></mets:fileSec>
  <mets:structMap><mets:div><mets:fptr FILEID="F1"/></mets:div></mets:structMap>
</mets:mets>`;
    const model = await readMets(xml);
    const exif = model.files[0]!.exif!;
    t.equal(Object.keys(exif).length, MAX_EXIF_TAGS);
    t.equal(exif.T0, 'v0');
    t.notOk(Object.hasOwn(exif, 'Stray'));
  },
);

t.test(
  'adding a file to METS takes the tags ExifTool printed for it, and none when it printed none',
  async (t) => {
    const file: WorkingFile = {
      type: 'WorkingFile',
      localPath: 'objects/p.jpg',
      name: null,
      contentType: 'image/jpeg',
      digest: 'c'.repeat(64),
      size: 10,
      modified: null,
      metadata: [{ type: 'ExifMetadata', source: 'ExifTool', timestamp: null, tags: { Make: 'Canon' } }],
      accessRestrictions: [],
      rightsStatement: null,
    };
    t.same(fileUpdateFromWorkingFile(file).exif, { Make: 'Canon' });
    t.equal(fileUpdateFromWorkingFile({ ...file, metadata: [] }).exif, null);
  },
);
