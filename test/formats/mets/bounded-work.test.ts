/**
 * METS built to make the reader work without end: divs nested 10,000 deep, an element with
 * 100,000 attributes, a megabyte-long attribute value, many long deep paths. Each finishes in
 * bounded time with a model whose size grows linearly with the input (or stops with a clear
 * MalformedError), never with the square of the depth.
 */
import t from 'tap';
import { MAX_DIV_DEPTH } from '../../../lib/formats/mets/collector.js';
import { MAX_PATH_DEPTH } from '../../../lib/formats/mets/paths.js';
import { MAX_ATTRIBUTES, readMets } from '../../../lib/formats/mets/reader.js';

const NS = 'xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"';

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

t.test('Directory divs nested 10,000 deep: one STRUCTURE_TOO_DEEP, a model of bounded size', async (t) => {
  const depth = 10_000;
  const xml =
    `<mets:mets ${NS}><mets:fileSec><mets:fileGrp><mets:file ID="F"><mets:FLocat xlink:href="objects/a.txt"/>` +
    '</mets:file></mets:fileGrp></mets:fileSec><mets:structMap TYPE="PHYSICAL">' +
    '<mets:div TYPE="Directory" LABEL="folder-name">'.repeat(depth) +
    '<mets:fptr FILEID="F"/>' +
    '</mets:div>'.repeat(depth) +
    '</mets:structMap></mets:mets>';
  const { value: m, ms } = await timed(() => readMets(xml));
  t.ok(ms < 5000, `read in ${ms.toFixed(0)} ms`);
  t.same(
    m.problems.map((p) => p.code),
    ['STRUCTURE_TOO_DEEP'],
  );
  t.ok(m.directories.length <= MAX_DIV_DEPTH, `${m.directories.length} directories`);
  const size = JSON.stringify(m).length;
  t.ok(size < xml.length, `model JSON ${size} characters for ${xml.length} of input`);
  t.same(
    m.files.map((f) => f.path),
    ['objects/a.txt'],
    'the file is still read from fileSec',
  );
});

t.test('divs nested 10,000 deep inside an unchosen structMap are only counted', async (t) => {
  const xml =
    `<mets:mets ${NS}><mets:structMap TYPE="PHYSICAL"><mets:div/></mets:structMap><mets:structMap TYPE="LOGICAL">` +
    '<mets:div>'.repeat(10_000) +
    '</mets:div>'.repeat(10_000) +
    '</mets:structMap></mets:mets>';
  const { ms } = await timed(() => readMets(xml));
  t.ok(ms < 5000, `read in ${ms.toFixed(0)} ms`);
});

t.test(`an element with 100,000 attributes stops with a MalformedError past ${MAX_ATTRIBUTES}`, async (t) => {
  let attrs = '';
  for (let i = 0; i < 100_000; i++) attrs += ` a${i}="v"`;
  const xml = `<mets:mets ${NS}><mets:fileSec><mets:fileGrp><mets:file ID="F"${attrs}/></mets:fileGrp></mets:fileSec></mets:mets>`;
  const started = performance.now();
  await t.rejects(readMets(xml), { code: 'MALFORMED', message: /more than 1000 attributes/ });
  t.ok(performance.now() - started < 2000, 'stopped early');
});

t.test('an element with a few hundred attributes still reads', async (t) => {
  let attrs = '';
  for (let i = 0; i < 300; i++) attrs += ` a${i}="v"`;
  const m = await readMets(
    `<mets:mets ${NS}><mets:fileSec><mets:fileGrp><mets:file ID="F"${attrs}><mets:FLocat xlink:href="a.txt"/></mets:file></mets:fileGrp></mets:fileSec></mets:mets>`,
  );
  t.equal(m.files.length, 1);
});

t.test(
  'a megabyte-long attribute value stops with a MalformedError, not a megabyte in the model',
  async (t) => {
    const xml = `<mets:mets ${NS}><mets:structMap><mets:div TYPE="Directory" LABEL="${'x'.repeat(1024 * 1024)}"/></mets:structMap></mets:mets>`;
    const read = await readMets(xml).catch((err: Error & { code?: string }) => err);
    if (read instanceof Error) {
      t.equal((read as { code?: string }).code, 'MALFORMED');
      t.ok(read.message.length < 300, 'the message does not carry the value');
    } else {
      t.ok(JSON.stringify(read).length < 64 * 1024, 'the value is not kept');
    }
  },
);

t.test('2,000 distinct long paths at the depth limit: the model stays linear in the input', async (t) => {
  const files: string[] = [];
  const segs = MAX_PATH_DEPTH - 1;
  for (let i = 0; i < 2_000; i++) {
    const path = `${Array.from({ length: segs }, (_, k) => `f${i}-${k}-${'n'.repeat(20)}`).join('/')}/x.txt`;
    files.push(`<mets:file ID="F${i}"><mets:FLocat xlink:href="${path}"/></mets:file>`);
  }
  const xml = `<mets:mets ${NS}><mets:fileSec><mets:fileGrp>${files.join('')}</mets:fileGrp></mets:fileSec></mets:mets>`;
  const { value: m, ms } = await timed(() => readMets(xml));
  t.ok(ms < 10_000, `read in ${ms.toFixed(0)} ms`);
  const size = JSON.stringify(m.directories).length;
  t.ok(size < xml.length * MAX_PATH_DEPTH, `directories ${size} characters for ${xml.length} of input`);
  t.equal(m.files.length, 2_000);
});
