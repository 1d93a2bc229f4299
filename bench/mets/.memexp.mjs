import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import sax from 'sax';
import { assemble } from '/work/main/dist/lib/formats/mets/assemble.js';
import { MetsCollector } from '/work/main/dist/lib/formats/mets/collector.js';
import { decodeChunks } from '/work/main/dist/lib/formats/mets/decode.js';
import { MetsDocument } from '/work/main/dist/lib/formats/mets/document.js';
import { metsChunks } from '/work/main/dist/lib/formats/mets/writer.js';

const N = 30000,
  file = '/tmp/mem30k.xml';
if (!existsSync(file)) {
  const doc = MetsDocument.create();
  for (let i = 0; i < N; i++)
    doc.addFile({
      path: `objects/folder ${i % 1000}/image & scan ${i}.tif`,
      sha256: i.toString(16).padStart(8, '0').repeat(8),
      size: i,
      contentType: 'image/tiff',
      format: { pronomKey: 'fmt/353', name: 'TIFF' },
      virusCheck: {
        outcome: 'Pass',
        detail: 'ClamAV',
        date: '2026-01-01T00:00:00Z',
        agent: 'ClamAV',
        outcomeDetail: null,
      },
    });
  writeFileSync(file, [...metsChunks(doc)].join(''));
  console.log('written');
  process.exit(0);
}
gc();
const h0 = process.memoryUsage().heapUsed;
const parser = sax.parser(true, { xmlns: true, position: true });
const c = new MetsCollector(() => ({ line: parser.line + 1, column: parser.column }));
parser.onopentag = (t) => c.openTag(t);
parser.onclosetag = () => c.closeTag();
parser.ontext = (t) => c.text(t);
for await (const text of decodeChunks(createReadStream(file))) parser.write(text);
parser.close();
gc();
const h1 = process.memoryUsage().heapUsed;
const m = assemble(c.out);
gc();
const h2 = process.memoryUsage().heapUsed;
c.out.files = [];
c.out.divs = [];
c.out.mdSections.clear();
c.out.amdSecs.clear();
gc();
const h3 = process.memoryUsage().heapUsed;
console.log(
  'records',
  ((h1 - h0) / N).toFixed(0),
  'B/file; records+model',
  ((h2 - h0) / N).toFixed(0),
  '; model alone',
  ((h3 - h0) / N).toFixed(0),
  m.files.length,
);
