/**
 * A streaming reader of inventory JSON: fed the bytes in chunks of any size (`push`, then `end`),
 * it builds the value `JSON.parse` would build, with no string of the whole document, so an
 * inventory is no longer limited by V8's maximum string length (≈536 M characters: a
 * 1,000,000-file object with 10 versions). In the same pass it
 *
 * - digests the bytes (the sidecar algorithms the caller names);
 * - notes keys repeated within one object (JSON.parse silently keeps the last one; so does this
 *   reader, after noting it), with where they are;
 * - optionally finds the first unsafe content or logical path (for readers that refuse them);
 * - builds objects with null prototypes, so `__proto__`, `constructor` or `toString` are keys
 *   like any other and a lookup never finds Object.prototype's members.
 *
 * It is inventory-specific in what it shares, to keep memory bounded on objects of millions of
 * files: an array of paths equal to the one the previous version's `state` (or the `reference`
 * inventory) holds under the same digest is that array, not a copy, and a whole `state` block
 * equal to the reference's is the reference's block. Nothing is shared that differs in any way,
 * so the value is equal to JSON.parse's (same keys in the same order, same strings), and the
 * validator (`validateInventory`) sees exactly what it would have seen.
 *
 * Grammar: RFC 8259 as JSON.parse implements it over strict UTF-8 (a byte-order mark is a syntax
 * error unless `allowByteOrderMark`). Errors report the byte offset, never the text. The tokenizer
 * and the value builder live in {@link JsonTokenizer} (`json-tokenizer.ts`) and here.
 *
 * Pure module.
 */
import { createHash, type Hash } from 'node:crypto';
import { TooLargeError } from '../errors.js';
import type { DigestMap, Inventory } from '../inventory.js';
import type { DuplicateKey } from '../json-scan.js';
import { pathSafetyProblems } from '../paths.js';
import { type JsonSink, JsonTokenizer } from './json-tokenizer.js';
import { INVENTORY_PATH_SAFETY } from './path-safety.js';

/** Options of {@link InventoryScanner}. */
export interface InventoryScannerOptions {
  /** Algorithms to digest the bytes with (node:crypto names; default none). */
  digestAlgorithms?: readonly string[];
  /** Refuse (TooLargeError) an inventory of more bytes than this (default unlimited). */
  maxBytes?: number;
  /** Refuse (TooLargeError) a single string or number of more bytes than this (default 64 MiB). */
  maxTokenBytes?: number;
  /** Deepest nesting of arrays and objects accepted (default 512; deeper is a syntax error). */
  maxDepth?: number;
  /** Stop noting repeated keys after this many (default 100). */
  duplicateLimit?: number;
  /** Accept (and skip) a UTF-8 byte-order mark at the start (default false: a syntax error). */
  allowByteOrderMark?: boolean;
  /** Find the first unsafe content or logical path (default false). */
  checkPaths?: boolean;
  /**
   * An inventory of the same object (e.g. the root inventory while reading a version's): its
   * `state` blocks and path arrays are shared where they are equal to what is read.
   */
  reference?: Inventory;
  /** Name for messages (e.g. `v3/inventory.json`). */
  path?: string;
}

/** What {@link InventoryScanner.end} returns. */
export interface InventoryScanResult {
  /** The JSON value; absent when the bytes are not JSON (see `syntaxError`). */
  value?: unknown;
  /** Why the bytes are not JSON (position only, never the text). */
  syntaxError?: string;
  /** Keys repeated within one object, in document order, at most `duplicateLimit`. */
  duplicates: DuplicateKey[];
  /** With `checkPaths`: the first unsafe path met (decoded). */
  unsafe?: { path: string; what: 'content path' | 'logical path' };
  /** Lowercase hex digests of every byte pushed, per requested algorithm. */
  digests: Record<string, string>;
  /** Number of bytes pushed. */
  bytes: number;
}

enum Role {
  Top,
  Manifest,
  Fixity,
  FixityBlock,
  Versions,
  Version,
  State,
  Other,
}

/** An open object or array being built. */
interface Frame {
  parent: Frame | undefined;
  /** The object or array being filled; undefined while a path map still equals its `share`. */
  value: Record<string, unknown> | unknown[] | undefined;
  isArray: boolean;
  role: Role;
  /** Key under which this frame sits in its parent ('' at the top, '[]' in an array). */
  name: string;
  /** The key whose value comes next (objects). */
  key: string;
  /** Byte offset of that key (for duplicate reports). */
  keyOffset: number;
  /** Arrays equal to these, under the same key, are shared instead of kept (path maps). */
  share?: DigestMap;
  /** `share`'s keys in order, and how far they were followed (see {@link canonicalKey}). */
  shareKeys?: string[];
  cursor: number;
  /** True while every entry so far is `share`'s entry at the same place (a state block). */
  matching: boolean;
}

const DEFAULT_MAX_TOKEN = 64 * 1024 * 1024;

