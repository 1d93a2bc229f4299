import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  clamDate,
  looksLikeClamAv,
  parseResultLine,
  readClamAvLog,
} from '../../../lib/formats/tools/clamav.js';
import { corpusDir } from '../../helpers/paths.js';

const SUMMARY = `
----------- SCAN SUMMARY -----------
Known viruses: 8700000
Engine version: 1.2.3
Scanned directories: 2
Scanned files: 4
Infected files: 1
Data scanned: 1.00 MB
Data read: 0.50 MB (ratio 2.00:1)
Time: 3.000 sec (0 m 3 s)
Start Date: 2025:01:02 03:04:05
End Date:   2025:01:02 03:04:08
`;

t.test('a path containing ": " is split at the last ": " before the verdict', async (t) => {
  t.same(parseResultLine('/data/notes: part 2: final.txt: OK'), {
    kind: 'ok',
    path: '/data/notes: part 2: final.txt',
    detail: 'OK',
  });
  t.same(parseResultLine('/data/a: b.exe: Win.Test.EICAR_HDB-1 FOUND'), {
    kind: 'found',
    path: '/data/a: b.exe',
    detail: 'Win.Test.EICAR_HDB-1',
  });
});

t.test('Windows paths with a drive colon are read whole', async (t) => {
  t.same(
    parseResultLine('C:\\Users\\me\\deposit\\objects\\a.txt: OK')?.path,
    'C:\\Users\\me\\deposit\\objects\\a.txt',
  );
  t.same(parseResultLine('C:\\x\\eicar.com: Eicar-Signature FOUND')?.path, 'C:\\x\\eicar.com');
});

t.test('ERROR messages that contain ": " do not eat into the path', async (t) => {
  t.same(parseResultLine('/d/x: y.txt: lstat() failed: No such file or directory. ERROR'), {
    kind: 'error',
    path: '/d/x: y.txt',
    detail: 'lstat() failed: No such file or directory.',
  });
  t.same(parseResultLine('/d/locked.txt: Access denied. ERROR')?.path, '/d/locked.txt');
});

t.test('clean and infected lines become verdicts with the engine facts of the summary', async (t) => {
  const log = `/d/a.txt: OK\n/d/b.com: Eicar-Signature FOUND\n/d/c.txt: OK\n/d/d: e.txt: OK\n${SUMMARY}`;
  const r = readClamAvLog(log, { origin: 'metadata/clamav/scan.log' });
  t.equal(r.files.length, 4);
  const b = r.files.find((f) => f.toolPath === '/d/b.com')!.record;
  t.match(b, {
    type: 'VirusScanMetadata',
    source: 'ClamAV',
    hasVirus: true,
    virusesFound: ['Eicar-Signature'],
    engineVersion: '1.2.3',
    knownViruses: 8700000,
    timestamp: '2025-01-02T03:04:05',
    origin: 'metadata/clamav/scan.log',
    raw: '/d/b.com: Eicar-Signature FOUND',
  });
  t.match(r.files.find((f) => f.toolPath === '/d/d: e.txt')!.record, { hasVirus: false, virusesFound: [] });
  t.match(r.summary, {
    scannedFiles: 4,
    infectedFiles: 1,
    listing: 'all',
    endDate: '2025-01-02T03:04:08',
    dataRead: '0.50 MB (ratio 2.00:1)',
  });
  t.match(r.problems, [{ code: 'TOOL_VIRUS_FOUND', severity: 'error' }]);
});

t.test('several signatures for one file (--allmatch) are merged into one verdict', async (t) => {
  const r = readClamAvLog('/d/x.zip: Sig.One FOUND\n/d/x.zip: Sig.Two FOUND\n');
  t.equal(r.files.length, 1);
  t.same(r.files[0]!.record.virusesFound, ['Sig.One', 'Sig.Two']);
  t.equal(r.summary, null, 'no summary block, no summary');
});

t.test('a log with no OK lines and fewer listed files than scanned is infected-only', async (t) => {
  const r = readClamAvLog(`/d/b.com: Eicar-Signature FOUND\n${SUMMARY}`);
  t.equal(r.summary?.listing, 'infected-only');
  t.equal(r.summary?.listedFiles, 1);
});

