/**
 * The resource-index contract: every ResourceIndex implementation (memory, LMDB, later
 * PostgreSQL) must pass it. Run by search-index.test.ts; a new implementation adds a subject.
 */
import type { Test } from 'tap';
import { InvalidInputError } from '../../lib/core/errors.js';
import type { IndexedResource, ResourceIndex } from '../../lib/records/search/port.js';
import { searchNeedle } from '../../lib/records/search/text.js';

/** One implementation under test. */
export interface ResourceIndexSubject {
  name: string;
  /**
   * A fresh, empty index; `reopen` (persistent ones) closes and opens it again; `second` opens
   * another handle on the same storage (as another process would).
   */
  make(): Promise<{
    index: ResourceIndex;
    reopen?: () => Promise<ResourceIndex>;
    second?: () => Promise<ResourceIndex>;
    cleanup(): Promise<void>;
  }>;
}

/** A binary with the usual fields. */
export function binary(path: string, extra: Partial<IndexedResource> = {}): IndexedResource {
  return {
    path,
    name: path.slice(path.lastIndexOf('/') + 1),
    created: '2025-01-01T00:00:00.000Z',
    lastModified: '2025-01-02T00:00:00.000Z',
    size: path.length,
    contentType: 'application/octet-stream',
    ...extra,
  };
}

const find = async (index: ResourceIndex, text: string, page = 0, pageSize = 20) =>
  index.search(searchNeedle(text), { page, pageSize });

const paths = (hits: Array<{ archivalGroupPath: string; path: string }>) =>
  hits.map((h) => `${h.archivalGroupPath}|${h.path}`);

