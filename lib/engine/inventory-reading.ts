/**
 * Reading an inventory for navigation, not validation: bounded bytes (`MAX_INVENTORY_BYTES`),
 * only the shape checks navigation needs, and the gates every reader of someone else's
 * inventory must pass: no duplicate keys, no path that could leave the object root. Strict
 * validation (every E-code) is `lib/core/ocfl`'s and the validator's job.
 *
 * {@link readInventory} decides how an inventory is read: whole (one Buffer, then `JSON.parse`)
 * below `STREAMING_THRESHOLD_BYTES`, streamed into the scanner (`lib/core/ocfl/inventory-scanner.ts`)
 * above it, so no reader holds a large inventory's bytes or a string of them.
 */
import { hasCode, InvalidObjectError, TooLargeError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import { type DuplicateKey, describeJsonError, findDuplicateKeys } from '../core/json-scan.js';
import { MAX_INVENTORY_BYTES, STREAMING_THRESHOLD_BYTES } from '../core/ocfl/inventory-parse.js';
import { scanInventoryBytes } from '../core/ocfl/inventory-scan.js';
import { InventoryScanner, type InventoryScanResult } from '../core/ocfl/inventory-scanner.js';
import { assertInventoryPathsSafe, assertSafeInventoryPath } from '../core/ocfl/path-safety.js';
import { quoteForMessage, truncateForMessage } from '../core/paths.js';
import type { ReadableStore } from '../storage/port.js';

/**
 * The bytes of an inventory, at most {@link MAX_INVENTORY_BYTES}. Past the cap: TooLargeError
 * "too large for this reader" (a limit of ours, not a fault of the object), before reading it.
 * Shared by the reader and the validator.
 */
export async function readInventoryBytes(
  store: ReadableStore,
  key: string,
  signal?: AbortSignal,
): Promise<Buffer> {
  try {
    return await store.readBytes(key, { maxBytes: MAX_INVENTORY_BYTES, ...(signal && { signal }) });
  } catch (err) {
    if (!hasCode(err, 'TOO_LARGE')) throw err;
    const size = await store.stat(key).then(
      (s) => s.size,
      () => undefined,
    );
    throw inventoryTooLarge(size, key);
  }
}

/** A consumer of inventory bytes as a stream (see {@link readInventory}). */
export interface InventoryStreamSink<T> {
  push(chunk: Uint8Array): void;
  /** True once the bytes are known to be unusable (not JSON): the rest is not read. */
  readonly failed?: boolean;
  end(): T;
}

/** How {@link readInventory} hands an inventory over. */
export interface InventoryConsumer<T> {
  /** An inventory below the streaming threshold, whole. */
  whole(bytes: Buffer): T | Promise<T>;
  /** An inventory at or above it: a sink the chunks go to as they are read. */
  streamed(): InventoryStreamSink<T>;
}

/**
 * Read the inventory at `key` whole or streamed (see module doc), at most
 * {@link MAX_INVENTORY_BYTES}: past it TooLargeError before a byte is read when the size is
 * known (`size`, else one `stat`), or as soon as the stream passes it. A stream whose sink
 * fails (not JSON) is closed at once: a 3 GB file of zeros costs one chunk.
 */
export async function readInventory<T>(
  store: ReadableStore,
  key: string,
  consumer: InventoryConsumer<T>,
  options: { size?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const size = options.size ?? (await store.stat(key)).size;
  if (size > MAX_INVENTORY_BYTES) throw inventoryTooLarge(size, key);
  if (size < STREAMING_THRESHOLD_BYTES) {
    return consumer.whole(await readInventoryBytes(store, key, options.signal));
  }
  const stream = await store.read(key, options.signal ? { signal: options.signal } : {});
  const sink = consumer.streamed();
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > MAX_INVENTORY_BYTES) throw inventoryTooLarge(undefined, key);
      sink.push(chunk);
      if (sink.failed) break;
    }
  } finally {
    stream.destroy();
  }
  return sink.end();
}

