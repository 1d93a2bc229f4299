/**
 * `POST /deposits/from-identifier`: a deposit for the group a catalogue identifier resolves to,
 * through a JSON mapping file or a catalogue service's URL template; 501 without a resolver.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import type { S3Connection } from '../../lib/storage/s3/config.js';
import { configFromEnv } from '../../server/config/server-config.js';
import { requireS3 } from '../helpers/s3.js';
import { tempDir } from '../txn/helpers.js';
import { type FeedsServer, feedsServer } from './feeds-env.js';

const post = async (s: FeedsServer, body: object, who: 'depositor' | 'reader' = 'depositor') =>
  s.request
    .post('/deposits/from-identifier')
    .auth(await s.token(who), { type: 'bearer' })
    .send(body);

t.test('without a configured resolver the endpoint answers 501, saying how to configure one', async (t) => {
  const s = await feedsServer(t);
  const res = await post(s, { schema: 'id', value: 't2sjhy5d' });
  t.equal(res.status, 501);
  t.equal(res.body.code, 'UNSUPPORTED');
  t.match(res.body.message, /STRONGROOM_IDENTITY_MAP/);
  t.equal((await post(s, { schema: 'id' })).status, 400, 'a bad body is still 400');
  t.equal((await post(s, { schema: 'id', value: 'x' }, 'reader')).status, 403);
});

function mappingSuite(name: string, s3?: S3Connection) {
  t.test(`${name}: a mapping file resolves schema and value to the group and its name`, async (t) => {
    const file = join(tempDir(t, 'identity'), 'identities.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: {
          t2sjhy5d: { archivalGroup: 'cc/t2sjhy5d', archivalGroupName: 'Letters of T.' },
          'uri form': {
            ArchivalGroup: 'http://strongroom.test/repository/cc/a%20b',
            ArchivalGroupName: null,
          },
        },
        catirn: { '12345': { archivalGroup: '/cc/from-catalogue/' } },
      }),
    );
    const s = await feedsServer(t, s3, { STRONGROOM_IDENTITY_MAP: file });
    const res = await post(s, { Schema: 'id', Value: 't2sjhy5d', template: 'RootLevel' });
    t.equal(res.status, 201);
    t.match(res.headers.location, new RegExp(`^${s.base}/deposits/[0-9a-z]+$`));
    t.match(res.body, {
      id: res.headers.location,
      archivalGroup: `${s.base}/repository/cc/t2sjhy5d`,
      archivalGroupName: 'Letters of T.',
      archivalGroupExists: false,
      status: 'new',
      createdBy: `${s.base}/agents/depositor`,
    });
    t.match(res.body.files, s3 ? /^s3:\/\// : /^file:\/\//);
    const uri = await post(s, { schema: 'id', value: 'uri form' });
    t.equal(uri.body.archivalGroup, `${s.base}/repository/cc/a%20b`, 'a URI under the repository');
    t.equal(uri.body.archivalGroupName, null);
    t.equal(
      (await post(s, { schema: 'catirn', value: '12345' })).body.archivalGroup,
      `${s.base}/repository/cc/from-catalogue`,
    );
    const unknown = await post(s, { schema: 'id', value: 'nope' });
    t.equal(unknown.status, 422);
    t.match(unknown.body.problems, [{ path: 'value' }]);
    t.equal((await post(s, { schema: 'other', value: 't2sjhy5d' })).status, 422, 'schemas are separate');
  });
}

mappingSuite('fs');
const s3 = requireS3(t);
if (s3) mappingSuite('minio', s3);

t.test('a catalogue service behind a URL template: found, unknown, failing, unusable', async (t) => {
  const asked: string[] = [];
  const catalogue = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    asked.push(`${url.searchParams.get('schema')}|${url.searchParams.get('value')}`);
    const value = url.searchParams.get('value');
    if (value === 'a b/c') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ archivalGroup: 'cc/ab-c', archivalGroupName: 'Slash and space' }));
    } else if (value === 'boom') {
      res.statusCode = 500;
      res.end('down');
    } else if (value === 'junk') {
      res.end('<html>not json</html>');
    } else if (value === 'escape') {
      res.end(JSON.stringify({ archivalGroup: '../../etc' }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => catalogue.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => catalogue.close(() => resolve())));
  const port = (catalogue.address() as AddressInfo).port;
  const s = await feedsServer(t, undefined, {
    STRONGROOM_IDENTITY_URL: `http://127.0.0.1:${port}/lookup?schema={schema}&value={value}`,
  });
  const found = await post(s, { schema: 'catirn', value: 'a b/c' });
  t.equal(found.status, 201);
  t.match(found.body, {
    archivalGroup: `${s.base}/repository/cc/ab-c`,
    archivalGroupName: 'Slash and space',
  });
  t.equal(asked[0], 'catirn|a b/c', 'schema and value arrive whole, percent-encoded in the URL');
  t.equal((await post(s, { schema: 'catirn', value: 'missing' })).status, 422);
  for (const value of ['boom', 'junk', 'escape']) {
    const res = await post(s, { schema: 'catirn', value });
    t.equal(res.status, 503, value);
    t.equal(res.body.code, 'IO');
  }
});

t.test(
  'configuration: one resolver at most, and a template must be an http(s) URL with {value}',
  async (t) => {
    const base = { STRONGROOM_DATA: '/tmp/x' };
    t.throws(
      () =>
        configFromEnv({
          ...base,
          STRONGROOM_IDENTITY_MAP: 'a.json',
          STRONGROOM_IDENTITY_URL: 'http://x/{value}',
        }),
      { code: 'INVALID_INPUT' },
    );
    t.throws(() => configFromEnv({ ...base, STRONGROOM_IDENTITY_URL: 'ftp://x/{value}' }), {
      code: 'INVALID_INPUT',
    });
    t.throws(() => configFromEnv({ ...base, STRONGROOM_IDENTITY_URL: 'http://x/lookup' }), {
      code: 'INVALID_INPUT',
    });
    t.same(configFromEnv({ ...base, STRONGROOM_IDENTITY_MAP: 'ids.json' }, '/srv').identity, {
      mapFile: '/srv/ids.json',
    });
    t.equal(configFromEnv(base).identity, undefined);
  },
);

t.test('a mapping file that is not a mapping stops the server from starting', async (t) => {
  const file = join(tempDir(t, 'identity'), 'bad.json');
  writeFileSync(file, JSON.stringify({ id: { x: { archivalGroupName: 'no group' } } }));
  await t.rejects(feedsServer(t, undefined, { STRONGROOM_IDENTITY_MAP: file }), { code: 'MALFORMED' });
});