/**
 * Streaming inventory reader (see module doc). `push` chunks, then `end()` once. Neither throws
 * on bad JSON (the result carries `syntaxError`); both throw TooLargeError past `maxBytes` or
 * `maxTokenBytes` (limits of the reader, not faults of the inventory).
 */
export class InventoryScanner implements JsonSink {
  readonly #options: InventoryScannerOptions;
  readonly #tokenizer: JsonTokenizer;
  readonly #hashes: Array<[string, Hash]>;
  #bytes = 0;
  #top: Frame | undefined;
  #root: unknown;
  #hasRoot = false;
  #duplicates: DuplicateKey[] = [];
  #unsafe: InventoryScanResult['unsafe'];
  /** The most recently completed state block: arrays of the next one are shared with it. */
  #lastState: DigestMap | undefined;
  #ended = false;

  constructor(options: InventoryScannerOptions = {}) {
    this.#options = options;
    this.#hashes = (options.digestAlgorithms ?? []).map((a) => [a, createHash(a)]);
    this.#tokenizer = new JsonTokenizer(this, {
      maxTokenBytes: options.maxTokenBytes ?? DEFAULT_MAX_TOKEN,
      maxDepth: options.maxDepth ?? 512,
      allowByteOrderMark: options.allowByteOrderMark ?? false,
      ...(options.path !== undefined && { path: options.path }),
    });
  }

  /** True once the bytes are known not to be JSON: pushing more changes nothing. */
  get failed(): boolean {
    return this.#tokenizer.error !== undefined;
  }

  /** Feed the next bytes (any chunking). Throws TooLargeError past the limits. */
  push(chunk: Uint8Array): void {
    if (this.#ended) return;
    this.#bytes += chunk.byteLength;
    const max = this.#options.maxBytes;
    if (max !== undefined && this.#bytes > max) {
      throw new TooLargeError(
        `${this.#options.path ?? 'inventory.json'} is more than ${max} bytes, too large for this reader`,
        max,
        { operation: 'parseInventory', ...(this.#options.path !== undefined && { key: this.#options.path }) },
      );
    }
    for (const [, h] of this.#hashes) h.update(chunk);
    this.#tokenizer.push(chunk);
  }

  /** The outcome, once every byte was pushed. */
  end(): InventoryScanResult {
    this.#ended = true;
    this.#tokenizer.end();
    const digests: Record<string, string> = {};
    for (const [a, h] of this.#hashes) digests[a] = h.digest('hex');
    const out: InventoryScanResult = { duplicates: this.#duplicates, digests, bytes: this.#bytes };
    const error = this.#tokenizer.error;
    if (error !== undefined) out.syntaxError = error;
    else if (this.#hasRoot) out.value = this.#root;
    if (this.#unsafe) out.unsafe = this.#unsafe;
    return out;
  }

  // JsonSink: called by the tokenizer.

  openObject(): void {
    this.#open(false);
  }

  openArray(): void {
    this.#open(true);
  }

  key(key: string, offset: number): void {
    const top = this.#top!;
    top.key = key;
    top.keyOffset = offset;
  }

  close(): void {
    const frame = this.#top!;
    this.#top = frame.parent;
    let value = frame.value;
    if (frame.matching) {
      // Equal to its share so far: equal as a whole only when none of its keys is left.
      value = frame.cursor === frame.shareKeys!.length ? frame.share : this.#materialise(frame);
    }
    if (frame.isArray) {
      // Exact capacity: an array grown by push keeps room for 17 elements (≈150 bytes for a
      // one-path entry, three times its size), and there are millions of them.
      value = (value as unknown[]).slice();
    } else if (frame.role === Role.State) this.#lastState = value as DigestMap;
    this.#add(value);
  }

  scalar(value: string | number | boolean | null): void {
    this.#add(value);
  }

  #open(isArray: boolean): void {
    const parent = this.#top;
    const name = parent === undefined ? '' : parent.isArray ? '[]' : parent.key;
    const role = parent === undefined ? Role.Top : childRole(parent, name);
    const frame: Frame = {
      parent,
      value: isArray ? [] : Object.create(null),
      isArray,
      role,
      name,
      key: '',
      keyOffset: 0,
      cursor: 0,
      matching: false,
    };
    if (!isArray) {
      const share = this.#shareFor(role, frame);
      if (share) {
        frame.share = share.map;
        frame.shareKeys = Object.keys(share.map);
        if (share.whole) {
          frame.matching = true;
          frame.value = undefined;
        }
      }
    }
    this.#top = frame;
  }

  /**
   * What a path map may share: a state block the reference's block of the same version (whole,
   * when equal), else the last state block read; a manifest or fixity block the reference's.
   */
  #shareFor(role: Role, frame: Frame): { map: DigestMap; whole: boolean } | undefined {
    const ref = this.#options.reference;
    if (role === Role.State) {
      const version = frame.parent?.name ?? '';
      const refState = ref && Object.hasOwn(ref.versions, version) ? ref.versions[version]?.state : undefined;
      if (refState) return { map: refState, whole: true };
      return this.#lastState && { map: this.#lastState, whole: false };
    }
    if (role === Role.Manifest) return ref && { map: ref.manifest, whole: false };
    if (role === Role.FixityBlock) {
      const block = ref?.fixity && Object.hasOwn(ref.fixity, frame.name) ? ref.fixity[frame.name] : undefined;
      return block && { map: block, whole: false };
    }
    return undefined;
  }

  /** Attach a finished value to the open frame (or make it the document's value). */
  #add(value: unknown): void {
    const top = this.#top;
    if (top === undefined) {
      this.#root = value;
      this.#hasRoot = true;
      return;
    }
    if (top.isArray) {
      (top.value as unknown[]).push(value);
      return;
    }
    let key = top.key;
    if (top.share !== undefined) {
      const at = top.cursor;
      key = canonicalKey(top, key);
      const candidate = top.share[key];
      if (Array.isArray(value)) {
        if (candidate !== undefined && sameStrings(value, candidate)) value = candidate;
        else if (this.#options.checkPaths && this.#unsafe === undefined) this.#checkPaths(top.role, value);
      }
      if (top.matching) {
        if (top.cursor === at + 1 && value === candidate) return;
        top.value = this.#materialise(top, at);
      }
    } else if (this.#options.checkPaths && this.#unsafe === undefined && Array.isArray(value)) {
      this.#checkPaths(top.role, value);
    }
    const target = top.value as Record<string, unknown>;
    if (target[key] !== undefined) this.#duplicate(top, key);
    target[key] = value;
  }

  /** A block that stopped equalling its share: the entries matched so far, in a new object. */
  #materialise(frame: Frame, count = frame.cursor): Record<string, unknown> {
    frame.matching = false;
    const out: Record<string, unknown> = Object.create(null);
    const keys = frame.shareKeys!;
    for (let i = 0; i < count; i++) out[keys[i]!] = frame.share![keys[i]!];
    return out;
  }

  #duplicate(frame: Frame, key: string): void {
    const limit = this.#options.duplicateLimit ?? 100;
    if (this.#duplicates.length >= limit) return;
    this.#duplicates.push({ key, where: framePath(frame), offset: frame.keyOffset });
  }

  #checkPaths(role: Role, paths: unknown[]): void {
    if (role !== Role.Manifest && role !== Role.FixityBlock && role !== Role.State) return;
    for (const p of paths) {
      if (typeof p !== 'string' || isPlainSafePath(p)) continue;
      if (pathSafetyProblems(p, INVENTORY_PATH_SAFETY).length === 0) continue;
      this.#unsafe = { path: p, what: role === Role.State ? 'logical path' : 'content path' };
      return;
    }
  }
}

/**
 * The key as `share` spells it when it is the next key there (or the one after: a deleted
 * entry), advancing the cursor: its string is already internalised, so using it saves V8 a
 * string-table lookup per entry, and its value needs no hashing of a 128-character digest to
 * find. Writers keep version blocks in the same order, so this is the usual case.
 */
function canonicalKey(frame: Frame, key: string): string {
  const keys = frame.shareKeys!;
  const at = frame.cursor;
  if (keys[at] === key) {
    frame.cursor = at + 1;
    return keys[at]!;
  }
  if (!frame.matching && keys[at + 1] === key) {
    frame.cursor = at + 2;
    return keys[at + 1]!;
  }
  return key;
}

/** The role of a frame opened under `name` in `parent`. */
function childRole(parent: Frame, name: string): Role {
  if (parent.isArray) return Role.Other;
  switch (parent.role) {
    case Role.Top:
      return name === 'manifest'
        ? Role.Manifest
        : name === 'fixity'
          ? Role.Fixity
          : name === 'versions'
            ? Role.Versions
            : Role.Other;
    case Role.Fixity:
      return Role.FixityBlock;
    case Role.Versions:
      return Role.Version;
    case Role.Version:
      return name === 'state' ? Role.State : Role.Other;
    default:
      return Role.Other;
  }
}

function sameStrings(a: unknown[], b: unknown): boolean {
  if (!Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The usual path, safe without the full check: no `/` at either end, no empty element, no element
 * starting with `.`, no NUL, no drive letter (`C:`). Anything else takes the exact check.
 */
function isPlainSafePath(p: string): boolean {
  const last = p.length - 1;
  if (last < 0 || p.charCodeAt(last) === 0x2f) return false;
  if (last >= 1 && p.charCodeAt(1) === 0x3a) return false;
  let atStart = true;
  for (let i = 0; i <= last; i++) {
    const c = p.charCodeAt(i);
    if (c === 0 || (atStart && (c === 0x2f || c === 0x2e))) return false;
    atStart = c === 0x2f;
  }
  return true;
}

function framePath(frame: Frame): string {
  const names: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) names.push(f.name);
  return names.length === 0 ? '(top level)' : names.reverse().join('.');
}