function inventoryTooLarge(size: number | undefined, key: string | undefined): TooLargeError {
  return new TooLargeError(
    `${truncateForMessage(key ?? 'inventory')} is ${size === undefined ? 'more than the limit' : `${size} bytes`}, too large for this reader (limit ${MAX_INVENTORY_BYTES} bytes)`,
    MAX_INVENTORY_BYTES,
    { operation: 'parseInventory', ...(key !== undefined && { key }) },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Problems that make an inventory unusable for navigation (not a validation report). */
function shapeProblems(json: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const field of ['id', 'head', 'digestAlgorithm'] as const) {
    if (typeof json[field] !== 'string' || json[field] === '')
      problems.push(`"${field}" is not a non-empty string`);
  }
  if (!isRecord(json['manifest'])) problems.push('"manifest" is not an object');
  if (!isRecord(json['versions'])) {
    problems.push('"versions" is not an object');
    return problems;
  }
  for (const [name, block] of Object.entries(json['versions'])) {
    if (!isRecord(block) || typeof block['created'] !== 'string' || !isRecord(block['state'])) {
      problems.push(`version ${quoteForMessage(name)} lacks "created" or "state"`);
      if (problems.length >= 10) break; // enough to say what is wrong, bounded for hostile input
    }
  }
  // Own keys only: a head of `toString` or `__proto__` must not find Object.prototype's.
  if (typeof json['head'] === 'string' && !Object.hasOwn(json['versions'], json['head'])) {
    problems.push(`head ${truncateForMessage(json['head'])} is not among the versions`);
  }
  return problems;
}

/**
 * Parse inventory bytes with only the checks navigation needs. Throws InvalidObjectError naming
 * every shape problem (bad JSON, missing id/head/manifest/versions, head not a version, a
 * duplicated key), PathEscapeError for a content or logical path that could leave the object
 * root (see `lib/core/ocfl/path-safety.ts`), TooLargeError past {@link MAX_INVENTORY_BYTES}.
 * Messages never quote the file's text (a parse error gives only the position).
 */
export function parseInventoryLenient(bytes: Uint8Array, key?: string): Inventory {
  const where = truncateForMessage(key ?? 'inventory');
  if (bytes.byteLength > MAX_INVENTORY_BYTES) throw inventoryTooLarge(bytes.byteLength, key);
  let json: unknown;
  try {
    // A view over the same memory (no copy of a large inventory); a BOM is tolerated.
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (cause) {
    // Not `cause`: V8's SyntaxError message quotes the text it choked on.
    throw notJson(where, describeJsonError(cause), key);
  }
  if (!isRecord(json)) throw notAnObject(where, key);
  // One pass over the bytes answers both gates; the exact checks run only when it could not.
  const scan = scanInventoryBytes(bytes, json);
  const duplicates = !scan.followed || scan.keysMerged ? findDuplicateKeys(bytes, { limit: 3 }) : [];
  return checkedForNavigation(json, duplicates, scan.followed ? scan.unsafe : undefined, !scan.followed, key);
}

/**
 * {@link parseInventoryLenient} over a stream: push chunks, then `end()` (same checks, same
 * errors, thrown by `end`). `digestAlgorithm` (optional) is computed as the bytes pass, for the
 * sidecar; `digest` holds it after `end`.
 */
export class LenientInventoryReader implements InventoryStreamSink<Inventory> {
  readonly #scanner: InventoryScanner;
  readonly #key: string | undefined;
  readonly #algorithm: string | undefined;
  #scan: InventoryScanResult | undefined;

  constructor(key?: string, digestAlgorithm?: string) {
    this.#key = key;
    this.#algorithm = digestAlgorithm;
    this.#scanner = new InventoryScanner({
      checkPaths: true,
      allowByteOrderMark: true,
      duplicateLimit: 3,
      maxBytes: MAX_INVENTORY_BYTES,
      ...(digestAlgorithm !== undefined && { digestAlgorithms: [digestAlgorithm] }),
      ...(key !== undefined && { path: key }),
    });
  }

  get failed(): boolean {
    return this.#scanner.failed;
  }

  /** The digest of the bytes read, once ended (lowercase hex). */
  get digest(): string | undefined {
    return this.#algorithm === undefined ? undefined : this.#scan?.digests[this.#algorithm];
  }

  push(chunk: Uint8Array): void {
    this.#scanner.push(chunk);
  }

  end(): Inventory {
    const scan = this.#scanner.end();
    this.#scan = scan;
    const where = truncateForMessage(this.#key ?? 'inventory');
    if (scan.syntaxError !== undefined) throw notJson(where, scan.syntaxError, this.#key);
    if (!isRecord(scan.value)) throw notAnObject(where, this.#key);
    return checkedForNavigation(scan.value, scan.duplicates, scan.unsafe, false, this.#key);
  }
}

function notJson(where: string, why: string, key: string | undefined): InvalidObjectError {
  return new InvalidObjectError(`${where} is not valid JSON (${why})`, {
    operation: 'parseInventory',
    ...(key !== undefined && { key }),
  });
}

function notAnObject(where: string, key: string | undefined): InvalidObjectError {
  return new InvalidObjectError(`${where} is not a JSON object`, {
    operation: 'parseInventory',
    ...(key !== undefined && { key }),
  });
}

/** The shape and safety gates shared by both readers; `exactPaths` walks every path instead. */
function checkedForNavigation(
  json: Record<string, unknown>,
  duplicates: readonly DuplicateKey[],
  unsafe: { path: string; what: string } | undefined,
  exactPaths: boolean,
  key: string | undefined,
): Inventory {
  const where = truncateForMessage(key ?? 'inventory');
  const problems = shapeProblems(json);
  for (const d of duplicates.slice(0, 3)) {
    problems.push(`key ${quoteForMessage(d.key, 80)} appears twice in ${d.where}`);
  }
  if (problems.length > 0) {
    throw new InvalidObjectError(`${where} is unusable: ${problems.join('; ')}`, {
      operation: 'parseInventory',
      ...(key !== undefined && { key }),
    });
  }
  if (exactPaths) assertInventoryPathsSafe(json, where);
  else if (unsafe) assertSafeInventoryPath(unsafe.path, unsafe.what, where);
  const inventory = json as unknown as Inventory;
  if (typeof inventory.type !== 'string') inventory.type = '';
  if (!isRecord(inventory.fixity)) delete inventory.fixity;
  return inventory;
}
