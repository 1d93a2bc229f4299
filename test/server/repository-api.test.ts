import { createHash } from 'node:crypto';
import t from 'tap';
import { testServer } from './harness.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

t.test('OAuth2 client credentials: Basic or form fields, never both; bad secrets are 401', async (t) => {
  const s = await testServer(t);
  const basic = await s.request
    .post('/oauth2/token')
    .auth('admin', 'admin-secret-0123456789')
    .type('form')
    .send({ grant_type: 'client_credentials' });
  t.equal(basic.status, 200);
  t.equal(basic.body.token_type, 'Bearer');
  t.ok(basic.body.expires_in > 0);
  t.equal(basic.headers['cache-control'], 'no-store');
  const form = await s.request.post('/oauth2/token').type('form').send({
    grant_type: 'client_credentials',
    client_id: 'depositor',
    client_secret: 'depositor-secret-0123',
  });
  t.equal(form.status, 200);
  const encoded = await s.request
    .post('/oauth2/token')
    .set('Authorization', `Basic ${Buffer.from('admin:admin-secret-0123456789').toString('base64')}`)
    .type('form')
    .send('grant_type=client_credentials');
  t.equal(encoded.status, 200, 'form-urlencoded id and secret in Basic');
  const wrong = await s.request
    .post('/oauth2/token')
    .auth('admin', 'nope')
    .type('form')
    .send({ grant_type: 'client_credentials' });
  t.equal(wrong.status, 401);
  t.equal(wrong.body.error, 'invalid_client');
  const both = await s.request
    .post('/oauth2/token')
    .auth('admin', 'admin-secret-0123456789')
    .type('form')
    .send({ grant_type: 'client_credentials', client_id: 'admin', client_secret: 'x' });
  t.equal(both.status, 400);
  const grant = await s.request.post('/oauth2/token').type('form').send({ grant_type: 'password' });
  t.equal(grant.body.error, 'unsupported_grant_type');
  const json = await s.request.post('/oauth2/token').send({ grant_type: 'client_credentials' });
  t.equal(json.status, 400, 'not form-encoded');
});

t.test('every endpoint needs a bearer token; roles guard writes (401 / 403)', async (t) => {
  const s = await testServer(t);
  t.equal((await s.request.get('/repository/')).status, 401);
  t.equal((await s.request.get('/repository/').set('Authorization', 'Bearer not.a.token')).status, 401);
  const reader = await s.token('reader');
  t.equal((await s.request.get('/repository/').auth(reader, { type: 'bearer' })).status, 200);
  const put = await s.request.put('/repository/lib').auth(reader, { type: 'bearer' });
  t.equal(put.status, 403);
  t.equal(put.body.code, 'FORBIDDEN');
  t.equal((await s.request.get('/health')).status, 200);
});

