import { Readable } from 'node:stream';
import t from 'tap';
import type { Finding } from '../../lib/core/findings.js';
import { ValidationReport } from '../../lib/core/ocfl/codes.js';
import { readMets } from '../../lib/formats/mets/reader.js';
import { readToolOutputs } from '../../lib/formats/tools/index.js';

function isFinding(f: Finding): boolean {
  return (
    typeof f.code === 'string' &&
    (f.severity === 'error' || f.severity === 'warning') &&
    typeof f.message === 'string'
  );
}

t.test('OCFL, METS and tool findings share one shape with a severity', async (t) => {
  const report = new ValidationReport();
  report.add('E001', 'unexpected file', 'x');
  report.add('W004', 'sha256 is used');
  t.ok(report.issues.every(isFinding));
  const mets = await readMets(
    Readable.from([
      '<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"><mets:fileSec><mets:fileGrp>' +
        '<mets:file ID="f1"><mets:FLocat xlink:href="../escape.txt"/></mets:file>' +
        '<mets:file ID="f1"><mets:FLocat xlink:href="ok.txt"/></mets:file>' +
        '</mets:fileGrp></mets:fileSec></mets:mets>',
    ]),
  );
  t.ok(mets.problems.length >= 2);
  t.ok(mets.problems.every(isFinding));
  t.equal(
    mets.problems.find((p) => p.code === 'UNSAFE_PATH')?.severity,
    'error',
    'an unusable href is an error',
  );
  t.equal(mets.problems.find((p) => p.code === 'DUPLICATE_ID')?.severity, 'warning');
  const tools = readToolOutputs(
    [
      {
        path: 'metadata/siegfried/out.yaml',
        bytes: Buffer.from('siegfried   : 1.9\nfiles :\n  - filename : x\n   bad'),
      },
    ],
    ['a.txt'],
  );
  t.ok(tools.problems.length > 0, 'an unreadable tool output is reported');
  t.ok(tools.problems.every(isFinding));
});
