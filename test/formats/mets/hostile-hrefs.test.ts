/**
 * METS hrefs, LABELs and PREMIS names from an attacker: every way a path can climb out, be
 * absolute, name another machine or hide a NUL or control character is reported as UNSAFE_PATH
 * and its path is never used: it is in no file, directory, fileId or problem `path` of the model.
 * The producer conventions the corpus uses (Archivematica `objects/...`, `./x`, percent-encoded
 * UTF-8, the KDK profile's `file://` prefix) keep working.
 */
import t, { type Test } from 'tap';
import { isSafeRelativePath } from '../../../lib/core/paths.js';
import type { MetsModel } from '../../../lib/formats/mets/model.js';
import { readMets } from '../../../lib/formats/mets/reader.js';

const NS =
  'xmlns:mets="http://www.loc.gov/METS/" xmlns:premis="http://www.loc.gov/premis/v3" ' +
  'xmlns:xlink="http://www.w3.org/1999/xlink"';

// Control characters stay raw: XML forbids them, so the parser may refuse the whole document.
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** One good file and one with `href`, both placed in a Directory div of a physical structMap. */
function metsWith(href: string, profile = ''): string {
  const file = (id: string, h: string) =>
    `<mets:file ID="${id}"><mets:FLocat LOCTYPE="URL" xlink:href="${escapeAttr(h)}"/></mets:file>`;
  return (
    `<mets:mets ${profile ? `PROFILE="${profile}" ` : ''}${NS}><mets:fileSec><mets:fileGrp>` +
    file('GOOD', 'objects/good.txt') +
    file('EVIL', href) +
    '</mets:fileGrp></mets:fileSec><mets:structMap TYPE="PHYSICAL">' +
    '<mets:div TYPE="Directory" LABEL="objects" ID="D1">' +
    '<mets:div LABEL="good.txt" ID="P1"><mets:fptr FILEID="GOOD"/></mets:div>' +
    '<mets:div LABEL="evil" ID="P2"><mets:fptr FILEID="EVIL"/></mets:div>' +
    '</mets:div></mets:structMap></mets:mets>'
  );
}

/** Nothing in the model holds an unsafe path or the hostile file's ID. */
function assertNoUnsafePath(t: Test, m: MetsModel): void {
  for (const f of m.files) t.ok(isSafeRelativePath(f.path), `file path ${JSON.stringify(f.path)} is safe`);
  for (const d of m.directories)
    t.ok(isSafeRelativePath(d.path), `directory ${JSON.stringify(d.path)} is safe`);
  for (const p of m.problems)
    if (p.path !== undefined) t.ok(isSafeRelativePath(p.path), `problem path ${p.path}`);
  t.notOk(
    m.files.some((f) => f.fileId === 'EVIL'),
    'the hostile file is not in the model',
  );
}

const HOSTILE = [
  '../x',
  'objects/../../x',
  '%2e%2e/x',
  '%2E%2E/%2e%2e/etc/passwd',
  '..%2Fx',
  'objects%2F..%2F..%2Fx',
  'file:///etc/passwd',
  'file://localhost/etc/passwd',
  'file://server/share/x',
  'file:/etc/passwd',
  '\\\\server\\share\\x',
  'C:\\x',
  'c:/windows/x',
  'a\\..\\..\\x',
  '/etc/passwd',
  'objects/a%00.txt',
  'objects/a%01b.txt',
  'objects/a\u0001b.txt',
  'objects/a%0Ab.txt',
  'objects//a.txt',
  'objects/./a.txt',
  `${'a/'.repeat(70)}deep.txt`,
  `objects/${'x'.repeat(5000)}`,
];

