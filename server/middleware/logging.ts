/**
 * Request ids and structured request logs (pino). Every request gets an id (the caller's
 * `X-Request-Id` when it is a short token, else a new one), echoed in the response and carried by
 * a child logger on `ctx.state.log`. The log line has method, path, status and duration: never
 * headers, so the Authorization header and secrets are never logged.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

const SAFE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Middleware that logs each request through a child of `logger`. */
export function requestLogging(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const given = ctx.get('X-Request-Id');
    const reqId = SAFE_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', reqId);
    const log = logger.child({ reqId });
    ctx.state.log = log;
    const started = performance.now();
    try {
      await next();
    } finally {
      log.info(
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  };
}
