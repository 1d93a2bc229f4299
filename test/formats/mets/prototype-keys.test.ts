/**
 * `__proto__`, `constructor` and `toString` as METS IDs, ADMID / DMDID / FILEID references,
 * CHECKSUMTYPE labels and attribute names are ordinary strings: they resolve like any other ID,
 * never to Object.prototype, and no key disappears from the model.
 */
import t from 'tap';
import { readMets } from '../../../lib/formats/mets/reader.js';

const NS =
  'xmlns:mets="http://www.loc.gov/METS/" xmlns:premis="http://www.loc.gov/premis/v3" ' +
  'xmlns:mods="http://www.loc.gov/mods/v3" xmlns:xlink="http://www.w3.org/1999/xlink"';
const HEX = 'ab'.repeat(32);

t.test('__proto__ / constructor / toString as IDs and references resolve like any ID', async (t) => {
  const xml =
    `<mets:mets ${NS}>` +
    '<mets:dmdSec ID="constructor"><mets:mdWrap MDTYPE="MODS"><mets:xmlData><mods:mods>' +
    '<mods:accessCondition type="restriction on access">Closed</mods:accessCondition>' +
    '</mods:mods></mets:xmlData></mets:mdWrap></mets:dmdSec>' +
    '<mets:amdSec ID="__proto__"><mets:techMD ID="toString"><mets:mdWrap MDTYPE="PREMIS:OBJECT"><mets:xmlData>' +
    '<premis:object><premis:objectCharacteristics><premis:size>42</premis:size></premis:objectCharacteristics>' +
    '</premis:object></mets:xmlData></mets:mdWrap></mets:techMD></mets:amdSec>' +
    '<mets:fileSec><mets:fileGrp>' +
    `<mets:file ID="__proto__" ADMID="__proto__" DMDID="constructor" CHECKSUMTYPE="constructor" CHECKSUM="${HEX}" ` +
    '__proto__="x" constructor="y"><mets:FLocat xlink:href="objects/__proto__"/></mets:file>' +
    '<mets:file ID="hasOwnProperty" ADMID="valueOf"><mets:FLocat xlink:href="objects/constructor"/></mets:file>' +
    '</mets:fileGrp></mets:fileSec>' +
    '<mets:structMap TYPE="PHYSICAL"><mets:div TYPE="Directory" LABEL="objects" ID="constructor-div">' +
    '<mets:div LABEL="the proto" ID="toString"><mets:fptr FILEID="__proto__"/></mets:div>' +
    '</mets:div></mets:structMap></mets:mets>';
  const m = await readMets(xml);
  const [a, b] = m.files;
  t.equal(a?.path, 'objects/__proto__');
  t.equal(a?.fileId, '__proto__');
  t.equal(a?.size, 42, 'ADMID "__proto__" found its amdSec');
  t.same(a?.accessRestrictions, ['Closed'], 'DMDID "constructor" found its dmdSec');
  t.same(
    Object.keys(a?.digests ?? {}),
    ['constructor'],
    'the "constructor" digest is kept under its own name',
  );
  t.equal(a?.name, 'the proto');
  t.equal(b?.path, 'objects/constructor');
  t.same(
    m.problems.map((p) => [p.code, p.message]),
    [['UNRESOLVED_REFERENCE', 'ADMID "valueOf" names no element']],
  );
  t.ok(JSON.stringify(m).includes('"constructor":"abab'), 'the key survives JSON');
  t.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype is untouched');
});
