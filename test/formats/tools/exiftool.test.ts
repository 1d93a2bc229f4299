import t from 'tap';
import {
  looksLikeExifTool,
  looksLikeExifToolJson,
  readExifToolJson,
  readExifToolText,
} from '../../../lib/formats/tools/exiftool.js';

const SINGLE = `ExifTool Version Number         : 12.76
File Name                       : DSCF1156.JPG
Directory                       : /home/u/deposit/objects/nyc
File Size                       : 7.3 MB
Make                            : FUJIFILM
Date/Time Original              : 2025:04:20 12:45:53
Comment                         :
`;

const MULTI = `======== objects/a.jpg
ExifTool Version Number         : 12.76
File Name                       : a.jpg
Image Size                      : 640x480
======== objects/sub/b: c.png
ExifTool Version Number         : 12.76
File Name                       : b: c.png
    1 directories scanned
    2 image files read
`;

const GROUPED = `======== C:/Users/me/deposit/objects/a.jpg
[ExifTool]      ExifTool Version Number         : 12.76
[System]        File Name                       : a.jpg
[IFD0]          Make                            : Canon
[ExifIFD]       Date/Time Original              : 2020:01:01 10:00:00
[XMP-tiff]      Make                            : Canon Inc.
[XMP-tiff]      Make                            : Canon again
    1 image files read
`;

t.test('a single-file listing is keyed by Directory/File Name; values keep their colons', async (t) => {
  const r = readExifToolText(SINGLE);
  t.same(r.problems, []);
  t.equal(r.files.length, 1);
  t.equal(r.files[0]!.toolPath, '/home/u/deposit/objects/nyc/DSCF1156.JPG');
  t.match(r.files[0]!.record, {
    type: 'ExifMetadata',
    source: 'ExifTool',
    timestamp: null,
    tags: { Make: 'FUJIFILM', 'Date/Time Original': '2025:04:20 12:45:53', Comment: '' },
  });
  t.equal(r.version, '12.76');
});

t.test('======== headers separate files and trailing counts are read', async (t) => {
  const r = readExifToolText(MULTI);
  t.same(
    r.files.map((f) => f.toolPath),
    ['objects/a.jpg', 'objects/sub/b: c.png'],
  );
  t.equal(r.files[1]!.record.tags['File Name'], 'b: c.png');
  t.same(r.counts, { 'directories scanned': 1, 'image files read': 2 });
});

t.test('grouped output prefixes tags with their group; repeated tags are all kept', async (t) => {
  const r = readExifToolText(GROUPED, { origin: 'metadata/exiftool/out.txt' });
  const tags = r.files[0]!.record.tags;
  t.equal(tags['IFD0:Make'], 'Canon');
  t.equal(tags['XMP-tiff:Make'], 'Canon Inc.');
  t.equal(tags['XMP-tiff:Make (2)'], 'Canon again');
  t.equal(tags['ExifIFD:Date/Time Original'], '2020:01:01 10:00:00');
  t.equal(r.version, '12.76');
  t.equal(r.files[0]!.record.origin, 'metadata/exiftool/out.txt');
});

t.test('short tag names (-s) are read', async (t) => {
  const r = readExifToolText(
    'ExifToolVersion : 12.76\nFileName        : x.tif\nDirectory       : .\nImageWidth      : 100\n',
  );
  t.equal(r.files[0]!.toolPath, 'x.tif');
  t.equal(r.files[0]!.record.tags['ImageWidth'], '100');
});

t.test('a header-less listing without File Name uses the fallback path or is reported', async (t) => {
  t.equal(
    readExifToolText('Make : X\n', { fallbackPath: 'objects/x.jpg' }).files[0]!.toolPath,
    'objects/x.jpg',
  );
  const r = readExifToolText('Make : X\n');
  t.same(r.files, []);
  t.match(r.problems, [{ code: 'TOOL_SYNTAX' }]);
});

t.test('UTF-16 output (PowerShell redirection) is decoded', async (t) => {
  const text = '\uFEFF======== a.jpg\r\nFile Name : a.jpg\r\n';
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    bytes[i * 2] = text.charCodeAt(i) & 0xff;
    bytes[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  const r = readExifToolText(bytes);
  t.equal(r.files[0]!.toolPath, 'a.jpg');
  t.equal(r.files[0]!.record.tags['File Name'], 'a.jpg');
});

t.test('ExifTool output is recognised by its version line or headers', async (t) => {
  t.ok(looksLikeExifTool(SINGLE));
  t.ok(looksLikeExifTool(MULTI));
  t.ok(looksLikeExifTool(GROUPED));
  t.notOk(looksLikeExifTool('filename,filesize\n'));
});

t.test('exiftool -j output is read: SourceFile is the path, other values kept as text', async (t) => {
  const json = JSON.stringify([
    { SourceFile: 'objects/a.jpg', ExifToolVersion: 12.76, 'EXIF:Make': 'Canon', 'EXIF:ISO': 200 },
    { SourceFile: 'objects/b.png', 'PNG:ImageWidth': 10, Keywords: ['x', 'y'] },
  ]);
  t.ok(looksLikeExifToolJson(json));
  const r = readExifToolJson(json);
  t.same(
    r.files.map((f) => f.toolPath),
    ['objects/a.jpg', 'objects/b.png'],
  );
  t.same(r.files[0]!.record.tags, { ExifToolVersion: '12.76', 'EXIF:Make': 'Canon', 'EXIF:ISO': '200' });
  t.equal(r.files[1]!.record.tags['Keywords'], '["x","y"]');
  t.equal(r.version, '12.76');
});

t.test('broken exiftool -j output is a problem, not an exception', async (t) => {
  const r = readExifToolJson('[{"SourceFile": "a"');
  t.same(r.files, []);
  t.match(r.problems, [{ code: 'TOOL_SYNTAX', message: /not valid JSON/ }]);
  t.notOk(r.problems[0]!.message.includes('SourceFile'), 'the message does not quote the input');
});
