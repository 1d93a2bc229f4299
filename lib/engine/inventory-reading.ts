/**
 * Reading an inventory for navigation, not validation: bounded bytes (`MAX_INVENTORY_BYTES`),
 * only the shape checks navigation needs, and the gates every reader of someone else's
 * inventory must pass: no duplicate keys, no path that could leave the object root. Strict
 * validation (every E-code) is `lib/core/ocfl`'s and the validator's job.
 */
import { hasCode, InvalidObjectError, TooLargeError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import { describeJsonError, findDuplicateKeys } from '../core/json-scan.js';
import { MAX_INVENTORY_BYTES } from '../core/ocfl/inventory-parse.js';
import { scanInventoryBytes } from '../core/ocfl/inventory-scan.js';
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
    throw new InvalidObjectError(`${where} is not valid JSON (${describeJsonError(cause)})`, {
      operation: 'parseInventory',
      ...(key !== undefined && { key }),
    });
  }
  if (!isRecord(json)) {
    throw new InvalidObjectError(`${where} is not a JSON object`, {
      operation: 'parseInventory',
      ...(key !== undefined && { key }),
    });
  }
  const problems = shapeProblems(json);
  // One pass over the bytes answers both gates; the exact checks run only when it could not.
  const scan = scanInventoryBytes(bytes, json);
  const duplicates = !scan.followed || scan.keysMerged ? findDuplicateKeys(bytes, { limit: 3 }) : [];
  for (const d of duplicates) problems.push(`key ${quoteForMessage(d.key, 80)} appears twice in ${d.where}`);
  if (problems.length > 0) {
    throw new InvalidObjectError(`${where} is unusable: ${problems.join('; ')}`, {
      operation: 'parseInventory',
      ...(key !== undefined && { key }),
    });
  }
  if (!scan.followed) assertInventoryPathsSafe(json, where);
  else if (scan.unsafe) assertSafeInventoryPath(scan.unsafe.path, scan.unsafe.what, where);
  const inventory = json as unknown as Inventory;
  if (typeof inventory.type !== 'string') inventory.type = '';
  if (!isRecord(inventory.fixity)) delete inventory.fixity;
  return inventory;
}
