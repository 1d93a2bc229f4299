import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import {
  fedoraDefaultLayout,
  LAYOUT_EXTENSIONS,
  layoutFromConfig,
  parseExtensionConfig,
  parseLayoutDeclaration,
} from '../../lib/core/layout/index.js';
import { corpusDir } from '../helpers/paths.js';

const L = LAYOUT_EXTENSIONS;

t.test('0002 maps an id to itself and refuses ids with "/"', async (t) => {
  const layout = layoutFromConfig(L.flatDirect);
  t.equal(layout.objectRootFor('object-01'), 'object-01');
  t.equal(layout.objectRootFor('..hor_rib:lé-$id'), '..hor_rib:lé-$id');
  t.throws(() => layout.objectRootFor('info:fedora/object-01'), /nested directories/);
  t.throws(() => layout.objectRootFor('..'));
  t.throws(() => layout.objectRootFor('x'.repeat(256)), /longer than 255/);
});

t.test('0003 worked examples: tuples of the sha256 then the percent-encoded id', async (t) => {
  const layout = layoutFromConfig(L.hashAndIdNTuple, { extensionName: L.hashAndIdNTuple });
  t.equal(layout.objectRootFor('object-01'), '3c0/ff4/240/object-01');
  t.equal(layout.objectRootFor('info:fedora/my-ag'), '1d2/f32/aeb/info%3afedora%2fmy-ag');
  t.equal(layout.objectRootFor('ark:/12345/bcd987'), 'cb9/a58/bc5/ark%3a%2f12345%2fbcd987');
  t.equal(layout.objectRootFor('..Hor/rib:lè-$id'), '373/529/21a/%2e%2eHor%2frib%3al%c3%a8-%24id');
});

t.test('0003 truncates an encoded id over 100 characters and appends the digest', async (t) => {
  const layout = layoutFromConfig(L.hashAndIdNTuple, {});
  const id = `${'a'.repeat(98)}:bc`;
  const hex = createHash('sha256').update(id).digest('hex');
  const last = layout.objectRootFor(id).split('/')[3]!;
  // 98 a's + "%3" (the %3a sequence is cut) = 100 characters, then "-" + digest.
  t.equal(last, `${'a'.repeat(98)}%3-${hex}`);
});

t.test('0003 with md5 2×3 reproduces the pre-release Fedora object paths', async (t) => {
  const layout = layoutFromConfig(L.hashAndIdNTuple, {
    digestAlgorithm: 'md5',
    tupleSize: 2,
    numberOfTuples: 3,
  });
  const root = join(corpusDir, 'ocfl-py/extra_fixtures/1.0/good-storage-roots/fedora-root');
  let checked = 0;
  for (const a of readdirSync(root).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
    for (const b of readdirSync(join(root, a)))
      for (const c of readdirSync(join(root, a, b)))
        for (const id of readdirSync(join(root, a, b, c))) {
          t.equal(layout.objectRootFor(id), `${a}/${b}/${c}/${id}`);
          checked++;
        }
  }
  t.ok(checked >= 3, `checked ${checked} objects`);
});

t.test('0004 worked examples with the defaults (Fedora layout)', async (t) => {
  const layout = layoutFromConfig(L.hashedNTuple);
  t.equal(
    layout.objectRootFor('object-01'),
    '3c0/ff4/240/3c0ff4240c1e116dba14c7627f2319b58aa3d77606d0d90dfc6161608ac987d4',
  );
  t.equal(
    layout.objectRootFor('info:fedora'),
    '141/964/af8/141964af842132b7a706ed010474c410514b472acc0d7d8f805c23e748578b8b',
  );
  t.equal(
    layout.objectRootFor('info:fedora/my-ag'),
    '1d2/f32/aeb/1d2f32aeb0187c96882886e0728c3844a9643db46491b085f45e99828d40dd11',
  );
});

t.test('0004 md5 2×15 shortObjectRoot example from the extension text', async (t) => {
  const layout = layoutFromConfig(L.hashedNTuple, {
    digestAlgorithm: 'md5',
    tupleSize: 2,
    numberOfTuples: 15,
    shortObjectRoot: true,
  });
  t.equal(layout.objectRootFor('object-01'), 'ff/75/53/44/92/48/5e/ab/b3/9f/86/35/67/28/88/4e');
});

t.test('the Fedora default layout finds every object in the Fedora-written corpus roots', async (t) => {
  const layout = fedoraDefaultLayout();
  t.equal(layout.extensionName, L.hashedNTuple);
  const cases: Array<[string, string[]]> = [
    [
      'fcrepo/fcrepo-http-api/src/test/resources/test-rebuild-invalid',
      ['info:fedora', 'info:fedora/binary', 'info:fedora/test'],
    ],
    [
      'fcrepo-migration-validator/src/test/resources/test-object-validation/valid/f6/data/ocfl-root',
      ['info:fedora/1711.dl:UWPAbout'],
    ],
    [
      'fcrepo-migration-validator/src/test/resources/test-object-validation/version-validation-it/valid/f6/data/ocfl-root',
      ['info:fedora/1711.dl:FEG6WWJ664RHQ8X'],
    ],
  ];
  for (const [root, ids] of cases) {
    for (const id of ids) {
      const path = layout.objectRootFor(id);
      const parts = path.split('/');
      t.ok(readdirSync(join(corpusDir, root, ...parts)).includes('inventory.json'), `${id} → ${path}`);
    }
  }
});

