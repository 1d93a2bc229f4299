/**
 * Write the inventories of a generated object: one per version directory plus the root copy,
 * each with its sidecar. Version `k`'s inventory holds the manifest entries of versions ≤ k and
 * the version blocks v1…vk, built from the same values so earlier blocks are identical in every
 * copy (E066), and the root inventory is byte-identical to the head version's (E064).
 *
 * The text is exactly `JSON.stringify(value, null, 2)`, written piece by piece ({@link prettyJson})
 * so inventories past V8's string limit (≈536 M characters: a million files over ten versions)
 * can be generated. The generator's own code, independent of the engine's writer on purpose.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, copyFileSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A version block as the generator knows it: digest → logical paths. */
export interface GeneratedVersion {
  name: string;
  created: string;
  message: string;
  state: Record<string, string[]>;
}

/** Everything needed to serialise the inventories. */
export interface GeneratedInventory {
  id: string;
  digestAlgorithm: 'sha512' | 'sha256';
  /** Per version (index 0 = v1): the manifest entries that version adds, digest → content paths. */
  added: Record<string, string[]>[];
  versions: GeneratedVersion[];
}

const USER = { name: 'Strongroom benchmark', address: 'mailto:bench@strongroom.invalid' };

/** The inventory of version `k` (1-based) as a plain JSON value. */
function inventoryAt(inv: GeneratedInventory, k: number): object {
  const manifest: Record<string, string[]> = {};
  for (const added of inv.added.slice(0, k)) Object.assign(manifest, added);
  const versions: Record<string, object> = {};
  for (const v of inv.versions.slice(0, k)) {
    versions[v.name] = { created: v.created, message: v.message, user: USER, state: v.state };
  }
  return {
    id: inv.id,
    type: 'https://ocfl.io/1.1/spec/#inventory',
    digestAlgorithm: inv.digestAlgorithm,
    head: inv.versions[k - 1]!.name,
    contentDirectory: 'content',
    manifest,
    versions,
  };
}

/** Buffers text and writes it to `fd` in large pieces, hashing what it writes. */
class PieceWriter {
  #parts: string[] = [];
  #chars = 0;
  bytes = 0;

  constructor(
    readonly fd: number,
    readonly hash: Hash,
  ) {}

  add(text: string): void {
    this.#parts.push(text);
    this.#chars += text.length;
    if (this.#chars >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.#chars === 0) return;
    const chunk = Buffer.from(this.#parts.join(''), 'utf8');
    this.#parts = [];
    this.#chars = 0;
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let at = 0; at < chunk.length; ) at += writeSync(this.fd, chunk, at);
  }
}

/** `JSON.stringify(value, null, 2)` of plain JSON data, given to `out` piece by piece. */
export function prettyJson(value: unknown, out: { add(text: string): void }, indent = ''): void {
  if (value === null || typeof value !== 'object') {
    out.add(JSON.stringify(value));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) out.add('[]');
    for (let i = 0; i < value.length; i++) {
      out.add(i === 0 ? `[\n${inner}` : `,\n${inner}`);
      prettyJson(value[i], out, inner);
    }
    if (value.length > 0) out.add(`\n${indent}]`);
    return;
  }
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  if (keys.length === 0) {
    out.add('{}');
    return;
  }
  for (let i = 0; i < keys.length; i++) {
    out.add(`${i === 0 ? '{\n' : ',\n'}${inner}${JSON.stringify(keys[i])}: `);
    prettyJson((value as Record<string, unknown>)[keys[i]!], out, inner);
  }
  out.add(`\n${indent}}`);
}

/** Write `value` pretty-printed as `dir/inventory.json` + sidecar; returns its size and digest. */
function writeWithSidecar(dir: string, value: object, algorithm: string): { bytes: number; digest: string } {
  const fd = openSync(join(dir, 'inventory.json'), 'w');
  const out = new PieceWriter(fd, createHash(algorithm));
  try {
    prettyJson(value, out);
    out.flush();
  } finally {
    closeSync(fd);
  }
  const digest = out.hash.digest('hex');
  writeFileSync(join(dir, `inventory.json.${algorithm}`), `${digest} inventory.json\n`);
  return { bytes: out.bytes, digest };
}

/**
 * Write every version inventory and the root one under `objectRoot` (version directories must
 * exist). Returns the root inventory's size in bytes and digest.
 */
export function writeInventories(
  objectRoot: string,
  inv: GeneratedInventory,
): { bytes: number; digest: string } {
  let last = { bytes: 0, digest: '' };
  for (let k = 1; k <= inv.versions.length; k++) {
    // Pretty-printed with 2 spaces, as most implementations write inventories.
    last = writeWithSidecar(
      join(objectRoot, inv.versions[k - 1]!.name),
      inventoryAt(inv, k),
      inv.digestAlgorithm,
    );
  }
  const head = join(objectRoot, inv.versions.at(-1)!.name);
  copyFileSync(join(head, 'inventory.json'), join(objectRoot, 'inventory.json'));
  copyFileSync(
    join(head, `inventory.json.${inv.digestAlgorithm}`),
    join(objectRoot, `inventory.json.${inv.digestAlgorithm}`),
  );
  return last;
}
