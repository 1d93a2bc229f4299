/**
 * Optional: validate the METS we write against the METS 1.12 XSD, when one is at hand. No package
 * registry ships all of METS, MODS, PREMIS and the LOC xlink schema, so this runs only when
 * STRONGROOM_METS_XSD names a mets.xsd (e.g. from the PyPI package metsrw:
 * `pip download --no-deps metsrw` and unzip metsrw/resources/mets.xsd) and the Python given by
 * STRONGROOM_XSD_PYTHON (default python3) has `xmlschema` installed. See
 * validate_mets_schema.py for what is and is not checked. The structural rules we rely on
 * (NCName IDs, IDREFs, order, required PREMIS parts) are pinned in writer.test.ts regardless.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MetsDocument } from '../../../lib/formats/mets/document.js';
import { writeMets } from '../../../lib/formats/mets/writer.js';
import { repoRoot } from '../../helpers/paths.js';

const xsd = process.env.STRONGROOM_METS_XSD;
const python = process.env.STRONGROOM_XSD_PYTHON ?? 'python3';
const hasValidator = spawnSync(python, ['-c', 'import xmlschema'], { encoding: 'utf8' }).status === 0;
const reason =
  !xsd || !existsSync(xsd)
    ? 'STRONGROOM_METS_XSD not set'
    : !hasValidator
      ? `${python} lacks xmlschema`
      : null;

t.test('our METS is valid against mets.xsd', { skip: reason ?? false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sr-mets-xsd-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const doc = MetsDocument.create({ title: 'Schema check & <title>', created: '2025-07-30T15:46:31Z' });
  doc.addFile({
    path: 'objects/a b & c/résumé #1.pdf',
    sha256: 'a'.repeat(64),
    digests: { md5: 'b'.repeat(32) },
    size: 3,
    contentType: 'application/pdf',
    format: { pronomKey: 'fmt/18', name: 'PDF 1.4' },
    virusCheck: {
      outcome: 'Pass',
      detail: 'ClamAV',
      date: '2025-07-30T15:46:31Z',
      agent: 'ClamAV',
      outcomeDetail: null,
    },
  });
  doc.addDirectory('objects/empty');
  doc.setAccessRestrictions('objects/empty', ['Closed']);
  doc.setRightsStatement('', 'http://rightsstatements.org/vocab/InC/1.0/');
  const files = [join(dir, 'full.xml'), join(dir, 'empty.xml')];
  writeFileSync(files[0]!, writeMets(doc));
  writeFileSync(files[1]!, writeMets(MetsDocument.create()));
  const script = join(repoRoot, 'test/formats/mets/validate_mets_schema.py');
  const res = spawnSync(python, [script, xsd!, ...files], { encoding: 'utf8' });
  t.equal(res.status, 0, res.stderr);
  for (const f of files) t.match(res.stdout, `${f} VALID`);
});