for (const href of HOSTILE) {
  t.test(`href ${JSON.stringify(href.slice(0, 60))} is UNSAFE_PATH and never used`, async (t) => {
    const read = await readMets(metsWith(href)).catch((err: { code?: string }) => err);
    if (/[\u0000-\u001f]/.test(href) && (read as { code?: string }).code === 'MALFORMED')
      return t.pass('XML cannot carry it: the document is refused');
    const m = read as MetsModel;
    t.same(
      m.files.map((f) => f.path),
      ['objects/good.txt'],
      'only the good file is in the model',
    );
    const p = m.problems.filter((x) => x.code === 'UNSAFE_PATH');
    t.equal(p.length, 1, JSON.stringify(m.problems));
    t.equal(p[0]?.path, undefined, 'the problem carries no path');
    t.ok((p[0]?.line ?? 0) > 0, 'the problem says where');
    t.ok((p[0]?.message.length ?? 0) < 500, 'the message quotes a short excerpt only');
    assertNoUnsafePath(t, m);
    t.same(
      m.directories.map((d) => d.path),
      ['objects'],
    );
  });
}

t.test('a raw NUL in an href is refused (malformed XML or UNSAFE_PATH), never a path', async (t) => {
  const xml = metsWith('objects/a\u0000b.txt');
  const m = await readMets(xml).catch((err: { code?: string }) => err);
  if ('code' in m && m.code === 'MALFORMED') return t.pass('rejected as malformed');
  const model = m as MetsModel;
  t.ok(
    model.problems.some((p) => p.code === 'UNSAFE_PATH'),
    'reported',
  );
  assertNoUnsafePath(t, model);
});

t.test('producer conventions stay: objects/..., ./x, percent-encoded UTF-8, KDK file://', async (t) => {
  for (const [href, path] of [
    ['objects/sub/a.txt', 'objects/sub/a.txt'],
    ['./objects/b.txt', 'objects/b.txt'],
    ['objects/p%C3%A4%C3%A4t%C3%B6s.pdf', 'objects/päätös.pdf'],
    ['objects/r%C3%A9sum%C3%A9%20final.pdf', 'objects/résumé final.pdf'],
  ] as const) {
    const m = await readMets(metsWith(href));
    t.same(m.files.map((f) => f.path).sort(), ['objects/good.txt', path].sort(), href);
    t.same(
      m.problems.filter((p) => p.code === 'UNSAFE_PATH'),
      [],
      href,
    );
  }
  const kdk = await readMets(metsWith('file://asettamiset/a.pdf', 'http://www.kdk.fi/kdk-mets-profile'));
  t.ok(
    kdk.files.some((f) => f.path === 'asettamiset/a.pdf'),
    'the KDK profile writes file:// before relative paths',
  );
  const kdkAbs = await readMets(metsWith('file:///etc/passwd', 'http://www.kdk.fi/kdk-mets-profile'));
  t.ok(
    kdkAbs.problems.some((p) => p.code === 'UNSAFE_PATH'),
    'but file:/// is absolute there too',
  );
});

t.test('a Directory LABEL or PREMIS originalName that climbs out makes no directory', async (t) => {
  const premis = (id: string, name: string) =>
    `<mets:techMD ID="${id}"><mets:mdWrap MDTYPE="PREMIS:OBJECT"><mets:xmlData><premis:object>` +
    `<premis:originalName>${name}</premis:originalName></premis:object></mets:xmlData></mets:mdWrap></mets:techMD>`;
  const xml =
    `<mets:mets ${NS}><mets:amdSec ID="AMD1">${premis('T1', '../../../etc')}</mets:amdSec>` +
    `<mets:amdSec ID="AMD2">${premis('T2', '/abs/dir')}</mets:amdSec>` +
    '<mets:structMap TYPE="PHYSICAL"><mets:div TYPE="Directory" LABEL="root">' +
    '<mets:div TYPE="Directory" LABEL="../../escape"/>' +
    '<mets:div TYPE="Directory" LABEL="..\\..\\win"/>' +
    '<mets:div TYPE="Directory" LABEL="ok"/>' +
    '<mets:div TYPE="Directory" ADMID="AMD1"/>' +
    '<mets:div TYPE="Directory" ADMID="AMD2" LABEL="named"/>' +
    '</mets:div></mets:structMap></mets:mets>';
  const m = await readMets(xml);
  t.same(m.directories.map((d) => d.path).sort(), ['named', 'ok']);
  t.equal(m.problems.filter((p) => p.code === 'UNSAFE_PATH').length, 2, JSON.stringify(m.problems));
  assertNoUnsafePath(t, m);
});
