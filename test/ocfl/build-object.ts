/**
 * Builds small valid OCFL objects in memory for the validator tests: each version is a map of
 * logical path → content; content is stored once (forward-delta dedup) under
 * `vN/content/<logical path>`. Returns the files as key → bytes so tests can break one thing and
 * write them to a MemoryStore or a temp directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Inventory } from '../../lib/core/inventory.js';
import { digestBytes } from '../../lib/core/ocfl/digests.js';
import { serializeInventory } from '../../lib/core/ocfl/inventory-parse.js';
import type { WritableStore } from '../../lib/storage/port.js';

/** Object files: object-relative key → bytes. */
export type ObjectFiles = Map<string, Buffer>;

/** Build a 1.1 object with `versions[i]` as the state of version i+1. */
export function buildObject(versions: Array<Record<string, string>>, id = 'urn:example:obj'): ObjectFiles {
  const files: ObjectFiles = new Map();
  files.set('0=ocfl_object_1.1', Buffer.from('ocfl_object_1.1\n'));
  const inv: Inventory = {
    id,
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: 'sha512',
    head: '',
    manifest: {},
    versions: {},
  };
  versions.forEach((state, i) => {
    const v = `v${i + 1}`;
    inv.head = v;
    const block: Inventory['versions'][string] = {
      created: `2024-01-0${(i % 9) + 1}T00:00:00Z`,
      message: `version ${i + 1}`,
      user: { name: 'Tester', address: 'mailto:tester@example.org' },
      state: {},
    };
    for (const [logical, text] of Object.entries(state)) {
      const bytes = Buffer.from(text);
      const digest = digestBytes(bytes, ['sha512']).sha512!;
      if (!inv.manifest[digest]) {
        inv.manifest[digest] = [`${v}/content/${logical}`];
        files.set(`${v}/content/${logical}`, bytes);
      }
      const paths = block.state[digest] ?? [];
      paths.push(logical);
      block.state[digest] = paths;
    }
    inv.versions[v] = block;
    writeInventory(files, v, inv);
  });
  writeInventory(files, '', inv);
  return files;
}

/** Serialise `inv` with its sidecar into `dir` ('' = object root) of `files`. */
export function writeInventory(files: ObjectFiles, dir: string, inv: Inventory): void {
  const bytes = Buffer.from(serializeInventory(inv));
  const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
  files.set(at('inventory.json'), bytes);
  const alg = inv.digestAlgorithm;
  files.set(at(`inventory.json.${alg}`), Buffer.from(`${digestBytes(bytes, [alg])[alg]} inventory.json\n`));
}

/** The root inventory of built files. */
export function rootInventory(files: ObjectFiles, dir = ''): Inventory {
  return JSON.parse(files.get(dir === '' ? 'inventory.json' : `${dir}/inventory.json`)!.toString('utf8'));
}

/** Write the files below `prefix` of a store. */
export async function writeToStore(store: WritableStore, files: ObjectFiles, prefix = ''): Promise<void> {
  for (const [key, bytes] of files) await store.write(prefix === '' ? key : `${prefix}/${key}`, bytes);
}

/** Write the files below a local directory. */
export function writeToDir(dir: string, files: ObjectFiles): void {
  for (const [key, bytes] of files) {
    const path = join(dir, ...key.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}
