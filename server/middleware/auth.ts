/**
 * Bearer authentication and role checks. Every endpoint but the token endpoint, the OpenAPI
 * document and health needs `Authorization: Bearer <token>` (401 without, or with a bad token);
 * `requireRole` answers 403 when the caller's roles do not include the one needed.
 */
import type { Context, Next } from 'koa';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import { hasRole, type Principal, type Role, type TokenService } from '../auth/tokens.js';

/** Paths that need no token. */
const OPEN = new Set(['/oauth2/token', '/openapi.json', '/health']);

/** Middleware that sets `ctx.state.principal` from the bearer token. */
export function bearerAuth(tokens: TokenService) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (OPEN.has(ctx.path)) return next();
    const header = ctx.get('Authorization');
    const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!m) throw new UnauthorizedError('a bearer token is required (POST /oauth2/token)');
    ctx.state.principal = await tokens.verify(m[1]!);
    return next();
  };
}

/** The caller, as set by {@link bearerAuth}. */
export function principalOf(ctx: Context): Principal {
  const p = ctx.state.principal as Principal | undefined;
  if (!p) throw new UnauthorizedError('not authenticated');
  return p;
}

/** Throw ForbiddenError unless the caller holds `role`. */
export function requireRole(ctx: Context, role: Role): Principal {
  const p = principalOf(ctx);
  if (!hasRole(p, role)) throw new ForbiddenError(`this needs the ${role} role`);
  return p;
}
