/**
 * The one error middleware, first in the chain: a thrown Strongroom error becomes its status from
 * the error table (lib/core/error-table.ts) and a JSON body `{ message, code, … }` (an
 * UnprocessableError also lists its `problems`); body-parser failures are 400s; anything else is
 * a 500 whose details go to the log, never to the client.
 */
import type { Context, Next } from 'koa';
import { httpStatusFor, StrongroomError } from '../../lib/errors.js';

/** What an error response carries. */
export interface ErrorBody {
  message: string;
  code: string;
  [key: string]: unknown;
}

function bodyFor(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof StrongroomError) {
    const { code, message, ...rest } = err.toJSON() as ErrorBody & { operation?: string; key?: string };
    delete rest.operation;
    return { status: httpStatusFor(err), body: { message, code, ...rest } };
  }
  const e = err as { status?: unknown; expose?: unknown; message?: unknown; type?: unknown };
  // koa-body / http-errors: 4xx with a message meant for the client (bad JSON, too large).
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
    const code = e.status === 413 ? 'TOO_LARGE' : e.status === 415 ? 'INVALID_INPUT' : 'INVALID_INPUT';
    return { status: e.status, body: { message: String(e.message ?? 'bad request'), code } };
  }
  return { status: 500, body: { message: 'internal server error', code: 'INTERNAL' } };
}

/** Map errors to responses. */
export async function errorMiddleware(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    const { status, body } = bodyFor(err);
    ctx.status = status;
    ctx.body = body;
    if (status === 401) ctx.set('WWW-Authenticate', 'Bearer');
    const log = (
      ctx.state as { log?: { error(o: object, m: string): void; info(o: object, m: string): void } }
    ).log;
    if (status >= 500) log?.error({ err }, 'request failed');
    else log?.info({ code: body.code, status }, body.message);
  }
}