t.test('0006 keeps what follows the right-most delimiter, case-insensitively', async (t) => {
  const colon = layoutFromConfig(L.flatOmitPrefix, { delimiter: ':' });
  t.equal(
    colon.objectRootFor('urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66'),
    '6e8bc430-9c3a-11d9-9669-0800200c9a66',
  );
  t.equal(colon.objectRootFor('namespace:12887296'), '12887296');
  t.equal(colon.objectRootFor('no-delimiter'), 'no-delimiter');
  t.throws(() => colon.objectRootFor('info:fedora/my-ag'), /nested/);
  t.throws(() => colon.objectRootFor('ends-with:'), /nothing follows/);
  const edu = layoutFromConfig(L.flatOmitPrefix, { delimiter: 'edu/' });
  t.equal(edu.objectRootFor('https://institution.edu/abc/edu/f8.05v'), 'f8.05v');
  t.equal(edu.objectRootFor('https://institution.EDU/abc/EdU/F8.05v'), 'F8.05v');
  const fedora = layoutFromConfig(L.flatOmitPrefix, { delimiter: 'info:fedora/' });
  t.equal(fedora.objectRootFor('info:fedora/my-ag'), 'my-ag');
});

t.test('0007 worked examples: defaults, reversed 4×2, right padding', async (t) => {
  const defaults = layoutFromConfig(L.nTupleOmitPrefix);
  t.equal(defaults.objectRootFor('namespace:12887296'), '012/887/296/12887296');
  const reversed = layoutFromConfig(L.nTupleOmitPrefix, {
    tupleSize: 4,
    numberOfTuples: 2,
    reverseObjectRoot: true,
  });
  t.equal(reversed.objectRootFor('namespace:12887296'), '6927/8821/12887296');
  t.equal(reversed.objectRootFor('abc123'), '321c/ba00/abc123');
  const right = layoutFromConfig(L.nTupleOmitPrefix, { delimiter: 'edu/', zeroPadding: 'right' });
  t.equal(right.objectRootFor('https://institution.edu/3448793'), '344/879/300/3448793');
});

t.test('0007 refuses ids it cannot map to path-safe directories', async (t) => {
  const layout = layoutFromConfig(L.nTupleOmitPrefix);
  t.throws(() => layout.objectRootFor('ark:12345/x1'), /nested/);
  t.throws(() => layout.objectRootFor('ns:lé'), /not ASCII/);
  t.throws(() => layout.objectRootFor('ns:'), /nothing follows/);
});

t.test('bad parameters are one InvalidInputError naming each problem', async (t) => {
  const err = t.throws(() =>
    layoutFromConfig(L.hashedNTuple, { digestAlgorithm: 'sha256', tupleSize: 40, numberOfTuples: 'x' }),
  );
  t.ok(hasCode(err, 'INVALID_INPUT'));
  t.match((err as Error).message, /tupleSize must be an integer from 0 to 32/);
  t.match((err as Error).message, /numberOfTuples must be an integer/);
  t.throws(() => layoutFromConfig(L.hashedNTuple, { tupleSize: 0, numberOfTuples: 3 }), /both be 0/);
  t.throws(() => layoutFromConfig(L.hashedNTuple, { tupleSize: 32, numberOfTuples: 3 }), /exceeds/);
  t.throws(
    () => layoutFromConfig(L.hashedNTuple, { tupleSize: 16, numberOfTuples: 4, shortObjectRoot: true }),
    /shortObjectRoot/,
  );
  t.throws(() => layoutFromConfig(L.hashAndIdNTuple, { digestAlgorithm: 'crc32' }), /not supported/);
  t.throws(() => layoutFromConfig(L.flatOmitPrefix, {}), /delimiter is required/);
  t.throws(() => layoutFromConfig(L.nTupleOmitPrefix, { zeroPadding: 'middle' }), /zeroPadding/);
  t.throws(() => layoutFromConfig(L.flatDirect, { extensionName: L.hashedNTuple }), /extensionName/);
  t.ok(
    hasCode(
      t.throws(() => layoutFromConfig('0010-differential-n-tuple-omit-prefix-storage-layout')),
      'UNSUPPORTED',
    ),
  );
});

t.test('0004 with zero tuples puts the digest directly under the root', async (t) => {
  const layout = layoutFromConfig(L.hashedNTuple, { tupleSize: 0, numberOfTuples: 0 });
  t.equal(
    layout.objectRootFor('info:fedora'),
    '141964af842132b7a706ed010474c410514b472acc0d7d8f805c23e748578b8b',
  );
});

t.test('the migration-utils root declaration and config parse into the Fedora layout', async (t) => {
  const { readFileSync } = await import('node:fs');
  const root = join(
    corpusDir,
    'fcrepo-migration-validator/src/test/resources/test-object-validation/valid/f6/data/ocfl-root',
  );
  const decl = parseLayoutDeclaration(readFileSync(join(root, 'ocfl_layout.json')));
  t.equal(decl.extension, L.hashedNTuple);
  t.match(decl.description, /hashed/);
  const config = parseExtensionConfig(
    readFileSync(join(root, 'extensions', decl.extension, 'config.json')),
    decl.extension,
  );
  const layout = layoutFromConfig(decl.extension, config);
  t.same(layout.config, { extensionName: L.hashedNTuple, ...fedoraDefaultLayout().config });
  t.ok(
    hasCode(
      t.throws(() => parseLayoutDeclaration('{"description":"x"}')),
      'INVALID_INPUT',
    ),
  );
  t.ok(
    hasCode(
      t.throws(() => parseLayoutDeclaration('{nope')),
      'MALFORMED',
    ),
  );
});
