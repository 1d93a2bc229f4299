/**
 * A server for tests: the real app over temp directories (repository and deposits), an admin
 * and a depositor client, helpers to get tokens and to preserve a folder as a group through the
 * write path (until deposits and jobs carry it over HTTP).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import supertest from 'supertest';
import type { Test } from 'tap';
import { putFolder } from '../../lib/index.js';
import { createApp } from '../../server/app.js';
import type { RecordClients } from '../../server/auth/clients.js';
import { configFromEnv } from '../../server/config/server-config.js';
import { buildDeps } from '../../server/deps.js';
import { tempDir } from '../txn/helpers.js';

/** A running test server. */
export interface TestServer {
  request: ReturnType<typeof supertest.agent>;
  base: string;
  dataDir: string;
  token(client?: 'admin' | 'depositor' | 'reader'): Promise<string>;
  /** Preserve a folder of `files` as the group at `path` (through the writer). */
  preserve(path: string, files: Record<string, string>): Promise<void>;
  deps: Awaited<ReturnType<typeof buildDeps>>;
}

const SECRETS = {
  admin: 'admin-secret-0123456789',
  depositor: 'depositor-secret-0123',
  reader: 'reader-secret-0123456',
};

/** Start the app for one test (torn down with it). */
export async function testServer(t: Test, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = tempDir(t, 'server');
  const base = 'http://strongroom.test';
  const config = configFromEnv({
    STRONGROOM_DATA: dataDir,
    STRONGROOM_BASE_URL: base,
    STRONGROOM_ADMIN_CLIENT_ID: 'admin',
    STRONGROOM_ADMIN_CLIENT_SECRET: SECRETS.admin,
    ...env,
  });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  const clients = deps.clients as RecordClients;
  await clients.ensure('depositor', SECRETS.depositor, ['depositor']);
  await clients.ensure('reader', SECRETS.reader, ['reader']);
  t.teardown(() => deps.close());
  const app = createApp(deps);
  const server = app.listen(0);
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const request = supertest.agent(server);
  const tokens = new Map<string, string>();
  let n = 0;
  return {
    request,
    base,
    dataDir,
    deps,
    async token(client = 'admin') {
      const known = tokens.get(client);
      if (known) return known;
      const res = await request
        .post('/oauth2/token')
        .auth(client, SECRETS[client])
        .type('form')
        .send({ grant_type: 'client_credentials' });
      if (res.status !== 200) throw new Error(`token for ${client}: ${res.status} ${res.text}`);
      tokens.set(client, res.body.access_token);
      return res.body.access_token;
    },
    async preserve(path, files) {
      const src = join(dataDir, `src-${n++}`);
      for (const [p, text] of Object.entries(files)) {
        mkdirSync(join(src, ...p.split('/').slice(0, -1)), { recursive: true });
        writeFileSync(join(src, ...p.split('/')), text);
      }
      await putFolder(deps.services.writer, path, pathToFileURL(src).href, {
        agent: { name: `${base}/agents/admin` },
        parents: true,
      });
      deps.services.browser.refresh();
    },
  };
}
