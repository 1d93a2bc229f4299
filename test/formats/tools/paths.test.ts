import t from 'tap';
import {
  indexDepositPaths,
  makeToolPathResolver,
  normaliseToolPath,
  relativiseToolPath,
} from '../../../lib/formats/tools/paths.js';

const ROOT_LEVEL = [
  'mets.xml',
  'objects/x.tif',
  'objects/nyc/a.jpg',
  'objects/docs/a.jpg',
  'metadata/siegfried/siegfried.yml',
];
const BAGIT = [
  'bagit.txt',
  'manifest-sha256.txt',
  'data/mets.xml',
  'data/objects/x.tif',
  'data/objects/nyc/a.jpg',
];

t.test('an absolute workstation path is made relative by its longest suffix in the deposit', async (t) => {
  t.match(relativiseToolPath('/mnt/transfer/abc/objects/x.tif', ROOT_LEVEL), {
    localPath: 'objects/x.tif',
    toolPrefix: '/mnt/transfer/abc',
    depositPrefix: '',
  });
});

t.test('Windows paths are normalised (drive, backslashes) before matching', async (t) => {
  t.match(relativiseToolPath('C:\\Users\\me\\deposit\\objects\\nyc\\a.jpg', ROOT_LEVEL), {
    localPath: 'objects/nyc/a.jpg',
  });
  t.match(normaliseToolPath('\\\\server\\share\\x\\a.jpg'), {
    absolute: true,
    windows: true,
    components: ['server', 'share', 'x', 'a.jpg'],
  });
});

t.test('Windows paths match case-insensitively only when no exact-case file exists', async (t) => {
  t.match(relativiseToolPath('D:\\DEPOSIT\\OBJECTS\\X.TIF', ROOT_LEVEL), { localPath: 'objects/x.tif' });
  t.equal(relativiseToolPath('/home/u/OBJECTS/X.TIF', ROOT_LEVEL), null, 'POSIX paths are case-sensitive');
});

t.test('in a BagIt deposit, paths from a tool run inside data/ gain the data/ prefix', async (t) => {
  t.match(relativiseToolPath('objects/x.tif', BAGIT), {
    localPath: 'data/objects/x.tif',
    depositPrefix: 'data',
  });
  t.match(relativiseToolPath('bag-name/objects/nyc/a.jpg', BAGIT), {
    localPath: 'data/objects/nyc/a.jpg',
    toolPrefix: 'bag-name',
    depositPrefix: 'data',
  });
});

t.test('a name shared by two deposit files with equally long suffixes is ambiguous (null)', async (t) => {
  t.equal(relativiseToolPath('/elsewhere/a.jpg', ROOT_LEVEL), null);
  t.match(relativiseToolPath('/elsewhere/docs/a.jpg', ROOT_LEVEL), { localPath: 'objects/docs/a.jpg' });
});

t.test('NFD names (macOS) match NFC deposit names', async (t) => {
  const nfd = 'objects/re\u0301sume\u0301.pdf';
  t.match(relativiseToolPath(`/Users/me/${nfd}`, ['objects/r\u00e9sum\u00e9.pdf']), {
    localPath: 'objects/r\u00e9sum\u00e9.pdf',
  });
});

t.test('file:// URIs are decoded and treated as absolute', async (t) => {
  t.match(normaliseToolPath('file:///home/u/objects/a%20b.txt'), {
    absolute: true,
    components: ['home', 'u', 'objects', 'a b.txt'],
  });
});

t.test('the resolver applies the agreed prefix to files the deposit lacks', async (t) => {
  const tool = ['/ws/bag/objects/x.tif', '/ws/bag/objects/nyc/a.jpg', '/ws/bag/objects/nyc/missing.jpg'];
  const resolve = makeToolPathResolver(tool, BAGIT);
  t.same(resolve('/ws/bag/objects/nyc/missing.jpg'), {
    toolPath: '/ws/bag/objects/nyc/missing.jpg',
    localPath: 'data/objects/nyc/missing.jpg',
    present: false,
    originalName: 'objects/nyc/missing.jpg',
    storageLocation: '/ws/bag/objects/nyc/missing.jpg',
  });
  t.match(resolve('/ws/bag/objects/x.tif'), {
    localPath: 'data/objects/x.tif',
    present: true,
    originalName: 'objects/x.tif',
  });
  t.match(resolve('/ws/bag/objects', 'directory'), { localPath: 'data/objects', present: true });
});

t.test('a stray file sharing only its name is keyed by the run prefix, not by the name match', async (t) => {
  const deposit = ['objects/a/x.jpg', 'objects/a/y.jpg', 'objects/a/z.jpg', 'objects/other/w.jpg'];
  const resolve = makeToolPathResolver(
    ['/ws/objects/a/x.jpg', '/ws/objects/a/y.jpg', '/ws/objects/a/z.jpg', '/ws/objects/a/w.jpg'],
    deposit,
  );
  t.match(resolve('/ws/objects/a/w.jpg'), { localPath: 'objects/a/w.jpg', present: false });
});

t.test('relative tool paths keep their own text as originalName and no storageLocation', async (t) => {
  const resolve = makeToolPathResolver(['objects/x.tif'], BAGIT);
  t.match(resolve('objects/x.tif'), {
    localPath: 'data/objects/x.tif',
    originalName: 'objects/x.tif',
    storageLocation: null,
  });
});

t.test('a path nothing places is unresolved, not guessed', async (t) => {
  const resolve = makeToolPathResolver(['/ws/objects/x.tif'], indexDepositPaths(ROOT_LEVEL));
  t.match(resolve('/other/place/unknown.bin'), { localPath: null, present: false, originalName: null });
});
