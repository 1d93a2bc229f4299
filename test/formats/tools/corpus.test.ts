/**
 * Every tool output in the shared corpus reads into the records that fixtures/tools/expected/
 * says it contains. Those expectations were written by fixtures/tools/make-expected.py, an
 * independent reading of the same bytes (PyYAML, Python csv), so this compares two readers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { readClamAvLog } from '../../../lib/formats/tools/clamav.js';
import { readSiegfriedCsv, readSiegfriedYaml } from '../../../lib/formats/tools/siegfried.js';
import { corpusDir, fixturesDir } from '../../helpers/paths.js';

interface FormatExpectation {
  size: number | null;
  sha256: string | null;
  pronomKey: string | null;
  formatName: string | null;
  contentType: string | null;
  matchIds: (string | null)[];
  ambiguous: boolean;
}

interface Expected {
  corpus: string;
  reader: 'siegfried-yaml' | 'siegfried-csv' | 'clamav';
  fileCount: number;
  files: Record<string, unknown>;
  keys?: Record<string, [string | null, boolean]>;
  run?: { version: string; scanDate: string; identifiers: string[] };
  summary?: Record<string, unknown>;
}

const expectedDir = join(fixturesDir, 'tools', 'expected');
const cases = readdirSync(expectedDir).filter((n) => n.endsWith('.json'));

t.ok(cases.length >= 13, 'there are expectations for every corpus tool output');

for (const name of cases) {
  const exp = JSON.parse(readFileSync(join(expectedDir, name), 'utf8')) as Expected;
  const bytes = readFileSync(join(corpusDir, exp.corpus));
  if (exp.reader === 'clamav') {
    t.test(`${exp.corpus} gives the verdicts and summary it prints`, async (t) => {
      const r = readClamAvLog(bytes);
      t.equal(r.files.length, exp.fileCount);
      for (const f of r.files) {
        const e = exp.files[f.toolPath] as { hasVirus: boolean; viruses: string[] } | undefined;
        t.ok(e, `${f.toolPath} is a file the log lists`);
        t.equal(f.record.hasVirus, e?.hasVirus, `${f.toolPath} verdict`);
        t.same(f.record.virusesFound, e?.viruses);
      }
      t.match(r.summary, exp.summary);
    });
    continue;
  }
  t.test(`${exp.corpus} gives one identification per file with the expected formats`, async (t) => {
    const r = exp.reader === 'siegfried-yaml' ? readSiegfriedYaml(bytes) : readSiegfriedCsv(bytes);
    t.same(r.problems, [], 'reads without problems');
    t.equal(r.files.length, exp.fileCount);
    const byPath = new Map(r.files.map((f) => [f.toolPath, f.record]));
    for (const [path, raw] of Object.entries(exp.files)) {
      const e = raw as FormatExpectation;
      const rec = byPath.get(path);
      t.ok(rec, `${path} is read`);
      if (!rec) continue;
      t.match(rec, {
        size: e.size,
        digest: e.sha256,
        pronomKey: e.pronomKey,
        formatName: e.formatName,
        contentType: e.contentType,
        ambiguous: e.ambiguous,
      });
      const ids = rec.matches?.map((m) => m.id) ?? [rec.pronomKey];
      t.same(ids, e.matchIds, `${path} keeps every match in order`);
    }
    for (const [path, [key, ambiguous]] of Object.entries(exp.keys ?? {})) {
      const rec = byPath.get(path);
      if (rec?.pronomKey !== key || rec.ambiguous !== ambiguous)
        t.fail(`${path}: ${rec?.pronomKey}/${rec?.ambiguous}, expected ${key}/${ambiguous}`);
    }
    if (exp.run)
      t.match(r.run, {
        version: exp.run.version,
        scanDate: exp.run.scanDate,
        identifiers: exp.run.identifiers.map((name) => ({ name })),
      });
  });
}
