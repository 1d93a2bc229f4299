/**
 * `createApp(deps)`: the Koa application of the Preservation API, without listening (tests drive
 * `app.callback()`; server/main.ts listens). Middleware, in order: errors (first, so every
 * failure becomes a JSON answer with the table's status), request id + log, body parsing
 * (JSON and form, size-limited), bearer authentication, then the routes.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import type { Logger } from 'pino';
import type { ClientDirectory } from './auth/clients.js';
import type { TokenService } from './auth/tokens.js';
import { bearerAuth } from './middleware/auth.js';
import { errorMiddleware } from './middleware/errors.js';
import { requestLogging } from './middleware/logging.js';
import { activityRoutes } from './routes/activity.js';
import { agentRoutes } from './routes/agents.js';
import { contentRoutes } from './routes/content.js';
import { workspaceRoutes } from './routes/deposit-workspace.js';
import { depositRoutes } from './routes/deposits.js';
import { identityRoutes } from './routes/identity.js';
import { tokenRoutes } from './routes/oauth.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { repositoryRoutes } from './routes/repository.js';
import { searchRoutes } from './routes/search.js';
import { storageMapRoutes } from './routes/storage-map.js';
import { openApiDocument } from './schemas/openapi.js';
import type { ServerServices } from './services.js';

/** Everything the app needs. */
export interface AppDeps {
  services: ServerServices;
  tokens: TokenService;
  clients: ClientDirectory;
  logger: Logger;
}

/** Largest JSON or form body accepted (1 MiB: jobs list ids, not bytes). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Build the Koa app. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  let openApi: object | undefined;
  router.get('/openapi.json', (ctx) => {
    openApi ??= openApiDocument(deps.services.urls.base);
    ctx.body = openApi;
  });
  tokenRoutes(router, deps);
  repositoryRoutes(router, deps.services);
  contentRoutes(router, deps.services);
  storageMapRoutes(router, deps.services);
  identityRoutes(router, deps.services);
  depositRoutes(router, deps.services);
  pipelineRoutes(router, deps.services);
  activityRoutes(router, deps.services);
  agentRoutes(router, deps.services);
  searchRoutes(router, deps.services);
  workspaceRoutes(router, deps.services);
  app.use(errorMiddleware);
  app.use(requestLogging(deps.logger));
  app.use(
    koaBody({
      json: true,
      urlencoded: true,
      multipart: false,
      text: false,
      jsonLimit: MAX_BODY_BYTES,
      formLimit: MAX_BODY_BYTES,
      onError: (err) => {
        throw Object.assign(err, { status: 400, expose: true });
      },
    }),
  );
  app.use(bearerAuth(deps.tokens));
  app.use(router.routes());
  app.use(router.allowedMethods());
  // Koa's own errors (e.g. an aborted response) go to the log, not to stderr.
  app.on('error', (err) => deps.logger.debug({ err }, 'koa error'));
  return app;
}
