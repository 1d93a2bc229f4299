import t from 'tap';
import { looksLikeDroidCsv, readDroidCsv } from '../../../lib/formats/tools/droid.js';
import { readToolOutputs } from '../../../lib/formats/tools/index.js';

const HEADER =
  '"ID","PARENT_ID","URI","FILE_PATH","NAME","METHOD","STATUS","SIZE","TYPE","EXT","LAST_MODIFIED","EXTENSION_MISMATCH","SHA256_HASH","FORMAT_COUNT","PUID","MIME_TYPE","FORMAT_NAME","FORMAT_VERSION"';
const CSV = [
  HEADER,
  '"1","","file:/ws/dep/objects/","/ws/dep/objects","objects","","Done","","Folder","","2020-01-01T00:00:00","false","","","","","",""',
  '"2","1","file:/ws/dep/objects/a.jpg","/ws/dep/objects/a.jpg","a.jpg","Signature","Done","123","File","jpg","2020-01-01T00:00:00","false","ABCD","1","fmt/43","image/jpeg","JPEG File Interchange Format","1.01"',
  '"3","1","file:/ws/dep/objects/b.doc","/ws/dep/objects/b.doc","b.doc","Extension","Done","9","File","doc","2020-01-01T00:00:00","false","EF01","2","fmt/40","application/msword","Microsoft Word Document","97-2003","fmt/39","application/msword","Microsoft Word Document","6.0/95"',
].join('\r\n');

t.test(
  'DROID CSV rows become identifications; folders are skipped; extra format groups are matches',
  async (t) => {
    t.ok(looksLikeDroidCsv(CSV));
    const r = readDroidCsv(CSV);
    t.same(r.problems, []);
    t.same(
      r.files.map((f) => f.toolPath),
      ['/ws/dep/objects/a.jpg', '/ws/dep/objects/b.doc'],
    );
    t.match(r.files[0]!.record, {
      source: 'DROID',
      pronomKey: 'fmt/43',
      size: 123,
      digest: 'abcd',
      formatVersion: '1.01',
      ambiguous: false,
    });
    t.match(r.files[1]!.record, { pronomKey: 'fmt/40', ambiguous: true });
    t.same(
      r.files[1]!.record.matches?.map((m) => m.pronomKey),
      ['fmt/40', 'fmt/39'],
    );
  },
);

t.test(
  'sf -droid output under metadata/siegfried is labelled Siegfried and keyed by deposit path',
  async (t) => {
    const r = readToolOutputs(
      [{ path: 'metadata/siegfried/droid.csv', bytes: new TextEncoder().encode(CSV) }],
      ['objects/a.jpg', 'objects/b.doc'],
    );
    t.match(r.byPath.get('objects/a.jpg'), [
      {
        source: 'Siegfried',
        pronomKey: 'fmt/43',
        storageLocation: '/ws/dep/objects/a.jpg',
        originalName: 'objects/a.jpg',
      },
    ]);
  },
);
