/**
 * Verdicts on every OCFL case of the shared corpus (ocfl-fixtures, ocfl-py, fcrepo,
 * fcrepo-migration-validator, and any source that adds OCFL cases to its expected.json), on
 * the filesystem and on MinIO.
 *
 * For each case: `valid` must match; an invalid case must report at least one listed error (or
 * a listed acceptable alternative); a valid case must report each listed warning. Storage-root
 * cases count the codes of the root and of all its objects.
 *
 * S3 has no empty directories and no symbolic links. A case holding either is still run on
 * MinIO, except that expectations carried only by those features cannot hold there: an invalid
 * case whose listed codes are all empty-directory/link codes (E024, E073, W003, E090) is skipped
 * on S3 with that reason, and such warnings are not required of a valid case. Every skip and
 * relaxation names the case and the feature.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { mapLimit } from '../../lib/engine/concurrency.js';
import { validateInventoryFile } from '../../lib/engine/validate/inventory-file.js';
import { validateObject } from '../../lib/engine/validate/object.js';
import { validateStorageRoot } from '../../lib/engine/validate/storage-root.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import type { ReadableStore } from '../../lib/storage/port.js';
import { S3Store } from '../../lib/storage/s3/s3-store.js';
import { corpusDir } from '../helpers/paths.js';
import { makeTestBucket, requireS3 } from '../helpers/s3.js';
import { caseFiles, discoverCases, type Expected, makeScratch, type OcflCase } from './corpus-cases.js';

/** Codes that only an empty directory or a symbolic link can produce. */
const FS_ONLY_CODES = new Set(['E024', 'E073', 'W003', 'E090']);

const scratch = makeScratch();
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
const cases = discoverCases(corpusDir, scratch);

/** Validate a case held in `store` (at its root) and return the verdict and all codes. */
async function verdict(store: ReadableStore, c: OcflCase): Promise<{ valid: boolean; codes: string[] }> {
  if (c.kind === 'inventory') {
    const key = c.id.slice(c.id.lastIndexOf('/') + 1);
    const r = validateInventoryFile(await store.readBytes(key));
    return { valid: r.valid, codes: r.codes() };
  }
  if (c.kind === 'object') {
    const r = await validateObject(store, '');
    return { valid: r.valid, codes: r.codes() };
  }
  const r = await validateStorageRoot(store);
  const codes = new Set<string>(r.codes());
  for (const o of r.objects) for (const code of o.codes()) codes.add(code);
  return { valid: r.valid, codes: [...codes].sort() };
}

function check(
  t: Test,
  got: { valid: boolean; codes: string[] },
  expected: Expected,
  notRequired: Set<string> = new Set(),
) {
  const seen = `reported: ${got.codes.join(',') || 'nothing'}`;
  t.equal(got.valid, expected.valid, `verdict ${expected.valid ? 'valid' : 'invalid'} (${seen})`);
  if (!expected.valid) {
    const acceptable = [...expected.errors, ...(expected.acceptable_alternative_errors ?? [])];
    t.ok(
      acceptable.some((c) => got.codes.includes(c)),
      `reports one of ${acceptable.join(',')} (${seen})`,
    );
    return;
  }
  for (const w of expected.warnings) {
    if (notRequired.has(w)) continue;
    t.ok(got.codes.includes(w), `reports warning ${w} (${seen})`);
  }
}

t.test('the corpus has OCFL cases of every kind', async (t) => {
  t.ok(cases.filter((c) => c.kind === 'object').length >= 100, 'objects');
  t.ok(cases.filter((c) => c.kind === 'storage-root').length >= 5, 'storage roots');
  t.ok(cases.filter((c) => c.kind === 'inventory').length >= 3, 'lone inventories');
  t.ok(
    cases.some((c) => c.emptyDirs.length > 0),
    'zipped fixtures keep their empty directories',
  );
});

t.test('filesystem', async (t) => {
  t.jobs = 4;
  for (const c of cases) {
    t.test(c.id, async (t) => {
      const dir = c.kind === 'inventory' ? join(c.localPath, '..') : c.localPath;
      check(t, await verdict(new FsStore(dir), c), c.expected);
    });
  }
});

t.test('MinIO', async (t) => {
  const config = requireS3(t);
  if (!config) return;
  const { bucket, cleanup } = await makeTestBucket(config, 't-ocfl-verdicts');
  t.teardown(cleanup);
  // One client for every case store (separate clients would each open a socket pool), and one
  // upload pass over all cases so the PUTs are not throttled case by case.
  const client = new S3Store({ ...config, bucket }).client;
  const storeOf = (i: number) => new S3Store({ ...config, bucket, prefix: `case-${i}` }, { client });
  const started = Date.now();
  await mapLimit(uploadsOf(cases), 16, ({ i, key, path }) => storeOf(i).write(key, readFileSync(path)));
  t.comment(`uploaded ${cases.length} cases in ${Date.now() - started} ms`);
  t.jobs = 4;
  cases.forEach((c, i) => {
    const fsOnly = [...c.emptyDirs, ...c.symlinks];
    const listed = [...c.expected.errors, ...(c.expected.acceptable_alternative_errors ?? [])];
    const unrepresentable =
      fsOnly.length > 0 && !c.expected.valid && listed.every((code) => FS_ONLY_CODES.has(code));
    const skip = unrepresentable
      ? `not representable in S3: the verdict rests on ${fsOnly.join(', ')} (empty directory or link)`
      : false;
    t.test(c.id, { skip }, async (t) => {
      const relaxed = fsOnly.length > 0 ? FS_ONLY_CODES : new Set<string>();
      if (relaxed.size > 0)
        t.comment(`S3 cannot hold ${fsOnly.join(', ')}: ${[...relaxed].join('/')} not required`);
      check(t, await verdict(storeOf(i), c), c.expected, relaxed);
    });
  });
});

/** Every file to upload: case index, key inside the case, local path. */
function uploadsOf(all: OcflCase[]): Array<{ i: number; key: string; path: string }> {
  return all.flatMap((c, i) => {
    if (c.kind === 'inventory') {
      return [{ i, key: c.id.slice(c.id.lastIndexOf('/') + 1), path: c.localPath }];
    }
    return caseFiles(c.localPath).map((key) => ({ i, key, path: join(c.localPath, key) }));
  });
}
