import t from 'tap';
import { cloudPathProblem, contentPathFor, toContentPathPart } from '../../lib/core/fedora/content-paths.js';

t.test('the linux mapper encodes %, space and controls as Fedora stores them, keeping letters', async (t) => {
  t.equal(
    toContentPathPart('objects/Teto in tree.png'),
    'objects/Teto%20in%20tree.png',
    'as in the Fedora fixture',
  );
  t.equal(toContentPathPart('a%20b'), 'a%2520b', '% is always encoded, so the mapping is injective');
  t.equal(toContentPathPart('tab\there\u007f'), 'tab%09here%7f');
  t.equal(toContentPathPart('nbsp\u00a0x'), 'nbsp%c2%a0x', 'U+00A0 as its UTF-8 bytes, lowercase');
  t.equal(toContentPathPart('résumé/۞ #1[a]*?.txt'), 'résumé/۞%20#1[a]*?.txt');
});

t.test('the cloud mapper also encodes the characters S3 keys must not hold', async (t) => {
  t.equal(toContentPathPart('a #1[a]*?\\.txt', 'cloud'), 'a%20%231%5ba%5d%2a%3f%5c.txt');
  t.equal(contentPathFor('v3', 'dir/a b.txt', { mapper: 'cloud' }), 'v3/content/dir/a%20b.txt');
  t.equal(contentPathFor('v1', 'x', { contentDirectory: 'data' }), 'v1/data/x');
});

t.test('distinct logical paths never map to one content path', async (t) => {
  const names = ['a b', 'a%20b', 'a%2520b', 'a\u00a0b', 'a%c2%a0b', '#', '%23'];
  for (const mapper of ['linux', 'cloud'] as const) {
    const mapped = new Set(names.map((n) => toContentPathPart(n, mapper)));
    t.equal(mapped.size, names.length, mapper);
  }
});

t.test('cloud limits: keys over 1,024 bytes and elements over 254 characters are named', async (t) => {
  t.equal(cloudPathProblem('a/b'), undefined);
  t.match(cloudPathProblem('é'.repeat(600)), /1,024 bytes/);
  t.match(cloudPathProblem(`a/${'x'.repeat(255)}`), /254 characters/);
});
