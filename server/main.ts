#!/usr/bin/env node
/**
 * The server process: read the configuration from the environment, build the app, listen, and
 * print the URL and how to get a token. SIGTERM/SIGINT: stop taking requests and jobs, let the
 * running work reach a checkpoint, close stores, exit.
 */
import { createServer, type RequestListener } from 'node:http';
import pino from 'pino';
import { createApp } from './app.js';
import { configFromEnv } from './config/server-config.js';
import { buildDeps } from './deps.js';

async function start(): Promise<void> {
  const config = configFromEnv();
  const logger = pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', '*.clientSecret', '*.client_secret', '*.password'],
      remove: true,
    },
  });
  // Listen first: with PORT=0 the base URL (and so every id) needs the port the system chose.
  // Until the app is built (stores opened, records read), every request gets a clear 503 with
  // Retry-After rather than no answer at all.
  let app: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (app) {
      app(req, res);
      return;
    }
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ code: 'IO', message: 'the server is starting; try again in a moment' }));
  });
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (!process.env.STRONGROOM_BASE_URL) config.baseUrl = `http://${config.host}:${port}`;
  const base = config.baseUrl;
  const deps = await buildDeps(config, logger);
  app = createApp(deps).callback();
  await deps.runner.reconcile();
  deps.runner.start();
  await deps.pipelineRunner.reconcile();
  deps.pipelineRunner.start();
  deps.indexer.start();
  const credentials = deps.admin.generated ? ` (generated; kept in ${config.dataDir}/admin-client.json)` : '';
  process.stdout.write(
    `Strongroom Preservation API listening on ${base}\n` +
      `  repository: ${config.repository}\n  deposits:   ${config.deposits}\n` +
      `  admin client: ${deps.admin.clientId}${credentials}\n` +
      `  get a token: curl -s -u '${deps.admin.clientId}:<secret>' -d grant_type=client_credentials ${base}/oauth2/token\n`,
  );
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close();
    // Stop taking jobs, let the running one reach its end or a checkpoint, close the stores.
    deps.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 30_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

start().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  process.stderr.write(`strongroom server: ${e.code ? `[${e.code}] ` : ''}${e.message ?? String(err)}\n`);
  process.exit(1);
});
