/**
 * Hostile OCFL fixtures, generated in the test: objects whose inventory is given as raw JSON
 * text (so `__proto__` keys, duplicate keys and wrong types survive exactly as written), written
 * to a temp directory storage root or a MemoryStore.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestBytes } from '../../lib/core/ocfl/digests.js';
import { type ObjectFiles, writeToDir } from './build-object.js';

/** sha512 hex of a string or bytes. */
export function sha512(data: string | Buffer): string {
  return digestBytes(Buffer.from(data), ['sha512']).sha512!;
}

/** Content used by {@link inventoryText}: its digest and bytes. */
export const HELLO = Buffer.from('hello\n');
export const HELLO_SHA512 = sha512(HELLO);

/** Parts of {@link inventoryText} a test may replace with raw JSON text. */
export interface InventoryParts {
  id?: string;
  head?: string;
  /** Raw JSON of the manifest object. */
  manifest?: string;
  /** Raw JSON of the versions object. */
  versions?: string;
  /** Raw JSON of the fixity object (omitted when undefined). */
  fixity?: string;
}

/** One version `v1` holding logical path `a.txt` → `v1/content/a.txt`, with any part replaced. */
export function inventoryText(parts: InventoryParts = {}): string {
  const d = HELLO_SHA512;
  const manifest = parts.manifest ?? `{"${d}": ["v1/content/a.txt"]}`;
  const versions =
    parts.versions ??
    `{"v1": {"created": "2024-01-01T00:00:00Z", "message": "m", "user": {"name": "n", "address": "mailto:n@example.org"}, "state": {"${d}": ["a.txt"]}}}`;
  const fixity = parts.fixity === undefined ? '' : `, "fixity": ${parts.fixity}`;
  return `{"id": ${JSON.stringify(parts.id ?? 'urn:example:hostile')}, "type": "https://ocfl.io/1.1/spec/#inventory", "digestAlgorithm": "sha512", "head": ${JSON.stringify(parts.head ?? 'v1')}${fixity}, "manifest": ${manifest}, "versions": ${versions}}`;
}

/**
 * An object with `inventory` (raw text) at the root and in `v1/`, both with matching sidecars,
 * the declaration, and `content` files (object-relative key → bytes; default `v1/content/a.txt`).
 */
export function objectWithInventory(
  inventory: string,
  content?: Record<string, Buffer | string>,
): ObjectFiles {
  const files: ObjectFiles = new Map();
  files.set('0=ocfl_object_1.1', Buffer.from('ocfl_object_1.1\n'));
  const bytes = Buffer.from(inventory);
  const sidecar = Buffer.from(`${sha512(bytes)} inventory.json\n`);
  for (const dir of ['', 'v1/']) {
    files.set(`${dir}inventory.json`, bytes);
    files.set(`${dir}inventory.json.sha512`, sidecar);
  }
  for (const [key, data] of Object.entries(content ?? { 'v1/content/a.txt': HELLO })) {
    files.set(key, Buffer.from(data));
  }
  return files;
}

/** A temp directory removed when the test ends. */
export function tempDir(t: { teardown(fn: () => void): void }, label = 'hostile'): string {
  const dir = mkdtempSync(join(tmpdir(), `strongroom-${label}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A storage root (OCFL 1.1, no layout: ids are resolved by scanning) in a temp directory with
 * each object written below its object root. Returns the directory.
 */
export function storageRootWith(
  t: { teardown(fn: () => void): void },
  objects: Record<string, ObjectFiles>,
): string {
  const dir = tempDir(t, 'root');
  writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
  for (const [objectRoot, files] of Object.entries(objects)) writeToDir(join(dir, objectRoot), files);
  return dir;
}
