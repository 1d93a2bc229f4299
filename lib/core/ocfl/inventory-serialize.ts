/**
 * Canonical inventory bytes as a stream of chunks: exactly the bytes of `serializeInventory`
 * (`JSON.stringify` of the canonically ordered inventory, 2-space indentation), produced piece by
 * piece, so an inventory of any size is written without one string of it (V8 stops at ≈536 M
 * characters) and its digest can be computed while it is written.
 *
 * Order, as `serializeInventory` has it: id, type, digestAlgorithm, head, contentDirectory,
 * fixity (algorithms sorted), manifest, versions (by number); digests and paths sorted by code
 * unit. Keys that are array indices ("0", "42") come first in ascending numeric order, as
 * JSON.stringify enumerates them; {@link canonicalKeyOrder} reproduces that.
 *
 * Pure module.
 */
import type { DigestMap, Inventory, InventoryVersion } from '../inventory.js';
import { versionNumber } from '../inventory.js';

/** Default size of the chunks, in characters (≈256 KiB of ASCII). */
const CHUNK_CHARS = 1 << 18;

/**
 * The canonical bytes of `inv` in chunks of about `chunkChars` characters (UTF-8 Buffers).
 * Concatenated they equal `serializeInventory(inv)`. Unknown keys are not carried over.
 */
export function* inventoryChunks(inv: Inventory, chunkChars = CHUNK_CHARS): Generator<Buffer> {
  const out = new ChunkWriter(chunkChars);
  out.add(`{\n  "id": ${json(inv.id)},\n  "type": ${json(inv.type)},\n`);
  out.add(`  "digestAlgorithm": ${json(inv.digestAlgorithm)},\n  "head": ${json(inv.head)}`);
  if (inv.contentDirectory !== undefined) out.add(`,\n  "contentDirectory": ${json(inv.contentDirectory)}`);
  if (inv.fixity !== undefined) {
    out.add(',\n  "fixity": ');
    const algs = canonicalKeyOrder(Object.keys(inv.fixity));
    if (algs.length === 0) out.add('{}');
    for (let i = 0; i < algs.length; i++) {
      out.add(`${i === 0 ? '{\n' : ',\n'}    ${json(algs[i]!)}: `);
      yield* digestMap(out, inv.fixity[algs[i]!]!, '    ');
    }
    if (algs.length > 0) out.add('\n  }');
  }
  out.add(',\n  "manifest": ');
  yield* digestMap(out, inv.manifest, '  ');
  out.add(',\n  "versions": ');
  const names = Object.keys(inv.versions).sort(
    (a, b) => (versionNumber(a) ?? 0) - (versionNumber(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const ordered = indicesFirst(names);
  if (ordered.length === 0) out.add('{}');
  for (let i = 0; i < ordered.length; i++) {
    out.add(`${i === 0 ? '{\n' : ',\n'}    ${json(ordered[i]!)}: `);
    yield* version(out, inv.versions[ordered[i]!]!);
  }
  if (ordered.length > 0) out.add('\n  }');
  out.add('\n}');
  yield* out.flush(true);
}

function* version(out: ChunkWriter, v: InventoryVersion): Generator<Buffer> {
  out.add(`{\n      "created": ${json(v.created)}`);
  if (v.message !== undefined) out.add(`,\n      "message": ${json(v.message)}`);
  if (v.user !== undefined) {
    out.add(`,\n      "user": {\n        "name": ${json(v.user.name)}`);
    if (v.user.address !== undefined) out.add(`,\n        "address": ${json(v.user.address)}`);
    out.add('\n      }');
  }
  out.add(',\n      "state": ');
  yield* digestMap(out, v.state, '      ');
  out.add('\n    }');
}

/** A digest map at `indent` (the indentation of the line holding its key). */
function* digestMap(out: ChunkWriter, map: DigestMap, indent: string): Generator<Buffer> {
  const digests = canonicalKeyOrder(Object.keys(map));
  if (digests.length === 0) {
    out.add('{}');
    return;
  }
  const entry = `${indent}  `;
  const item = `${indent}    `;
  for (let i = 0; i < digests.length; i++) {
    const paths = sortedCopy(map[digests[i]!]!);
    out.add(`${i === 0 ? '{\n' : ',\n'}${entry}${json(digests[i]!)}: `);
    if (paths.length === 0) out.add('[]');
    else {
      out.add(`[\n${item}${json(paths[0]!)}`);
      for (let j = 1; j < paths.length; j++) out.add(`,\n${item}${json(paths[j]!)}`);
      out.add(`\n${entry}]`);
    }
    if (out.full) yield* out.flush(false);
  }
  out.add(`\n${indent}}`);
}

/**
 * Keys in the order JSON.stringify gives an object built by inserting them sorted by code unit:
 * array indices first, ascending numerically, then the rest sorted. Already-sorted input (any
 * inventory this engine wrote) is not sorted again.
 */
export function canonicalKeyOrder(keys: string[]): string[] {
  return indicesFirst(isSorted(keys) ? keys : keys.sort());
}

function indicesFirst(sorted: string[]): string[] {
  const indices = sorted.filter(isArrayIndex);
  if (indices.length === 0) return sorted;
  indices.sort((a, b) => Number(a) - Number(b));
  return [...indices, ...sorted.filter((k) => !isArrayIndex(k))];
}

function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 0x30 || c > 0x39 || key.length > 10) return false;
  if (!/^(?:0|[1-9][0-9]*)$/.test(key)) return false;
  return Number(key) < 2 ** 32 - 1;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

function sortedCopy(paths: readonly string[]): readonly string[] {
  return isSorted(paths) ? paths : [...paths].sort();
}

const json = (s: string): string => JSON.stringify(s);

/** Collects text and hands it out as UTF-8 chunks of about `size` characters. */
class ChunkWriter {
  #parts: string[] = [];
  #chars = 0;

  constructor(readonly size: number) {}

  get full(): boolean {
    return this.#chars >= this.size;
  }

  add(text: string): void {
    this.#parts.push(text);
    this.#chars += text.length;
  }

  *flush(last: boolean): Generator<Buffer> {
    if (this.#chars === 0 && !last) return;
    const text = this.#parts.join('');
    this.#parts = [];
    this.#chars = 0;
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
}
