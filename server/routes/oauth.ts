/**
 * `POST /oauth2/token`: OAuth2 client credentials (RFC 6749 §4.4). The body is form-encoded
 * `grant_type=client_credentials`; the client authenticates with HTTP Basic (id and secret each
 * form-urlencoded, §2.3.1) or with `client_id` / `client_secret` form fields, not both. Answers
 * `{ access_token, token_type, expires_in }` with `Cache-Control: no-store`; errors follow §5.2
 * (`{ error, error_description }`, 400, or 401 `invalid_client`).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ClientDirectory } from '../auth/clients.js';
import type { TokenService } from '../auth/tokens.js';

function oauthError(ctx: Context, status: number, error: string, description: string, basic = false): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  if (basic) ctx.set('WWW-Authenticate', 'Basic realm="strongroom"');
  ctx.body = {
    error,
    error_description: description,
    message: description,
    code: status === 401 ? 'UNAUTHORIZED' : 'INVALID_INPUT',
  };
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Client id and secret from the Basic header, or undefined when there is none; null when malformed. */
function basicCredentials(header: string): { id: string; secret: string } | undefined | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!m) return header === '' ? undefined : null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return id === undefined || secret === undefined ? null : { id, secret };
}

/** Register the token endpoint. */
export function tokenRoutes(router: Router, deps: { tokens: TokenService; clients: ClientDirectory }): void {
  router.post('/oauth2/token', async (ctx) => {
    const form = ((ctx.request as { body?: unknown }).body ?? {}) as Record<string, unknown>;
    if (!ctx.is('application/x-www-form-urlencoded')) {
      return oauthError(ctx, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    if (form.grant_type !== 'client_credentials') {
      return oauthError(
        ctx,
        400,
        'unsupported_grant_type',
        'only grant_type=client_credentials is supported',
      );
    }
    const basic = basicCredentials(ctx.get('Authorization'));
    if (basic === null) return oauthError(ctx, 401, 'invalid_client', 'malformed Basic credentials', true);
    const inForm = typeof form.client_id === 'string' || typeof form.client_secret === 'string';
    if (basic && inForm) {
      return oauthError(
        ctx,
        400,
        'invalid_request',
        'use either HTTP Basic or client_id/client_secret, not both',
      );
    }
    const id = basic?.id ?? (typeof form.client_id === 'string' ? form.client_id : undefined);
    const secret = basic?.secret ?? (typeof form.client_secret === 'string' ? form.client_secret : undefined);
    if (id === undefined || secret === undefined) {
      return oauthError(ctx, 401, 'invalid_client', 'client authentication is required', true);
    }
    const principal = await deps.clients.authenticate(id, secret);
    if (!principal)
      return oauthError(ctx, 401, 'invalid_client', 'unknown client or wrong secret', Boolean(basic));
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    ctx.body = await deps.tokens.issue(principal);
  });
}
