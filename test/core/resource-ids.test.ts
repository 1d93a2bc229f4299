import t from 'tap';
import {
  encodeIdSegment,
  idPathToResourcePath,
  idToResourcePath,
  resourcePathToId,
  resourcePathToIdPath,
} from '../../lib/core/resource-ids.js';

t.test('names map to ids in the permitted set and back, reversibly', async (t) => {
  const names = ['My File.pdf', 'résumé #1 %.txt', 'a(b)-c_d.e', '۞', 'a%20b', 'x?y&z=1', 'tab\tname'];
  for (const name of names) {
    const seg = encodeIdSegment(name);
    t.match(seg, /^(?:[A-Za-z0-9()\-_.]|%[0-9A-F]{2})+$/, `${JSON.stringify(name)} → ${seg}`);
    t.equal(idPathToResourcePath(seg), name);
  }
  t.equal(encodeIdSegment('My File.pdf'), 'My%20File.pdf');
  t.equal(encodeIdSegment('a%20b'), 'a%2520b', 'a literal % is escaped, so no two names share an id');
  t.equal(resourcePathToIdPath('objects/a b/c.tif'), 'objects/a%20b/c.tif');
  t.equal(resourcePathToId('https://h/repository/', 'x y'), 'https://h/repository/x%20y');
});

t.test('hostile ids are refused, never decoded into a path that climbs or hides', async (t) => {
  for (const id of ['%2e%2e/x', '..', 'a/%2E', 'a%2Fb', 'a%00b', 'a b', 'a+b', 'a%zz', '%C3', 'a#b', '~x']) {
    t.throws(() => idPathToResourcePath(id), { code: 'INVALID_INPUT' }, id);
  }
  t.throws(() => idToResourcePath('https://h/repository/', 'https://evil/repository/x'), {
    code: 'INVALID_INPUT',
  });
  t.equal(idToResourcePath('https://h/repository/', 'https://h/repository/a/b%20c?version=v1'), 'a/b c');
});
