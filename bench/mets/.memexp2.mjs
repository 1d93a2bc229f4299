import { createReadStream } from 'node:fs';
import sax from 'sax';
import { MetsCollector } from '/work/main/dist/lib/formats/mets/collector.js';
import { decodeChunks } from '/work/main/dist/lib/formats/mets/decode.js';

const N = 30000,
  file = '/tmp/mem30k.xml';
gc();
const h0 = process.memoryUsage().heapUsed;
const parser = sax.parser(true, { xmlns: true, position: true });
const c = new MetsCollector(() => 1);
parser.onopentag = (t) => c.openTag(t);
parser.onclosetag = () => c.closeTag();
parser.ontext = (t) => c.text(t);
for await (const text of decodeChunks(createReadStream(file))) parser.write(text);
parser.close();
const m = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
let prev = m();
console.log('total', ((prev - h0) / N).toFixed(0));
for (const [k, f] of [
  ['mdSections', () => c.out.mdSections.clear()],
  ['amdSecs', () => c.out.amdSecs.clear()],
  [
    'files',
    () => {
      c.out.files = [];
    },
  ],
  [
    'divs',
    () => {
      c.out.divs = [];
    },
  ],
]) {
  f();
  const now = m();
  console.log(k, ((prev - now) / N).toFixed(0));
  prev = now;
}
