/**
 * Every METS file in the corpus sources that carry METS: discovered by content (an *.xml whose
 * text declares the METS namespace), so cases added later are read too. Each must parse; each
 * must satisfy the rules that hold for any METS; and where `fixtures/mets/expected/` has our
 * expectations for it (written from what the files contain, cross-checked with another XML
 * parser), the values must match.
 */
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import t, { type Test } from 'tap';
import type { MetsLike } from '../../../lib/formats/combine/inputs.js';
import type { MetsModel } from '../../../lib/formats/mets/model.js';

/** The combiner takes the model as it is: checked by the compiler, not by a test at run time. */
export type ModelFitsCombiner = MetsModel extends MetsLike ? true : never;
const _fits: ModelFitsCombiner = true;
void _fits;

import { readMets } from '../../../lib/formats/mets/reader.js';
import { corpusDir, fixturesDir } from '../../helpers/paths.js';

const SOURCES = [
  'digital-preservation',
  'digital-preservation-docs',
  'digital-preservation-e2e-tests',
  'iiif-builder',
  'archivematica',
  'archivematica-storage-service',
  'dpres-mets',
];
const HEX_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...xmlFiles(p));
    else if (e.isFile() && /\.xml$/i.test(e.name)) out.push(p);
  }
  return out;
}

const metsFiles = SOURCES.filter((s) => existsSync(join(corpusDir, s)))
  .flatMap((s) => xmlFiles(join(corpusDir, s)))
  .filter((p) => readFileSync(p, 'latin1').includes('http://www.loc.gov/METS/'))
  .map((p) => relative(corpusDir, p).split('\\').join('/'))
  .sort();

/** `<source>__<name>` as the fixture files are named; the parent folder joins the name when a source has two of one name. */
function fixtureName(rel: string): string {
  const source = rel.split('/')[0]!;
  const twins =
    metsFiles.filter((r) => r.split('/')[0] === source && basename(r) === basename(rel)).length > 1;
  const parts = rel.split('/');
  return `${source}__${twins ? `${parts[parts.length - 2]}_` : ''}${basename(rel).replace(/\.xml$/i, '')}`;
}

interface Expected {
  producer: string;
  editable: boolean;
  title: string | null;
  accessRestrictions: string[];
  rightsStatement: string | null;
  fileCount: number;
  digestCounts: Record<string, number>;
  directories: string[];
  files: Record<string, unknown>[];
  problemCounts: Record<string, number>;
}

function counts<T>(items: T[], keys: (x: T) => string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) for (const k of keys(x)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** Rules any METS reading must satisfy, whatever the file. */
function checkInvariants(t: Test, m: MetsModel): void {
  const paths = m.files.map((f) => f.path);
  t.equal(new Set(paths).size, paths.length, 'file paths are unique');
  for (const f of m.files) {
    for (const [alg, hex] of Object.entries(f.digests)) {
      t.match(hex, /^[0-9a-f]+$/, `${f.path} ${alg} is lowercase hex`);
      if (HEX_LENGTH[alg]) t.equal(hex.length, HEX_LENGTH[alg], `${f.path} ${alg} has the right length`);
    }
  }
  const dirs = new Set(m.directories.map((d) => d.path));
  for (const f of m.files) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(f.path) || f.path.startsWith('/')) continue;
    for (let i = f.path.lastIndexOf('/'); i > 0; i = f.path.lastIndexOf('/', i - 1)) {
      if (!dirs.has(f.path.slice(0, i))) t.fail(`directory of ${f.path} is listed`);
    }
  }
  t.equal(m.editable, m.producer.kind === 'strongroom', 'only our own METS is editable');
}

t.test('the corpus holds METS files of every kind the README lists', async (t) => {
  t.ok(metsFiles.length >= 30, `found ${metsFiles.length} METS files`);
});

t.test('every expected-values fixture belongs to a corpus METS file (none is stale)', async (t) => {
  const names = new Set(metsFiles.map((rel) => `${fixtureName(rel)}.json`));
  const fixtures = readdirSync(join(fixturesDir, 'mets', 'expected')).filter((f) => f.endsWith('.json'));
  t.same(
    fixtures.filter((f) => !names.has(f)),
    [],
  );
  t.equal(fixtures.length, metsFiles.length, 'one fixture per corpus METS file');
});

for (const rel of metsFiles) {
  t.test(`${rel} reads with the values it holds`, async (t) => {
    const m = await readMets(createReadStream(join(corpusDir, rel)), { name: rel });
    checkInvariants(t, m);
    const fixture = join(fixturesDir, 'mets', 'expected', `${fixtureName(rel)}.json`);
    // Every corpus METS has committed expectations: a new one without them fails until written.
    if (!existsSync(fixture)) return t.fail(`no expected values for ${rel}: write ${fixture}`);
    const e = JSON.parse(readFileSync(fixture, 'utf8')) as Expected & { file?: string };
    t.equal(e.file ?? rel, rel, 'the fixture is about this file');
    t.equal(m.producer.kind, e.producer, 'producer');
    t.equal(m.title, e.title, 'title');
    t.same(m.accessRestrictions, e.accessRestrictions, 'access restrictions');
    t.equal(m.rightsStatement, e.rightsStatement, 'rights statement');
    t.equal(m.files.length, e.fileCount, 'file count');
    t.same(
      counts(m.files, (f) => Object.keys(f.digests)),
      e.digestCounts,
      'digests by algorithm',
    );
    t.same(
      m.directories.map((d) => d.path),
      e.directories,
      'directories',
    );
    t.same(
      counts(m.problems, (p) => [p.code]),
      e.problemCounts,
      'problems by code',
    );
    for (const want of e.files) {
      const got = m.files.find((f) => f.path === want.path);
      t.ok(got, `has ${want.path}`);
      if (got) t.match(got, want, `values of ${want.path}`);
    }
  });
}

t.test('README facts: Goobi SHA-1 values labelled sha256 are never taken as SHA-256', async (t) => {
  const m = await readMets(
    readFileSync(
      join(
        corpusDir,
        'digital-preservation/src/DigitalPreservation/XmlGen.Tests/Samples/goobi-wc-b29356350.xml',
      ),
    ),
  );
  t.notOk(
    m.files.some((f) => f.digests.sha256),
    'no sha256',
  );
  t.equal(m.files.filter((f) => f.digests.sha1).length, 32, '32 image files keep their SHA-1');
  t.equal(m.files.filter((f) => f.contentType === 'image/jp2').length, 32);
});

t.test(
  'README facts: the e2e deposit METS digests match the payload bytes and names differ from paths',
  async (t) => {
    const { createHash } = await import('node:crypto');
    const base = join(corpusDir, 'digital-preservation-e2e-tests/test-data/deposit');
    const m = await readMets(readFileSync(join(base, 'mets.xml')));
    t.equal(m.files.length, 3);
    for (const f of m.files) {
      const actual = createHash('sha256')
        .update(readFileSync(join(base, f.path)))
        .digest('hex');
      t.equal(f.digests.sha256, actual, f.path);
    }
    const folder = m.directories.find((d) => d.path === 'objects/new-test-folder-inside-objects');
    t.equal(folder?.name, 'New test folder inside objects');
  },
);

t.test(
  'README facts: the stand-alone PREMIS fragment without namespace declarations is malformed',
  async (t) => {
    const p = join(
      corpusDir,
      'digital-preservation/src/DigitalPreservation/XmlGen.Tests/Samples/standalone-premis-original.xml',
    );
    await t.rejects(readMets(readFileSync(p)), { code: 'MALFORMED' });
  },
);