t.test(
  'containers outside groups: create with or without a body, browse, tombstone (410) and purge',
  async (t) => {
    const s = await testServer(t);
    const admin = await s.token('admin');
    const put = await s.request
      .put('/repository/library')
      .auth(admin, { type: 'bearer' })
      .send({ type: 'Container', name: 'The Library' });
    t.equal(put.status, 201);
    t.equal(put.headers.location, `${s.base}/repository/library`);
    t.equal(put.body.name, 'The Library');
    t.equal(put.body.createdBy, `${s.base}/agents/admin`);
    const bare = await s.request.put('/repository/library/c20-books').auth(admin, { type: 'bearer' });
    t.equal(bare.status, 201, 'no body, no Content-Type');
    t.equal(bare.body.name, 'c20-books', 'the name comes from the path');
    const root = await s.request.get('/repository/').auth(admin, { type: 'bearer' });
    t.equal(root.body.type, 'RepositoryRoot');
    t.equal(root.body.id, `${s.base}/repository/`);
    t.same(
      root.body.containers.map((c: { id: string }) => c.id),
      [`${s.base}/repository/library`],
    );
    const lib = await s.request.get('/repository/library').auth(admin, { type: 'bearer' });
    t.same(
      lib.body.containers.map((c: { name: string }) => c.name),
      ['c20-books'],
    );
    t.equal(
      (await s.request.put('/repository/library').auth(admin, { type: 'bearer' })).status,
      409,
      'exists',
    );
    t.equal(
      (await s.request.delete('/repository/library').auth(admin, { type: 'bearer' })).status,
      409,
      'not empty',
    );
    t.equal(
      (await s.request.delete('/repository/library/c20-books').auth(admin, { type: 'bearer' })).status,
      204,
    );
    const gone = await s.request.get('/repository/library/c20-books').auth(admin, { type: 'bearer' });
    t.equal(gone.status, 410);
    t.equal(
      (await s.request.head('/repository/library/c20-books').auth(admin, { type: 'bearer' })).status,
      410,
    );
    t.equal(
      (await s.request.put('/repository/library/c20-books').auth(admin, { type: 'bearer' })).status,
      410,
      'a tombstone blocks',
    );
    t.equal(
      (await s.request.delete('/repository/library/c20-books?purge=true').auth(admin, { type: 'bearer' }))
        .status,
      204,
    );
    t.equal(
      (await s.request.get('/repository/library/c20-books').auth(admin, { type: 'bearer' })).status,
      404,
    );
    t.equal(
      (await s.request.put('/repository/library/c20-books').auth(admin, { type: 'bearer' })).status,
      201,
      'free again',
    );
    t.equal((await s.request.get('/repository/never').auth(admin, { type: 'bearer' })).status, 404);
    t.equal((await s.request.get('/repository/bad%2Fid').auth(admin, { type: 'bearer' })).status, 400);
  },
);

t.test(
  'an Archival Group: its whole tree, versions, storage map, binaries, METS view and HEAD types',
  async (t) => {
    const s = await testServer(t);
    const token = await s.token('reader');
    await s.preserve('lib/b1', {
      'mets.xml': '<mets/>',
      'objects/a b.txt': 'hello world',
      'objects/sub/c.txt': 'c',
    });
    await s.preserve('lib/b1', {
      'mets.xml': '<mets v="2"/>',
      'objects/a b.txt': 'hello world',
      'objects/sub/c.txt': 'c',
    });
    const ag = await s.request.get('/repository/lib/b1').auth(token, { type: 'bearer' });
    t.equal(ag.status, 200);
    t.equal(ag.body.type, 'ArchivalGroup');
    t.equal(ag.body.version.ocflVersion, 'v2');
    t.same(
      ag.body.versions.map((v: { ocflVersion: string }) => v.ocflVersion),
      ['v1', 'v2'],
    );
    t.equal(ag.body.storageMap.version.ocflVersion, 'v2');
    const objects = ag.body.containers[0];
    t.equal(objects.id, `${s.base}/repository/lib/b1/objects`);
    t.equal(objects.containers[0].binaries[0].name, 'c.txt', 'the whole tree, however deep');
    const bin = objects.binaries[0];
    t.equal(bin.id, `${s.base}/repository/lib/b1/objects/a%20b.txt`);
    t.equal(bin.name, 'a b.txt');
    t.equal(bin.digest, sha('hello world'));
    t.equal(bin.size, 11);
    t.equal(bin.content, `${s.base}/content/lib/b1/objects/a%20b.txt`);
    t.equal(bin.partOf, `${s.base}/repository/lib/b1`);
    const light = await s.request
      .get('/repository/lib/b1?view=lightweight&version=v1')
      .auth(token, { type: 'bearer' });
    t.same(light.body.containers, []);
    t.equal(light.body.version.ocflVersion, 'v1');
    const part = await s.request.get('/repository/lib/b1/objects/a%20b.txt').auth(token, { type: 'bearer' });
    t.equal(part.body.type, 'Binary');
    const mets = await s.request.get('/repository/lib/b1?view=mets').auth(token, { type: 'bearer' });
    t.equal(mets.text, '<mets v="2"/>');
    t.match(mets.headers['content-type'], /xml/);
    for (const [path, type] of [
      ['', 'RepositoryRoot'],
      ['lib', 'Container'],
      ['lib/b1', 'ArchivalGroup'],
      ['lib/b1/objects', 'Container'],
      ['lib/b1/objects/a%20b.txt', 'Binary'],
    ]) {
      const head = await s.request.head(`/repository/${path}`).auth(token, { type: 'bearer' });
      t.equal(head.headers['x-preservation-resource-type'], type, path);
    }
    const map = await s.request.get('/ocfl/storagemap/lib/b1?version=v1').auth(token, { type: 'bearer' });
    t.equal(map.body.version.ocflVersion, 'v1');
    t.equal(map.body.files['objects/a b.txt'].fullPath, 'v1/content/objects/a%20b.txt');
  },
);