t.test('a summary whose infected count disagrees with the listed files is reported', async (t) => {
  const r = readClamAvLog(`/d/a.txt: OK\n${SUMMARY}`);
  t.match(r.problems, [{ code: 'TOOL_INCONSISTENT' }]);
});

t.test('ERROR lines are kept as scan errors, not verdicts', async (t) => {
  const r = readClamAvLog('/d/a.txt: Access denied. ERROR\n/d/b.txt: OK\n');
  t.equal(r.files.length, 1);
  t.same(r.errors, [{ toolPath: '/d/a.txt', message: 'Access denied.' }]);
  t.match(r.problems, [{ code: 'TOOL_SCAN_ERROR' }]);
});

t.test('informational lines (symlinks, empty files, LibClamAV warnings) are skipped silently', async (t) => {
  const r = readClamAvLog(
    'LibClamAV Warning: old database\n/d/link: Symbolic link\n/d/empty: Empty file\n/d/a: OK\n',
  );
  t.equal(r.files.length, 1);
  t.same(r.problems, []);
});

t.test('the corpus infected log: Eicar found, malformed End Date reported, Start Date kept', async (t) => {
  const bytes = readFileSync(
    join(
      corpusDir,
      'digital-preservation-docs/rfcs/120-virus_tooling.md.excerpt-infected-viruscheck-log.txt',
    ),
  );
  const r = readClamAvLog(bytes);
  t.match(r.summary, {
    engineVersion: '1.4.3',
    knownViruses: 8707575,
    infectedFiles: 1,
    startDate: '2025-09-19T10:20:10',
    endDate: null,
  });
  t.match(r.problems, [{ code: 'TOOL_SYNTAX', message: /End Date/ }, { code: 'TOOL_VIRUS_FOUND' }]);
});

t.test('the corpus clamscan -r log lists 146 clean files and is not infected-only', async (t) => {
  const r = readClamAvLog(readFileSync(join(corpusDir, 'netint-k8-device-plugin/clamscan.log')));
  t.equal(r.files.length, 146);
  t.ok(r.files.every((f) => !f.record.hasVirus));
  t.match(r.summary, { listing: 'all', scannedFiles: 147, engineVersion: '0.103.12', knownViruses: 8699162 });
});

t.test('Brunnhilde logs (a leading blank line, Date scanned) are recognised and dated', async (t) => {
  const p =
    'digital-preservation-docs/playwright/PreservationApi/samples/my-item/data/metadata/brunnhilde/logs/viruscheck-log.txt';
  const text = readFileSync(join(corpusDir, p), 'utf8');
  t.ok(looksLikeClamAv(text));
  const r = readClamAvLog(text);
  t.match(r.summary, {
    listing: 'infected-only',
    scannedFiles: 11,
    fields: { 'Date scanned': '2025-04-30 17:16:27.044768' },
  });
});

t.test('ClamAV dates become ISO local date-times; garbage becomes null', async (t) => {
  t.equal(clamDate('2025:04:25 13:57:26'), '2025-04-25T13:57:26');
  t.equal(clamDate('2025-04-25 13:57:26.560287'), '2025-04-25T13:57:26.560287');
  t.equal(clamDate('2025:09:19 10:20:32SS'), null);
});

t.test('files that are not ClamAV output are not mistaken for it', async (t) => {
  t.notOk(looksLikeClamAv('filename,filesize\n'));
  t.notOk(looksLikeClamAv('just some notes\nabout the deposit\n'));
});

t.test('a log with two runs appended keeps every verdict and the last summary', async (t) => {
  const second = SUMMARY.replace('Engine version: 1.2.3', 'Engine version: 1.2.4');
  const r = readClamAvLog(
    `/d/a: OK\n/d/b.com: Eicar-Signature FOUND\n/d/c: OK\n/d/d: OK\n${SUMMARY}/d/e: OK\n${second}`,
  );
  t.same(
    r.files.map((f) => f.toolPath),
    ['/d/a', '/d/b.com', '/d/c', '/d/d', '/d/e'],
  );
  t.equal(r.summary?.engineVersion, '1.2.4');
  t.notOk('/d/e' in (r.summary?.fields ?? {}), 'a verdict line is never taken for a summary field');
});
