/**
 * Writing an inventory as a stream: the canonical bytes (`inventoryChunks`) go to the store piece
 * by piece and are digested as they pass, so a commit holds no copy of a large inventory (no
 * string, no Buffer of it) and learns its sidecar digest from the same pass. An inventory that
 * turns out to be small (under {@link WHOLE_WRITE_BYTES}) is sent as one Buffer, as before:
 * on S3 that is one PutObject, atomic under its conditions on every server, with no extra request.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Inventory } from '../core/inventory.js';
import { inventoryChunks } from '../core/ocfl/inventory-serialize.js';
import type { WritableStore, WriteOptions, WriteResult } from '../storage/port.js';

/** Inventories up to this size (8 MiB) are written as one Buffer, larger ones streamed. */
export const WHOLE_WRITE_BYTES = 8 * 1024 * 1024;

/** What {@link writeInventory} wrote. */
export interface WrittenInventory {
  result: WriteResult;
  /** Bytes written. */
  size: number;
  /** Lowercase hex digests of those bytes: sha512 and the inventory's algorithm. */
  digests: Record<string, string>;
  /** The bytes themselves, when asked to keep them and they were no more than asked. */
  bytes?: Buffer;
}

/**
 * Inventories up to this size (256 MiB) are kept by a commit after the version copy is written,
 * so the root copy is the same Buffer, not a second serialisation (≈1.5 s for a 100 MB
 * inventory). Larger ones (a million files) are streamed twice: no copy of them is held.
 */
export const KEEP_INVENTORY_BYTES = 256 * 1024 * 1024;

/**
 * Write `inventory`'s canonical bytes to `key` with the store's write `options` (conditions,
 * durability; pass `size` and `sha256` when known, e.g. for the root copy of a version inventory
 * just written, so S3 can send it as one request up to its multipart threshold). With
 * `keepBytes` (default 0) the bytes come back too when there are no more than that many. Throws
 * what the store's write throws.
 */
export async function writeInventory(
  store: WritableStore,
  key: string,
  inventory: Inventory,
  options: WriteOptions = {},
  keepBytes = 0,
): Promise<WrittenInventory> {
  const algorithms = [...new Set(['sha512', inventory.digestAlgorithm])];
  const hashes = algorithms.map((a) => [a, createHash(a)] as const);
  let size = 0;
  let kept: Buffer[] | undefined = keepBytes > 0 ? [] : undefined;
  function* digested(): Generator<Buffer> {
    for (const chunk of inventoryChunks(inventory)) {
      for (const [, h] of hashes) h.update(chunk);
      size += chunk.length;
      if (kept !== undefined) {
        if (size <= keepBytes) kept.push(chunk);
        else kept = undefined;
      }
      yield chunk;
    }
  }
  const chunks = digested();
  const head: Buffer[] = [];
  let next = chunks.next();
  while (!next.done && size < WHOLE_WRITE_BYTES) {
    head.push(next.value);
    next = chunks.next();
  }
  let body: Buffer | Readable;
  if (next.done) body = Buffer.concat(head);
  else {
    const first = next.value;
    body = Readable.from(
      (function* () {
        yield* head;
        yield first;
        yield* chunks;
      })(),
      { objectMode: false },
    );
  }
  const result = await store.write(key, body, options);
  const digests: Record<string, string> = {};
  for (const [a, h] of hashes) digests[a] = h.digest('hex');
  const out: WrittenInventory = { result, size, digests };
  if (kept !== undefined) out.bytes = Buffer.isBuffer(body) ? body : Buffer.concat(kept, size);
  return out;
}

/** The sidecar text for an inventory digest: `<digest> inventory.json\n`. */
export function sidecarText(digest: string): string {
  return `${digest} inventory.json\n`;
}