t.test(
  'content: type, length, strong ETag, original name, ranges (206/416) and conditional GET (304)',
  async (t) => {
    const s = await testServer(t);
    const token = await s.token('reader');
    await s.preserve('lib/b2', { 'objects/résumé #1.txt': '0123456789' });
    const url = '/content/lib/b2/objects/r%C3%A9sum%C3%A9%20%231.txt';
    const whole = await s.request
      .get(url)
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    t.equal(whole.status, 200);
    t.equal(whole.body.toString(), '0123456789');
    t.equal(whole.headers['content-length'], '10');
    t.equal(whole.headers.etag, `"${sha('0123456789')}"`);
    t.match(whole.headers['content-disposition'], /filename\*=UTF-8''r%C3%A9sum%C3%A9%20%231\.txt/);
    const range = await s.request.get(url).auth(token, { type: 'bearer' }).set('Range', 'bytes=2-4');
    t.equal(range.status, 206);
    t.equal(range.text, '234');
    t.equal(range.headers['content-range'], 'bytes 2-4/10');
    const suffix = await s.request.get(url).auth(token, { type: 'bearer' }).set('Range', 'bytes=-3');
    t.equal(suffix.text, '789');
    const bad = await s.request.get(url).auth(token, { type: 'bearer' }).set('Range', 'bytes=20-30');
    t.equal(bad.status, 416);
    t.equal(bad.headers['content-range'], 'bytes */10');
    const cached = await s.request
      .get(url)
      .auth(token, { type: 'bearer' })
      .set('If-None-Match', whole.headers.etag!);
    t.equal(cached.status, 304);
    t.equal(
      (await s.request.get('/content/lib/b2/objects/missing.txt').auth(token, { type: 'bearer' })).status,
      404,
    );
    t.equal(
      (await s.request.get('/content/lib/b2/objects').auth(token, { type: 'bearer' })).status,
      400,
      'not a binary',
    );
  },
);

t.test('the OpenAPI 3.1 document is generated from the request schemas and needs no token', async (t) => {
  const s = await testServer(t);
  const doc = await s.request.get('/openapi.json');
  t.equal(doc.status, 200);
  t.equal(doc.body.openapi, '3.1.0');
  t.ok(doc.body.paths['/repository/{path}']?.put, 'the container PUT is described');
  t.ok(doc.body.components.schemas.CreateContainer, 'from the schema that validates the body');
  const admin = await s.token('admin');
  const bad = await s.request.put('/repository/x').auth(admin, { type: 'bearer' }).send({ type: 'Binary' });
  t.equal(bad.status, 400);
  t.match(bad.body.message, /^type: /, 'the field is named');
  const cased = await s.request.put('/repository/y').auth(admin, { type: 'bearer' }).send({ Name: 'Cased' });
  t.equal(cased.body.name, 'Cased', 'property names match case-insensitively');
});
