/**
 * API clients (OAuth2 client credentials): who may ask for a token. The durable directory is the
 * records' client store (secrets kept only as salted scrypt hashes, verified in constant time);
 * a memory directory serves tests and embedded tools.
 */
import type { RecordStore } from '../../lib/index.js';
import type { Principal, Role } from './tokens.js';

/** Checks a client's id and secret. */
export interface ClientDirectory {
  /**
   * The principal of a client that proved its secret, or undefined (unknown client, wrong secret
   * or disabled: the same answer, so ids cannot be probed).
   */
  authenticate(clientId: string, secret: string): Promise<Principal | undefined>;
}

const ROLES: readonly Role[] = ['admin', 'depositor', 'reader'];

function rolesOf(roles: readonly string[]): Role[] {
  return roles.filter((r): r is Role => ROLES.includes(r as Role));
}

/** Clients in the records (the server's directory). `agentUri` turns an agent id into its URI. */
export class RecordClients implements ClientDirectory {
  constructor(
    private readonly records: RecordStore,
    private readonly agentUri: (id: string) => string,
  ) {}

  async authenticate(clientId: string, secret: string): Promise<Principal | undefined> {
    const found = await this.records.clients.verify(clientId, secret);
    if (!found) return undefined;
    return { clientId: found.clientId, agent: this.agentUri(found.agent), roles: rolesOf(found.roles) };
  }

  /** Register `clientId` with `secret`, or change its secret and roles when it exists. */
  async ensure(clientId: string, secret: string, roles: Role[]): Promise<void> {
    const existing = await this.records.clients.get(clientId);
    if (!existing) await this.records.clients.create({ clientId, secret, roles });
    else if (!(await this.records.clients.verify(clientId, secret))) {
      await this.records.clients.update(clientId, { secret, roles });
    }
  }
}

/** Clients held in memory (tests). */
export class MemoryClients implements ClientDirectory {
  readonly #clients = new Map<string, { secret: string; principal: Principal }>();

  /** Register (or replace) a client. */
  add(clientId: string, secret: string, roles: Role[], agent: string): void {
    this.#clients.set(clientId, { secret, principal: { clientId, agent, roles } });
  }

  async authenticate(clientId: string, secret: string): Promise<Principal | undefined> {
    const c = this.#clients.get(clientId);
    return c && c.secret === secret ? { ...c.principal, roles: [...c.principal.roles] } : undefined;
  }
}
