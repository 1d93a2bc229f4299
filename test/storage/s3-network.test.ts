import { createServer } from 'node:net';
import t from 'tap';
import { openStore } from '../../lib/storage/location.js';
import { S3Store } from '../../lib/storage/s3/s3-store.js';

/** A loopback port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

t.test('an unreachable endpoint is IO with the network cause and the endpoint in the message', async (t) => {
  const port = await closedPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const store = new S3Store({ endpoint, accessKeyId: 'a', secretAccessKey: 'b', bucket: 'some-bucket' });
  t.teardown(() => store.client.destroy());
  const cause = new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`);
  for (const attempt of [() => store.stat('k'), () => store.readBytes('k'), () => store.write('k', 'v')]) {
    const err = (await attempt().catch((e: unknown) => e)) as Error & { code?: string };
    t.equal(err.code, 'IO');
    t.match(err.message, cause, 'the socket error is in the message');
    t.match(err.message, endpoint, 'and the endpoint');
  }
  const reader = await openStore('s3://some-bucket/x', {
    s3: { endpoint, accessKeyId: 'a', secretAccessKey: 'b' },
  });
  await t.rejects(reader.list('')[Symbol.asyncIterator]().next(), { code: 'IO', message: cause });
});
