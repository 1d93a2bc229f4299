/**
 * API clients (OAuth2 client credentials): an id, a secret kept only as a salted scrypt hash,
 * the roles it may use and the agent URI it acts as. The directory interface lets durable
 * records (lib/records) hold clients; a memory directory seeds the admin client from the
 * configuration.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Principal, Role } from './tokens.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** A registered client as stored: never its secret. */
export interface ClientRecord {
  clientId: string;
  /** `scrypt$<salt hex>$<hash hex>`. */
  secretHash: string;
  roles: Role[];
  agent: string;
}

/** Where clients are looked up. */
export interface ClientDirectory {
  /** The client's record, if any. */
  find(clientId: string): Promise<ClientRecord | undefined>;
}

/** Hash a secret for storage. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, 32);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

/** Compare a secret with a stored hash in constant time. */
export async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [kind, saltHex, hashHex] = stored.split('$');
  if (kind !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scrypt(secret, Buffer.from(saltHex, 'hex'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The principal of a client that proved its secret, or undefined (unknown client or wrong
 * secret: the same answer, so ids cannot be probed).
 */
export async function authenticateClient(
  directory: ClientDirectory,
  clientId: string,
  secret: string,
): Promise<Principal | undefined> {
  const record = await directory.find(clientId);
  if (!record) {
    await hashSecret(secret); // spend the same time as a real comparison
    return undefined;
  }
  if (!(await secretMatches(secret, record.secretHash))) return undefined;
  return { clientId: record.clientId, agent: record.agent, roles: [...record.roles] };
}

/** Clients held in memory (the seeded admin client; tests). */
export class MemoryClients implements ClientDirectory {
  readonly #clients = new Map<string, ClientRecord>();

  /** Register (or replace) a client with a plain secret, hashed here. */
  async add(clientId: string, secret: string, roles: Role[], agent: string): Promise<void> {
    this.#clients.set(clientId, { clientId, secretHash: await hashSecret(secret), roles, agent });
  }

  async find(clientId: string): Promise<ClientRecord | undefined> {
    return this.#clients.get(clientId);
  }
}
