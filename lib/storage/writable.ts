/**
 * The writable opener. **Only the transaction module (lib/txn) may import this file** — a layer
 * check enforces it (tests and benchmarks that build fixtures are the other exception). Everything
 * else reads through `openStore` (location.ts), which hands out read-only views, so no command,
 * service or embedder can change stored objects outside a transaction.
 */
import { type OpenWritableStoreOptions, openBackend } from './backends.js';
import { parseLocation } from './location.js';
import type { WritableStore } from './port.js';

export type { OpenWritableStoreOptions } from './backends.js';

/**
 * Open the store a location names with its write side (see location.ts for the URI forms and
 * backends.ts for the options). Nothing is contacted or created yet. Throws InvalidInputError
 * for a bad location.
 */
export async function openWritableStore(
  uri: string,
  options: OpenWritableStoreOptions = {},
): Promise<WritableStore> {
  return openBackend(parseLocation(uri), options, false);
}
