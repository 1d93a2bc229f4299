/**
 * Every entry counts: FIFOs, sockets, devices and file names that are not UTF-8, anywhere in an
 * object or a storage root, are reported and never read (a FIFO read blocks forever, so a hang
 * here fails the test by its timeout). Checked end to end through validateObject, the object
 * reader, the storage-root validator and the storage-root walk.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hasCode } from '../../lib/core/errors.js';
import { readObject } from '../../lib/engine/object-reader.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { validateObject, validateStorageRoot } from '../../lib/engine/validate/index.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { buildObject, writeToDir } from './build-object.js';
import { tempDir } from './hostile-fixtures.js';

type Kind = 'fifo' | 'socket' | 'char-device' | 'undecodable-name';

/** Whether this machine lets us make device files (needs root and CAP_MKNOD). */
const canMknod = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-mknod-'));
  try {
    execFileSync('mknod', [join(dir, 'probe'), 'c', '1', '3'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

const servers: Server[] = [];
t.teardown(() => {
  for (const s of servers) s.close();
});

/** Make an entry of `kind` in directory `dir`; returns its name as the listing shows it. */
async function makeEntry(dir: string, kind: Kind): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'odd');
  if (kind === 'fifo') execFileSync('mkfifo', [path]);
  else if (kind === 'char-device') execFileSync('mknod', [path, 'c', '1', '3']);
  else if (kind === 'socket') {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
  } else {
    writeFileSync(
      Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]),
      'x',
    );
    return 'bad-\uFFFD\uFFFD.txt';
  }
  return 'odd';
}

const KINDS: Kind[] = ['fifo', 'socket', 'char-device', 'undecodable-name'];
const OBJECT_PLACES = ['', 'v1', 'v1/content', 'v1/content/sub', 'extensions/0005-mutable-head', 'logs'];

for (const kind of KINDS) {
  for (const place of OBJECT_PLACES) {
    const skip = kind === 'char-device' && !canMknod ? 'mknod is not permitted on this machine' : false;
    t.test(
      `a ${kind} in the object at "${place || '(root)'}" makes it invalid and is never read`,
      { skip, timeout: 20_000 },
      async (t) => {
        const dir = tempDir(t, 'entries');
        writeToDir(dir, buildObject([{ 'a.txt': 'a', 'sub/b.txt': 'b' }]));
        const name = await makeEntry(join(dir, place), kind);
        const path = place === '' ? name : `${place}/${name}`;
        const report = await validateObject(new FsStore(dir, { readOnly: true }), '');
        t.equal(report.valid, false, 'not VALID');
        const code = kind === 'undecodable-name' ? 'E001' : 'E090';
        t.ok(
          report.errors.some((i) => i.code === code && i.path === path),
          `${code} at ${path}: ${JSON.stringify(report.errors.map((i) => [i.code, i.path]))}`,
        );
        const object = await readObject(new FsStore(dir, { readOnly: true }), '');
        t.equal(object.id, 'urn:example:obj', 'the reader reads around it without opening it');
      },
    );
  }
}

for (const [name, code] of [
  ['inventory.json.sha512', 'E061'],
  ['0=ocfl_object_1.1', 'E007'],
  ['inventory.json', 'E033'],
] as const) {
  t.test(`a FIFO named ${name} is reported (${code}), never opened`, { timeout: 20_000 }, async (t) => {
    const dir = tempDir(t, 'entries');
    const files = buildObject([{ 'a.txt': 'a' }]);
    files.delete(name);
    writeToDir(dir, files);
    execFileSync('mkfifo', [join(dir, name)]);
    const store = new FsStore(dir, { readOnly: true });
    const report = await validateObject(store, '');
    t.equal(report.valid, false);
    t.ok(report.has(code), `${code}: ${JSON.stringify(report.errors.map((i) => i.code))}`);
    t.ok(report.has('E090'));
    if (name !== '0=ocfl_object_1.1') {
      const err = await readObject(store, '').catch((e: unknown) => e);
      t.ok(hasCode(err, 'INVALID_OBJECT'), 'the reader refuses, naming the file');
      t.match((err as Error).message, /not a regular file/);
    }
  });
}

for (const kind of KINDS) {
  const skip = kind === 'char-device' && !canMknod ? 'mknod is not permitted on this machine' : false;
  t.test(
    `a ${kind} in a storage root, at the top and between root and objects, is reported`,
    { skip, timeout: 20_000 },
    async (t) => {
      const dir = tempDir(t, 'root-entries');
      writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
      writeToDir(join(dir, 'a/b/obj'), buildObject([{ 'a.txt': 'a' }]));
      const top = await makeEntry(dir, kind);
      const between = await makeEntry(join(dir, 'a'), kind);
      const store = new FsStore(dir, { readOnly: true });
      const report = await validateStorageRoot(store);
      t.equal(report.valid, false);
      for (const path of [top, `a/${between}`]) {
        t.ok(
          report.errors.some((i) => i.code === 'E089' && i.path === path),
          `E089 at ${path}`,
        );
      }
      t.ok(
        report.errors.some((i) => i.code === 'E072' && i.path === `a/${between}`),
        'E072 between',
      );
      const refs = [];
      for await (const ref of (await openStorageRoot(store)).listObjects()) refs.push(ref);
      t.same(
        refs.map((r) => r.objectRoot),
        ['a/b/obj'],
        'the walk goes on past it',
      );
    },
  );
}

t.test(
  'a FIFO named like an object declaration in the hierarchy is an unusable object, not a hang',
  { timeout: 20_000 },
  async (t) => {
    const dir = tempDir(t, 'root-entries');
    writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
    mkdirSync(join(dir, 'trap'));
    execFileSync('mkfifo', [join(dir, 'trap', '0=ocfl_object_1.1')]);
    const store = new FsStore(dir, { readOnly: true });
    const report = await validateStorageRoot(store);
    t.equal(report.valid, false);
    const trap = report.objects.find((o) => o.objectRoot === 'trap');
    t.ok(trap?.has('E007') && trap.has('E090'), 'the object report says why');
    const refs = [];
    for await (const ref of (await openStorageRoot(store)).listObjects()) refs.push(ref);
    t.ok(hasCode(refs[0]?.error, 'INVALID_OBJECT'));
  },
);
