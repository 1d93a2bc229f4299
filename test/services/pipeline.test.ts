/**
 * Pipeline runs over filesystem deposits with the real tools (Siegfried, ClamAV, ExifTool): the
 * outputs land at the spec's places under metadata/ and parse with our own readers, an EICAR file
 * is reported infected, batches merge into one report per tool, and what cannot be scanned (a
 * missing tool, a tool past its time, hostile names, special files) is named in the errors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import {
  type Metadata,
  type PipelineLimits,
  pipelineTools,
  readToolOutputsAt,
  runPipeline,
} from '../../lib/index.js';
import {
  EICAR_SIGNATURE,
  eicarBytes,
  requireTools,
  tinyPng,
  toolsConfig,
  writeEicarDatabase,
} from '../helpers/tools.js';
import { tempDir } from '../txn/helpers.js';

function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, body] of Object.entries(files)) {
    const full = join(root, ...path.split('/'));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, body);
  }
}

const sample = (prefix = '') => ({
  [`${prefix}objects/readme.txt`]: 'A plain text file about the deposit.\n',
  [`${prefix}objects/images/dot.png`]: tinyPng(),
  [`${prefix}objects/eicar.com`]: eicarBytes(),
  [`${prefix}objects/it's "quoted" é.txt`]: 'quoted name\n',
});

function ofType<T extends Metadata['type']>(list: Metadata[] | undefined, type: T) {
  return (list ?? []).filter((m) => m.type === type) as Extract<Metadata, { type: T }>[];
}

function setup(t: Test) {
  const tools = requireTools(t);
  if (!tools) return null;
  const dir = tempDir(t, 'pipeline');
  const limits: PipelineLimits = { stagingDir: join(dir, 'staging'), toolTimeoutMs: 120_000 };
  return { tools, dir, limits, config: toolsConfig(tools, writeEicarDatabase(dir)) };
}

t.test(
  'a run over a RootLevel deposit writes Siegfried, ClamAV and ExifTool outputs under metadata/ that our readers parse',
  async (t) => {
    const s = setup(t);
    if (!s) return;
    const deposit = join(s.dir, 'deposit');
    writeTree(deposit, { ...sample(), 'mets.xml': '<mets/>', 'metadata/.keep': '' });
    const out = await runPipeline({
      depositUri: `${pathToFileURL(deposit).href}/`,
      depositId: 'd1',
      template: 'RootLevel',
      tools: pipelineTools(s.config),
      limits: s.limits,
    });
    t.same(out.outputs, [
      'metadata/siegfried/siegfried.yaml',
      'metadata/clamav/clamscan.log',
      'metadata/exiftool/exiftool.json',
    ]);
    t.equal(out.files, 4, 'every file under objects/ was scanned');
    t.same(
      out.errors.map((e) => e.message),
      [`ClamAV: infected: objects/eicar.com: ${EICAR_SIGNATURE}.UNOFFICIAL`],
      'the only error is the infected file',
    );
    const read = await readToolOutputsAt(deposit);
    t.same(
      read.problems.filter((p) => p.code !== 'TOOL_VIRUS_FOUND'),
      [],
      'the outputs parse without problems',
    );
    t.same(read.outputs.sort(), [...out.outputs].sort(), 'the readers recognise every output');
    const text = read.byPath.get('objects/readme.txt');
    t.equal(
      ofType(text, 'FileFormatMetadata')[0]?.pronomKey,
      'x-fmt/111',
      'Siegfried identified the text file',
    );
    t.equal(ofType(text, 'FileFormatMetadata')[0]?.source, 'Siegfried');
    t.match(ofType(text, 'FileFormatMetadata')[0]?.digest, /^[0-9a-f]{64}$/, 'with its SHA-256');
    t.equal(ofType(text, 'VirusScanMetadata')[0]?.hasVirus, false, 'ClamAV found it clean');
    const png = read.byPath.get('objects/images/dot.png');
    t.equal(ofType(png, 'FileFormatMetadata')[0]?.contentType, 'image/png');
    t.equal(ofType(png, 'ExifMetadata')[0]?.tags.ImageWidth, '1', 'ExifTool read the image size');
    const eicar = read.byPath.get('objects/eicar.com');
    t.same(ofType(eicar, 'VirusScanMetadata')[0]?.virusesFound, [`${EICAR_SIGNATURE}.UNOFFICIAL`]);
    t.equal(ofType(eicar, 'VirusScanMetadata')[0]?.hasVirus, true, 'the EICAR file is reported infected');
    const quoted = read.byPath.get(`objects/it's "quoted" é.txt`);
    t.equal(quoted?.length, 3, 'a name with quotes and non-ASCII gets all three records');
    t.notOk(read.byPath.has('mets.xml'), 'nothing outside objects/ is scanned');
    t.notOk(existsSync(join(deposit, 'metadata/siegfried/objects')), 'no staged file is left in the deposit');
    t.same(readdirSync(s.limits.stagingDir), [], 'the staging folder is emptied');
  },
);

t.test('batches of a few files merge into one report per tool that lists every file once', async (t) => {
  const s = setup(t);
  if (!s) return;
  const deposit = join(s.dir, 'deposit');
  const files: Record<string, string | Buffer> = sample();
  for (let i = 0; i < 7; i++) files[`objects/many/f${i}.txt`] = `file ${i}\n`;
  writeTree(deposit, files);
  const out = await runPipeline({
    depositUri: `${pathToFileURL(deposit).href}/`,
    depositId: 'd2',
    template: 'RootLevel',
    tools: pipelineTools(s.config),
    limits: { ...s.limits, batchFiles: 2, batchBytes: 1024 },
  });
  t.equal(out.files, 11);
  const read = await readToolOutputsAt(deposit);
  t.same(
    read.problems.filter((p) => p.code !== 'TOOL_VIRUS_FOUND'),
    [],
    'merged outputs parse cleanly',
  );
  for (const key of Object.keys(files)) {
    const records = read.byPath.get(key) ?? [];
    t.same(
      records.map((r) => r.type).sort(),
      ['ExifMetadata', 'FileFormatMetadata', 'VirusScanMetadata'],
      `${key}: one record of each tool`,
    );
  }
  const clam = read.summaries.find((x) => x.tool === 'ClamAV');
  t.equal(
    clam?.tool === 'ClamAV' && clam.summary?.scannedFiles,
    11,
    'the merged SCAN SUMMARY counts all batches',
  );
  t.equal(clam?.tool === 'ClamAV' && clam.summary?.infectedFiles, 1);
  const yaml = readFileSync(join(deposit, 'metadata/siegfried/siegfried.yaml'), 'utf8');
  t.equal(yaml.match(/^siegfried\s*:/gm)?.length, 1, 'one Siegfried header');
  t.equal(yaml.match(/^filename\s*:/gm)?.length, 11, 'one document per file');
});

t.test('a BagIt deposit is scanned under data/objects and its outputs go to data/metadata', async (t) => {
  const s = setup(t);
  if (!s) return;
  const deposit = join(s.dir, 'bag');
  writeTree(deposit, { ...sample('data/'), 'bagit.txt': 'BagIt-Version: 1.0\n' });
  const out = await runPipeline({
    depositUri: `${pathToFileURL(deposit).href}/`,
    depositId: 'd3',
    template: 'BagIt',
    tools: pipelineTools(s.config),
    limits: s.limits,
  });
  t.same(out.outputs, [
    'data/metadata/siegfried/siegfried.yaml',
    'data/metadata/clamav/clamscan.log',
    'data/metadata/exiftool/exiftool.json',
  ]);
  const read = await readToolOutputsAt(deposit);
  t.equal(ofType(read.byPath.get('data/objects/eicar.com'), 'VirusScanMetadata')[0]?.hasVirus, true);
  t.equal(
    ofType(read.byPath.get('data/objects/readme.txt'), 'FileFormatMetadata')[0]?.pronomKey,
    'x-fmt/111',
  );
});

t.test(
  'a deposit without files under objects/ completes with an error naming the deposit and writes nothing',
  async (t) => {
    const s = setup(t);
    if (!s) return;
    const deposit = join(s.dir, 'empty');
    writeTree(deposit, { 'mets.xml': '<mets/>', 'other/x.txt': 'x' });
    mkdirSync(join(deposit, 'objects'));
    const out = await runPipeline({
      depositUri: `${pathToFileURL(deposit).href}/`,
      depositId: 'dEmpty',
      template: 'None',
      tools: pipelineTools(s.config),
      limits: s.limits,
    });
    t.same(out.outputs, []);
    t.match(out.errors, [{ message: /objects folder.*dEmpty/ }]);
    t.notOk(existsSync(join(deposit, 'metadata')));
  },
);

t.test(
  'a missing tool is named in the errors, once, and the other tools still write their outputs',
  async (t) => {
    const s = setup(t);
    if (!s) return;
    const deposit = join(s.dir, 'deposit');
    writeTree(deposit, sample());
    const out = await runPipeline({
      depositUri: `${pathToFileURL(deposit).href}/`,
      depositId: 'd4',
      template: 'RootLevel',
      tools: pipelineTools({ ...s.config, siegfried: { command: join(s.dir, 'no-such-sf') } }),
      limits: { ...s.limits, batchFiles: 1 },
    });
    const missing = out.errors.filter((e) => /Siegfried/.test(e.message));
    t.equal(missing.length, 1, 'said once, not per batch');
    t.match(missing[0]?.message, /Siegfried: the program ".*no-such-sf" is not installed \(ENOENT\)/);
    t.same(out.outputs, ['metadata/clamav/clamscan.log', 'metadata/exiftool/exiftool.json']);
  },
);

t.test('a tool that runs past its time limit is killed and reported, and the run still ends', async (t) => {
  const s = setup(t);
  if (!s) return;
  const deposit = join(s.dir, 'deposit');
  writeTree(deposit, sample());
  const started = Date.now();
  const out = await runPipeline({
    depositUri: `${pathToFileURL(deposit).href}/`,
    depositId: 'd5',
    template: 'RootLevel',
    tools: pipelineTools({ siegfried: s.config.siegfried!, clamav: false, exiftool: false }),
    limits: { ...s.limits, toolTimeoutMs: 1 },
  });
  t.ok(Date.now() - started < 30_000, 'no hang');
  t.match(out.errors, [{ message: /^Siegfried: stopped after 0 s \(the time limit/ }]);
  t.same(out.outputs, [], 'no partial output is written');
});

t.test(
  'hostile entries are reported and never staged: control characters, backslashes, links, FIFOs',
  async (t) => {
    const s = setup(t);
    if (!s) return;
    const deposit = join(s.dir, 'deposit');
    const outside = join(s.dir, 'secret.txt');
    writeFileSync(outside, 'not part of the deposit\n');
    writeTree(deposit, {
      'objects/fine.txt': 'fine\n',
      'objects/forged\nobjects/fine.txt: OK': 'a name that would forge a verdict line\n',
      'objects/back\\slash.txt': 'backslash\n',
    });
    symlinkSync(outside, join(deposit, 'objects/link.txt'));
    execFileSync('mkfifo', [join(deposit, 'objects/pipe')]);
    const out = await runPipeline({
      depositUri: `${pathToFileURL(deposit).href}/`,
      depositId: 'd6',
      template: 'RootLevel',
      tools: pipelineTools(s.config),
      limits: s.limits,
    });
    t.equal(out.files, 1, 'only the plain file was scanned');
    const messages = out.errors.map((e) => e.message).join('\n');
    t.match(messages, /"objects\/forged\\nobjects\/fine.txt: OK": not scanned: .*control/);
    t.match(messages, /back\\\\slash.txt": not scanned: .*backslash/);
    t.match(messages, /"objects\/link.txt": not scanned: a symbolic link/);
    t.match(messages, /"objects\/pipe": not scanned: not a regular file \(fifo\)/);
    const log = readFileSync(join(deposit, 'metadata/clamav/clamscan.log'), 'utf8');
    t.notMatch(log, /secret|forged/, 'nothing outside the deposit and no forged name reached a tool');
    t.equal(log.match(/: OK$/gm)?.length, 1);
  },
);

t.test('a ClamAV database that cannot be loaded is reported and no log calls any file clean', async (t) => {
  const s = setup(t);
  if (!s) return;
  const deposit = join(s.dir, 'deposit');
  writeTree(deposit, sample());
  mkdirSync(join(s.dir, 'empty-db'));
  for (const database of [join(s.dir, 'no-such-db'), join(s.dir, 'empty-db')]) {
    const out = await runPipeline({
      depositUri: `${pathToFileURL(deposit).href}/`,
      depositId: 'd7',
      template: 'RootLevel',
      tools: pipelineTools({ siegfried: false, clamav: { ...s.config.clamav, database }, exiftool: false }),
      limits: s.limits,
    });
    t.match(out.errors, [
      { message: /^ClamAV: (no virus signatures were loaded|nothing was scanned) \(exit code 2\)/ },
    ]);
    t.same(out.outputs, [], 'no clamscan.log');
    t.notOk(existsSync(join(deposit, 'metadata/clamav/clamscan.log')));
  }
});