/** Run the contract on `subject`. */
export function resourceIndexContract(t: Test, subject: ResourceIndexSubject): void {
  t.test(subject.name, async (t) => {
    t.test('a new index has never been built and finds nothing', async (t) => {
      const { index, cleanup } = await subject.make();
      t.teardown(cleanup);
      t.equal(await index.activitySeq(), undefined);
      t.match(await find(index, 'a'), { total: 0, hits: [] });
      t.equal(await index.count(), 0);
      await index.apply([{ archivalGroupPath: 'g', version: 'v1', resources: [binary('a')] }]);
      t.equal(await index.activitySeq(), undefined, 'a build in progress leaves the mark unset');
      await index.apply([], 0);
      t.equal(await index.activitySeq(), 0, 'built');
      await index.apply([{ archivalGroupPath: 'g', remove: true }]);
      t.equal(await index.activitySeq(), 0, 'no mark given: the mark stays');
    });

    t.test(
      'finds any part of group path, path or name, in any case; hits in group then path order with their fields',
      async (t) => {
        const { index, cleanup } = await subject.make();
        t.teardown(cleanup);
        await index.apply(
          [
            {
              archivalGroupPath: 'cc/zeta',
              version: 'v2',
              resources: [binary('objects/Cat-UV.png', { contentType: 'image/png', size: 449_518 })],
            },
            {
              archivalGroupPath: 'cc/alpha',
              version: 'v1',
              resources: [
                binary('objects/b.txt', { name: 'Letter to the CAT.txt' }),
                binary('mets.xml', { contentType: 'application/xml' }),
                binary('objects/a.TIF'),
              ],
            },
          ],
          7,
        );
        t.equal(await index.activitySeq(), 7);
        t.equal(await index.count(), 4);
        t.equal(await index.groupVersion('cc/alpha'), 'v1');
        t.equal(await index.groupVersion('cc/none'), undefined);
        const cat = await find(index, 'cAt');
        t.same(paths(cat.hits), ['cc/alpha|objects/b.txt', 'cc/zeta|objects/Cat-UV.png'], 'path and name');
        t.same(cat.hits[1], {
          archivalGroupPath: 'cc/zeta',
          path: 'objects/Cat-UV.png',
          name: 'Cat-UV.png',
          created: '2025-01-01T00:00:00.000Z',
          lastModified: '2025-01-02T00:00:00.000Z',
          size: 449_518,
          contentType: 'image/png',
        });
        t.same(paths((await find(index, '.tif')).hits), ['cc/alpha|objects/a.TIF'], 'an extension');
        t.same(
          paths((await find(index, 'ALPHA/OBJ')).hits),
          ['cc/alpha|objects/a.TIF', 'cc/alpha|objects/b.txt'],
          'across group path and path',
        );
        t.equal((await find(index, 'cc/')).total, 4);
        t.equal((await find(index, 'nowhere')).total, 0);
      },
    );

    t.test('a match never spans a path and a name, nor two resources', async (t) => {
      const { index, cleanup } = await subject.make();
      t.teardown(cleanup);
      await index.apply(
        [
          {
            archivalGroupPath: 'g',
            version: 'v1',
            resources: [binary('x/abc', { name: 'def' }), binary('x/ghi')],
          },
        ],
        1,
      );
      t.equal((await find(index, 'cdef')).total, 0, 'path end + name start');
      t.equal((await find(index, 'defg')).total, 0, 'name end + next path start');
      t.equal((await find(index, 'abcg')).total, 0);
      t.equal((await find(index, 'def')).total, 1);
    });

    t.test('unicode: NFC either way, astral characters, and code-point order of groups', async (t) => {
      const { index, cleanup } = await subject.make();
      t.teardown(cleanup);
      await index.apply(
        [
          { archivalGroupPath: 'g/\u{1F600}', version: 'v1', resources: [binary('smile.txt')] },
          { archivalGroupPath: 'g/\uffee', version: 'v1', resources: [binary('bmp-high.txt')] },
          { archivalGroupPath: 'g/x', version: 'v1', resources: [binary('Cafe\u0301 notes.txt')] },
        ],
        1,
      );
      t.same(paths((await find(index, 'CAFÉ')).hits), ['g/x|Cafe\u0301 notes.txt']);
      t.same(paths((await find(index, '\u{1F600}/sm')).hits), ['g/\u{1F600}|smile.txt']);
      t.same(
        paths((await find(index, '.txt')).hits),
        ['g/x|Cafe\u0301 notes.txt', 'g/\uffee|bmp-high.txt', 'g/\u{1F600}|smile.txt'],
        'U+FFEE before U+1F600 (code points, not UTF-16 units)',
      );
    });

    t.test('paging: pages of hits, the total of all, past the end empty', async (t) => {
      const { index, cleanup } = await subject.make();
      t.teardown(cleanup);
      const many = Array.from({ length: 45 }, (_, i) => binary(`f/${String(i).padStart(3, '0')}.jpg`));
      await index.apply(
        [
          { archivalGroupPath: 'a/one', version: 'v1', resources: many.slice(0, 20) },
          { archivalGroupPath: 'a/two', version: 'v1', resources: many.slice(20) },
        ],
        1,
      );
      const p1 = await find(index, 'JPG', 1, 20);
      t.match(p1, { total: 45, page: 1, pageSize: 20 });
      t.same(
        paths(p1.hits),
        many.slice(20, 40).map((r) => `a/two|${r.path}`),
        'page 1 is the second page and crosses no group wrongly',
      );
      t.equal((await find(index, 'jpg', 2, 20)).hits.length, 5);
      t.same((await find(index, 'jpg', 9, 20)).hits, []);
      t.equal((await find(index, 'jpg', 9, 20)).total, 45);
      await t.rejects(index.search('jpg', { page: 0, pageSize: 0 }), InvalidInputError);
      await t.rejects(index.search('jpg', { page: -1, pageSize: 5 }), InvalidInputError);
    });

    t.test('an update replaces the group whole; a removal drops it; duplicates keep the last', async (t) => {
      const { index, cleanup } = await subject.make();
      t.teardown(cleanup);
      await index.apply(
        [
          { archivalGroupPath: 'g/one', version: 'v1', resources: [binary('old.txt'), binary('keep.txt')] },
          { archivalGroupPath: 'g/two', version: 'v1', resources: [binary('two.txt')] },
        ],
        1,
      );
      await index.apply(
        [
          {
            archivalGroupPath: 'g/one',
            version: 'v2',
            resources: [binary('keep.txt', { size: 1 }), binary('new.txt'), binary('new.txt', { size: 99 })],
          },
          { archivalGroupPath: 'g/two', remove: true },
        ],
        2,
      );
      t.equal((await find(index, 'old')).total, 0);
      t.same(
        (await find(index, '.txt')).hits.map((h) => [h.path, h.size]),
        [
          ['keep.txt', 1],
          ['new.txt', 99],
        ],
      );
      t.equal(await index.groupVersion('g/one'), 'v2');
      t.equal(await index.groupVersion('g/two'), undefined);
      t.equal(await index.count(), 2);
      t.equal(await index.activitySeq(), 2);
    });

    t.test('a malformed update applies nothing, not even the good ones before it', async (t) => {
      const { index, cleanup } = await subject.make();
      t.teardown(cleanup);
      await index.apply([{ archivalGroupPath: 'g', version: 'v1', resources: [binary('a')] }], 1);
      const bad = [
        { archivalGroupPath: 'h', version: 'v1', resources: [binary('b')] },
        { archivalGroupPath: '../escape', version: 'v1', resources: [] },
      ];
      await t.rejects(index.apply(bad, 2), InvalidInputError);
      await t.rejects(
        index.apply([{ archivalGroupPath: 'h', version: 'x', resources: [binary('b')] }], 2),
        InvalidInputError,
      );
      await t.rejects(
        index.apply([{ archivalGroupPath: 'h', version: 'v1', resources: [binary('')] }], 2),
        InvalidInputError,
      );
      await t.rejects(
        index.apply([{ archivalGroupPath: 'h', version: 'v1', resources: [binary('b', { size: -1 })] }], 2),
        InvalidInputError,
      );
      t.equal(await index.groupVersion('h'), undefined);
      t.equal(await index.activitySeq(), 1);
    });

    t.test('persistence and other handles see every update', async (t) => {
      const { index, reopen, second, cleanup } = await subject.make();
      t.teardown(cleanup);
      if (!reopen || !second) {
        t.pass('not persistent');
        return;
      }
      await index.apply([{ archivalGroupPath: 'p/g', version: 'v1', resources: [binary('a.txt')] }], 3);
      const other = await second();
      t.teardown(() => other.close());
      t.equal((await find(other, 'a.txt')).total, 1, 'another handle finds it');
      await index.apply([{ archivalGroupPath: 'p/g', version: 'v2', resources: [binary('b.txt')] }], 4);
      t.equal((await find(other, 'a.txt')).total, 0, 'and sees it replaced');
      t.equal((await find(other, 'b.txt')).total, 1);
      await other.apply([{ archivalGroupPath: 'p/g', remove: true }], 5);
      t.equal((await find(index, 'b.txt')).total, 0, 'the first sees the other handle’s removal');
      const again = await reopen();
      t.equal(await again.activitySeq(), 5);
      await again.apply([{ archivalGroupPath: 'p/h', version: 'v1', resources: [binary('c.txt')] }], 6);
      t.equal((await find(again, 'C.TXT')).total, 1);
    });
  });
}
