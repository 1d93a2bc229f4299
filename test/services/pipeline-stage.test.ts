/**
 * Staging for the pipeline, without tools: batches respect both limits (a file larger than the
 * byte limit goes alone), keys an object store holds but a local disk cannot (a file and a folder
 * of one name, a name longer than 255 bytes) are reported and the rest of the batch is staged,
 * and the merge helpers of the tools keep every entry exactly once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { planBatches, stageBatch } from '../../lib/services/pipeline-stage.js';
import { splitLog } from '../../lib/services/tools/clamav.js';
import { arrayBody } from '../../lib/services/tools/exiftool.js';
import { splitHeader } from '../../lib/services/tools/siegfried.js';
import { MemoryStore } from '../../lib/storage/memory/memory-store.js';
import { corpusDir } from '../helpers/paths.js';
import { tempDir } from '../txn/helpers.js';

t.test(
  'batches hold at most the file and byte limits, and a larger file is a batch of its own',
  async (t) => {
    const f = (key: string, size: number) => ({ key, size });
    const batches = planBatches(
      [f('a', 10), f('b', 10), f('c', 10), f('big', 100), f('d', 1), f('e', 1)],
      2,
      25,
    );
    t.same(
      batches.map((b) => b.map((x) => x.key)),
      [['a', 'b'], ['c'], ['big'], ['d', 'e']],
    );
    t.same(planBatches([], 2, 25), []);
  },
);

t.test('keys a local disk cannot hold are reported and the rest of the batch is staged', async (t) => {
  const store = new MemoryStore('stage-test');
  const long = `objects/${'n'.repeat(300)}.txt`;
  for (const key of ['objects/ok.txt', 'objects/g', 'objects/g/h.txt', long])
    await store.write(key, `${key}\n`);
  const dir = tempDir(t, 'stage');
  const files = await Promise.all(
    ['objects/ok.txt', 'objects/g', 'objects/g/h.txt', long].map(async (key) => ({
      key,
      size: (await store.stat(key)).size,
      modified: new Date('2021-02-03T04:05:06Z'),
    })),
  );
  const r = await stageBatch(store, files, join(dir, 'stage'));
  t.equal(r.staged, 2, 'the plain file and one of the file/folder pair');
  const messages = r.issues.map((i) => i.message).join('\n');
  t.match(
    messages,
    /"objects\/nnnn[^"]*more characters\)": not scanned: cannot be laid out on local disk \(ENAMETOOLONG\)/,
  );
  t.match(messages, /"objects\/g(\/h\.txt)?": not scanned: cannot be laid out on local disk \(E[A-Z]+\)/);
  t.equal(readFileSync(join(dir, 'stage', 'objects', 'ok.txt'), 'utf8'), 'objects/ok.txt\n');
  const again = await stageBatch(store, files.slice(0, 1), join(dir, 'stage'));
  t.equal(again.staged, 1, 'a new batch starts from an empty folder');
});

t.test('the merge helpers split real tool output without losing or doubling entries', async (t) => {
  const yaml = "---\nsiegfried   : 1.11.2\nidentifiers : \n---\nfilename : 'a'\n---\nfilename : 'b'\n";
  const split = splitHeader(`\uFEFF${yaml}`);
  t.equal(split?.header, '---\nsiegfried   : 1.11.2\nidentifiers : \n');
  t.equal(split?.files, "---\nfilename : 'a'\n---\nfilename : 'b'\n");
  t.equal(splitHeader('filename : a\n'), null, 'not a Siegfried report');
  const log = readFileSync(join(corpusDir, 'netint-k8-device-plugin', 'clamscan.log'), 'utf8');
  const clam = splitLog(log);
  t.equal(clam?.verdicts.split('\n').filter((l) => l.endsWith(': OK')).length, log.match(/: OK$/gm)?.length);
  t.equal(clam?.fields['Engine version'], '0.103.12');
  t.equal(splitLog('a: OK\n'), null, 'no summary, no log');
  t.equal(
    arrayBody('[{"SourceFile":"a"},\n{"SourceFile":"b"}]\n'),
    '{"SourceFile":"a"},\n{"SourceFile":"b"}',
  );
  t.equal(arrayBody(''), '', 'ExifTool prints nothing for an empty folder');
  t.equal(arrayBody('{"SourceFile":"a"}'), null);
  t.equal(arrayBody('[1,'), null);
});
