/**
 * Access tokens: short-lived JWTs (HS256) the server issues at `POST /oauth2/token` to clients
 * that authenticate with their id and secret (OAuth2 client credentials, RFC 6749 §4.4), and,
 * when configured, tokens of an external identity provider checked against its JWKS.
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from '../../lib/errors.js';

/** Roles, from most to least powerful. `admin` manages repository structure and clients. */
export type Role = 'admin' | 'depositor' | 'reader';

/** Who is calling. */
export interface Principal {
  clientId: string;
  /** The agent URI recorded as createdBy / lastModifiedBy / preservedBy. */
  agent: string;
  roles: Role[];
}

const ROLES: readonly Role[] = ['admin', 'depositor', 'reader'];

/** Token settings. */
export interface TokenOptions {
  /** HMAC key (≥ 32 bytes). */
  secret: Uint8Array;
  /** The issuer claim: the server's base URL. */
  issuer: string;
  ttlSeconds: number;
  external?: { jwksUrl: string; audience?: string; issuer?: string; agentBase: string };
}

/** Issues and checks access tokens. */
export class TokenService {
  readonly #jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: TokenOptions) {
    if (options.external) this.#jwks = createRemoteJWKSet(new URL(options.external.jwksUrl));
  }

  /** A signed token for `principal`: `{ access_token, token_type, expires_in }`. */
  async issue(
    principal: Principal,
  ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const token = await new SignJWT({ agent: principal.agent, roles: principal.roles })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.clientId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.issuer)
      .setIssuedAt()
      .setExpirationTime(`${this.options.ttlSeconds}s`)
      .sign(this.options.secret);
    return { access_token: token, token_type: 'Bearer', expires_in: this.options.ttlSeconds };
  }

  /** The principal of a bearer token. Throws UnauthorizedError for anything not valid now. */
  async verify(token: string): Promise<Principal> {
    try {
      const own = await jwtVerify(token, this.options.secret, {
        issuer: this.options.issuer,
        audience: this.options.issuer,
        algorithms: ['HS256'],
      }).catch(() => undefined);
      if (own) return principalOf(own.payload, String(own.payload.agent ?? ''));
      if (!this.#jwks || !this.options.external) throw new UnauthorizedError('the access token is not valid');
      const ext = this.options.external;
      const { payload } = await jwtVerify(token, this.#jwks, {
        ...(ext.audience !== undefined && { audience: ext.audience }),
        ...(ext.issuer !== undefined && { issuer: ext.issuer }),
      });
      return principalOf(payload, `${ext.agentBase}${encodeURIComponent(String(payload.sub ?? 'unknown'))}`);
    } catch (err) {
      if (err instanceof UnauthorizedError) throw err;
      throw new UnauthorizedError('the access token is not valid or has expired');
    }
  }
}

function principalOf(payload: JWTPayload, agent: string): Principal {
  const claimed = Array.isArray(payload.roles)
    ? payload.roles
    : typeof payload.scope === 'string'
      ? payload.scope.split(' ')
      : [];
  const roles = claimed.filter((r): r is Role => ROLES.includes(r as Role));
  return { clientId: String(payload.sub ?? ''), agent, roles: roles.length > 0 ? roles : ['reader'] };
}

/** True when `principal` holds `role` (admin holds every role; depositor holds reader). */
export function hasRole(principal: Principal, role: Role): boolean {
  const rank = (r: Role) => ROLES.indexOf(r);
  return principal.roles.some((r) => rank(r) <= rank(role));
}
